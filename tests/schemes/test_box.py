"""Box through the scheme contract: primary and secondary signatures, RFC 3339 timestamp."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MalformedSignature, Verifier
from tests.conftest import NOW, OTHER_SECRET, SECRET
from tests.schemes.contract import BODY, SchemeContract

STAMP = "2023-11-14T14:13:20-08:00"


class TestBox(SchemeContract):
    """Box: the contract (primary key signs; the body's id is the idempotency key)."""

    scheme = "box"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "body"


def _signature(key: str, stamp: str = STAMP) -> str:
    digest = hmac.new(key.encode(), BODY + stamp.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_either_key_verifies() -> None:
    """Primary and secondary signatures are both candidates; each key is tried on both."""
    verifier = Verifier("box", secrets=[SECRET, OTHER_SECRET])
    both = {
        "BOX-SIGNATURE-PRIMARY": _signature(SECRET),
        "BOX-SIGNATURE-SECONDARY": _signature(OTHER_SECRET),
        "BOX-DELIVERY-TIMESTAMP": STAMP,
    }
    assert verifier.verify(BODY, both, now=NOW).key_id == "0"
    # The primary key was rotated on Box's side: only the secondary still matches.
    rotated = {**both, "BOX-SIGNATURE-PRIMARY": _signature("a-new-primary-key-0123456789abcd")}
    assert verifier.verify(BODY, rotated, now=NOW).key_id == "1"
    secondary_only = {k: v for k, v in both.items() if k != "BOX-SIGNATURE-PRIMARY"}
    assert verifier.verify(BODY, secondary_only, now=NOW).key_id == "1"
    with pytest.raises(InvalidSignature):
        Verifier("box", secret="neither-key-0123456789abcdefghij").verify(BODY, both, now=NOW)


def test_malformed_secondary_is_refused() -> None:
    """A malformed secondary signature fails the delivery even if the primary matches."""
    headers = {
        "BOX-SIGNATURE-PRIMARY": _signature(SECRET),
        "BOX-SIGNATURE-SECONDARY": "not base64!",
        "BOX-DELIVERY-TIMESTAMP": STAMP,
    }
    with pytest.raises(MalformedSignature):
        Verifier("box", secret=SECRET).verify(BODY, headers, now=NOW)


def test_ten_minute_window() -> None:
    """Box refuses deliveries older than ten minutes."""
    headers = {"BOX-SIGNATURE-PRIMARY": _signature(SECRET), "BOX-DELIVERY-TIMESTAMP": STAMP}
    verifier = Verifier("box", secret=SECRET)
    assert verifier.verify(BODY, headers, now=NOW + 600).timestamp == NOW
    with pytest.raises(Exception, match="old"):
        verifier.verify(BODY, headers, now=NOW + 601)


def test_sign_sends_what_box_sends() -> None:
    """sign() writes the version, the algorithm, and one signature per configured key."""
    one = Verifier("box", secret=SECRET).sign(BODY, timestamp=NOW)
    assert sorted(one) == [
        "BOX-DELIVERY-TIMESTAMP",
        "BOX-SIGNATURE-ALGORITHM",
        "BOX-SIGNATURE-PRIMARY",
        "BOX-SIGNATURE-VERSION",
    ]
    assert (one["BOX-SIGNATURE-VERSION"], one["BOX-SIGNATURE-ALGORITHM"]) == ("1", "HmacSHA256")
    both = Verifier("box", secrets=[SECRET, OTHER_SECRET]).sign(BODY, timestamp=NOW)
    stamp = both["BOX-DELIVERY-TIMESTAMP"]
    assert both["BOX-SIGNATURE-PRIMARY"] == _signature(SECRET, stamp)
    assert both["BOX-SIGNATURE-SECONDARY"] == _signature(OTHER_SECRET, stamp)
