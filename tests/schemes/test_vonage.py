"""Vonage: HS256 tokens against vonage-jwt (both ways), the body's hash, and hostile tokens."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

import jwt as pyjwt
import pytest

from hooksig import InvalidSignature, MalformedSignature, TimestampOutOfTolerance, Verifier
from tests.conftest import OTHER_SECRET, SECRET
from tests.schemes.contract import SchemeContract

BODY = b'{"message_uuid": "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab", "status": "delivered"}'
NOW = 1_700_000_000


def _token(secret: str = SECRET, **claims: Any) -> str:
    payload = {
        "iat": NOW,
        "jti": "c0ffee00-1111-2222-3333-444455556666",
        "api_key": "abcd1234",
        "application_id": "aaaaaaaa-0000-4000-8000-000000000000",
        "payload_hash": hashlib.sha256(BODY).hexdigest(),
        **claims,
    }
    return pyjwt.encode(
        {k: v for k, v in payload.items() if v is not None}, secret, algorithm="HS256"
    )


def _verify(token: str, body: bytes = BODY) -> Any:
    return Verifier("vonage", secret=SECRET).verify(
        body, {"Authorization": f"Bearer {token}"}, now=NOW
    )


def test_hooksig_accepts_tokens_signed_as_vonage_signs_them() -> None:
    """An HS256 token with Vonage's claims verifies; the jti is the delivery id."""
    delivery = _verify(_token())
    assert delivery.id == "c0ffee00-1111-2222-3333-444455556666"
    assert delivery.timestamp == NOW


def test_an_empty_body_may_carry_no_hash() -> None:
    """Without a body (a GET callback), payload_hash may be absent; with one, it must be there."""
    token = _token(payload_hash=None)
    assert Verifier("vonage", secret=SECRET).verify(
        b"", {"Authorization": f"Bearer {token}"}, now=NOW
    )
    with pytest.raises(MalformedSignature):
        _verify(token)


@pytest.mark.parametrize(
    ("token", "error"),
    [
        (pyjwt.encode({"iat": NOW}, SECRET * 2, algorithm="HS512"), MalformedSignature),
        (_token(secret=OTHER_SECRET), InvalidSignature),
        (_token(iat=NOW - 301), TimestampOutOfTolerance),
        (_token(iat=None), MalformedSignature),
        (_token(iat="yesterday"), MalformedSignature),
    ],
    ids=["hs512", "other-secret", "replayed", "no-iat", "text-iat"],
)
def test_hostile_tokens(token: str, error: type[Exception]) -> None:
    """Another algorithm, another secret, an old or undated token: typed refusals."""
    with pytest.raises(error):
        _verify(token)


class TestVonageContract(SchemeContract):
    """Vonage through the contract."""

    scheme = "vonage"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "derived"

    def signature_headers(self) -> set[str]:
        """The token."""
        return {"Authorization"}

    def tamper_signature(self, headers: Any) -> dict[str, str]:
        """Change the first character of the token's signature."""
        value = headers["Authorization"]
        first = value.rindex(".") + 1
        swapped = "A" if value[first] != "A" else "B"
        return {**headers, "Authorization": value[:first] + swapped + value[first + 1 :]}

    def tamper_timestamp(self, headers: Any) -> dict[str, str]:
        """A token re-signed with another key cannot stand in: move iat inside the old signature."""
        import base64
        import json

        head, claims, signature = headers["Authorization"].removeprefix("Bearer ").split(".")
        moved = json.loads(base64.urlsafe_b64decode(claims + "=="))
        moved["iat"] += 1
        text = base64.urlsafe_b64encode(json.dumps(moved).encode()).rstrip(b"=").decode()
        return {"Authorization": f"Bearer {head}.{text}.{signature}"}

    def test_round_trip(self) -> None:
        """The id signed (as the token's jti) is the delivery id; the timestamp its iat."""
        delivery = self.verify(self.sign())
        assert (delivery.id, delivery.timestamp, delivery.key_id) == (
            "msg_contract_1",
            1_700_000_000,
            "0",
        )
