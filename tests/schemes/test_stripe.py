"""Stripe: the scheme contract, cross-checked with an independent hmac computation."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

import hooksig
from tests.schemes.contract import BODY, NOW, SchemeContract

SECRET = "whsec_test_secret_for_hooksig_0123456789"


def _v1(timestamp: int, body: bytes, secret: str = SECRET) -> str:
    # Stripe: HMAC-SHA256 keyed with the whole whsec_ string over "<t>.<body>", lowercase hex.
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


class TestStripe(SchemeContract):
    """Stripe through the scheme contract: t=,v1= over '<t>.<body>', event id in the body."""

    scheme = "stripe"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "body"


def _verifier() -> hooksig.Verifier:
    return hooksig.Verifier("stripe", secret=SECRET, clock=lambda: float(NOW))


def test_sign_matches_an_independent_hmac() -> None:
    """sign() writes exactly t=<t>,v1=<hex HMAC of '<t>.<body>'> with the raw whsec_ key."""
    assert _verifier().sign(BODY, timestamp=NOW) == {
        "Stripe-Signature": f"t={NOW},v1={_v1(NOW, BODY)}"
    }


def test_secret_is_not_base64_decoded() -> None:
    """The whsec_ secret is the key as-is: a header made with the decoded form fails."""
    import base64

    decoded = base64.b64decode("dGVzdF9zZWNyZXRfZm9yX2hvb2tzaWdfMDEyMzQ1Njc4OQ==")
    forged = hmac.new(decoded, f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    with pytest.raises(hooksig.InvalidSignature):
        _verifier().verify(BODY, {"Stripe-Signature": f"t={NOW},v1={forged}"})


def test_test_mode_header_with_v0_and_several_v1() -> None:
    """A header with v0, a stale v1 and the right v1, in any order, verifies."""
    old = _v1(NOW, BODY, "whsec_old_secret_00000000000")
    header = f"t={NOW},v1={old},v0={'ab' * 32},v1={_v1(NOW, BODY)}"
    delivery = _verifier().verify(BODY, {"Stripe-Signature": header})
    assert (delivery.id, delivery.timestamp) == ("evt_contract_1", NOW)


def test_independent_header_for_another_timestamp() -> None:
    """A hand-made header for another fresh timestamp verifies; with a swapped t it does not."""
    header = f"t={NOW - 30},v1={_v1(NOW - 30, BODY)}"
    assert _verifier().verify(BODY, {"Stripe-Signature": header}).timestamp == NOW - 30
    swapped = f"t={NOW - 31},v1={_v1(NOW - 30, BODY)}"
    with pytest.raises(hooksig.InvalidSignature):
        _verifier().verify(BODY, {"Stripe-Signature": swapped})


def test_v0_only_is_refused() -> None:
    """A header carrying only a (matching) v0 signature is refused: no downgrade."""
    with pytest.raises(hooksig.MissingSignature):
        _verifier().verify(BODY, {"Stripe-Signature": f"t={NOW},v0={_v1(NOW, BODY)}"})
