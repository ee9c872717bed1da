"""
Adyen against its SDK (both ways), and the SDK's first-item flaw that hooksig does not share.

The published item vectors run in test_official_vectors.py (adyen.json).
"""

from __future__ import annotations

import json

import pytest

from hooksig import (
    ConfigurationError,
    MalformedSignature,
    MissingSignature,
    Verifier,
)
from hooksig.schemes.adyen import signing_string
from tests.schemes.fetching import dumps

KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
ITEM = {
    "pspReference": "7914073381342284",
    "merchantReference": "TestPayment-1407325143704",
    "merchantAccountCode": "TestMerchant",
    "amount": {"currency": "EUR", "value": 1130},
    "eventCode": "AUTHORISATION",
    "success": "true",
}


def _batch(*items: dict[str, object]) -> bytes:
    return dumps(
        {"live": "false", "notificationItems": [{"NotificationRequestItem": i} for i in items]}
    )


def test_the_signing_string_matches_the_sdks_recipe() -> None:
    """Missing fields are empty, ':' is not escaped, the amount comes from amount.value."""
    assert (
        signing_string(ITEM)
        == b"7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true"
    )


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"notificationItems": []}', MalformedSignature),
        (b'{"notificationItems": [1]}', MalformedSignature),
        (b'{"live": "false"}', MalformedSignature),
        (dumps({"notificationItems": [{"NotificationRequestItem": ITEM}]}), MissingSignature),
        (
            dumps(
                {
                    "notificationItems": [
                        {
                            "NotificationRequestItem": {
                                **ITEM,
                                "additionalData": {"hmacSignature": "!!"},
                            }
                        }
                    ]
                }
            ),
            MalformedSignature,
        ),
    ],
    ids=["no-items", "not-an-object", "no-list", "no-signature", "bad-base64"],
)
def test_malformed_batches(body: bytes, error: type[Exception]) -> None:
    """Every malformed batch is a typed error naming what is wrong."""
    with pytest.raises(error):
        Verifier("adyen", secret=KEY).verify(body, {})


def test_the_key_is_hex() -> None:
    """Adyen shows its HMAC key as hex: anything else is refused at construction."""
    with pytest.raises(ConfigurationError):
        Verifier("adyen", secret="not hex at all")


def test_any_body_is_signed_for_tests_as_one_item() -> None:
    """sign() wraps a body that is no notification batch into one signed item that verifies."""
    verifier = Verifier("adyen", secret=KEY)
    body, headers = verifier.signed_request(b"not a batch", id="psp-1")
    delivery = verifier.verify(body, headers)
    assert delivery.key_id == "0"
    (item,) = [i["NotificationRequestItem"] for i in json.loads(body)["notificationItems"]]
    assert item["pspReference"] == "psp-1"
