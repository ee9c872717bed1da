"""LINE against LINE's SDK (line-bot-sdk), both ways."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhook import SignatureValidator

from hooksig import InvalidSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.test_line import BODY


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """SignatureValidator and WebhookParser accept what hooksig signs, not a changed body."""
    signature = Verifier("line", secret=SECRET).sign(BODY)["x-line-signature"]
    assert SignatureValidator(SECRET).validate(BODY.decode(), signature)
    assert not SignatureValidator(SECRET).validate(BODY.decode() + " ", signature)
    with pytest.raises(InvalidSignatureError):
        WebhookParser(SECRET).parse(BODY.decode() + " ", signature)


def test_hooksig_accepts_signatures_the_sdk_accepts() -> None:
    """A signature LINE's validator accepts verifies with hooksig; a changed body does not."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    signature = base64.b64encode(digest).decode()
    assert SignatureValidator(SECRET).validate(BODY.decode(), signature)
    verifier = Verifier("line", secret=SECRET)
    assert verifier.verify(BODY, {"X-Line-Signature": signature}).body == BODY
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", {"X-Line-Signature": signature})
