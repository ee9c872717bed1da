"""
Meta (Facebook, Instagram, Messenger, WhatsApp): HMAC-SHA256 of the body in ``X-Hub-Signature-256``.

Sources: https://developers.facebook.com/docs/graph-api/webhooks/getting-started and
https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/create-webhook-endpoint
(Meta's WhatsApp Node SDK, WhatsApp/WhatsApp-Nodejs-SDK@248dde8 ``src/utils.ts``,
``src/api/webhooks.ts``).

Recipe: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>``.
One recipe for all four products (first-hand for WhatsApp and the Graph API
webhooks; the same for Instagram and Messenger per third-party sources), so
``whatsapp``, ``instagram`` and ``messenger`` are aliases.  The legacy SHA-1
``X-Hub-Signature`` is not read.  No timestamp and no delivery id are sent:
rely on the idempotency guard with ids from the body (``entry[].id``,
message ids).

Challenge: subscribing an endpoint sends, unsigned,
``GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...``.  Configure
``challenge=hooksig.scheme.challenge.hub_challenge("<your verify token>")``
and the adapters answer it with the challenge, only when the verify token
matches (compared in constant time); anything else is refused as an
unsigned delivery.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

#: The challenge builder this provider's unsigned check needs.
CHALLENGE = 'hub_challenge("<verify token>")'

#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import os

import hooksig
from hooksig.scheme.challenge import hub_challenge

scheme = hooksig.schemes.configure("meta", challenge=hub_challenge("your-verify-token"))
verifier = hooksig.Verifier(scheme, secret=os.environ["META_WEBHOOK_SECRET"])  # the app secret
"""

SCHEME = HmacScheme(
    name="meta",
    signature_header="X-Hub-Signature-256",
    prefix="sha256=",
    algorithm="sha256",
    encoding="hex",
    secret_hint="the App Secret (App Dashboard, Settings > Basic), as text",
    docs_url="https://developers.facebook.com/docs/graph-api/webhooks/getting-started",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="vector",
        against=("the test vector of Meta's WhatsApp Node SDK"),
        tests=(
            "tests/vectors/providers/official/meta.json",
            "tests/schemes/test_meta.py",
        ),
    ),
)
