"""
Acme: HMAC-SHA256 over ``<t>.<body>``, hex, in ``Acme-Signature: t=<unix>,v1=<hex>``.

A made-up provider, declared in its own distribution from hooksig's public
building blocks only, as a built-in provider module is.

Delivery id: the body's ``event.id``, else the SHA-256 of the body.
Handshake: ``{"type": "challenge", "challenge": ...}`` is echoed back.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme, Pairs
from hooksig.scheme.handshake import echo_challenge

SCHEME = HmacScheme(
    name="acme-plugin",
    signature_header="Acme-Signature",
    signature_format=Pairs(timestamp_key="t", separator=","),
    version="v1",
    algorithm="sha256",
    encoding="hex",
    content="{timestamp}.{body}",
    id_source=FirstOf(BodyField("event.id"), BodyDigest()),
    handshake=echo_challenge(when={"type": "challenge"}),
    secret_hint="the Acme endpoint secret, as text",
    docs_url="https://acme.example/webhooks",
    evidence=Evidence(kind="none", against="made up for hooksig's plugin test"),
)
