"""
Sinch (Voice, Verification callbacks): HMAC-SHA256 of a canonical request, in ``Authorization``.

Sources: https://developers.sinch.com/docs/voice/api-reference/authentication/callback-signed-request
and the Sinch SDK, sinch 2.3.0 (``sinch/core/internal/sinch_events/utils.py``
``build_string_to_sign``, ``authorization_helpers.py``).

Recipe: ``Authorization: application <key>:<signature>`` (Voice v1,
Verification; ``service <key>:...`` for Voice v2), where the signature is
``base64(HMAC-SHA256(base64_decode(secret), string))`` and the string is
``METHOD \\n Content-MD5 \\n Content-Type \\n x-timestamp:<X-Timestamp> \\n path``:
Content-MD5 is the base64 MD5 of the raw body, Content-Type and
``X-Timestamp`` (an ISO 8601 time) are the request's headers, and *path* is
the request path (from your ``public_url``).  The key in the header must be
the key of a configured secret: pass ``secret=hooksig.Secret("<secret>",
key_id="<application key>")``.  The label is not signed, and is checked
exactly: Voice sends ``application`` (its docs) or ``service`` (Voice v2,
the only one the SDK accepts), Verification ``Application`` (set
``labels=("Application",)`` with ``hooksig.schemes.configure``).  Sinch
documents no freshness window: hooksig's 300 seconds applies (UNCONFIRMED).
The Conversation API signs another way and is not this scheme.
"""

import base64
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from hooksig.errors import ConfigurationError, MalformedSignature
from hooksig.scheme import BodyDigest, Evidence
from hooksig.scheme.formats import format_rfc3339, parse_rfc3339
from hooksig.scheme.units import ParsedUnits, Unit, UnitScheme


def string_to_sign(method: str, body: bytes, content_type: str, stamp: str, path: str) -> bytes:
    """Sinch's canonical string for one request."""
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()  # noqa: S324 - Sinch's recipe
    return f"{method.upper()}\n{md5}\n{content_type}\nx-timestamp:{stamp}\n{path}".encode()


def _path(request: Any) -> str:
    if request.url is None:
        raise ConfigurationError(
            "the sinch scheme signs the path: pass url= to verify() or public_url= to the Verifier"
        )
    return str(urlsplit(request.url).path)


@dataclass(frozen=True, kw_only=True)
class SinchScheme(UnitScheme):
    """
    Sinch's ``Authorization: application <key>:<signature>``.

    Args:
        labels: the scheme words accepted before the key, exactly.

    .. versionadded:: 0.1
    """

    labels: tuple[str, ...] = ("application", "service")
    signs_url: bool = True  # the path is signed

    def signed_body_part(self, body: bytes) -> object:
        """The body itself: Sinch signs its MD5."""
        return body

    def _units(self, request: Any) -> ParsedUnits:
        value = request.headers.require("Authorization")
        label, _, credentials = value.partition(" ")
        key, colon, text = credentials.partition(":")
        if label not in self.labels or not colon or not key:
            raise MalformedSignature(
                "header Authorization is not 'application <key>:<signature>'",
                reason="bad_item",
                header="Authorization",
            )
        signature = self._decode(text, "base64", "Authorization")
        stamp = request.headers.require("X-Timestamp")
        moment = parse_rfc3339(stamp, "X-Timestamp")
        content_type = request.headers.require("Content-Type")
        content = string_to_sign(request.method, request.body, content_type, stamp, _path(request))
        unit = Unit((content,), (signature,), "Authorization", key_id=key)
        return ParsedUnits(
            candidates=(("", signature),),
            timestamp=moment,
            timestamp_text=stamp,
            header="Authorization",
            units=(unit,),
        )

    def _sign_units(
        self, keys: Any, request: Any, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        stamp = format_rfc3339(timestamp or 0)
        content = string_to_sign(
            request.method, request.body, "application/json", stamp, _path(request)
        )
        signature = base64.b64encode(self._signature(keys, content)).decode("ascii")
        return {
            "Authorization": f"{self.labels[0]} {keys.signing_key.key_id}:{signature}",
            "X-Timestamp": stamp,
            "Content-Type": "application/json",
        }


#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import os

import hooksig

secret = hooksig.Secret(os.environ["SINCH_WEBHOOK_SECRET"], key_id="your-application-key")
verifier = hooksig.Verifier("sinch", secret=secret, public_url="https://example.com/hooks/sinch")
"""

SCHEME = SinchScheme(
    name="sinch",
    key_kind="hmac",
    algorithm="sha256",
    secret_format="base64",
    signature_header="Authorization",
    algorithm_text="HMAC-SHA256 (base64-decoded secret), base64",
    content_text="METHOD\\nContent-MD5\\nContent-Type\\nx-timestamp:<time>\\npath",
    tolerance=300,
    secret_hint="Secret(<application secret, base64>, key_id=<application key>)",
    docs_url="https://developers.sinch.com/docs/voice/api-reference/authentication/callback-signed-request",
    id_source=BodyDigest(),
    timestamp_headers=("X-Timestamp",),
    timestamp_unit="rfc3339",
    signature_value="application <key>:<base64>",
    evidence=Evidence(
        kind="both",
        against=(
            "the example of Sinch's callback-signing page and the sinch SDK "
            "(`validate_authentication_header`, service label), both ways"
        ),
        tests=(
            "tests/vectors/providers/official/sinch.json",
            "tests/schemes/test_sinch.py",
            "tests/schemes/test_sinch_sdk.py",
        ),
    ),
)
