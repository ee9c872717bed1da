"""
Paddle Classic: RSA with SHA-1 over the PHP-serialised, sorted form fields, in ``p_signature``.

Source: https://developer.paddle.com/webhook-reference/verifying-webhooks
(Paddle Classic's alerts; Paddle Billing is the ``paddle`` scheme).

Recipe: the alert is a form POST.  Take ``p_signature`` (base64) out of the
fields, sort the rest by name, PHP-``serialize`` them as strings
(``a:N:{s:<bytes>:"name";s:<bytes>:"value";...}``) and verify the signature
with RSA PKCS #1 v1.5 and SHA-1 under your vendor public key (Seller
Dashboard, Developer Tools, Public Key): ``Verifier("paddle-classic",
public_key="-----BEGIN PUBLIC KEY-----...")``.  SHA-1 is Paddle Classic's
choice, opted into by this scheme alone.  The serialiser's exact form is
known from third-party ports of Paddle's PHP sample; Paddle publishes no
vector with a published key, so the tests recompute.  A field sent twice is
refused.  Paddle Classic signs no timestamp; ``alert_id`` identifies an
alert (that a retry keeps it is UNCONFIRMED): rely on the idempotency guard.
"""

from dataclasses import dataclass
from typing import Any

from hooksig.scheme import BodyDigest, Evidence, FirstOf, FormField
from hooksig.scheme.fields import form_fields, php_serialize, single
from hooksig.scheme.units import ParsedUnits, Unit, UnitScheme


def serialized_fields(fields: Any) -> bytes:
    """Every field but ``p_signature``, sorted by name, PHP-serialised."""
    names = sorted(name for name in fields if name != "p_signature")
    return php_serialize({name: single(fields, name) for name in names})


@dataclass(frozen=True, kw_only=True)
class PaddleClassicScheme(UnitScheme):
    """Paddle Classic's ``p_signature`` over the other fields."""

    def _units(self, request: Any) -> ParsedUnits:
        fields = form_fields(request)
        signature = self._decode(
            single(fields, "p_signature", signature=True), "base64", "p_signature"
        )
        unit = Unit((serialized_fields(fields),), (signature,), "p_signature")
        return ParsedUnits(candidates=(("", signature),), header="p_signature", units=(unit,))

    def _sign_units(
        self, keys: Any, request: Any, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        import base64
        from urllib.parse import urlencode

        fields = form_fields(request)
        signature = self._signature(keys, serialized_fields(fields))
        pairs = [(name, single(fields, name)) for name in fields if name != "p_signature"]
        pairs.append(("p_signature", base64.b64encode(signature).decode("ascii")))
        return {"body": urlencode(pairs)}


#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import os

import hooksig

verifier = hooksig.Verifier(
    "paddle-classic", public_key=os.environ["PADDLE_CLASSIC_PUBLIC_KEY"]  # the vendor's PEM
)
"""

SCHEME = PaddleClassicScheme(
    name="paddle-classic",
    key_kind="rsa",
    algorithm="sha1",
    signature_header="form.p_signature",
    algorithm_text="RSA PKCS#1 v1.5 with SHA-1, base64",
    content_text="PHP serialize() of the other form fields, sorted by name",
    secret_hint="public_key=: the vendor public key (PEM); no secret",
    docs_url="https://developer.paddle.com/webhook-reference/verifying-webhooks",
    id_source=FirstOf(FormField("alert_id"), BodyDigest()),
    body_shape="form",
    evidence=Evidence(
        kind="none",
        against=(
            "Paddle publishes no alert signed with a published key; recomputed from its "
            "PHP recipe with an independent serialiser"
        ),
        tests=("tests/schemes/test_paddle_classic.py",),
    ),
)
