"""
twilio-sha256 against twilio-python's own HMAC_SHA256 signer and validator, both ways.

twilio-python 9.13.0 (``twilio/request_validator.py``) is the first official SDK
that takes ``algorithm=HMAC_SHA256``; twilio-node 6.2.0 still hard-codes SHA-1, so
the cross-check is in Python.  Twilio publishes no fixed SHA-256 signature.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl

import pytest
from twilio.request_validator import (
    HMAC_SHA1,
    HMAC_SHA256,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)

from hooksig import InvalidSignature, MalformedSignature, PerCallUrl, Verifier, WebhookError
from tests.conftest import SECRET

URL = "https://example.com/hooks/twilio?account=1"
WITH_PORT = "https://example.com:443/hooks/twilio?account=1"
FORM = b"CallSid=CA123&From=%2B14158675309&To=%2B18005551212&Body=caf%C3%A9+%26+tea&Digits="
REPEATED = b"Tag=b&MessageSid=SM1&Tag=a&Tag=b"
JSON = b'{"id": "evt_sha256_1", "status": "delivered"}'
JSON_URL = f"{URL}&bodySHA256={hashlib.sha256(JSON).hexdigest()}"
# What Twilio sends beside a SharedKey signature; the key id is made up.
SETTINGS = {SIGNATURE_SETTINGS_HEADER: "key=webhooks_sharedkey_01hooksig,algorithm=HMAC_SHA256"}


class _MultiDict(dict[str, list[str]]):
    """The getlist() shape the SDK reads repeated form fields from (as Django's QueryDict)."""

    def getlist(self, name: str) -> list[str]:
        return self[name]


def _params(form: bytes) -> _MultiDict:
    params = _MultiDict()
    for name, value in parse_qsl(form.decode(), keep_blank_values=True):
        params.setdefault(name, []).append(value)
    return params


def _tampered(body: bytes) -> bytes:
    changed = bytearray(body)
    changed[len(changed) // 2] ^= 0x01
    return bytes(changed)


@pytest.fixture
def sdk() -> RequestValidator:
    """twilio-python's validator keyed with the SharedKey secret."""
    return RequestValidator(SECRET)


def test_sdk_reads_the_algorithm_from_the_settings_header() -> None:
    """The header is what selects SHA-256; without it the SDK falls back to SHA-1."""
    assert get_signature_algorithm(SETTINGS[SIGNATURE_SETTINGS_HEADER]) == HMAC_SHA256
    assert get_signature_algorithm(None) == HMAC_SHA1


@pytest.mark.parametrize("form", [FORM, REPEATED], ids=["form", "repeated"])
def test_hooksig_accepts_sdk_form_signatures(sdk: RequestValidator, form: bytes) -> None:
    """An SDK HMAC_SHA256 form signature verifies, with and without ``:443``."""
    signature = sdk.compute_signature(URL, _params(form), HMAC_SHA256)
    headers = {"X-Twilio-Signature": signature, **SETTINGS}
    verifier = Verifier("twilio-sha256", secret=SECRET, public_url=PerCallUrl())
    assert verifier.verify(form, headers, url=URL).key_id == "0"
    assert verifier.verify(form, headers, url=WITH_PORT).key_id == "0"
    public = Verifier("twilio-sha256", secret=SECRET, public_url="https://example.com")
    assert public.verify(form, headers, path="/hooks/twilio?account=1").key_id == "0"


def test_hooksig_accepts_sdk_json_signatures(sdk: RequestValidator) -> None:
    """An SDK HMAC_SHA256 signature of the bodySHA256 URL verifies the JSON body."""
    signature = sdk.compute_signature(JSON_URL, {}, HMAC_SHA256)
    headers = {"X-Twilio-Signature": signature, **SETTINGS}
    assert Verifier("twilio-sha256", secret=SECRET, public_url=PerCallUrl()).verify(
        JSON, headers, url=JSON_URL
    )


def test_sign_sends_the_settings_header_the_sdk_reads() -> None:
    """sign() names the algorithm as Twilio does, so the SDK picks SHA-256 from the headers."""
    verifier = Verifier("twilio-sha256", secret=SECRET, public_url=PerCallUrl())
    headers = verifier.sign(FORM, url=URL)
    assert get_signature_algorithm(headers[SIGNATURE_SETTINGS_HEADER]) == HMAC_SHA256
    sdk = RequestValidator(SECRET)
    algorithm = get_signature_algorithm(headers.get(SIGNATURE_SETTINGS_HEADER))
    assert sdk.validate(URL, _params(FORM), headers["X-Twilio-Signature"], algorithm)
    sha1 = Verifier("twilio", secret=SECRET, public_url=PerCallUrl()).sign(FORM, url=URL)
    assert SIGNATURE_SETTINGS_HEADER not in sha1


@pytest.mark.parametrize("form", [FORM, REPEATED], ids=["form", "repeated"])
def test_sdk_accepts_hooksig_form_signatures(sdk: RequestValidator, form: bytes) -> None:
    """What hooksig signs, the SDK validates under HMAC_SHA256, and not under SHA-1."""
    signature = Verifier("twilio-sha256", secret=SECRET, public_url=PerCallUrl()).sign(
        form, url=URL
    )["X-Twilio-Signature"]
    assert sdk.validate(URL, _params(form), signature, HMAC_SHA256)
    assert sdk.validate(WITH_PORT, _params(form), signature, HMAC_SHA256)
    assert not sdk.validate(URL, _params(form), signature, HMAC_SHA1)


def test_sdk_accepts_hooksig_json_signatures(sdk: RequestValidator) -> None:
    """The SDK checks both bodySHA256 and the SHA-256 signature hooksig made."""
    headers = Verifier("twilio-sha256", secret=SECRET, public_url=PerCallUrl()).sign(
        JSON, url=JSON_URL
    )
    assert sdk.validate(JSON_URL, JSON.decode(), headers["X-Twilio-Signature"], HMAC_SHA256)


def test_tampered_form_is_refused_by_both(sdk: RequestValidator) -> None:
    """One changed byte of the form fails hooksig and the SDK alike."""
    signature = sdk.compute_signature(URL, _params(FORM), HMAC_SHA256)
    headers = {"X-Twilio-Signature": signature, **SETTINGS}
    with pytest.raises(WebhookError):
        Verifier("twilio-sha256", secret=SECRET, public_url=PerCallUrl()).verify(
            _tampered(FORM), headers, url=URL
        )
    assert not sdk.validate(URL, _params(_tampered(FORM)), signature, HMAC_SHA256)


def test_tampered_json_is_refused_by_both(sdk: RequestValidator) -> None:
    """A changed JSON body no longer matches bodySHA256, for hooksig and the SDK."""
    signature = sdk.compute_signature(JSON_URL, {}, HMAC_SHA256)
    headers = {"X-Twilio-Signature": signature, **SETTINGS}
    with pytest.raises(InvalidSignature) as info:
        Verifier("twilio-sha256", secret=SECRET, public_url=PerCallUrl()).verify(
            _tampered(JSON), headers, url=JSON_URL
        )
    assert info.value.reason == "body_hash_mismatch"
    assert not sdk.validate(JSON_URL, _tampered(JSON).decode(), signature, HMAC_SHA256)


def test_sdk_sha1_signature_is_not_a_sha256_one(sdk: RequestValidator) -> None:
    """An Auth-Token SHA-1 signature from the SDK is refused by twilio-sha256."""
    signature = sdk.compute_signature(URL, _params(FORM), HMAC_SHA1)
    with pytest.raises(MalformedSignature):  # 20 bytes where 32 are expected
        Verifier("twilio-sha256", secret=SECRET, public_url=PerCallUrl()).verify(
            FORM, {"X-Twilio-Signature": signature}, url=URL
        )
