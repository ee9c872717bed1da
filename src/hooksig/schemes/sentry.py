"""
Sentry (integration platform): HMAC-SHA256 of the raw body, hex, in ``Sentry-Hook-Signature``.

Source: https://docs.sentry.io/integrations/integration-platform/webhooks/
and Sentry's own signing code: getsentry/sentry@0211925
``src/sentry/sentry_apps/models/sentry_app.py`` (``build_signature``: key =
the app's Client Secret as UTF-8, message = the JSON body string as sent,
hex), which getsentry/sentry@10c5f04
``src/sentry/sentry_apps/api/serializers/app_platform_event.py`` puts in the header.

``Sentry-Hook-Timestamp`` is sent but not signed, so it is not used as a
replay window.  ``Request-ID`` is the delivery id.
"""

from hooksig.scheme import HmacScheme

SCHEME = HmacScheme(
    name="sentry",
    signature_header="Sentry-Hook-Signature",
    id_header="Request-ID",
    algorithm="sha256",
    encoding="hex",
    secret_hint="the integration's Client Secret, as text",
    docs_url="https://docs.sentry.io/integrations/integration-platform/webhooks/",
)
