"""
Sentry (integration platform): HMAC-SHA256 of the raw body, hex, in ``Sentry-Hook-Signature``.

Source: https://docs.sentry.io/integrations/integration-platform/webhooks/
and Sentry's own signing code: getsentry/sentry@0211925
``src/sentry/sentry_apps/models/sentry_app.py`` (``build_signature``: key =
the app's Client Secret as UTF-8, message = the JSON body string as sent,
hex), which getsentry/sentry@10c5f04
``src/sentry/sentry_apps/api/serializers/app_platform_event.py`` puts in the header.

``Sentry-Hook-Timestamp`` is sent but not signed, so it is not used as a
replay window.

Delivery id: the SHA-256 of the body.  ``Request-ID`` is not the key: the
serializer above builds a new one for every request, and Sentry's task
retries (three, five minutes apart) rebuild the request, so it never
matches a retry.  The body (action, installation, data, actor) carries no
timestamp.  Caveat: two byte-identical bodies share a key, and a retry
whose data Sentry serialised again differently is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="sentry",
    signature_header="Sentry-Hook-Signature",
    id_source=BodyDigest(),
    algorithm="sha256",
    encoding="hex",
    secret_hint="the integration's Client Secret, as text",
    docs_url="https://docs.sentry.io/integrations/integration-platform/webhooks/",
    evidence=Evidence(
        kind="none",
        against="Sentry publishes no vector or verifier; recipe from Sentry's own signing code",
        tests=("tests/schemes/test_sentry.py",),
    ),
)
