"""EasyPost against the easypost SDK's validate_webhook, both ways."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

import pytest
from easypost.errors import SignatureVerificationError
from easypost.util import validate_webhook

from hooksig import InvalidSignature, Verifier
from tests.schemes.test_easypost import BODY, SECRET


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
