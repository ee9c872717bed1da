"""
Vonage (Messages, Voice): an HS256 JWT in ``Authorization: Bearer``, with the body's SHA-256.

Sources: https://developer.vonage.com/en/messages/concepts/signed-webhooks and
https://developer.vonage.com/en/getting-started/concepts/webhooks
(vonage-jwt 1.1.5 ``vonage_jwt/verify_jwt.py``).

Recipe: the token is HS256 under the account's signature secret (not the
API secret); its ``payload_hash`` claim is the hex SHA-256 of the raw body,
compared in constant time (the SDK's ``verify_signature`` checks only the
token; hooksig checks the body too).  ``iat`` is the signed time; Vonage
documents no window, so hooksig's 300-second default applies (UNCONFIRMED);
``jti`` is the token id, used as ``Delivery.id`` (that a retry keeps it is
UNCONFIRMED).  Vonage sometimes sends an unsigned callback after an internal
error; it is refused like any unsigned request, and answering 5xx gets a
signed retry.  The SMS API's ``sig`` parameter is another recipe, not this one.
"""

from hooksig.scheme import Evidence
from hooksig.scheme.jwt import JwtScheme

SCHEME = JwtScheme(
    name="vonage",
    algorithm="HS256",
    key_mode="secret",
    token_header="Authorization",
    required=("iat",),
    body_hash_claim="payload_hash",
    body_hash_optional=True,
    id_claim="jti",
    tolerance=300,
    secret_hint="the account's signature secret (not the API secret), as text",
    docs_url="https://developer.vonage.com/en/messages/concepts/signed-webhooks",
    evidence=Evidence(
        kind="sdk",
        against=(
            "vonage-jwt (`verify_signature`) accepts hooksig's tokens; tokens signed as "
            "Vonage signs them verify here"
        ),
        tests=(
            "tests/schemes/test_vonage.py",
            "tests/schemes/test_vonage_sdk.py",
        ),
    ),
)
