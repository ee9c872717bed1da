"""
HTTP Basic credentials (Postmark, Mailjet, SparkPost, Pipedrive, Chargebee, Brevo): no signature.

These providers sign nothing; they send the user name and password you
set in ``Authorization: Basic base64(user:password)``.  Pass the secret as
``"user:password"``; hooksig decodes the header strictly (canonical base64,
one ``:``) and compares the user and the password, each through a SHA-256
digest, in constant time and without revealing their lengths.

The body is not signed.  Matching credentials prove only that the sender
knows a secret that travels in every request, often inside the webhook URL
(``https://user:password@host/...``), where proxies and dashboards log it:
anyone who sees one request can forge any body, and replay any old one,
forever; no timestamp bounds replay.  Use HTTPS, rotate the password, let
the idempotency guard catch repeats, and where the provider lets you,
fetch the object by its id before acting on money or permissions.

Sources, per provider (aliases of ``basic-auth``):

- Postmark: https://postmarkapp.com/developer/webhooks/webhooks-overview
  (Basic credentials in the webhook URL; published IP ranges that change).
- Mailjet: https://documentation.mailjet.com/hc/en-us/articles/360043578154-Event-Tracking-API
  ("a secure URL (HTTPS) in combination with a basic authentification",
  ``https://username:password@...``).
- SparkPost: the ``basic`` authorization flow of its webhooks (user name and
  password), SparkPost/java-sparkpost PR 46 ``AuthCredentials.java``; the
  OAuth 2 flow is not covered.
- Pipedrive: https://developers.pipedrive.com/docs/api/v1/Webhooks
  (``http_auth_user`` and ``http_auth_password`` of "Add a new Webhook").
- Chargebee: https://www.chargebee.com/docs/2.0/events_and_webhooks.html
  (Basic authentication on the webhook; Chargebee advises re-fetching the
  event by id, ``GET /api/v2/events/{id}``).
- Brevo: https://developers.brevo.com/docs/secured-webhooks (Basic
  credentials, or a token header, which is a ``token`` scheme of your own).

Delivery id: none is sent, so the key is the SHA-256 of the body
(:class:`~hooksig.scheme.BodyDigest`): byte-identical bodies share a key,
and a retry whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="basic-auth",
    signature_header="Authorization",
    prefix="Basic ",
    construction="basic",
    secret_hint='the webhook\'s Basic credentials, as "user:password"',
    docs_url="https://datatracker.ietf.org/doc/html/rfc7617",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="no signature to check: HTTP Basic credentials (RFC 7617) compared as configured",
        tests=("tests/schemes/test_basic_auth.py",),
    ),
    alias_evidence={
        "brevo": Evidence(
            kind="none",
            against="no signature: Brevo's secured-webhooks page (Basic credentials in the URL)",
            tests=("tests/schemes/test_basic_auth.py",),
        ),
        "chargebee": Evidence(
            kind="none",
            against="no signature: Chargebee's webhook docs (Basic authentication)",
            tests=("tests/schemes/test_basic_auth.py",),
        ),
        "mailjet": Evidence(
            kind="none",
            against="no signature: Mailjet's Event Tracking API page (Basic credentials in the "
            "URL)",
            tests=("tests/schemes/test_basic_auth.py",),
        ),
        "pipedrive": Evidence(
            kind="none",
            against="no signature: Pipedrive's Webhooks API (http_auth_user, http_auth_password)",
            tests=("tests/schemes/test_basic_auth.py",),
        ),
        "postmark": Evidence(
            kind="none",
            against="no signature: Postmark's webhooks overview (Basic credentials in the URL)",
            tests=("tests/schemes/test_basic_auth.py",),
        ),
        "sparkpost": Evidence(
            kind="none",
            against="no signature: SparkPost's basic authorization flow (java-sparkpost "
            "AuthCredentials)",
            tests=("tests/schemes/test_basic_auth.py",),
        ),
    },
)
