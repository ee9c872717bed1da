"""
Plaid: an ES256 JWT in ``Plaid-Verification`` binding the body's SHA-256, keys from Plaid's key API.

Source: https://plaid.com/docs/api/webhooks/webhook-verification/
(plaid-python 46.0.0 ``plaid/model/jwk_public_key.py``, ``plaid/configuration.py``).

Recipe: decode the JWT header without verifying; refuse it unless ``alg``
is ``ES256``; fetch the key its ``kid`` names with
``POST https://production.plaid.com/webhook_verification_key/get``
(``{client_id, secret, key_id}``; ``sandbox.plaid.com`` for the sandbox),
skip a key whose ``expired_at`` is set, verify; ``iat`` may be at most five
minutes old; ``request_body_sha256`` is the hex SHA-256 of the raw body
(compared in constant time).  Plaid pretty-prints bodies with two-space
indentation: keep the bytes as received.

Keys are fetched by key id, cached, and an unknown key id triggers at most
one call a minute.  The key API needs your credentials: ``secret=`` is the
Plaid API secret, and ``client_id`` is set with
``hooksig.schemes.configure("plaid", credentials={"client_id": "..."})``.
Plaid sends no delivery id (UNCONFIRMED): rely on the idempotency guard
with ``item_id`` and ``webhook_code`` from the body.
"""

from hooksig.keysource import UrlRule
from hooksig.scheme import BodyDigest, Evidence
from hooksig.scheme.jwt import JwtScheme

#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import os

import hooksig

scheme = hooksig.schemes.configure("plaid", credentials={"client_id": "your-client-id"})
# Keys come from Plaid's key API, by id, with the API secret.
verifier = hooksig.Verifier(scheme, secret=os.environ["PLAID_WEBHOOK_SECRET"])
"""

SCHEME = JwtScheme(
    name="plaid",
    algorithm="ES256",
    token_header="Plaid-Verification",
    bearer=False,
    key_mode="kid-post",
    keys_url="https://production.plaid.com/webhook_verification_key/get",
    key_rule=UrlRule(
        host=r"(production|sandbox)\.plaid\.com", path="/webhook_verification_key/get"
    ),
    required=("iat", "request_body_sha256"),
    body_hash_claim="request_body_sha256",
    tolerance=300,
    secret_hint="secret=: the Plaid API secret, with credentials={'client_id': ...}",
    docs_url="https://plaid.com/docs/api/webhooks/webhook-verification/",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against=(
            "Plaid publishes no vector; a third-party token (StackOverflow 62143991) with "
            "its key and body verifies"
        ),
        tests=("tests/schemes/test_plaid.py",),
    ),
)
