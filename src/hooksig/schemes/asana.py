"""
Asana: HMAC-SHA256 of the body, hex, in ``X-Hook-Signature``, keyed with the handshake's secret.

Sources: https://developers.asana.com/reference/createwebhook and
https://developers.asana.com/docs/webhooks-guide (Asana's example server,
Asana/devrel-examples@52783fb ``python/webhooks_v5/server.py``).

Recipe: ``X-Hook-Signature: hex(HMAC-SHA256(secret, raw body))``, where the
secret is the ``X-Hook-Secret`` Asana sent in the handshake that created the
webhook.  No timestamp and no delivery id: Asana delivers at most once per
event batch, retried for 24 hours; rely on the idempotency guard.

Challenge: creating a webhook makes Asana POST to your URL with an
``X-Hook-Secret`` header, while your create call is still in flight; you
answer 200 echoing that header, and keep the secret.  The request is
unsigned: Asana's own example stores any secret that arrives, so anyone could
set it.  Configure ``challenge=hooksig.scheme.challenge.hook_secret(accept)``
where ``accept(secret)`` stores it and returns ``True`` only while you are
creating a webhook (your registration window); the adapters echo the header
only then.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

#: The challenge builder this provider's unsigned check needs.
CHALLENGE = "hook_secret(accept)"

#: How to build a verifier (shown on the provider page).
EXAMPLE = '''
import os

import hooksig
from hooksig.scheme.challenge import hook_secret

registering = {"open": False, "secret": None}


def store_while_registering(secret: str) -> bool:
    """Keep the secret Asana sends while your create-webhook call is in flight."""
    if registering["open"]:
        registering["secret"] = secret
    return bool(registering["open"])


scheme = hooksig.schemes.configure("asana", challenge=hook_secret(store_while_registering))
verifier = hooksig.Verifier(scheme, secret=os.environ["ASANA_WEBHOOK_SECRET"])  # the stored secret
'''

SCHEME = HmacScheme(
    name="asana",
    signature_header="X-Hook-Signature",
    algorithm="sha256",
    encoding="hex",
    secret_hint="the X-Hook-Secret of the handshake that created the webhook, as text",
    docs_url="https://developers.asana.com/reference/createwebhook",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against=(
            "Asana publishes no vector and no SDK verifier; recipe from its API reference "
            "and its official example server"
        ),
        tests=("tests/schemes/test_asana.py",),
    ),
)
