"""Paddle Billing against paddle-python-sdk, both ways."""

from __future__ import annotations

import hashlib
import hmac

from hooksig import Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.test_paddle import BODY


def test_paddle_sdk_accepts_hooksig_signatures() -> None:
    """PaddleSignature.verify accepts the header hooksig makes."""
    # Imported here, not at the top: every test worker collects this module, and the
    # SDK takes a second to import; only the worker that runs the test pays for it.
    from paddle_billing.Notifications.PaddleSignature import PaddleSignature
    from paddle_billing.Notifications.Secret import Secret as PaddleSecret

    headers = Verifier("paddle", secret=SECRET).sign(BODY, timestamp=NOW)
    assert PaddleSignature().verify(
        headers["Paddle-Signature"], BODY.decode(), PaddleSecret(SECRET)
    )


def test_hooksig_accepts_paddle_sdk_signatures() -> None:
    """A header built with the SDK's calculate_hmac verifies with hooksig."""
    from paddle_billing.Notifications.PaddleSignature import PaddleSignature

    digest = PaddleSignature.calculate_hmac(SECRET, f"{NOW}:{BODY.decode()}".encode()).hexdigest()
    assert (
        digest == hmac.new(SECRET.encode(), f"{NOW}:".encode() + BODY, hashlib.sha256).hexdigest()
    )
    headers = {"Paddle-Signature": f"ts={NOW};h1={digest}"}
    assert Verifier("paddle", secret=SECRET).verify(BODY, headers, now=NOW).key_id == "0"
