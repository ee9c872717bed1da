"""Telegram: the secret token header through the token contract; the body is not signed."""

from __future__ import annotations

from typing import ClassVar

import pytest

from hooksig import InvalidSignature, Verifier
from tests.schemes.contract import TokenContract

TOKEN = "Tg_secret-token_0123456789abcdefXYZ"
BODY = b'{"update_id":812345678,"message":{"message_id":1,"text":"hi"}}'


class TestTelegram(TokenContract):
    """Telegram X-Telegram-Bot-Api-Secret-Token; update_id from the body is the id."""

    scheme = "telegram"
    token_header = "X-Telegram-Bot-Api-Secret-Token"
    keys: ClassVar = {"secret": TOKEN}
    signs_timestamp = False
    id_source = "body"
    body = BODY
    body_id = "812345678"


def test_header_carries_the_secret_token() -> None:
    """The header is compared with the secret_token exactly; the update_id is the id."""
    verifier = Verifier("telegram", secret=TOKEN)
    headers = {"X-Telegram-Bot-Api-Secret-Token": TOKEN}
    assert verifier.verify(BODY, headers).id == "812345678"
    for wrong in (TOKEN[:-1], TOKEN + "x", TOKEN.lower()):
        with pytest.raises(InvalidSignature):
            verifier.verify(BODY, {"X-Telegram-Bot-Api-Secret-Token": wrong})
