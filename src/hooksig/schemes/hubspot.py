"""
HubSpot: v3 HMAC-SHA256 over ``method + URI + body + timestamp``, base64; v1/v2 plain SHA-256, hex.

Sources: https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation,
https://developers.hubspot.com/changelog/introducing-version-3-of-webhook-signatures,
and hubspot-api-python ``hubspot/utils/signature.py``.

``hubspot`` (v3): ``X-HubSpot-Signature-v3 = base64(HMAC-SHA256(client_secret,
method + uri + body + X-HubSpot-Request-Timestamp))``; the timestamp is in
milliseconds and deliveries older than five minutes are refused.  The URI
is the public URL HubSpot called: configure ``public_url=``, your site's
base URL (joined with the request path and query) or the webhook's full URL.
HubSpot's rules for decoding the URI are UNCONFIRMED; the URL is signed as given.

``hubspot-v1`` and ``hubspot-v2`` (``X-HubSpot-Signature``, chosen here by
configuration, never by ``X-HubSpot-Signature-Version``): a plain SHA-256,
not an HMAC, of ``client_secret + body`` (v1) or
``client_secret + method + uri + body`` (v2), hex.  These sign no timestamp.
HubSpot sends ``X-HubSpot-Signature-Version: v1`` (or ``v2``) with them, which
hubspot-api-client's ``Signature.is_valid(signature_version=...)`` is given,
so ``sign()`` sends it too.
"""

from dataclasses import replace

from hooksig.scheme import HmacScheme

_URL = "https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation"

SCHEME = HmacScheme(
    name="hubspot",
    signature_header="X-HubSpot-Signature-v3",
    algorithm="sha256",
    encoding="base64",
    timestamp_header="X-HubSpot-Request-Timestamp",
    timestamp_unit="ms",
    tolerance=300,
    content="{method}{url}{body}{timestamp}",
    secret_hint="the app's client secret, as text",
    docs_url=_URL,
)

V1 = HmacScheme(
    name="hubspot-v1",
    signature_header="X-HubSpot-Signature",
    construction="secret-prefix",
    algorithm="sha256",
    encoding="hex",
    content="{body}",
    secret_hint="the app's client secret, as text",
    docs_url=_URL,
    sent_headers=(("X-HubSpot-Signature-Version", "v1"),),
)

V2 = replace(
    V1,
    name="hubspot-v2",
    content="{method}{url}{body}",
    sent_headers=(("X-HubSpot-Signature-Version", "v2"),),
)
