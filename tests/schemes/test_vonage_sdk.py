"""Vonage against vonage-jwt, both ways, and the body hash the SDK does not check."""

from __future__ import annotations

import time

import pytest
from vonage_jwt.verify_jwt import verify_signature

from hooksig import InvalidSignature, Verifier
from tests.conftest import OTHER_SECRET, SECRET
from tests.schemes.test_vonage import BODY, _token, _verify


def test_the_sdk_accepts_hooksig_tokens() -> None:
    """vonage_jwt.verify_signature accepts the token hooksig signs, and refuses another secret's."""
    headers = Verifier("vonage", secret=SECRET).sign(BODY, timestamp=int(time.time()))
    token = headers["Authorization"].removeprefix("Bearer ")
    assert verify_signature(token, SECRET)
    assert not verify_signature(token, OTHER_SECRET)


def test_the_body_hash_is_checked_where_the_sdk_does_not() -> None:
    """The SDK checks only the token; hooksig refuses a body that does not match payload_hash."""
    token = _token()
    assert verify_signature(token, SECRET)  # the SDK would accept a swapped body
    with pytest.raises(InvalidSignature) as info:
        _verify(token, body=BODY.replace(b"delivered", b"rejected"))
    assert info.value.reason == "body_hash_mismatch"
