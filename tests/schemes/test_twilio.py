"""Twilio through the contract (form, JSON, HMAC-SHA256) and its five vectors (SDK: *_sdk.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import ClassVar

import pytest

from hooksig import (
    ConfigurationError,
    InvalidSignature,
    MalformedSignature,
    PerCallUrl,
    Verifier,
)
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract
from tests.vectors import provider_vector

URL = "https://example.com/hooks/twilio?account=1"
FORM = b"CallSid=CA123&From=%2B14158675309&To=%2B18005551212&Body=caf%C3%A9+%26+tea&Digits="
JSON = b'{"id": "evt_contract_1", "status": "delivered"}'
JSON_URL = f"{URL}&bodySHA256={hashlib.sha256(JSON).hexdigest()}"

# The twilio-python vectors use the 5-character token "12345".
short_token = pytest.mark.filterwarnings("ignore::hooksig.InsecureKeyWarning")


class TestTwilioForm(SchemeContract):
    """Twilio, form-encoded parameters, URL given per request."""

    scheme = "twilio"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "header"
    body = FORM
    options: ClassVar = {"public_url": PerCallUrl()}
    request: ClassVar = {"url": URL}


class TestTwilioPublicUrl(TestTwilioForm):
    """Twilio, the URL built from public_url= and the request path."""

    options: ClassVar = {"public_url": "https://example.com"}
    request: ClassVar = {"path": "/hooks/twilio?account=1"}


class TestTwilioJson(SchemeContract):
    """Twilio, a JSON body authenticated through bodySHA256 in the signed URL."""

    scheme = "twilio"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "header"
    body = JSON
    options: ClassVar = {"public_url": PerCallUrl()}
    request: ClassVar = {"url": JSON_URL}

    def signature_headers(self) -> set[str]:
        """The body's hash is in the URL, so only the one signature header changes."""
        return {"X-Twilio-Signature"}

    def tamper_signature(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Replace the first base64 character by another."""
        value = headers["X-Twilio-Signature"]
        return {**headers, "X-Twilio-Signature": ("B" if value[0] == "A" else "A") + value[1:]}

    def test_tampered_body(self) -> None:
        """A changed JSON body no longer matches bodySHA256: InvalidSignature."""
        with pytest.raises(InvalidSignature) as info:
            self.verify(self.sign(), body=self.tamper_body(self.body))
        assert info.value.reason == "body_hash_mismatch"


class TestTwilioSha256(TestTwilioForm):
    """Twilio's HMAC-SHA256 shared-key variant: same content, another hash."""

    scheme = "twilio-sha256"


@short_token
@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("Twilio (form)", None),
        ("Twilio (form)", "https://mycompany.com:443/myapp.php?foo=1&bar=2"),
        ("Twilio (form, repeated params)", None),
        ("Twilio (form, explicit port)", None),
        ("Twilio (form, explicit port)", "https://mycompany.com/myapp.php?foo=1&bar=2"),
        ("Twilio (JSON, bodySHA256 URL signature)", None),
    ],
)
def test_published_vectors(name: str, url: str | None) -> None:
    """The twilio-python vectors verify, with and without the default port."""
    vector = provider_vector(name)
    verifier = Verifier("twilio", secret=vector["secret"], public_url=PerCallUrl())
    delivery = verifier.verify(vector["body"].encode(), vector["headers"], url=url or vector["url"])
    assert delivery.key_id == "0"


def test_body_hash_vector() -> None:
    """bodySHA256 is the hex SHA-256 of the raw body (twilio-python's compute_hash)."""
    vector = provider_vector("Twilio (JSON bodySHA256 hash)")
    assert hashlib.sha256(vector["body"].encode()).hexdigest() == vector["expected"]


@short_token
def test_params_given_by_the_adapter() -> None:
    """params= from the framework replaces parsing the body."""
    vector = provider_vector("Twilio (form)")
    params = {
        "CallSid": ["CA1234567890ABCDE"],
        "Caller": ["+14158675309"],
        "Digits": ["1234"],
        "From": ["+14158675309"],
        "To": ["+18005551212"],
    }
    verifier = Verifier("twilio", secret=vector["secret"], public_url=PerCallUrl())
    assert verifier.verify(b"", vector["headers"], url=vector["url"], params=params).key_id == "0"


def test_sha1_and_sha256_are_not_interchangeable() -> None:
    """The algorithm is configuration: a SHA-256 signature fails the SHA-1 scheme and back."""
    sha256 = Verifier("twilio-sha256", secret=SECRET, public_url=PerCallUrl()).sign(FORM, url=URL)
    with pytest.raises(MalformedSignature):  # 32 bytes where 20 are expected
        Verifier("twilio", secret=SECRET, public_url=PerCallUrl()).verify(FORM, sha256, url=URL)
    sha1 = Verifier("twilio", secret=SECRET, public_url=PerCallUrl()).sign(FORM, url=URL)
    with pytest.raises(MalformedSignature):
        Verifier("twilio-sha256", secret=SECRET, public_url=PerCallUrl()).verify(
            FORM, sha1, url=URL
        )
    settings = {**sha1, "X-Twilio-Webhooks-Signature-Settings": "key=,algorithm=HMAC_SHA256"}
    assert (
        Verifier("twilio", secret=SECRET, public_url=PerCallUrl())
        .verify(FORM, settings, url=URL)
        .key_id
        == "0"
    )


@pytest.mark.parametrize(
    "body", [b"a=1&&b", b"\xff=1", b"=", b"a=%zz&b=%C3", b"&".join([b"a=1"] * 1001)]
)
def test_malformed_form_is_malformed(body: bytes) -> None:
    """A form body that does not parse strictly is MalformedSignature, never another error."""
    headers = {"X-Twilio-Signature": "A" * 27 + "="}
    with pytest.raises((MalformedSignature, InvalidSignature)):
        Verifier("twilio", secret=SECRET, public_url=PerCallUrl()).verify(body, headers, url=URL)


def test_missing_url_is_a_configuration_error() -> None:
    """Without url= or public_url= the scheme cannot know what was signed."""
    headers = Verifier("twilio", secret=SECRET, public_url=PerCallUrl()).sign(FORM, url=URL)
    with pytest.raises(ConfigurationError):
        Verifier("twilio", secret=SECRET, public_url=PerCallUrl()).verify(FORM, headers)
