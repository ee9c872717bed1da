"""
Braintree: HMAC-SHA1 of the form's ``bt_payload``, keyed with SHA-1 of the private key, hex.

Sources: https://developer.paypal.com/braintree/docs/guides/webhooks/parse/python and
Braintree's SDK, braintree/braintree_python@80b03f4
(``braintree/webhook_notification_gateway.py``, ``braintree/util/crypto.py``).

Recipe: a form POST with ``bt_payload`` (base64 XML, only ``[A-Za-z0-9+=/\\n]``)
and ``bt_signature``, an ``&``-separated list of ``public_key|signature``
pairs; each signature is ``hex(HMAC-SHA1(SHA1(private key), bt_payload))``,
also accepted over ``bt_payload + "\\n"`` as the SDK does.  A signature is
tried only with the key whose id is its public key, as the SDK does: give
the key as ``secret=hooksig.Secret("<private key>", key_id="<public key>")``.  The
payload's XML carries its own timestamp, which is not read: rely on the
idempotency guard.

Challenge: registering a webhook makes Braintree send ``GET ?bt_challenge=<hex>``;
the answer is ``<public key>|hex(HMAC-SHA1(SHA1(private key), challenge))``,
itself a MAC under your key, so answering is safe.  Configure
``challenge=hooksig.scheme.challenge.bt_challenge()``; the key id must be
the public key.
"""

import re
from dataclasses import dataclass
from typing import Any

from hooksig.errors import MalformedSignature
from hooksig.keys import KeyRing
from hooksig.scheme import BodyDigest, Evidence
from hooksig.scheme.fields import form_fields, single
from hooksig.scheme.units import ParsedUnits, Unit, UnitScheme, sha1_key

_PAYLOAD = re.compile(r"[A-Za-z0-9+=/\n]+")
_PAIR = re.compile(r"([!-{}~]+)\|([0-9a-f]{40})")


@dataclass(frozen=True, kw_only=True)
class BraintreeScheme(UnitScheme):
    """Braintree's ``bt_signature`` pairs over ``bt_payload``."""

    def _derive(self, ring: KeyRing) -> KeyRing:
        return sha1_key(ring)

    def _units(self, request: Any) -> ParsedUnits:
        fields = form_fields(request)
        listed = single(fields, "bt_signature", signature=True)
        payload = single(fields, "bt_payload")
        if not _PAYLOAD.fullmatch(payload):
            raise MalformedSignature(
                "field bt_payload is not base64", reason="bad_field", header="bt_payload"
            )
        signatures, owners = [], []
        for pair in listed.split("&"):
            found = _PAIR.fullmatch(pair)
            if found is None:
                raise MalformedSignature(
                    "field bt_signature is not public_key|signature pairs",
                    reason="bad_item",
                    header="bt_signature",
                )
            owners.append(found.group(1))
            signatures.append(bytes.fromhex(found.group(2)))
        raw = payload.encode("ascii")
        unit = Unit(
            (raw, raw + b"\n"), tuple(signatures), "bt_signature", signature_keys=tuple(owners)
        )
        return ParsedUnits(candidates=(("", signatures[0]),), header="bt_signature", units=(unit,))

    def _sign_units(
        self, keys: Any, request: Any, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        import base64
        from urllib.parse import urlencode

        try:
            given = form_fields(request).get("bt_payload")
        except MalformedSignature:
            given = None
        payload = given[0] if given else ""
        if not payload:
            # Any other body is carried, base64, as the payload (tests; the toolkit's sizes).
            payload = base64.encodebytes(request.body or b"<notification/>").decode("ascii")
        signature = self._signature(keys, payload.encode("ascii")).hex()
        form = {"bt_signature": f"{keys.signing_key.key_id}|{signature}", "bt_payload": payload}
        return {"body": urlencode(form)}


#: The challenge builder this provider's unsigned check needs.
CHALLENGE = "bt_challenge()"

#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import os

import hooksig
from hooksig.scheme.challenge import bt_challenge

scheme = hooksig.schemes.configure("braintree", challenge=bt_challenge())
secret = hooksig.Secret(os.environ["BRAINTREE_WEBHOOK_SECRET"], key_id="your-public-key")
verifier = hooksig.Verifier(scheme, secret=secret)
"""

SCHEME = BraintreeScheme(
    name="braintree",
    key_kind="hmac",
    algorithm="sha1",
    signature_header="form.bt_signature",
    algorithm_text="HMAC-SHA1 keyed with SHA-1(private key), hex",
    content_text="the form field bt_payload",
    secret_hint="Secret(<private key>, key_id=<public key>)",
    docs_url="https://developer.paypal.com/braintree/docs/guides/webhooks/parse/python",
    id_source=BodyDigest(),
    body_shape="form",
    signature_value="<public key>|<hex> (one pair per key)",
    evidence=Evidence(
        kind="sdk",
        against=(
            "braintree (the official Python SDK): its offline sample notifications verify "
            "here, its parser accepts hooksig's signatures, and its challenge answer "
            "(with its test's published value) matches"
        ),
        tests=(
            "tests/schemes/test_braintree.py",
            "tests/schemes/test_braintree_sdk.py",
        ),
    ),
)
