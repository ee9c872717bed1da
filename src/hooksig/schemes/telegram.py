"""
Telegram Bot API: the ``secret_token`` itself in ``X-Telegram-Bot-Api-Secret-Token``.

Source: https://core.telegram.org/bots/api#setwebhook ("If specified, the
request will contain a header X-Telegram-Bot-Api-Secret-Token with the
secret token as content"; 1-256 characters of ``A-Z``, ``a-z``, ``0-9``,
``_`` and ``-``).

The body is not signed.  A matching token proves only that the sender
knows a secret that travels in every request: anyone who sees one request
(a proxy, a log line) can forge any body and replay any old one, and no
timestamp bounds replay.  hooksig compares the token in constant time,
through SHA-256 digests so its length does not leak either.  Use HTTPS,
keep the token out of logs, and let the idempotency guard key on the
body's ``update_id`` (Telegram retries an update with the same id).

Delivery id: the update's ``update_id`` (a number, as its decimal text), else the
SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme

SCHEME = HmacScheme(
    name="telegram",
    signature_header="X-Telegram-Bot-Api-Secret-Token",
    construction="token",
    secret_hint="the secret_token given to setWebhook",
    docs_url="https://core.telegram.org/bots/api#setwebhook",
    id_source=FirstOf(BodyField("update_id"), BodyDigest()),
    evidence=Evidence(
        kind="none",
        against="no signature to check: the token is compared as configured, per the Bot API's "
        "setWebhook",
        tests=("tests/schemes/test_telegram.py",),
    ),
)
