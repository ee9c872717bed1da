"""Twilio against the twilio SDK's RequestValidator, both ways."""

from __future__ import annotations

import hashlib

import pytest
from twilio.request_validator import HMAC_SHA256, RequestValidator

from hooksig import InvalidSignature, PerCallUrl, Verifier
from tests.conftest import SECRET
from tests.schemes.test_twilio import FORM, JSON, JSON_URL, URL


def test_repeated_body_hash_is_refused() -> None:
    """Two bodySHA256 parameters are never accepted."""
    url = JSON_URL + "&bodySHA256=" + hashlib.sha256(JSON).hexdigest()
    headers = {"X-Twilio-Signature": RequestValidator(SECRET).compute_signature(url, {})}
    with pytest.raises(InvalidSignature):
        Verifier("twilio", secret=SECRET, public_url=PerCallUrl()).verify(JSON, headers, url=url)


def test_twilio_sdk_accepts_hooksig_signatures() -> None:
    """twilio's RequestValidator validates what hooksig signs, form and JSON."""
    sdk = RequestValidator(SECRET)
    form = Verifier("twilio", secret=SECRET, public_url=PerCallUrl()).sign(FORM, url=URL)
    params = {"CallSid": "CA123", "From": "+14158675309", "To": "+18005551212"}
    params |= {"Body": "caf\u00e9 & tea", "Digits": ""}
    assert sdk.validate(URL, params, form["X-Twilio-Signature"])
    json_headers = Verifier("twilio", secret=SECRET, public_url=PerCallUrl()).sign(
        JSON, url=JSON_URL
    )
    assert sdk.validate(JSON_URL, JSON.decode(), json_headers["X-Twilio-Signature"])


def test_hooksig_accepts_twilio_sdk_signatures() -> None:
    """Signatures twilio's RequestValidator computes verify with hooksig, ports toggled too."""
    sdk = RequestValidator(SECRET)
    params = {"CallSid": "CA123", "From": "+14158675309", "To": "+18005551212"}
    params |= {"Body": "caf\u00e9 & tea", "Digits": ""}
    signature = sdk.compute_signature(URL, params)
    verifier = Verifier("twilio", secret=SECRET, public_url=PerCallUrl())
    assert verifier.verify(FORM, {"X-Twilio-Signature": signature}, url=URL).key_id == "0"
    with_port = "https://example.com:443/hooks/twilio?account=1"
    assert verifier.verify(FORM, {"X-Twilio-Signature": signature}, url=with_port)
    json_signature = sdk.compute_signature(JSON_URL, {})
    assert verifier.verify(JSON, {"X-Twilio-Signature": json_signature}, url=JSON_URL)


@pytest.mark.parametrize(("name", "algorithm"), [("twilio", None), ("twilio-sha256", HMAC_SHA256)])
def test_callback_on_another_port_signed_without_it_verifies(name: str, algorithm: str) -> None:
    """A callback on :8443 that Twilio signed without the port verifies, as the SDKs allow."""
    params = {"CallSid": "CA123", "From": "+14158675309", "To": "+18005551212"}
    params |= {"Body": "caf\u00e9 & tea", "Digits": ""}
    sdk = RequestValidator(SECRET)
    on_port = "https://example.com:8443/hooks/twilio?account=1"
    for signed_url in (URL, on_port):  # Twilio signed it without the port, or with it
        signature = sdk.compute_signature(signed_url, params, algorithm)
        assert sdk.validate(on_port, params, signature, algorithm)
        headers = {"X-Twilio-Signature": signature}
        verifier = Verifier(name, secret=SECRET, public_url="https://example.com:8443")
        assert verifier.verify(FORM, headers, path="/hooks/twilio?account=1").key_id == "0"
    # Another port is another URL: only the configured port and none are tried.
    other = sdk.compute_signature("https://example.com:9000/hooks/twilio?account=1", params)
    with pytest.raises(InvalidSignature):
        Verifier("twilio", secret=SECRET, public_url=PerCallUrl()).verify(
            FORM, {"X-Twilio-Signature": other}, url=on_port
        )
