"""GoCardless against gocardless-pro's parse_with_meta, both ways."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from gocardless_pro.errors import InvalidSignatureError
from gocardless_pro.webhooks import parse_with_meta

from hooksig import InvalidSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.test_gocardless import BODY


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """parse_with_meta accepts what hooksig signs and reports the same webhook id."""
    signature = Verifier("gocardless", secret=SECRET).sign(BODY)["Webhook-Signature"]
    assert parse_with_meta(BODY, SECRET, signature).webhook_id == "WB1"
    with pytest.raises(InvalidSignatureError):
        parse_with_meta(BODY.replace(b"EV1", b"EV2"), SECRET, signature)


def test_hooksig_accepts_what_the_sdk_accepts() -> None:
    """A signature the SDK accepts verifies with hooksig; a changed body does not."""
    signature = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert parse_with_meta(BODY, SECRET, signature).webhook_id == "WB1"
    verifier = Verifier("gocardless", secret=SECRET)
    assert verifier.verify(BODY, {"Webhook-Signature": signature}).id == "WB1"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", {"Webhook-Signature": signature})
