"""
Adyen (standard webhooks): HMAC-SHA256 of eight fields of *each* notification item, base64.

Sources: https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures
and Adyen's SDK, Adyen/adyen-python-api-library@b6f4979 (``Adyen/util.py``
``generate_notification_sig``, ``is_valid_hmac_notification``).

Recipe: the body is ``{"notificationItems": [{"NotificationRequestItem": {...}}, ...]}``.
Each item carries ``additionalData.hmacSignature``, the base64
``HMAC-SHA256(hex_decode(key), signing string)`` of
``pspReference:originalReference:merchantAccountCode:merchantReference:amount.value:amount.currency:eventCode:success``
(an absent field is empty; ``:`` inside a value is not escaped).  The key is
the webhook's HMAC key, shown as hex.

**Every** item is verified, and one forged item fails the whole delivery:
Adyen's own ``is_valid_hmac_notification`` checks only the first item, so a
batch whose second item was forged passes it.  A batch has no single
delivery id (``pspReference`` + ``eventCode`` per item is the usual key:
UNCONFIRMED), and nothing is timestamped: rely on the idempotency guard per
item.  The Balance Platform and Management webhooks sign the raw body into an
``HmacSignature`` header instead; that recipe is not this scheme.
"""

import base64
from dataclasses import dataclass
from typing import Any

from hooksig.errors import MalformedSignature
from hooksig.scheme import BodyDigest, EachItem, Evidence, FirstOf
from hooksig.scheme.fields import json_document, pick
from hooksig.scheme.units import ParsedUnits, Unit, UnitScheme

SIGNED = (
    "pspReference",
    "originalReference",
    "merchantAccountCode",
    "merchantReference",
    "amount.value",
    "amount.currency",
    "eventCode",
    "success",
)
#: A batch with more items than this is refused.
MAX_ITEMS = 1000


def signing_string(item: dict[str, Any]) -> bytes:
    """The ``:``-joined fields Adyen signs for one notification item."""
    return ":".join(pick(item, name, required=False) or "" for name in SIGNED).encode("utf-8")


def _items(document: object) -> list[dict[str, Any]]:
    found = document.get("notificationItems") if isinstance(document, dict) else None
    if not isinstance(found, list) or not 0 < len(found) <= MAX_ITEMS:
        raise MalformedSignature(
            "field body.notificationItems is not a list of items",
            reason="bad_field",
            header="body.notificationItems",
        )
    items = [
        entry.get("NotificationRequestItem") if isinstance(entry, dict) else None for entry in found
    ]
    if not all(isinstance(item, dict) for item in items):
        raise MalformedSignature(
            "an item has no NotificationRequestItem",
            reason="bad_field",
            header="body.notificationItems",
        )
    return items  # type: ignore[return-value]


def _test_item(reference: str, body: bytes) -> dict[str, Any]:
    """A notification item for tests, with *body* as its unsigned additional data."""
    return {
        "pspReference": reference,
        "merchantAccountCode": "HooksigTest",
        "merchantReference": "hooksig-test",
        "amount": {"value": 1130, "currency": "EUR"},
        "eventCode": "AUTHORISATION",
        "success": "true",
        "additionalData": {"hooksig.body": body.decode("utf-8", "replace")},
    }


@dataclass(frozen=True, kw_only=True)
class AdyenScheme(UnitScheme):
    """Adyen's notification items, each signed on its own."""

    def _units(self, request: Any) -> ParsedUnits:
        units = []
        for index, item in enumerate(_items(json_document(request.body))):
            where = f"body.notificationItems.{index}.NotificationRequestItem"
            text = pick(item, "additionalData.hmacSignature", signature=True) or ""
            signature = self._decode(text, "base64", where)
            units.append(Unit((signing_string(item),), (signature,), where))
        return ParsedUnits(
            candidates=(("", units[0].signatures[0]),), header=units[0].field, units=tuple(units)
        )

    def _sign_units(
        self, keys: Any, request: Any, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        import json

        document: Any
        try:
            document = json.loads(request.body)
        except ValueError:
            document = None
        if not isinstance(document, dict) or "notificationItems" not in document:
            # Any other body rides along, unsigned, as Adyen's free-form additional data.
            fallback = _test_item(id or "7914073381342284", request.body)
            document = {
                "live": "false",
                "notificationItems": [{"NotificationRequestItem": fallback}],
            }
        for entry in document["notificationItems"]:
            given = entry.get("NotificationRequestItem") if isinstance(entry, dict) else None
            if isinstance(entry, dict) and isinstance(given, str):
                # An item that names only its reference (a test's id): a whole test item.
                entry["NotificationRequestItem"] = _test_item(given, b"")
        for item in _items(document):
            signature = self._signature(keys, signing_string(item))
            item.setdefault("additionalData", {})["hmacSignature"] = base64.b64encode(
                signature
            ).decode()
        return {"body": json.dumps(document)}


SCHEME = AdyenScheme(
    name="adyen",
    key_kind="hmac",
    algorithm="sha256",
    secret_format="hex",
    signature_header="body.notificationItems",
    algorithm_text="HMAC-SHA256 (hex-decoded key), base64, per item",
    content_text="eight fields of each NotificationRequestItem, ':'-joined",
    secret_hint="the webhook's HMAC key, as the hex Adyen shows",
    docs_url="https://docs.adyen.com/development-resources/webhooks/secure-webhooks/verify-hmac-signatures",
    id_source=FirstOf(
        EachItem(fields=("NotificationRequestItem",), path="notificationItems"), BodyDigest()
    ),
    signature_value="<base64> (each item's additionalData.hmacSignature)",
    evidence=Evidence(
        kind="both",
        against=(
            "the item vectors of Adyen's SDK tests (UtilTest.py and its mocks) and the "
            "Adyen SDK (`generate_notification_sig`, `is_valid_hmac_notification`), both "
            "ways; the SDK's first-item-only check is shown and not shared"
        ),
        tests=(
            "tests/vectors/providers/official/adyen.json",
            "tests/schemes/test_adyen.py",
            "tests/schemes/test_adyen_sdk.py",
        ),
    ),
)
