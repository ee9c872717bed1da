"""GitLab's signed webhook-* format against the standardwebhooks library."""

from __future__ import annotations

import base64

import pytest

from hooksig import InvalidSignature, Verifier
from tests.conftest import NOW
from tests.schemes.contract import BODY


def test_signed_cross_checked_with_the_standard_webhooks_library() -> None:
    """GitLab's own test receiver checks signed webhooks with the Standard Webhooks
    library (MR 230944): what that library signs verifies here, and the reverse."""
    from datetime import datetime, timezone

    from standardwebhooks.webhooks import Webhook, WebhookVerificationError

    token = "whsec_" + base64.b64encode(bytes(range(32))).decode()
    library = Webhook(token)
    when = datetime.fromtimestamp(NOW, tz=timezone.utc)
    headers = {
        "webhook-id": "0f6cdd6c-4b5e-4f0b-a4d3-2b1f1e6c8a11",
        "webhook-timestamp": str(NOW),
        "webhook-signature": library.sign(
            "0f6cdd6c-4b5e-4f0b-a4d3-2b1f1e6c8a11", when, BODY.decode()
        ),
    }
    verifier = Verifier("gitlab-signed", secret=token)
    assert verifier.verify(BODY, headers, now=NOW).id == headers["webhook-id"]
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", headers, now=NOW)

    # The library checks the timestamp against its own clock: sign at the real time.
    ours = dict(verifier.sign(BODY, id="0f6cdd6c"))
    assert library.verify(BODY, ours) is not None
    with pytest.raises(WebhookVerificationError):
        library.verify(BODY + b" ", ours)
