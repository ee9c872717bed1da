"""Recurly: the contract and Recurly's spec vector (official/); rotation sends two signatures."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MalformedSignature, TimestampOutOfTolerance, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import SchemeContract

BODY = b'{"id":"rjxwmwedwqug","object_type":"account","event_type":"created"}'


class TestRecurly(SchemeContract):
    """Recurly through the contract: <ms>,<hex>, the event id in the body."""

    scheme = "recurly"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "body"
    body = BODY
    body_id = "rjxwmwedwqug"


def _sig(secret: str, stamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()


def test_two_signatures_during_rotation() -> None:
    """<ms>,<old>,<new>: either secret verifies, at the right time only."""
    stamp = f"{NOW}004"
    other = "recurly-old-secret-0123456789abcd"
    header = f"{stamp},{_sig(other, stamp, BODY)},{_sig(SECRET, stamp, BODY)}"
    for secret in (SECRET, other):
        verifier = Verifier("recurly", secret=secret)
        assert verifier.verify(BODY, {"recurly-signature": header}, now=NOW).id == "rjxwmwedwqug"
        with pytest.raises(TimestampOutOfTolerance):
            verifier.verify(BODY, {"recurly-signature": header}, now=NOW + 301)
    with pytest.raises(InvalidSignature):
        Verifier("recurly", secret=SECRET).verify(
            BODY + b" ", {"recurly-signature": header}, now=NOW
        )


@pytest.mark.parametrize("value", [f"{NOW}000", f"{NOW}000,", f"{NOW}000,,abc", ",abc", "x,ab"])
def test_malformed_lists(value: str) -> None:
    """No signature, an empty item or a bad timestamp is malformed."""
    with pytest.raises(MalformedSignature):
        Verifier("recurly", secret=SECRET).verify(BODY, {"recurly-signature": value}, now=NOW)


def test_junk_beside_a_good_signature_is_refused_strictly() -> None:
    """Recurly's test accepts "de1ec7ab1e" beside a good one; hooksig refuses it (documented)."""
    stamp = f"{NOW}000"
    header = f"{stamp},de1ec7ab1e,{_sig(SECRET, stamp, BODY)}"
    with pytest.raises(MalformedSignature):
        Verifier("recurly", secret=SECRET).verify(BODY, {"recurly-signature": header}, now=NOW)
