"""Braintree against its official SDK, offline: sample notifications, parsing, bt_challenge."""

from __future__ import annotations

import urllib.parse
import warnings

import pytest

with warnings.catch_warnings():
    # braintree 4.48 warns on import about its own deprecated ProtectionLevel constants.
    warnings.simplefilter("ignore", DeprecationWarning)
    import braintree
from hooksig.scheme.challenge import bt_challenge
from tests.schemes.test_braintree import PRIVATE, PUBLIC, _verifier


def _gateway() -> braintree.BraintreeGateway:
    configuration = braintree.Configuration(
        braintree.Environment.Development, "integration_merchant_id", PUBLIC, PRIVATE
    )
    return braintree.BraintreeGateway(configuration)


def test_hooksig_accepts_the_sdks_sample_notifications() -> None:
    """webhook_testing.sample_notification (offline) verifies; the key id is the public key."""
    sample = _gateway().webhook_testing.sample_notification(
        braintree.WebhookNotification.Kind.SubscriptionWentPastDue, "sub_1"
    )
    body = urllib.parse.urlencode(sample).encode()
    assert _verifier().verify(body, {}).key_id == PUBLIC


def test_the_sdk_parses_what_hooksig_signs() -> None:
    """webhook_notification.parse accepts bt_signature from sign() over the SDK's own payload."""
    sample = _gateway().webhook_testing.sample_notification(
        braintree.WebhookNotification.Kind.Check, "c"
    )
    payload = sample["bt_payload"]
    body = urllib.parse.urlencode({"bt_payload": payload}).encode()
    signed = urllib.parse.parse_qs(_verifier().signed_request(body)[0].decode())
    notification = _gateway().webhook_notification.parse(signed["bt_signature"][0], payload)
    assert notification.kind == braintree.WebhookNotification.Kind.Check


def test_a_signature_under_another_public_key_label_is_not_tried() -> None:
    """Each signature is tried only with the key its public key names."""
    sample = _gateway().webhook_testing.sample_notification(
        braintree.WebhookNotification.Kind.Check, "c"
    )
    relabelled = {**sample, "bt_signature": sample["bt_signature"].replace(PUBLIC, "other_key")}
    with pytest.raises(Exception) as info:
        _verifier().verify(urllib.parse.urlencode(relabelled).encode(), {})
    assert info.value.__class__.__name__ == "InvalidSignature"


def test_bt_challenge_answer_matches_the_sdk_and_its_published_vector() -> None:
    """The answer is the SDK's (and the SDK test's published value), only for a hex challenge."""
    verifier = _verifier(challenge=bt_challenge())
    answer = verifier.challenge(
        b"", {}, method="GET", path="/hooks?bt_challenge=20f9f8ed05f77439fe955c977e4c8a53"
    )
    assert answer is not None
    assert answer.body.decode() == "integration_public_key|d9b899556c966b3f06945ec21311865d35df3ce4"
    assert answer.body.decode() == _gateway().webhook_notification.verify(
        "20f9f8ed05f77439fe955c977e4c8a53"
    )
    for hostile in ("XYZ", "20f9f8ed05f77439fe955c977e4c8a53ff" * 2, ""):
        assert (
            verifier.challenge(b"", {}, method="GET", path=f"/hooks?bt_challenge={hostile}") is None
        )
    assert (
        verifier.challenge(b"", {}, method="POST", path="/hooks?bt_challenge=20f9f8ed05f77439fe95")
        is None
    )
    assert (
        _verifier().challenge(
            b"", {}, method="GET", path="/hooks?bt_challenge=20f9f8ed05f77439fe95"
        )
        is None
    )
