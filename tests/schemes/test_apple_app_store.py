"""
Apple App Store Server Notifications V2: Apple's real chain, its test-CA mocks, and hostile tokens.

Apple publishes no notification signed by its real key.  Two pieces of
evidence stand in: the real chain (leaf, WWDR G6, Apple Root CA - G3) from
Apple's library tests verifies with hooksig's x5c check at the date Apple's
tests use, and Apple's mock notifications (signed under Apple's test CA)
verify as published (tests/vectors/providers/official/apple-app-store.json).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, ClassVar

import jwt as pyjwt
import pytest

import hooksig
from hooksig import ConfigurationError, InvalidSignature, MalformedSignature, Verifier
from hooksig._primitives import x509
from hooksig.scheme._tokens import verify_x5c
from hooksig.schemes import apple_app_store
from tests.schemes.fetching import P256, P256_PEM, dumps
from tests.vectors import load_vectors

CHAINS = load_vectors("providers/apple-chains.json")
OIDS = apple_app_store.SCHEME.chain_oids
ROOT = x509.load_certificates(apple_app_store.APPLE_ROOT_CA_G3)


def test_the_pinned_root_is_apple_root_ca_g3() -> None:
    """The embedded root's SHA-256 is the one Apple's PKI page publishes."""
    assert hashlib.sha256(apple_app_store.APPLE_ROOT_CA_G3).hexdigest().upper() == (
        "63343ABFB89A6A03EBB57E9B3F5FA7BE7C4F5C756F3017B3A8C488C3653E9179"
    )
    assert base64.b64decode(CHAINS["real"]["chain"][2]) == apple_app_store.APPLE_ROOT_CA_G3


def test_apples_real_chain_verifies_to_the_pinned_root() -> None:
    """The real leaf and WWDR G6 chain to the root, markers present, at Apple's date."""
    real = CHAINS["real"]
    key = verify_x5c(real["chain"], ROOT, OIDS, real["effective_date"], "x5c")
    assert key.curve.name == "secp256r1"


def test_the_real_chain_fails_outside_its_validity() -> None:
    """After the leaf's expiry (2027-10-13) the same chain is refused."""
    after = 1_830_000_000  # 2027-12
    with pytest.raises(InvalidSignature):
        verify_x5c(CHAINS["real"]["chain"], ROOT, OIDS, after, "x5c")


def test_the_third_certificate_is_never_trusted() -> None:
    """A chain that carries its own root proves nothing: only the pinned root counts."""
    test = CHAINS["test_ca"]
    chain = [test["leaf"], test["intermediate"], test["root"]]
    with pytest.raises(InvalidSignature):
        verify_x5c(chain, ROOT, OIDS, 1681314324, "x5c")
    trusted = x509.load_certificates(base64.b64decode(test["root"]))
    assert verify_x5c(chain, trusted, OIDS, 1681314324, "x5c", lenient_ca=True)


@pytest.mark.parametrize(
    ("leaf", "intermediate"),
    [
        ("leaf_invalid_oid", "intermediate"),
        ("leaf_for_invalid_oid_intermediate", "intermediate_invalid_oid"),
    ],
)
def test_the_marker_extensions_are_required(leaf: str, intermediate: str) -> None:
    """Apple's test certificates without the App Store markers are refused (Apple's own cases)."""
    test = CHAINS["test_ca"]
    trusted = x509.load_certificates(base64.b64decode(test["root"]))
    with pytest.raises(InvalidSignature):
        verify_x5c(
            [test[leaf], test[intermediate], test["root"]],
            trusted,
            OIDS,
            1681314324,
            "x5c",
            lenient_ca=True,
        )


def test_apples_test_ca_needs_the_lenient_policy() -> None:
    """Apple's test CA marks no basic constraints critical: the Web PKI policy refuses it."""
    test = CHAINS["test_ca"]
    trusted = x509.load_certificates(base64.b64decode(test["root"]))
    with pytest.raises(InvalidSignature):
        verify_x5c(
            [test["leaf"], test["intermediate"], test["root"]], trusted, OIDS, 1681314324, "x5c"
        )


def _scheme(**settings: Any) -> Any:
    return hooksig.schemes.configure(
        "apple-app-store", bundle_id="com.example", environment="Sandbox", **settings
    )


def _signed(payload: dict[str, Any], verifier: Verifier, **header: Any) -> bytes:
    chain = next(k.material for k in verifier._keys.verify_keys if k.kind == "x5c-chain")
    token = pyjwt.encode(payload, P256, algorithm="ES256", headers={"x5c": list(chain), **header})
    return dumps({"signedPayload": token})


NOTIFICATION = {
    "notificationType": "SUBSCRIBED",
    "notificationUUID": "0b9a6ea4-0000-4000-8000-000000000001",
    "data": {"bundleId": "com.example", "environment": "Sandbox", "appAppleId": 42},
    "signedDate": 1_700_000_000_000,
}


def test_the_apps_identity_is_checked_in_every_container() -> None:
    """bundleId and environment must match, whether in data, summary or appData."""
    verifier = Verifier(_scheme(), signing_key=P256_PEM)
    assert (
        verifier.verify(_signed(NOTIFICATION, verifier), {}).id == NOTIFICATION["notificationUUID"]
    )
    summary = {**NOTIFICATION, "summary": NOTIFICATION["data"]}
    del summary["data"]
    assert verifier.verify(_signed(summary, verifier), {}).timestamp == 1_700_000_000
    for field, value in (("bundleId", "com.other"), ("environment", "Production")):
        wrong = {**NOTIFICATION, "data": {**NOTIFICATION["data"], field: value}}
        with pytest.raises(InvalidSignature) as info:
            verifier.verify(_signed(wrong, verifier), {})
        assert info.value.reason == "wrong_claim"


def test_production_checks_the_app_apple_id() -> None:
    """In production appAppleId must match; an external purchase token derives its environment."""
    production = hooksig.schemes.configure(
        "apple-app-store", bundle_id="com.example", environment="Production", app_apple_id=42
    )
    verifier = Verifier(production, signing_key=P256_PEM)
    data = {**NOTIFICATION["data"], "environment": "Production"}
    assert verifier.verify(_signed({**NOTIFICATION, "data": data}, verifier), {})
    with pytest.raises(InvalidSignature):
        verifier.verify(_signed({**NOTIFICATION, "data": {**data, "appAppleId": 7}}, verifier), {})
    token = {"bundleId": "com.example", "appAppleId": 42, "externalPurchaseId": "SANDBOX_1"}
    purchase = {**NOTIFICATION, "externalPurchaseToken": token}
    del purchase["data"]
    with pytest.raises(InvalidSignature):  # a SANDBOX_ purchase is not production's
        verifier.verify(_signed(purchase, verifier), {})
    real = {**purchase, "externalPurchaseToken": {**token, "externalPurchaseId": "P1"}}
    assert verifier.verify(_signed(real, verifier), {})


@pytest.mark.parametrize(
    ("header", "error"),
    [
        ({"alg": "none"}, MalformedSignature),
        ({"x5c": ["AAAA"]}, MalformedSignature),
        ({"x5c": "not a list"}, MalformedSignature),
        ({"x5c": ["!!!", "!!!", "!!!"]}, MalformedSignature),
    ],
    ids=["alg-none", "one-certificate", "not-a-list", "not-base64"],
)
def test_hostile_headers(header: dict[str, Any], error: type[Exception]) -> None:
    """alg none, a chain of the wrong length, garbage certificates: refused."""
    verifier = Verifier(_scheme(), signing_key=P256_PEM)
    if header.get("alg") == "none":
        part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
        body = dumps({"signedPayload": f"{part({'alg': 'none'})}.{part(NOTIFICATION)}."})
    else:
        body = _signed(NOTIFICATION, verifier, **header)
    with pytest.raises(error):
        verifier.verify(body, {})


def test_a_chain_from_another_root_is_refused() -> None:
    """A verifier pinned to Apple's root refuses a chain from a test CA, whatever it signs."""
    signer = Verifier(_scheme(), signing_key=P256_PEM)
    pinned = Verifier(_scheme())
    with pytest.raises(InvalidSignature) as info:
        pinned.verify(_signed(NOTIFICATION, signer), {})
    assert info.value.reason == "untrusted_chain"


def test_the_app_must_be_configured() -> None:
    """Without bundle_id and environment, verifying with Apple's root is refused at construction."""
    with pytest.raises(ConfigurationError, match=r"data\.bundleId"):
        Verifier("apple-app-store")
    with pytest.raises(ConfigurationError):
        Verifier(_scheme(), public_key=[b"not a certificate"])
    with pytest.raises(ConfigurationError):
        Verifier(_scheme(), public_key=[1])


class TestAppleTokenShape:
    """What sign() makes (for tests and the toolkit) is what Apple sends."""

    keys: ClassVar = {"signing_key": P256_PEM}

    def test_sign_puts_the_token_in_signed_payload(self) -> None:
        """The body's fields ride in the JWS payload, with signedDate and notificationUUID."""
        verifier = Verifier(_scheme(), **self.keys)
        body, _ = verifier.signed_request(
            b'{"notificationType": "TEST"}', timestamp=1_700_000_000, id="n-1"
        )
        token = json.loads(body)["signedPayload"]
        claims = pyjwt.decode(token, options={"verify_signature": False})
        assert claims["notificationType"] == "TEST"
        assert claims["signedDate"] == 1_700_000_000_000
        assert claims["notificationUUID"] == "n-1"
        assert len(pyjwt.get_unverified_header(token)["x5c"]) == 3


def test_claims_outside_any_known_container_configure_nothing() -> None:
    """A token with none of Apple's containers (data, summary, ...) has no app identity."""
    assert apple_app_store._container({"notificationType": "TEST"}) == {}
    external = apple_app_store._container(
        {"externalPurchaseToken": {"externalPurchaseId": "SANDBOX-1"}}
    )
    assert external["environment"] == "Sandbox"
