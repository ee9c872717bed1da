"""LINE through the scheme contract (vector: official/; line-bot-sdk: test_line_sdk.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

from hooksig import Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

BODY = (
    b'{"destination":"U1","events":[{"type":"message",'
    b'"webhookEventId":"01H","message":{"type":"text","text":"caf\xc3\xa9"}}]}'
)


class TestLine(SchemeContract):
    """LINE through the scheme contract: body only, no timestamp, no id."""

    scheme = "line"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """x-line-signature is base64(HMAC-SHA256(channel secret, body))."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    headers = {"x-line-signature": base64.b64encode(digest).decode()}
    assert Verifier("line", secret=SECRET).verify(BODY, headers).key_id == "0"
