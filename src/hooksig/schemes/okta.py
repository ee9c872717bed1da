"""
Okta event hooks: the value you configured, in ``Authorization``; no signature.

Source: https://developer.okta.com/docs/concepts/event-hooks/ (the
authentication field and its secret are "a text string you decide on", sent
as-is) and Okta's verification request,
https://support.okta.com/help/s/article/Unable-to-verify-event-hook-Hook-hook-name-execution-failed
(a one-time GET with ``X-Okta-Verification-Challenge``, to be answered with
``{"verification": "<value>"}``).

The body is not signed.  A matching value proves only that the sender
knows it: anyone who sees one request can forge any body and replay any
old one.  hooksig compares it exactly as configured, in constant time,
through SHA-256 digests.  The verification GET carries the same header, so
:meth:`hooksig.Verifier.handshake` answers it only after that check.

Not yet through the adapters: they answer ``GET`` with 405 before verifying,
so Okta's one-time verification request does not reach the handshake.  Until
they do, answer it in a ``GET`` route of your own: verify the request with
:meth:`hooksig.Verifier.verify` and send back what
:meth:`hooksig.Verifier.handshake` returns for that delivery.
Okta's ``X-Okta-Request-Id`` header names each request (not stable across
retries); events in ``data.events[]`` carry their own ``uuid``.

Delivery id: the body's ``eventId`` (the event hook request's own id in Okta's
sample request), else the SHA-256 of the body.
"""

from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf, HmacScheme, echo_header

SCHEME = HmacScheme(
    name="okta",
    signature_header="Authorization",
    construction="token",
    handshake=echo_header(header="X-Okta-Verification-Challenge", reply_field="verification"),
    secret_hint="the event hook's authentication secret, exactly as configured",
    docs_url="https://developer.okta.com/docs/concepts/event-hooks/",
    id_source=FirstOf(BodyField("eventId"), BodyDigest()),
    evidence=Evidence(
        kind="none",
        against="no signature to check: the Authorization value compared as configured, and "
        "Okta's verification GET, per Okta's event hook docs",
        tests=("tests/schemes/test_okta.py",),
    ),
)
