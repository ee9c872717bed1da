"""
Twilio: HMAC-SHA1 (auth token) or HMAC-SHA256 (shared key) of the URL + sorted params, base64.

Source: https://www.twilio.com/docs/usage/webhooks/webhooks-security
(and twilio-python ``twilio/request_validator.py``, ``RequestValidator``).

Recipe: ``base64(HMAC(key, url + name1 + value1 + name2 + value2 ...))`` in
``X-Twilio-Signature``, where *url* is the full URL Twilio requested, query
string included, and the POST parameters are sorted by name (the values of a
repeated name sorted and de-duplicated, as the SDKs do).  For JSON bodies
Twilio adds ``bodySHA256=<hex SHA-256 of the body>`` to the URL and signs
the URL alone; both the hash and the signature are checked.

The URL is yours, not the request's: a verifier needs ``public_url=``,
either your site's base URL (joined with each request's path and query) or
the webhook's full URL (used as it is when the request path is its path,
the query string appended); Host and X-Forwarded-* are never trusted.
Twilio's signer is inconsistent about ports, so the URL is tried as
configured and without its port (or with ``:443``/``:80`` added when it
has none), as twilio-python's ``RequestValidator`` and twilio-node's
``validateRequest`` do: a callback on ``https://host:8443/sms`` that Twilio
signed as ``https://host/sms`` verifies.  Repeated form fields are sorted
by their decoded text in code point order, as twilio-python sorts them.

Two registry names, because the algorithm is configuration, never a header:
``twilio`` (HMAC-SHA1 keyed with the account auth token) and
``twilio-sha256`` (HMAC-SHA256 keyed with a Webhooks Setting's SharedKey,
announced by ``X-Twilio-Webhooks-Signature-Settings: ...,algorithm=HMAC_SHA256``;
https://www.twilio.com/docs/usage/webhooks/webhook-shared-keys, and twilio-python
9.13's ``RequestValidator(algorithm=HMAC_SHA256)``: only the hash changes).
Twilio signs no timestamp and no id.

Delivery id: ``I-Twilio-Idempotency-Token``, which Twilio's own agent SDK
uses to deduplicate webhook retries
(twilio/twilio-agent-connect-python@2081f9f ``docs/horizontal-scaling.md``;
retries themselves are set per URL, https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides).
Else the SHA-256 of the body, which holds the signed parameters: no
timestamp is signed, so a resend has the same bytes, and two different
callbacks differ in at least their status fields.  Never ``MessageSid`` or
``CallSid`` alone: they repeat across a message's or call's status
callbacks.  Caveat: two byte-identical callbacks to different URLs share a
key.
"""

from dataclasses import replace

from hooksig.scheme import BodyDigest, Evidence, FirstOf, HeaderField, HmacScheme
from hooksig.scheme.content import url_and_sorted_params, with_and_without_port

SCHEME = HmacScheme(
    name="twilio",
    signature_header="X-Twilio-Signature",
    algorithm="sha1",
    encoding="base64",
    content=url_and_sorted_params,
    url_variants=with_and_without_port,
    body_shape="form",
    id_source=FirstOf(HeaderField("I-Twilio-Idempotency-Token"), BodyDigest()),
    secret_hint="the account Auth Token, as text",
    docs_url="https://www.twilio.com/docs/usage/webhooks/webhooks-security",
    evidence=Evidence(
        kind="both",
        against="Twilio's documented examples and twilio-python's `RequestValidator`, both ways",
        tests=(
            "tests/schemes/test_twilio.py",
            "tests/schemes/test_twilio_sdk.py",
        ),
    ),
)

SHA256 = replace(
    SCHEME,
    name="twilio-sha256",
    algorithm="sha256",
    # twilio-python's get_signature_algorithm() reads the algorithm from it; the
    # key= part Twilio also sends names your shared key and is yours to add.
    sent_headers=(("X-Twilio-Webhooks-Signature-Settings", "algorithm=HMAC_SHA256"),),
    secret_hint="the Webhooks Setting's SharedKey, as text",
    docs_url="https://www.twilio.com/docs/usage/webhooks/webhook-shared-keys",
    evidence=Evidence(
        kind="sdk",
        against="twilio-python 9.13 `RequestValidator(algorithm=HMAC_SHA256)`, both ways",
        tests=("tests/schemes/test_twilio_sha256_sdk.py",),
    ),
)
