"""Linear through the scheme contract: the timestamp is the body's webhookTimestamp (ms)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MalformedSignature, MissingSignature, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import SchemeContract


def _body(milliseconds: int) -> bytes:
    return json.dumps(
        {"action": "create", "type": "Issue", "webhookTimestamp": milliseconds, "data": {}}
    ).encode()


BODY = _body(NOW * 1000)


class TestLinear(SchemeContract):
    """Linear: the contract."""

    scheme = "linear"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "header"
    body = BODY

    def tamper_body(self, body: bytes) -> bytes:
        """Change a letter inside the JSON, keeping it JSON (the timestamp must stay readable)."""
        return body.replace(b"create", b"crEate")

    def test_timestamp(self) -> None:
        """The timestamp is in the signed body: moving it breaks the signature."""
        headers = self.sign()
        moved = _body(NOW * 1000 + 1000)
        with pytest.raises(InvalidSignature):
            self.verify(headers, body=moved)


def test_recipe_recomputed_independently() -> None:
    """Linear-Signature is hex(HMAC-SHA256(secret, body)); the window is 60 s."""
    signature = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    verifier = Verifier("linear", secret=SECRET)
    delivery = verifier.verify(BODY, {"Linear-Signature": signature}, now=NOW + 60)
    assert delivery.timestamp == NOW
    with pytest.raises(Exception, match="old"):
        verifier.verify(BODY, {"Linear-Signature": signature}, now=NOW + 61)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"action": "create"}', MissingSignature),
        (b'{"webhookTimestamp": "12.5"}', MalformedSignature),
        (b'{"webhookTimestamp": true}', MalformedSignature),
        (b'{"webhookTimestamp": 1.5e12}', MalformedSignature),
        (b'{"webhookTimestamp": 1, "webhookTimestamp": 2}', MalformedSignature),
        (b"not json", MalformedSignature),
        (b"[" * 100_000, MalformedSignature),
    ],
)
def test_bad_body_timestamps(body: bytes, error: type[Exception]) -> None:
    """A missing, non-integer or repeated webhookTimestamp, or a non-JSON body, is refused."""
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    with pytest.raises(error):
        Verifier("linear", secret=SECRET).verify(body, {"Linear-Signature": signature}, now=NOW)
