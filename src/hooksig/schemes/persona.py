"""
Persona: ``Persona-Signature: t=<s>,v1=<hex HMAC-SHA256(secret, t.body)>``.

Source: https://docs.withpersona.com/docs/webhooks-best-practices
(during a secret rotation "the Persona-Signature header will contain two
space-separated sets of the key-value pairs").

Each set is ``t=`` (Unix seconds) and ``v1=``; hooksig reads every set and
requires them to carry the same timestamp, since one timestamp is checked
against the window (sets with different timestamps are refused as
malformed).  Persona sets no window: hooksig's default, 300 seconds, is
its own choice.  The key is the webhook secret's text (``wbhsec_...``).
Persona may deliver an event twice and out of order: the idempotency
guard keys on the event's ``data.id``.

Delivery id: the event's ``data.id``, else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, Groups, HmacScheme, Pairs

SCHEME = HmacScheme(
    name="persona",
    signature_header="Persona-Signature",
    signature_format=Groups(Pairs(timestamp_key="t", separator=","), separator=" "),
    version="v1",
    encoding="hex",
    content="{timestamp}.{body}",
    secret_hint="the webhook's secret (wbhsec_...), as text",
    docs_url="https://docs.withpersona.com/docs/webhooks-best-practices",
    id_source=FirstOf(BodyField("data.id"), BodyDigest()),
    evidence=Evidence(
        kind="none",
        against="Persona publishes no vector or server SDK; recipe from its webhook best practices",
        tests=("tests/schemes/test_persona.py",),
    ),
)
