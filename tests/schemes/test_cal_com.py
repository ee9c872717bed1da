"""Cal.com: the contract, a recomputation from Cal.com's source, its no-secret sentinel."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MalformedSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

BODY = (
    b'{"triggerEvent":"BOOKING_CREATED","createdAt":"2024-01-01T00:00:00Z","payload":{"uid":"b1"}}'
)


class TestCalCom(SchemeContract):
    """Cal.com through the scheme contract: hex HMAC-SHA256 of the body."""

    scheme = "cal-com"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """X-Cal-Signature-256 is hex HMAC-SHA256(secret, body), JSON or form body alike."""
    verifier = Verifier("cal-com", secret=SECRET)
    for body in (BODY, b"title=Meeting&uid=b1"):
        digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert verifier.verify(body, {"X-Cal-Signature-256": digest}).body == body
        with pytest.raises(InvalidSignature):
            verifier.verify(body + b" ", {"X-Cal-Signature-256": digest})


def test_no_secret_sentinel_is_refused() -> None:
    """A webhook without a secret sends "no-secret-provided": never accepted."""
    with pytest.raises(MalformedSignature):
        Verifier("cal-com", secret=SECRET).verify(
            BODY, {"X-Cal-Signature-256": "no-secret-provided"}
        )
