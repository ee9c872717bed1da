"""
Trello: HMAC-SHA1 over ``<body><callback URL>`` as an 8-bit string, base64, in ``X-Trello-Webhook``.

Source: https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/
(docs text as quoted at community.atlassian.com and ask.csdn.net).

The key is the application's OAuth secret; the callback URL must be the
one given when the webhook was created, "exactly": configure it as
``public_url=``, whole (used as it is for requests to its path) or as your
site's base URL (joined with the request path).  Trello's quirk: "the
payloads that we sign are treated as binary strings, not utf-8", so each
UTF-16 code unit of body and URL is cut to its low byte (U+2013 becomes
0x13) before hashing; hooksig reproduces it.  No timestamp is signed.
Trello's creation check is an unsigned HEAD that expects 200.

Delivery id: ``action.id`` and ``model.id`` joined by ``:``: the body is the
action and the model the webhook watches (same page), and a board webhook
and a card webhook on one URL both receive the same action.  Else the
SHA-256 of the body.  Trello's retry behaviour is UNCONFIRMED.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme, Joined
from hooksig.scheme.content import body_then_url, low_bytes

SCHEME = HmacScheme(
    name="trello",
    signature_header="X-Trello-Webhook",
    algorithm="sha1",
    encoding="base64",
    content=low_bytes(body_then_url),
    body_shape="text",
    id_source=FirstOf(Joined(BodyField("action.id"), BodyField("model.id")), BodyDigest()),
    secret_hint="the application's OAuth secret, as text",
    docs_url="https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/",
    evidence=Evidence(
        kind="none",
        against="Trello publishes no vector or SDK; recipe from Atlassian's Trello webhook guide",
        tests=("tests/schemes/test_trello.py",),
    ),
)
