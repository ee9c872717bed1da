"""The signing helpers, the frozen clock and the framework client of hooksig.testing."""

from __future__ import annotations

import base64
import dataclasses
import json
import subprocess
import sys
import urllib.parse
from typing import Any

import pytest

import hooksig
from hooksig.idempotency import Idempotency, MemoryStore
from hooksig.testing import (
    TEST_NOW,
    TEST_SECRET,
    TEST_URL,
    FrozenClock,
    SignedDelivery,
    Signer,
    WebhookClient,
    equivalent_bodies,
    sample_body,
)

NAMES = hooksig.schemes.names()


@pytest.mark.parametrize("name", NAMES)
def test_signer_round_trips_chosen_timestamp_for_every_scheme(name: str) -> None:
    """A Signer delivery verifies at its timestamp and reports the signed time, for all schemes."""
    delivery = Signer(name).delivery(timestamp=TEST_NOW)
    verified = delivery.verify()
    assert verified.scheme == hooksig.schemes.get(name).name
    assert verified.timestamp in (None, TEST_NOW)
    assert delivery.now == TEST_NOW


def test_signer_defaults_to_the_test_secret() -> None:
    """Without a secret, a Signer signs with TEST_SECRET."""
    delivery = Signer("github").delivery(b"{}", id="d-1")
    assert (
        hooksig.Verifier("github", secret=TEST_SECRET).verify(delivery.body, delivery.headers).id
        == "d-1"
    )


def test_signer_uses_the_given_secret() -> None:
    """A delivery signed with one secret is refused by a verifier holding another."""
    delivery = Signer("github", secret="another-secret-0123456789abcdef").delivery(b"{}")
    with pytest.raises(hooksig.InvalidSignature):
        hooksig.Verifier("github", secret=TEST_SECRET).verify(delivery.body, delivery.headers)


def test_whsec_secret_is_used_as_given() -> None:
    """A whsec_ secret is kept as is; a raw secret is base64-encoded for Standard Webhooks."""
    whsec = "whsec_" + base64.b64encode(b"k" * 32).decode()
    delivery = Signer("standard-webhooks", secret=whsec).delivery(b"{}", timestamp=1, id="m1")
    mine = hooksig.Verifier("standard-webhooks", secret=whsec)
    assert delivery.verify(mine).body == b"{}"
    raw = Signer("standard-webhooks", secret=b"k" * 32).delivery(b"{}", timestamp=1, id="m1")
    assert raw.headers == delivery.headers


def test_signer_chosen_id_is_sent_and_verified() -> None:
    """The id given to delivery() is the header's and the verified delivery's id."""
    delivery = Signer("github").delivery(b"{}", id="72d3162e-cc78-11e3")
    assert delivery.headers["X-GitHub-Delivery"] == "72d3162e-cc78-11e3"
    assert delivery.verify().id == "72d3162e-cc78-11e3"


def test_signer_timestamp_defaults_to_its_clock() -> None:
    """Without a timestamp, the signer stamps the time of its clock."""
    clock = FrozenClock(1_600_000_000)
    delivery = Signer("stripe", clock=clock).delivery(b"{}")
    assert delivery.headers["Stripe-Signature"].startswith("t=1600000000,")
    assert delivery.timestamp == 1_600_000_000


def test_signer_with_signing_key_signs_for_its_public_key() -> None:
    """A Signer given a private key signs what the matching public key verifies."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    seed = bytes(range(32))
    public = (
        ed25519.Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        .hex()
    )
    delivery = Signer("discord", signing_key=seed).delivery(b"{}", timestamp=TEST_NOW)
    verifier = hooksig.Verifier("discord", public_key=public)
    assert delivery.verify(verifier).body == b"{}"


def test_signer_with_an_app_verifier_signs_for_it() -> None:
    """Signer(verifier=...) signs with that verifier, so the application accepts the delivery."""
    app_verifier = hooksig.Verifier("slack", secret="slack-secret-0123456789abcdef01")
    delivery = Signer("slack", verifier=app_verifier).delivery(b"{}", timestamp=TEST_NOW)
    assert delivery.verifier is app_verifier
    assert app_verifier.verify(delivery.body, delivery.headers, now=TEST_NOW).scheme == "slack"


def test_signer_refuses_verifier_with_key_options() -> None:
    """A verifier together with a secret is refused: one of them would be ignored."""
    verifier = Signer("github").verifier
    with pytest.raises(hooksig.ConfigurationError):
        Signer("github", verifier=verifier, secret=TEST_SECRET)


def test_signer_refuses_a_verifier_of_another_scheme() -> None:
    """A verifier for another scheme is refused."""
    with pytest.raises(hooksig.ConfigurationError, match="github"):
        Signer("stripe", verifier=Signer("github").verifier)


def test_url_for_joins_the_public_url_as_the_verifier_does() -> None:
    """url_for() joins public_url and the path exactly as the application's verifier rebuilds it."""
    signer = Signer("twilio", public_url="https://example.com")
    delivery = signer.delivery(timestamp=TEST_NOW, path="/hooks/twilio?x=1")
    assert delivery.url == "https://example.com/hooks/twilio?x=1"
    assert delivery.path == "/hooks/twilio?x=1"
    app = hooksig.Verifier("twilio", secret=TEST_SECRET, public_url="https://example.com")
    assert app.verify(delivery.body, delivery.headers, path=delivery.path).body == delivery.body


@pytest.mark.parametrize("name", ["twilio", "twilio-sha256", "square", "hubspot", "trello"])
def test_signer_path_replaces_the_test_url_path(name: str) -> None:
    """delivery(path=...) signs the origin of TEST_URL plus the path, not the two joined."""
    delivery = Signer(name).delivery({"Body": "hi"}, timestamp=TEST_NOW, path="/hooks/sms")
    assert delivery.url == "https://example.com/hooks/sms"
    assert delivery.path == "/hooks/sms"
    assert delivery.verify().body == delivery.body


@pytest.mark.parametrize("name", ["twilio", "square", "hubspot-v2"])
def test_signer_verifier_rebuilds_the_signed_url_from_the_path(name: str) -> None:
    """signer.verifier, handed to an adapter, rebuilds the signed URL from the request path."""
    signer = Signer(name)
    for path in (None, "/hooks/sms?x=1"):
        delivery = signer.delivery({"Body": "hi"}, timestamp=TEST_NOW, path=path)
        verified = signer.verifier.verify(
            delivery.body, delivery.headers, path=delivery.path, now=TEST_NOW
        )
        assert verified.body == delivery.body


@pytest.mark.parametrize("name", ["twilio", "square"])
def test_signer_for_an_app_with_a_base_public_url(name: str) -> None:
    """An application verifier with a base public_url accepts what its Signer signs for a path."""
    app = hooksig.Verifier(name, secret=TEST_SECRET, public_url="https://shop.example")
    delivery = Signer(name, verifier=app).delivery({"Body": "hi"}, path="/hooks/sms")
    assert delivery.url == "https://shop.example/hooks/sms"
    assert app.verify(delivery.body, delivery.headers, path="/hooks/sms", now=delivery.now)


def test_url_for_replaces_the_path_of_an_explicit_url() -> None:
    """With url= given to the signer, the path replaces the URL's path and query."""
    signer = Signer("square", url="https://hooks.example.org/a?b=1")
    assert signer.url_for() == "https://hooks.example.org/a?b=1"
    assert signer.url_for("/square") == "https://hooks.example.org/square"


def test_twilio_form_must_match_the_signed_url() -> None:
    """A Twilio delivery checked against another URL is refused: the URL is signed."""
    delivery = Signer("twilio").delivery({"Body": "hi"}, timestamp=TEST_NOW)
    with pytest.raises(hooksig.InvalidSignature):
        delivery.verifier.verify(delivery.body, delivery.headers, url="https://evil.example/")


def test_dict_body_is_json_for_most_schemes_and_a_form_for_twilio() -> None:
    """A dict becomes JSON for GitHub and a URL-encoded form for Twilio."""
    github = Signer("github").delivery({"a": 1}, timestamp=TEST_NOW)
    twilio = Signer("twilio").delivery({"Body": "hi there", "From": "+1"}, timestamp=TEST_NOW)
    assert json.loads(github.body) == {"a": 1}
    assert github.content_type == "application/json"
    assert urllib.parse.parse_qs(twilio.body.decode()) == {"Body": ["hi there"], "From": ["+1"]}
    assert twilio.content_type == "application/x-www-form-urlencoded"


def test_linear_dict_body_gets_the_signed_timestamp_in_milliseconds() -> None:
    """A dict body for Linear carries webhookTimestamp, in milliseconds, and verifies."""
    delivery = Signer("linear").delivery({"action": "create"}, timestamp=TEST_NOW)
    assert json.loads(delivery.body)["webhookTimestamp"] == TEST_NOW * 1000
    assert delivery.verify().timestamp == TEST_NOW


def test_mailgun_signature_is_placed_in_the_body() -> None:
    """Mailgun's signature, timestamp and token go into the JSON body, not headers."""
    delivery = Signer("mailgun").delivery({"event-data": {}}, timestamp=TEST_NOW, id="tok1")
    signature = json.loads(delivery.body)["signature"]
    assert delivery.headers == {}
    assert signature["token"] == "tok1"
    assert signature["timestamp"] == str(TEST_NOW)
    assert delivery.verify().id == "tok1"


def test_mailgun_refuses_a_body_that_is_not_a_json_object() -> None:
    """Signing Mailgun over a non-object body is a ConfigurationError, not a broken delivery."""
    with pytest.raises(hooksig.ConfigurationError, match="JSON object"):
        Signer("mailgun").delivery(b"[1, 2]", timestamp=TEST_NOW)


def test_bytes_body_is_sent_exactly() -> None:
    """Bytes are signed and sent byte for byte; text is UTF-8 encoded."""
    raw = b'{"a":1,  "b":2}'
    assert Signer("github").delivery(raw).body == raw
    assert Signer("github").delivery("caf\u00e9").body == "caf\u00e9".encode()


def test_sample_body_is_a_form_for_twilio_and_json_otherwise() -> None:
    """sample_body() gives a Twilio form and a JSON event for the others."""
    assert urllib.parse.parse_qs(sample_body("twilio", timestamp=TEST_NOW).decode())["Body"]
    assert json.loads(sample_body("stripe", timestamp=TEST_NOW))["type"] == "sample.event"


def test_signed_delivery_request_kwargs() -> None:
    """request holds url=, plus method= when it is not POST."""
    delivery = Signer("github").delivery(b"{}")
    assert delivery.request == {"url": TEST_URL}
    assert dataclasses.replace(delivery, method="PUT").request == {"url": TEST_URL, "method": "PUT"}


def test_signed_delivery_is_frozen() -> None:
    """A SignedDelivery cannot be changed in place."""
    delivery = Signer("github").delivery(b"{}")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delivery.body = b"x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "one", "two", "same"),
    [
        ("github", b"a", b"a", True),
        ("github", b"a", b"b", False),
        ("twilio", b"a=1&b=2", b"b=2&a=1", True),
        ("twilio", b"a=1&b=2", b"a=1&b=3", False),
        ("twilio", b"\xff", b"\xff", False),
        ("trello", "\u2013".encode(), "\u0113".encode(), True),
        ("trello", b"a", b"b", False),
        ("gitlab", b"a", b"b", True),
        (
            "mailgun",
            b'{"signature": {"token": "t"}, "x": 1}',
            b'{"signature": {"token": "t"}}',
            False,
        ),
    ],
)
def test_equivalent_bodies(name: str, one: bytes, two: bytes, same: bool) -> None:
    """equivalent_bodies() follows what each provider signs."""
    assert equivalent_bodies(name, one, two) is same


def test_mailgun_bodies_with_the_same_signature_fields_are_equivalent() -> None:
    """Mailgun signs only its signature fields: other event data may differ."""
    delivery = Signer("mailgun").delivery({"event-data": {"a": 1}}, timestamp=TEST_NOW)
    document = json.loads(delivery.body)
    document["event-data"] = {"a": 2}
    other = json.dumps(document).encode()
    assert equivalent_bodies("mailgun", delivery.body, other)
    assert dataclasses.replace(delivery, body=other).verify().body == other


def test_frozen_clock_stands_still_until_moved() -> None:
    """The clock returns the same time until advanced, and .now can be set."""
    clock = FrozenClock(100)
    assert clock() == clock() == 100.0
    assert clock.advance(5.5) == 105.5
    assert clock.advance(-10) == 95.5
    clock.now = 7
    assert clock() == 7
    assert repr(clock) == "FrozenClock(7)"


def test_frozen_clock_defaults_to_the_current_second() -> None:
    """Without a start, the clock starts at the current whole second."""
    import time

    before = int(time.time())
    now = FrozenClock().now
    assert before <= now <= time.time()
    assert now == int(now)


def test_frozen_clock_drives_a_verifier_window() -> None:
    """A verifier on the clock accepts a fresh delivery and refuses it once the clock moves on."""
    clock = FrozenClock(TEST_NOW)
    signer = Signer("stripe", clock=clock)
    delivery = signer.delivery(b"{}")
    assert signer.verifier.verify(delivery.body, delivery.headers).timestamp == TEST_NOW
    clock.advance(301)
    with pytest.raises(hooksig.TimestampOutOfTolerance):
        signer.verifier.verify(delivery.body, delivery.headers)


def test_frozen_clock_drives_memory_store_leases() -> None:
    """A MemoryStore on the clock frees a claim only once the clock passes the lease."""
    clock = FrozenClock(0)
    guard = Idempotency(MemoryStore(clock=clock), lease=30)
    lease = guard.claim("evt_1")
    lease.__enter__()
    with pytest.raises(hooksig.DuplicateDelivery):
        guard.claim("evt_1").__enter__()
    clock.advance(31)
    with guard.claim("evt_1"):
        pass


def test_public_names_live_in_hooksig_testing() -> None:
    """Public classes report hooksig.testing as their module, for docs and reprs."""
    for cls in (FrozenClock, SignedDelivery, Signer, WebhookClient):
        assert cls.__module__ == "hooksig.testing"


def test_import_pulls_no_hypothesis_pytest_or_framework() -> None:
    """import hooksig.testing imports neither Hypothesis, pytest nor any web framework."""
    code = (
        "import sys, hooksig.testing\n"
        "heavy = {'hypothesis', 'pytest', '_pytest', 'flask', 'werkzeug', 'django', "
        "'starlette', 'fastapi', 'httpx'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# --- WebhookClient -----------------------------------------------------------------------------


def _flask_app(verifier: hooksig.Verifier) -> Any:
    from flask import Flask

    from hooksig.integrations.flask import webhook

    app = Flask(__name__)

    @app.post("/hooks/github")
    @webhook(verifier)
    def github(delivery: hooksig.Delivery) -> str:
        return str(delivery.id)

    return app


def test_client_posts_to_a_flask_app() -> None:
    """send() reaches a Flask handler with the chosen id; a forged delivery gets 403."""
    app = _flask_app(hooksig.Verifier("github", secret=TEST_SECRET))
    client = WebhookClient(app)
    response = client.send("github", {"zen": "hi"}, path="/hooks/github", id="d-7")
    assert (response.status_code, response.get_data()) == (200, b"d-7")
    forged = Signer("github", secret="not-the-app-secret-0123456789ab").delivery(b"{}")
    assert client.post(forged, path="/hooks/github").status_code == 403


def test_client_accepts_a_flask_test_client() -> None:
    """A Flask test client is used as it is."""
    app = _flask_app(hooksig.Verifier("github", secret=TEST_SECRET))
    client = WebhookClient(app.test_client())
    assert client.send("github", b"{}", path="/hooks/github").status_code == 200


def test_client_extra_headers_override() -> None:
    """Extra headers go after the delivery's: overriding the signature makes it fail."""
    app = _flask_app(hooksig.Verifier("github", secret=TEST_SECRET))
    delivery = Signer("github").delivery(b"{}", path="/hooks/github")
    response = WebhookClient(app).post(delivery, headers={"X-Hub-Signature-256": "sha256=00"})
    assert response.status_code == 403


def _plain_wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["wsgi.input"].read()]


async def _plain_asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def test_client_posts_to_wsgi_middleware() -> None:
    """A WSGI application (the WSGI middleware) gets the exact body through Werkzeug's client."""
    from hooksig.integrations.wsgi import WebhookMiddleware

    verifier = hooksig.Verifier("stripe", secret=TEST_SECRET)
    app = WebhookMiddleware(_plain_wsgi, {"/hooks/stripe": verifier})
    delivery = Signer("stripe").delivery(b'{"a": 1}', path="/hooks/stripe")
    response = WebhookClient(app).post(delivery)
    assert (response.status_code, response.get_data()) == (200, b'{"a": 1}')


def test_client_posts_to_asgi_middleware_and_closes() -> None:
    """An ASGI application gets the delivery through Starlette's client; stale ones get 403."""
    from hooksig.integrations.asgi import WebhookMiddleware

    verifier = hooksig.Verifier("stripe", secret=TEST_SECRET)
    app = WebhookMiddleware(_plain_asgi, {"/hooks/stripe": verifier})
    with WebhookClient(app) as client:
        delivery = Signer("stripe").delivery(b'{"a": 1}', path="/hooks/stripe")
        response = client.post(delivery)
        assert (response.status_code, response.content) == (200, b'{"a": 1}')
        stale = Signer("stripe").delivery(b"{}", path="/hooks/stripe", timestamp=TEST_NOW)
        assert client.post(stale).status_code == 403


def test_client_refuses_what_is_not_an_application() -> None:
    """Something that is neither an application nor a test client is a TypeError."""
    with pytest.raises(TypeError, match="cannot post"):
        WebhookClient(42)
