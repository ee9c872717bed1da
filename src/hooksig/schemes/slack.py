"""
Slack: HMAC-SHA256 over ``v0:<timestamp>:<body>``, hex, in ``X-Slack-Signature: v0=<hex>``.

Source: https://docs.slack.dev/authentication/verifying-requests-from-slack/
(and python-slack-sdk ``slack_sdk/signature/__init__.py``, ``SignatureVerifier``).

Recipe: ``"v0=" + hex(HMAC-SHA256(signing_secret, "v0:" + timestamp + ":" + body))``,
the timestamp from ``X-Slack-Request-Timestamp``.
The key is the app's signing secret as text; the timestamp is Unix seconds
and the SDK refuses one more than five minutes away, in either direction.

Handshake: the Events API checks a new Request URL with a signed
``{"type": "url_verification", "challenge": ...}``; :meth:`hooksig.Verifier.handshake`
answers it with the challenge as text/plain.

Delivery id: for the Events API, the body's ``event_id``, a required field
of Slack's event wrapper (https://api.slack.com/types/event; that retries,
marked ``X-Slack-Retry-Num``, keep it is third-party).  A slash command
posts a form whose ``trigger_id`` is made per invocation
(https://api.slack.com/interactivity/slash-commands#app_command_handling).  Anything
else (interactivity's ``payload`` form) gets the SHA-256 of the body, which
holds the per-interaction ``trigger_id``; never the timestamp.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, FormField, HmacScheme
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
    id_source=FirstOf(BodyField("event_id"), FormField("trigger_id"), BodyDigest()),
    handshake=echo_challenge(when={"type": "url_verification"}),
    secret_hint="the app's Signing Secret (Basic Information page), as text",
    docs_url="https://docs.slack.dev/authentication/verifying-requests-from-slack/",
    evidence=Evidence(
        kind="both",
        against="Slack's documented example and slack-sdk, both ways",
        tests=(
            "tests/schemes/test_slack.py",
            "tests/schemes/test_slack_sdk.py",
        ),
    ),
)
