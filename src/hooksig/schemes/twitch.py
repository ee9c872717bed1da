"""
Twitch EventSub: HMAC-SHA256 over ``<message id><timestamp><body>``, hex, ``sha256=`` prefix.

Sources: https://dev.twitch.tv/docs/eventsub/handling-webhook-events;
twitchdev/twitch-cli@fd7dac6 ``internal/events/trigger/forward_event.go``
(``getSignatureHeader``, how Twitch's CLI signs mock events);
twitchdev/eventsub-webhooks-node-sample@6c2a8f5 ``index.js``.

Headers: ``Twitch-Eventsub-Message-Signature``, ``-Id``, ``-Timestamp``
(RFC 3339, nanoseconds) and ``-Type``.  The signed content is the id, then
the timestamp text, then the raw body, as both of Twitch's own programs
above sign and check it.  The key is the subscription's ``secret``.  The
replay window Twitch suggests is UNCONFIRMED; hooksig's 300-second default
applies.

Handshake: ``webhook_callback_verification`` is answered with the body's
``challenge`` as text/plain by :meth:`hooksig.Verifier.handshake`.
``sign()`` writes a ``notification`` (``Twitch-Eventsub-Message-Type``), as
Twitch sends events; set that header to ``webhook_callback_verification``
to sign a challenge.

Delivery id: ``Twitch-Eventsub-Message-Id``, which is signed; notifications
are sent at least once, and a resend keeps the message id
(https://dev.twitch.tv/docs/eventsub/, "Handling duplicate events").
"""

from hooksig.scheme import Evidence, HmacScheme
from hooksig.scheme.handshake import echo_challenge

SCHEME = HmacScheme(
    name="twitch",
    signature_header="Twitch-Eventsub-Message-Signature",
    prefix="sha256=",
    algorithm="sha256",
    encoding="hex",
    timestamp_header="Twitch-Eventsub-Message-Timestamp",
    timestamp_unit="rfc3339",
    id_header="Twitch-Eventsub-Message-Id",
    content="{id}{timestamp}{body}",
    handshake=echo_challenge(
        header=("Twitch-Eventsub-Message-Type", "webhook_callback_verification")
    ),
    sent_headers=(("Twitch-Eventsub-Message-Type", "notification"),),
    secret_hint="the subscription's secret (10 to 100 characters), as text",
    docs_url="https://dev.twitch.tv/docs/eventsub/handling-webhook-events",
    evidence=Evidence(
        kind="none",
        against="Twitch publishes no vector or Python/Node SDK; recipe from its docs and its "
        "CLI's signing code",
        tests=("tests/schemes/test_twitch.py",),
    ),
)
