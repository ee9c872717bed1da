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

Delivery id: HubSpot sends none.  A delivery is a JSON array of up to 100
notifications, retried up to ten times over 24 hours, each carrying an
``attemptNumber`` that grows with every attempt, and HubSpot warns that
``eventId`` is not guaranteed unique
(https://developers.hubspot.com/docs/api/webhooks, "Retries").  The key is
the SHA-256 of every notification less its ``attemptNumber``, sorted: a
retry of the same batch gets the same key.  Caveat: if HubSpot regroups a
retried batch (UNCONFIRMED), the new batch is handled again; deduplicate
per notification in your handler too, on (``portalId``, ``subscriptionId``,
``eventId``, ``occurredAt``, ``objectId``).
"""

from dataclasses import replace

from hooksig.scheme import BodyDigest, EachItem, Evidence, FirstOf, HmacScheme

_URL = "https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation"
_ID = FirstOf(EachItem(exclude=("attemptNumber",)), BodyDigest())


def _evidence(version: str) -> Evidence:
    return Evidence(
        kind="both",
        against=f"HubSpot's documented {version} example and hubspot-api-client, both ways",
        tests=(
            "tests/schemes/test_hubspot.py",
            "tests/schemes/test_hubspot_sdk.py",
        ),
    )


SCHEME = HmacScheme(
    name="hubspot",
    signature_header="X-HubSpot-Signature-v3",
    algorithm="sha256",
    encoding="base64",
    timestamp_header="X-HubSpot-Request-Timestamp",
    timestamp_unit="ms",
    tolerance=300,
    content="{method}{url}{body}{timestamp}",
    id_source=_ID,
    secret_hint="the app's client secret, as text",
    docs_url=_URL,
    evidence=_evidence("v3"),
)

V1 = HmacScheme(
    name="hubspot-v1",
    signature_header="X-HubSpot-Signature",
    construction="secret-prefix",
    algorithm="sha256",
    encoding="hex",
    content="{body}",
    id_source=_ID,
    secret_hint="the app's client secret, as text",
    docs_url=_URL,
    evidence=_evidence("v1"),
    sent_headers=(("X-HubSpot-Signature-Version", "v1"),),
)

V2 = replace(
    V1,
    name="hubspot-v2",
    content="{method}{url}{body}",
    evidence=_evidence("v2"),
    sent_headers=(("X-HubSpot-Signature-Version", "v2"),),
)
