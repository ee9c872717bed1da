"""Adyen against its SDK, both ways, and the SDK's first-item flaw that hooksig does not share."""

from __future__ import annotations

import copy
import json

import pytest
from Adyen.util import generate_notification_sig, is_valid_hmac_notification

from hooksig import (
    InvalidSignature,
    Verifier,
)
from tests.schemes.fetching import dumps
from tests.schemes.test_adyen import ITEM, KEY, _batch


def _item(**changes: object) -> dict[str, object]:
    item = {**copy.deepcopy(ITEM), **changes}
    item["additionalData"] = {"hmacSignature": generate_notification_sig(item, KEY).decode()}
    return item


def test_hooksig_accepts_what_the_sdk_signs() -> None:
    """Items signed with Adyen's generate_notification_sig verify, every one of them."""
    body = _batch(_item(), _item(pspReference="8814073381342285", eventCode="CAPTURE"))
    assert Verifier("adyen", secret=KEY).verify(body, {}).key_id == "0"


def test_the_sdk_accepts_what_hooksig_signs() -> None:
    """is_valid_hmac_notification accepts the batch sign() makes."""
    verifier = Verifier("adyen", secret=KEY)
    body, _ = verifier.signed_request(_batch(ITEM))
    assert is_valid_hmac_notification(json.loads(body), KEY)


def test_a_forged_second_item_fails_here_though_the_sdk_passes_it() -> None:
    """The SDK checks notificationItems[0] only; hooksig verifies every item."""
    forged = _item()
    forged["amount"] = {"currency": "EUR", "value": 999999}
    forged["pspReference"] = "0000000000000000"
    document = json.loads(_batch(_item(), forged))
    assert is_valid_hmac_notification(document, KEY)  # the SDK's flaw, shown
    with pytest.raises(InvalidSignature):
        Verifier("adyen", secret=KEY).verify(dumps(document), {})
