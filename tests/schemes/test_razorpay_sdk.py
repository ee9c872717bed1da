"""Razorpay against the razorpay SDK's verify_webhook_signature."""

from __future__ import annotations

import hashlib
import hmac

from hooksig import Verifier
from tests.conftest import SECRET
from tests.schemes.contract import BODY


def test_sdk_cross_check() -> None:
    """razorpay's Utility accepts hooksig's signature, and hooksig accepts the SDK's recipe."""
    import razorpay

    utility = razorpay.Client(auth=("key_id", "key_secret")).utility
    headers = Verifier("razorpay", secret=SECRET).sign(BODY)
    signature = headers["X-Razorpay-Signature"]
    assert utility.verify_webhook_signature(BODY.decode(), signature, SECRET)
    sdk = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    utility.verify_webhook_signature(BODY.decode(), sdk, SECRET)
    assert Verifier("razorpay", secret=SECRET).verify(BODY, {"X-Razorpay-Signature": sdk})
