"""
Google Cloud Pub/Sub push: an OIDC token (RS256) from Google, for your audience and service account.

Source: https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions
(and google-auth 2.63.1 ``google/oauth2/id_token.py`` ``verify_oauth2_token``,
``google/auth/jwt.py``).

Recipe: ``Authorization: Bearer <JWT>``, signed RS256 by a Google key from
``https://www.googleapis.com/oauth2/v1/certs`` (a ``{kid: certificate}`` map,
the one google-auth reads; a fixed Google host, no URL from the request).
Check ``aud`` (the audience set on the subscription; by default the push
endpoint's URL, which is what hooksig expects when you set none), ``iss``
(``https://accounts.google.com`` or ``accounts.google.com``), ``email`` (the
push subscription's service account: required, since anyone can point a
push subscription of their own project at your URL) and
``email_verified: true``.  Tokens "can be up to one hour old": the window on
``iat`` is 3,600 seconds, and ``exp`` is checked too.

The token authenticates the sender, not the body: it carries no hash of
it, so the message's integrity rests on TLS.  ``Delivery.id`` is the body's
``message.messageId`` (unique within the topic; that a redelivery keeps it
is UNCONFIRMED first-hand).

Configure it::

    scheme = hooksig.schemes.configure(
        "google-pubsub", email="push@my-project.iam.gserviceaccount.com",
        audience="https://example.com/push")
"""

from hooksig.scheme import Evidence
from hooksig.scheme.jwt import JwtScheme

#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import hooksig

scheme = hooksig.schemes.configure(
    "google-pubsub",
    email="push@my-project.iam.gserviceaccount.com",
    audience="https://example.com/push",
)
verifier = hooksig.Verifier(scheme)  # Google's keys are fetched from its fixed address
"""

SCHEME = JwtScheme(
    name="google-pubsub",
    algorithm="RS256",
    token_header="Authorization",
    key_mode="x509-map",
    keys_url="https://www.googleapis.com/oauth2/v1/certs",
    audience_from_url=True,
    issuers=("https://accounts.google.com", "accounts.google.com"),
    claims={"email_verified": True},
    required=("iat", "exp", "aud", "iss", "email"),
    identity=("email",),
    test_claims={"email": "hooksig-test@example.iam.gserviceaccount.com"},
    id_field="message.messageId",
    tolerance=3600,
    secret_hint="none: Google's keys are fetched; configure email= (the push service account)",
    docs_url="https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions",
    evidence=Evidence(
        kind="sdk",
        against=(
            "google-auth (`google.auth.jwt.encode` and `decode`), both ways, with a "
            "certificate map as Google serves it"
        ),
        tests=(
            "tests/schemes/test_google_pubsub.py",
            "tests/schemes/test_google_pubsub_sdk.py",
        ),
    ),
)
