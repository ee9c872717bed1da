"""SendGrid against the sendgrid SDK's EventWebhook."""

from __future__ import annotations

from sendgrid.helpers.eventwebhook import EventWebhook

from hooksig import Verifier
from tests.conftest import NOW
from tests.schemes.contract import BODY
from tests.schemes.test_sendgrid import PRIVATE, PUBLIC, SIGNATURE, TIMESTAMP


def test_sendgrid_sdk_accepts_hooksig_signatures() -> None:
    """sendgrid's EventWebhook verifies what hooksig signs."""
    headers = Verifier("sendgrid", signing_key=PRIVATE).sign(BODY, timestamp=NOW)
    sdk = EventWebhook(PUBLIC)
    assert sdk.verify_signature(BODY.decode(), headers[SIGNATURE], headers[TIMESTAMP])
