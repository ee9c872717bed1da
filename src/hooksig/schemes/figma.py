"""
Figma: the webhook's ``passcode`` in the JSON body; no signature.

Source: https://developers.figma.com/docs/rest-api/webhooks-security/
(every event carries the passcode set when the webhook was created, up to
100 characters; Figma redacts it elsewhere).

The body is not signed.  The passcode travels inside the body it is meant
to vouch for, so it also lands wherever bodies are logged; a matching
passcode proves only that the sender knows it: anyone who sees one event
can forge any body and replay any old one.  hooksig compares it in
constant time, through SHA-256 digests.  Figma says to answer a wrong
passcode with 400, which "will immediately stop the webhook": map this
scheme's refusals to 400 in your adapter's outcomes if you want that.
Figma sends no delivery id; the body's ``webhook_id``, ``event_type`` and
``timestamp`` describe the event.

Delivery id: none is sent, so the key is the SHA-256 of the body
(:class:`~hooksig.scheme.BodyDigest`): byte-identical bodies share a key,
and a retry whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="figma",
    signature_header="body.passcode",
    construction="token",
    secret_hint="the passcode set when the webhook was created",
    docs_url="https://developers.figma.com/docs/rest-api/webhooks-security/",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="no signature to check: the body's passcode compared as configured, per Figma's "
        "webhook security docs",
        tests=("tests/schemes/test_figma.py",),
    ),
)
