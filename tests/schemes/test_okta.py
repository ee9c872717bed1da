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


CHECK = {"Authorization": SECRET, "X-Okta-Verification-Challenge": "chal-123"}


def test_verification_request_is_answered_once_authorization_matches() -> None:
    """The one-time GET is answered {"verification": <value>} as JSON, with nothing configured."""
    verifier = Verifier("okta", secret=SECRET)
    assert verifier.scheme.info.challenge
    answer = verifier.challenge(b"", CHECK, method="GET")
    assert answer is not None
    assert (answer.status, answer.content_type) == (200, "application/json")
    assert json.loads(answer.body) == {"verification": "chal-123"}
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_the_new_secret_answers_during_rotation() -> None:
    """With two secrets configured, either one carried in Authorization is accepted."""
    verifier = Verifier("okta", secrets=["okta-old-secret-0001", SECRET])
    assert verifier.challenge(b"", CHECK, method="GET") is not None
    old = {**CHECK, "Authorization": "okta-old-secret-0001"}
    assert verifier.challenge(b"", old, method="GET") is not None


@pytest.mark.parametrize(
    ("headers", "method"),
    [
        pytest.param({**CHECK, "Authorization": "guess"}, "GET", id="wrong-secret"),
        pytest.param({**CHECK, "Authorization": SECRET + " "}, "GET", id="secret-plus-space"),
        pytest.param({"X-Okta-Verification-Challenge": "chal-123"}, "GET", id="no-authorization"),
        pytest.param({**CHECK, "Authorization": ""}, "GET", id="empty-authorization"),
        pytest.param({"Authorization": SECRET}, "GET", id="no-challenge"),
        pytest.param({**CHECK, "X-Okta-Verification-Challenge": ""}, "GET", id="empty-challenge"),
        pytest.param({**CHECK, "X-Okta-Verification-Challenge": "a\x00b"}, "GET", id="unprintable"),
        pytest.param({**CHECK, "X-Okta-Verification-Challenge": "c" * 4097}, "GET", id="too-long"),
        pytest.param(CHECK, "POST", id="post"),
        pytest.param(CHECK, "OPTIONS", id="options"),
        pytest.param([*CHECK.items(), ("Authorization", SECRET)], "GET", id="authorization-twice"),
    ],
)
def test_anything_else_is_not_answered(headers: object, method: str) -> None:
    """A check without the secret, or not Okta's, gets no answer: the adapters answer 405."""
    verifier = Verifier("okta", secret=SECRET)
    assert verifier.challenge(b"", headers, method=method) is None  # type: ignore[arg-type]


def test_an_event_is_verified_not_answered() -> None:
    """Events arrive by POST and are verified as usual; a wrong secret is refused."""
    verifier = Verifier("okta", secret=SECRET)
    assert verifier.verify(BODY, {"Authorization": SECRET}).body == BODY
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY, {"Authorization": "guess"})
