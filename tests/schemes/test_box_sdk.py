"""Box against box-sdk-gen's webhook validation, both ways."""

from __future__ import annotations

from hooksig import Verifier
from tests.conftest import NOW, OTHER_SECRET, SECRET
from tests.schemes.test_box import STAMP


def _box_sdk_headers(headers: dict[str, str]) -> dict[str, str]:
    # box_sdk_gen reads lower-case names and requires the version and algorithm Box sends.
    lowered = {name.lower(): value for name, value in headers.items()}
    return {**lowered, "box-signature-version": "1", "box-signature-algorithm": "HmacSHA256"}


def test_box_sdk_accepts_hooksig_signatures() -> None:
    """box_sdk_gen's WebhooksManager.validate_message accepts what hooksig signs."""
    import time

    from box_sdk_gen.managers.webhooks import WebhooksManager

    body = '{"id": "evt_box_1", "trigger": "FILE.UPLOADED", "name": "caf\u00e9"}'
    signed = Verifier("box", secret=SECRET).sign(body.encode(), timestamp=int(time.time()))
    headers = {name.lower(): value for name, value in signed.items()}  # nothing added
    assert WebhooksManager.validate_message(body, headers, SECRET)
    assert not WebhooksManager.validate_message(body, headers, OTHER_SECRET)
    assert not WebhooksManager.validate_message(body + " ", headers, SECRET)


def test_hooksig_accepts_box_sdk_signatures() -> None:
    """Primary and secondary signatures box_sdk_gen computes verify with hooksig."""
    from box_sdk_gen.internal.utils import compute_webhook_signature

    body = '{"id": "evt_box_2", "trigger": "FILE.DELETED", "name": "h\u00e9llo"}'
    sdk = _box_sdk_headers({"BOX-DELIVERY-TIMESTAMP": STAMP})
    headers = {
        "BOX-SIGNATURE-PRIMARY": compute_webhook_signature(body, sdk, SECRET),
        "BOX-SIGNATURE-SECONDARY": compute_webhook_signature(body, sdk, OTHER_SECRET),
        "BOX-DELIVERY-TIMESTAMP": STAMP,
    }
    delivery = Verifier("box", secret=SECRET).verify(body.encode(), headers, now=NOW)
    assert (delivery.id, delivery.timestamp) == ("evt_box_2", NOW)
    assert Verifier("box", secret=OTHER_SECRET).verify(body.encode(), headers, now=NOW)


def test_box_sdk_accepts_both_signatures_as_signed() -> None:
    """box_sdk_gen validates sign()'s headers as they are, with either key alone."""
    import time

    from box_sdk_gen.managers.webhooks import WebhooksManager

    body = '{"id": "evt_box_3", "trigger": "FILE.UPLOADED", "name": "caf\u00e9"}'
    signed = Verifier("box", secrets=[SECRET, OTHER_SECRET]).sign(
        body.encode(), timestamp=int(time.time())
    )
    headers = {name.lower(): value for name, value in signed.items()}  # as a framework gives them
    assert WebhooksManager.validate_message(body, headers, SECRET, secondary_key=OTHER_SECRET)
    assert WebhooksManager.validate_message(body, headers, SECRET)
    assert WebhooksManager.validate_message(body, headers, "wrong-key", secondary_key=OTHER_SECRET)
    assert not WebhooksManager.validate_message(body, headers, "wrong-key")
