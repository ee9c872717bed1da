"""Okta event hooks: the Authorization value through the token contract, and the GET challenge."""

from __future__ import annotations

import json
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, Verifier
from tests.schemes.contract import BODY, TokenContract

SECRET = "okta-event-hook-shared-secret-42"


class TestOkta(TokenContract):
    """Okta Authorization: compared exactly as configured."""

    scheme = "okta"
    token_header = "Authorization"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "body"
    body = b'{"eventId": "evt_contract_1", "eventType": "com.okta.event_hook"}'


def test_verification_challenge_is_answered_after_the_header_check() -> None:
    """The one-time GET is answered {"verification": <value>} once Authorization matches."""
    verifier = Verifier("okta", secret=SECRET)
    headers = {"Authorization": SECRET, "X-Okta-Verification-Challenge": "chal-123"}
    delivery = verifier.verify(b"", headers)
    answer = verifier.handshake(delivery)
    assert answer is not None
    assert (answer.status, json.loads(answer.body)) == (200, {"verification": "chal-123"})
    with pytest.raises(InvalidSignature):
        verifier.verify(b"", {**headers, "Authorization": "guess"})
    # An ordinary event is not a handshake.
    assert verifier.handshake(verifier.verify(BODY, {"Authorization": SECRET})) is None
