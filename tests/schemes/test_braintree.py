"""Braintree against its SDK (both ways, offline), and its bt_challenge answered by hooksig."""

from __future__ import annotations

import urllib.parse
import warnings

import pytest

with warnings.catch_warnings():
    # braintree 4.48 warns on import about its own deprecated ProtectionLevel constants.
    warnings.simplefilter("ignore", DeprecationWarning)
    import braintree

from hooksig import MalformedSignature, MissingSignature, Secret, Verifier, schemes
from hooksig.scheme.challenge import bt_challenge

PUBLIC, PRIVATE = "integration_public_key", "integration_private_key"


def _gateway() -> braintree.BraintreeGateway:
    configuration = braintree.Configuration(
        braintree.Environment.Development, "integration_merchant_id", PUBLIC, PRIVATE
    )
    return braintree.BraintreeGateway(configuration)


def _verifier(**settings: object) -> Verifier:
    scheme = schemes.configure("braintree", **settings) if settings else "braintree"
    return Verifier(scheme, secret=Secret(PRIVATE, key_id=PUBLIC))


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
    signed = urllib.parse.parse_qs(_verifier().sign(body)["body"])
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


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"bt_payload": "abc="}, MissingSignature),
        ({"bt_payload": "ab c", "bt_signature": f"{PUBLIC}|{'0' * 40}"}, MalformedSignature),
        ({"bt_payload": "abc=", "bt_signature": "no-pipe"}, MalformedSignature),
        ({"bt_signature": f"{PUBLIC}|{'0' * 40}"}, MalformedSignature),
    ],
    ids=["no-signature", "bad-payload", "bad-pair", "no-payload"],
)
def test_malformed_forms(fields: dict[str, str], error: type[Exception]) -> None:
    """Missing or malformed fields are typed errors."""
    with pytest.raises(error):
        _verifier().verify(urllib.parse.urlencode(fields).encode(), {})


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


def test_signing_for_tests_takes_any_body() -> None:
    """A body that is not a form signs as an empty payload, and verifies."""
    from tests.schemes.fetching import fold

    verifier = _verifier()
    body, headers = fold(b"%ff not a form", verifier.sign(b"%ff not a form"))
    assert verifier.verify(body, headers).key_id == PUBLIC
