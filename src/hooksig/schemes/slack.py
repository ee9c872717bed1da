"""
Slack: HMAC-SHA256 over ``v0:<timestamp>:<body>``, hex, in ``X-Slack-Signature: v0=<hex>``.

Source: https://docs.slack.dev/authentication/verifying-requests-from-slack/
(and python-slack-sdk ``slack_sdk/signature/__init__.py``, ``SignatureVerifier``).

Recipe: ``"v0=" + hex(HMAC-SHA256(signing_secret, "v0:" + timestamp + ":" + body))``,
the timestamp from ``X-Slack-Request-Timestamp``.
The key is the app's signing secret as text; the timestamp is Unix seconds
and the SDK refuses one more than five minutes away, in either direction.
Slack's delivery id is UNCONFIRMED in our catalog, so none is read: rely on
the idempotency guard with an id from the body (``event_id`` for events).

Handshake: the Events API checks a new Request URL with a signed
``{"type": "url_verification", "challenge": ...}``; :meth:`hooksig.Verifier.handshake`
answers it with the challenge as text/plain.
"""

from hooksig.scheme import HmacScheme
from hooksig.scheme.handshake import echo_challenge

SCHEME = HmacScheme(
    name="slack",
    signature_header="X-Slack-Signature",
    prefix="v0=",
    algorithm="sha256",
    encoding="hex",
    timestamp_header="X-Slack-Request-Timestamp",
    content="v0:{timestamp}:{body}",
    tolerance=300,
    handshake=echo_challenge(when={"type": "url_verification"}),
    secret_hint="the app's Signing Secret (Basic Information page), as text",
    docs_url="https://docs.slack.dev/authentication/verifying-requests-from-slack/",
)
