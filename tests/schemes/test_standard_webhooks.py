"""Standard Webhooks and Svix: the contract for v1 (HMAC) and v1a (Ed25519), and the vectors."""

from __future__ import annotations

import base64
import re
from typing import Any, ClassVar

import pytest

import hooksig
from hooksig import ConfigurationError, InvalidSignature, MalformedSignature
from tests.schemes.contract import SchemeContract
from tests.vectors import provider_vector

SECRET = "whsec_" + base64.b64encode(b"standard-webhooks-contract-key!!").decode()
# A fixed Ed25519 key pair: seed bytes 0..31, its public key derived by sign-and-check below.
SEED = bytes(range(32))
OTHER_SEED = bytes(range(32, 64))


class TestStandardWebhooks(SchemeContract):
    """Standard Webhooks v1 through the contract: HMAC over '<id>.<ts>.<body>', base64 key."""

    scheme = "standard-webhooks"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "signed-header"


class TestSvixAlias(TestStandardWebhooks):
    """The same contract under the 'svix' alias."""

    scheme = "svix"


class TestStandardWebhooksEd25519(SchemeContract):
    """Standard Webhooks v1a through the contract: Ed25519 with whsk_/raw keys."""

    scheme = "standard-webhooks"
    keys: ClassVar = {"signing_key": SEED}
    other_keys: ClassVar = {"signing_key": OTHER_SEED}
    signs_timestamp = True
    id_source = "signed-header"


def _vector(name: str) -> tuple[dict[str, Any], bytes, int]:
    vector = provider_vector(name)
    headers = vector["headers"]
    timestamp = int(headers.get("webhook-timestamp") or headers["svix-timestamp"])
    return vector, vector["body"].encode(), timestamp


def _public_key(vector: dict[str, Any]) -> str:
    found = re.search(r"whpk_[A-Za-z0-9+/=]+", vector["note"])
    assert found is not None
    return found.group(0)


def test_standard_webhooks_vector() -> None:
    """The libraries' shared v1 vector verifies, and sign() reproduces it."""
    vector, body, timestamp = _vector("Standard Webhooks")
    verifier = hooksig.Verifier("standard-webhooks", secret=vector["secret"])
    delivery = verifier.verify(body, vector["headers"], now=timestamp)
    assert (delivery.id, delivery.timestamp) == ("msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp)
    signed = verifier.sign(body, timestamp=timestamp, id=delivery.id)
    assert signed["webhook-signature"] == vector["expected"]


def test_standard_webhooks_vector_refuses_the_raw_secret() -> None:
    """Using the whsec_ text itself as the key (Stripe's rule) does not verify the vector."""
    vector, body, timestamp = _vector("Standard Webhooks")
    verifier = hooksig.Verifier("standard-webhooks", secret=vector["secret"].encode())
    with pytest.raises(InvalidSignature):
        verifier.verify(body, vector["headers"], now=timestamp)


def test_svix_v1_vector_with_svix_headers() -> None:
    """Svix's documented vector verifies under 'svix', and sign() gives it back as Svix sends it."""
    vector, body, timestamp = _vector("Svix (v1)")
    assert "svix-signature" in vector["headers"]
    verifier = hooksig.Verifier("svix", secret=vector["secret"])
    delivery = verifier.verify(body, vector["headers"], now=timestamp)
    assert (delivery.scheme, delivery.id) == ("standard-webhooks", "msg_loFOjxBNrRLzqYUf")
    signed = verifier.sign(body, timestamp=timestamp, id=delivery.id)
    assert signed == {
        "svix-signature": vector["expected"],
        "svix-timestamp": str(timestamp),
        "svix-id": delivery.id,
    }
    webhook = hooksig.Verifier("standard-webhooks", secret=vector["secret"])
    assert webhook.sign(body, timestamp=timestamp, id=delivery.id) == {
        name.replace("svix-", "webhook-"): value for name, value in signed.items()
    }


def test_svix_and_webhook_headers_together() -> None:
    """Both spellings present and equal verify; differing copies are malformed."""
    vector, body, timestamp = _vector("Svix (v1)")
    verifier = hooksig.Verifier("svix", secret=vector["secret"])
    both = {**vector["headers"]}
    both.update({name.replace("svix-", "webhook-"): v for name, v in vector["headers"].items()})
    assert verifier.verify(body, both, now=timestamp).key_id == "0"
    both["webhook-id"] = "msg_other"
    with pytest.raises(MalformedSignature):
        verifier.verify(body, both, now=timestamp)


def test_v1a_vector_verifies_with_the_public_key() -> None:
    """Svix's Ed25519 vector verifies with the whpk_ public key."""
    vector, body, timestamp = _vector("Svix (v1a, Ed25519)")
    verifier = hooksig.Verifier("standard-webhooks", public_key=_public_key(vector))
    delivery = verifier.verify(body, vector["headers"], now=timestamp)
    assert delivery.id == "msg_p5jXN8AQM9LWM0D4loKWxJek"


def test_v1a_vector_is_reproduced_byte_for_byte() -> None:
    """Signing with the whsk_ key reproduces the published v1a signature exactly."""
    vector, body, timestamp = _vector("Svix (v1a, Ed25519)")
    verifier = hooksig.Verifier("standard-webhooks", signing_key=vector["secret"])
    signed = verifier.sign(body, timestamp=timestamp, id="msg_p5jXN8AQM9LWM0D4loKWxJek")
    assert signed["webhook-signature"] == vector["expected"]
    assert verifier.verify(body, signed, now=timestamp).key_id == "0"


def test_whsk_public_half_matches_whpk() -> None:
    """The whsk_ key's public half is the published whpk_ key; both together load."""
    vector, body, timestamp = _vector("Svix (v1a, Ed25519)")
    public = base64.b64decode(_public_key(vector).removeprefix("whpk_"))
    assert base64.b64decode(vector["secret"].removeprefix("whsk_"))[32:] == public
    both = hooksig.Verifier(
        "standard-webhooks", signing_key=vector["secret"], public_key=_public_key(vector)
    )
    assert both.verify(body, vector["headers"], now=timestamp).key_id == "0"


def test_header_with_v1_and_v1a_verifies_with_either_key() -> None:
    """One header carrying v1 and v1a signatures of one message verifies with either key type."""
    hmac_vector, body, timestamp = _vector("Standard Webhooks")
    ed_vector, ed_body, ed_timestamp = _vector("Svix (v1a, Ed25519)")
    assert (body, timestamp) == (ed_body, ed_timestamp)
    headers = dict(hmac_vector["headers"])
    headers["webhook-signature"] = f"{hmac_vector['expected']} {ed_vector['expected']}"
    by_secret = hooksig.Verifier("standard-webhooks", secret=hmac_vector["secret"])
    by_key = hooksig.Verifier("standard-webhooks", public_key=_public_key(ed_vector))
    assert by_secret.verify(body, headers, now=timestamp).key_id == "0"
    assert by_key.verify(body, headers, now=timestamp).key_id == "0"
    reversed_order = {
        **headers,
        "webhook-signature": f"{ed_vector['expected']} {hmac_vector['expected']}",
    }
    assert by_key.verify(body, reversed_order, now=timestamp).key_id == "0"


def test_v1a_only_header_refused_by_a_secret() -> None:
    """A header with only a v1a signature cannot be verified with an HMAC secret."""
    hmac_vector, body, timestamp = _vector("Standard Webhooks")
    ed_vector, _, _ = _vector("Svix (v1a, Ed25519)")
    headers = {**hmac_vector["headers"], "webhook-signature": ed_vector["expected"]}
    with pytest.raises(InvalidSignature):
        hooksig.Verifier("standard-webhooks", secret=hmac_vector["secret"]).verify(
            body, headers, now=timestamp
        )


def test_unknown_versions_are_skipped() -> None:
    """Svix's example header 'v1,<good> v1,<other> v2,<x>' verifies on the good v1."""
    vector, body, timestamp = _vector("Standard Webhooks")
    other = base64.b64encode(b"\x00" * 32).decode()
    header = f"{vector['expected']} v1,{other} v2,MzJsNDk4MzI0K2VvdSMjMTEjQEBAQDEyMzMzMzEyMwo="
    headers = {**vector["headers"], "webhook-signature": header}
    verifier = hooksig.Verifier("standard-webhooks", secret=vector["secret"])
    assert verifier.verify(body, headers, now=timestamp).key_id == "0"


class TestKeyLoading:
    """Standard Webhooks key formats are checked at construction."""

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"public_key": "whsk_" + base64.b64encode(b"\x01" * 32).decode()},
            {"public_key": base64.b64encode(b"\x01" * 32).decode()},
            {"public_key": "whpk_not base64"},
            {"public_key": 12345},
            {"signing_key": "whpk_" + base64.b64encode(SEED).decode()},
            {"signing_key": "whsk_" + base64.b64encode(SEED + b"\x00" * 32).decode()},
            {"signing_key": "whsk_" + base64.b64encode(SEED + b"\x00" * 8).decode()},
            {"signing_key": "whsk_" + base64.b64encode(SEED[:16]).decode()},
            {"signing_key": SEED + b"\x00"},
            {"secret": SECRET, "public_key": SEED},
            {"secret": "whsec_not*base64"},
        ],
        ids=repr,
    )
    def test_bad_keys_are_refused(self, kwargs: dict[str, Any]) -> None:
        """Wrong prefixes, bad base64, wrong lengths, mismatched halves, secret + key: refused."""
        with pytest.raises(ConfigurationError):
            hooksig.Verifier("standard-webhooks", **kwargs)

    def test_sign_needs_the_signing_key(self) -> None:
        """A verifier built from the public key alone cannot sign."""
        vector, body, timestamp = _vector("Svix (v1a, Ed25519)")
        verifier = hooksig.Verifier("standard-webhooks", public_key=_public_key(vector))
        with pytest.raises(ConfigurationError, match="signing_key"):
            verifier.sign(body, timestamp=timestamp)

    def test_asymmetric_scheme_needs_a_key(self) -> None:
        """The Ed25519 variant alone refuses secrets and needs a key."""
        from hooksig.schemes.standard_webhooks import SCHEME

        asymmetric = SCHEME.asymmetric
        assert asymmetric is not None
        with pytest.raises(ConfigurationError, match="public keys"):
            asymmetric.load_keys([SECRET])
        with pytest.raises(ConfigurationError, match="public_key= or signing_key="):
            asymmetric.load_keys([])

    def test_hex_and_raw_key_formats(self) -> None:
        """An AsymmetricScheme with hex keys reads hex text; bytes are always raw."""
        scheme = hooksig.AsymmetricScheme(
            name="ed-hex",
            signature_header="X-Sig",
            public_key_format="hex",
            signing_key_format="hex",
        )
        signer = hooksig.Verifier(scheme, signing_key=SEED.hex())
        headers = signer.sign(b"body")
        public = signer.scheme.load_keys((), signing_key=SEED).verify_keys[0]
        assert public.kind == "ed25519"
        with pytest.raises(ConfigurationError):
            hooksig.Verifier(scheme, public_key="zz" * 32)
        assert signer.verify(b"body", headers).key_id == "0"
