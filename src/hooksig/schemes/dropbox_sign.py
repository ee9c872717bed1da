"""
Dropbox Sign (HelloSign): HMAC-SHA256 of ``event_time + event_type``, hex, in ``event.event_hash``.

Sources: https://developers.hellosign.com/docs/events/walkthrough/ and Dropbox Sign's SDK,
dropbox-sign 2.0.0 (``dropbox_sign/event_callback_helper.py`` ``EventCallbackHelper.is_valid``),
with the fixtures of hellosign/hellosign-openapi@34c725c
(``test_fixtures/EventCallbackHelper_AccountCallbacks.json``).

Recipe: the callback is a ``multipart/form-data`` POST whose ``json`` field
holds the event (a JSON body is read too); ``event.event_hash`` is
``hex(HMAC-SHA256(API key, event.event_time + event.event_type))``.

Security note: the hash covers only the event's time and type, **not** the
rest of the body.  A verified callback proves that Dropbox Sign sent an
event of that type at that time, nothing about the signature request in it:
fetch the resource by its id from the API before acting on it.
``event_time`` is signed and is ``Delivery.timestamp``; since a retry
repeats the event (and so its hash), no window is applied: Dropbox Sign
retries for days.  Dropbox Sign expects the reply body
``Hello API Event Received``.
"""

import hmac
from dataclasses import dataclass
from typing import Any

from hooksig.errors import MalformedSignature
from hooksig.scheme import BodyDigest, Evidence
from hooksig.scheme.fields import json_document, multipart_field, pick
from hooksig.scheme.formats import parse_timestamp
from hooksig.scheme.units import ParsedUnits, Unit, UnitScheme

#: The reply Dropbox Sign expects.
REPLY = b"Hello API Event Received"


def event_document(request: Any) -> Any:
    """The event JSON: the ``json`` field of a multipart body, or the body itself."""
    content_type = request.headers.get("Content-Type", "")
    if content_type.lower().startswith("multipart/"):
        field = multipart_field(request.body, content_type, "json")
        if field is None:
            raise MalformedSignature("the multipart body has no json field", reason="bad_form")
        return json_document(field)
    return json_document(request.body)


@dataclass(frozen=True, kw_only=True)
class DropboxSignScheme(UnitScheme):
    """Dropbox Sign's ``event.event_hash``."""

    def _units(self, request: Any) -> ParsedUnits:
        document = event_document(request)
        text = pick(document, "event.event_hash", signature=True) or ""
        stamp = pick(document, "event.event_time") or ""
        kind = pick(document, "event.event_type") or ""
        signature = self._decode(text, "hex", "body.event.event_hash")
        unit = Unit(((stamp + kind).encode("utf-8"),), (signature,), "body.event.event_hash")
        return ParsedUnits(
            candidates=(("", signature),),
            timestamp=float(parse_timestamp(stamp, "body.event.event_time")),
            timestamp_text=stamp,
            header="body.event.event_hash",
            units=(unit,),
        )

    def _sign_units(
        self, keys: Any, request: Any, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        import json

        try:
            document = json.loads(request.body)
        except ValueError:
            document = None
        event = document.get("event") if isinstance(document, dict) else None
        kind = str((event or {}).get("event_type", "callback_test"))
        stamp = str(timestamp or 0)
        digest = hmac.new(keys.signing_key.material, (stamp + kind).encode(), "sha256").hexdigest()
        if not isinstance(document, dict):  # no object to write the fields into: a whole event
            fields = {"event_time": stamp, "event_type": kind, "event_hash": digest}
            return {"body": json.dumps({"event": fields})}
        return {
            "body.event.event_time": stamp,
            "body.event.event_type": kind,
            "body.event.event_hash": digest,
        }


SCHEME = DropboxSignScheme(
    name="dropbox-sign",
    key_kind="hmac",
    signature_header="body.event.event_hash",
    algorithm_text="HMAC-SHA256, hex",
    content_text="event.event_time + event.event_type (not the body)",
    algorithm="sha256",
    secret_hint="the account's API key, as text",
    docs_url="https://developers.hellosign.com/docs/events/walkthrough/",
    id_source=BodyDigest(),
    signature_value="<hex>",
    evidence=Evidence(
        kind="both",
        against=(
            "the fixtures of Dropbox Sign's OpenAPI repository and the dropbox-sign SDK "
            "(`EventCallbackHelper.is_valid`), both ways"
        ),
        tests=(
            "tests/vectors/providers/official/dropbox-sign.json",
            "tests/schemes/test_dropbox_sign.py",
            "tests/schemes/test_dropbox_sign_sdk.py",
        ),
    ),
)
