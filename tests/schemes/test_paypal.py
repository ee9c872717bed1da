"""
PayPal: the genuine sandbox delivery over a real HTTPS server, the chain to DigiCert, and impostors.

The published vector (tests/vectors/providers/official/paypal.json) runs in
test_official_vectors.py.  Here the certificate is fetched, its chain and
names are enforced, and the contract suite runs with an injected key source.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

import hooksig
from hooksig import ConfigurationError, InvalidSignature, MalformedSignature, Verifier
from hooksig.keysource import KeySource
from hooksig.schemes import paypal
from tests.keyserver import KeyServer, Route, key_server
from tests.schemes.contract import SchemeContract
from tests.schemes.fetching import OTHER_RSA_PEM, RSA_PEM, Recorder, certificate, private
from tests.vectors import load_vectors

(GENUINE,) = load_vectors("providers/official/paypal.json")
((CERT_URL, LEAF),) = GENUINE["public_key"].items()
WEBHOOK_ID = GENUINE["settings"]["webhook_ids"][0]
THEN = dt.datetime(2016, 1, 1, tzinfo=dt.timezone.utc).timestamp()


def _scheme(**settings: Any) -> Any:
    return hooksig.schemes.configure("paypal", webhook_ids=(WEBHOOK_ID,), **settings)


@pytest.fixture(scope="module")
def server() -> Iterator[KeyServer]:
    """A real HTTPS server standing in for api.sandbox.paypal.com."""
    with key_server() as running:
        yield running


def test_the_genuine_delivery_verifies_with_its_certificate_fetched_over_https(
    server: KeyServer,
) -> None:
    """The sandbox certificate, served over TLS, chains to DigiCert at 2015: it verifies."""
    server.routes["/v1/notifications/certs/CERT-genuine"] = Route(LEAF.encode())
    rule = server.rule(path=r"/v1/notifications/certs/[A-Za-z0-9\-]+")  # tests only
    verifier = Verifier(_scheme(key_rule=rule), public_key=KeySource(fetch=server.fetch()))
    headers = {
        **GENUINE["headers"],
        "PAYPAL-CERT-URL": server.url("/v1/notifications/certs/CERT-genuine"),
    }
    delivery = verifier.verify(GENUINE["body"].encode(), headers, now=GENUINE["now"])
    assert delivery.id == "WH-0G2756385H040842W-5Y612302CV158622M"
    assert len(server.seen) == 1


def test_the_genuine_certificate_expires() -> None:
    """At 2018 the 2015 sandbox certificate has expired (the window is off to show it)."""
    verifier = Verifier(_scheme(), public_key={CERT_URL: LEAF}, tolerance=math.inf)
    at = dt.datetime(2018, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    with pytest.raises(InvalidSignature) as info:
        verifier.verify(GENUINE["body"].encode(), GENUINE["headers"], now=at)
    assert info.value.reason == "certificate_expired"


def _impostor(subject: str, dns: tuple[str, ...]) -> bytes:
    """A certificate for PayPal's name, issued by a CA of our own."""
    ca = private(OTHER_RSA_PEM)
    return certificate(private(RSA_PEM), subject=subject, dns_names=dns, issuer=("Impostor CA", ca))


@pytest.mark.parametrize(
    "leaf",
    [
        _impostor("messageverificationcerts.paypal.com", ("messageverificationcerts.paypal.com",)),
        certificate(private(RSA_PEM), subject="messageverificationcerts.paypal.com"),
    ],
    ids=["our-ca", "self-signed"],
)
def test_a_certificate_not_chaining_to_digicert_is_refused(leaf: bytes) -> None:
    """The right name on the wrong chain is an impostor: refused even though it signed correctly."""
    scheme = _scheme()
    headers = scheme.sign(
        Verifier(scheme, signing_key=RSA_PEM)._keys,
        hooksig.Request(b"{}", hooksig.Headers()),
        timestamp=int(THEN),
        id="t-1",
    )
    verifier = Verifier(scheme, public_key={paypal.TEST_CERTIFICATE_URL: leaf})
    with pytest.raises(InvalidSignature) as info:
        verifier.verify(b"{}", headers, now=THEN)
    assert info.value.reason == "untrusted_chain"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PAYPAL-CERT-URL", "http://api.paypal.com/v1/notifications/certs/CERT-1"),
        ("PAYPAL-CERT-URL", "https://api.paypal.com.evil.com/v1/notifications/certs/CERT-1"),
        ("PAYPAL-CERT-URL", "https://evil.example/v1/notifications/certs/CERT-1"),
        ("PAYPAL-CERT-URL", "https://api.paypal.com/v1/oauth2/token"),
        ("PAYPAL-AUTH-ALGO", "SHA1withRSA"),
        ("PAYPAL-TRANSMISSION-TIME", "yesterday"),
    ],
)
def test_hostile_headers_end_before_any_fetch(name: str, value: str) -> None:
    """Another host, http, another path, another algorithm: typed refusals, no request sent."""
    recorder = Recorder()
    verifier = Verifier(_scheme(), public_key=recorder.source())
    with pytest.raises(MalformedSignature):
        verifier.verify(
            GENUINE["body"].encode(), {**GENUINE["headers"], name: value}, now=GENUINE["now"]
        )
    assert recorder.calls == []


def test_another_listeners_webhook_id_does_not_verify() -> None:
    """The webhook id is signed: a delivery for another listener is refused."""
    verifier = Verifier(
        hooksig.schemes.configure("paypal", webhook_ids=("OTHERLISTENER1",)),
        public_key={CERT_URL: LEAF},
    )
    with pytest.raises(InvalidSignature):
        verifier.verify(GENUINE["body"].encode(), GENUINE["headers"], now=GENUINE["now"])


def test_a_webhook_id_is_required() -> None:
    """Without webhook_ids (and not signing for tests) the verifier cannot be built."""
    with pytest.raises(ConfigurationError, match="webhook id"):
        Verifier("paypal")


def test_crc32_is_what_binds_the_body() -> None:
    """PayPal signs the body's CRC-32: the scheme says so (see the provider page's note)."""
    scheme = hooksig.schemes.get("paypal")
    assert scheme.signed_body_part(b"abc") == "891568578"


class TestPayPalContract(SchemeContract):
    """PayPal through the contract, its certificate served by an injected KeySource."""

    scheme = "paypal"
    signs_timestamp = True
    id_source = "body"

    def verifier(self, **overrides: Any) -> Verifier:
        """The test certificate comes from an injected KeySource that makes no request."""
        keys = {**self.keys, **overrides}
        if "signing_key" in keys and "public_key" not in keys:
            made, _ = _scheme()._test_certificates(private(keys["signing_key"]))
            keys["public_key"] = KeySource(fetch=Recorder(dict(made._documents)))
        return Verifier(_scheme(), clock=lambda: 1_700_000_000.0, **keys)

    keys: ClassVar = {"signing_key": RSA_PEM}
    other_keys: ClassVar = {"signing_key": OTHER_RSA_PEM}

    def test_round_trip(self) -> None:
        """The key that verified is the certificate's URL."""
        delivery = self.verify(self.sign())
        assert delivery.key_id == paypal.TEST_CERTIFICATE_URL
        assert delivery.timestamp == 1_700_000_000

    def test_round_trip_header_shapes(self) -> None:
        """Header names are case-insensitive."""
        headers = self.sign()
        assert self.verify({k.lower(): v for k, v in headers.items()}).body == self.body

    def test_wrong_key(self) -> None:
        """Signed by another key with its own (equally trusted test) certificate: refused."""
        with pytest.raises(InvalidSignature):
            self.verify(self.sign(self.verifier(signing_key=OTHER_RSA_PEM)))
