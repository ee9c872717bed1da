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
through SHA-256 digests.

The verification GET carries the same ``Authorization``, so the scheme
answers it by default (:func:`hooksig.scheme.challenge.echo_header`), and
only after that check; every adapter answers it before your handler runs.
Declare the route for ``GET`` as well as ``POST`` (Flask
``methods=["GET", "POST"]``, FastAPI ``api_route(..., methods=["GET", "POST"])``);
outside the adapters, :meth:`hooksig.Verifier.challenge` returns the answer.

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
    challenge=echo_header(header="X-Okta-Verification-Challenge", reply_field="verification"),
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
