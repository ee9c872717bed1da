"""Mailgun against the mailgun SDK's SecurityGuard, both ways."""

from __future__ import annotations

import hashlib
import hmac
import json

from hooksig import Verifier
from tests.conftest import SECRET
from tests.schemes.contract import BODY
from tests.schemes.test_mailgun import PREFIX, _fields


def test_mailgun_sdk_accepts_hooksig_signatures() -> None:
    """mailgun's SecurityGuard.verify_webhook accepts the fields hooksig signs."""
    import time

    from mailgun.security import SecurityGuard

    token = "f" * 50
    now = str(int(time.time()))
    body, _ = Verifier("mailgun", secret=SECRET).signed_request(BODY, timestamp=int(now), id=token)
    fields = _fields(body)
    signature = fields[PREFIX + "signature"]
    assert fields[PREFIX + "timestamp"] == now
    assert SecurityGuard.verify_webhook(SECRET, token, now, signature)
    assert not SecurityGuard.verify_webhook(SECRET, token + "x", now, signature)


def test_hooksig_accepts_signatures_the_mailgun_sdk_accepts() -> None:
    """A signature verify_webhook accepts, folded into a Mailgun body, verifies with hooksig."""
    import time

    from mailgun.security import SecurityGuard

    token = "e" * 50
    now = int(time.time())
    signature = hmac.new(SECRET.encode(), f"{now}{token}".encode(), hashlib.sha256).hexdigest()
    assert SecurityGuard.verify_webhook(SECRET, token, str(now), signature)
    body = json.dumps(
        {"signature": {"timestamp": str(now), "token": token, "signature": signature}}
    ).encode()
    delivery = Verifier("mailgun", secret=SECRET).verify(body, {}, now=now)
    assert (delivery.id, delivery.timestamp) == (token, now)
