"""EasyPost: the contract, NFKD secrets, and easypost's validate_webhook both ways."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from typing import ClassVar

import pytest
from easypost.errors import SignatureVerificationError
from easypost.util import validate_webhook

from hooksig import InvalidSignature, Verifier
from tests.schemes.contract import SchemeContract

SECRET = "s\u00e9cret-webhook-key-0123456789"
BODY = b'{"id":"evt_1","object":"Event","description":"tracker.updated"}'


class TestEasyPost(SchemeContract):
    """EasyPost through the contract: hmac-sha256-hex=<hex>, the event id in the body."""

    scheme = "easypost"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "body"
    body = BODY
    body_id = "evt_1"


def test_composed_and_decomposed_secrets_are_one_key() -> None:
    """é as one code point or as e + U+0301 gives the same NFKD key."""
    key = unicodedata.normalize("NFKD", SECRET).encode()
    header = {
        "X-Hmac-Signature": "hmac-sha256-hex=" + hmac.new(key, BODY, hashlib.sha256).hexdigest()
    }
    for secret in (SECRET, unicodedata.normalize("NFD", SECRET)):
        assert Verifier("easypost", secret=secret).verify(BODY, header).id == "evt_1"


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """validate_webhook accepts what hooksig signs and refuses a changed body."""
    headers = Verifier("easypost", secret=SECRET).sign(BODY)
    assert validate_webhook(BODY, headers, SECRET)["id"] == "evt_1"
    with pytest.raises(SignatureVerificationError):
        validate_webhook(BODY.replace(b"evt_1", b"evt_2"), headers, SECRET)


def test_hooksig_accepts_what_the_sdk_accepts() -> None:
    """A header validate_webhook accepts verifies with hooksig; a changed body does not."""
    key = unicodedata.normalize("NFKD", SECRET).encode()
    headers = {
        "X-Hmac-Signature": "hmac-sha256-hex=" + hmac.new(key, BODY, hashlib.sha256).hexdigest()
    }
    assert validate_webhook(BODY, headers, SECRET)["id"] == "evt_1"
    verifier = Verifier("easypost", secret=SECRET)
    assert verifier.verify(BODY, headers).key_id == "0"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", headers)
