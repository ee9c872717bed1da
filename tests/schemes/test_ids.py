"""Where each built-in provider's delivery id comes from: the facts its module docstring cites."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

import hooksig
from hooksig import Delivery

SECRET = "a secret of thirty-two bytes....."


def _id(name: str, body: bytes, headers: dict[str, str] | None = None) -> str | None:
    """The id the scheme's declared source reads from a delivery of *body* and *headers*."""
    source = hooksig.schemes.get(name).info.id_source
    assert source is not None
    return source(Delivery(name, None, None, "0", body, headers or {}))


def _digest(body: bytes) -> str:
    return "body:" + hashlib.sha256(body).hexdigest()


def test_every_builtin_declares_where_its_id_comes_from() -> None:
    """No built-in scheme leaves the guard without a key."""
    for name in hooksig.schemes.names():
        assert hooksig.schemes.get(name).info.id_source is not None, name


@pytest.mark.parametrize("name", ["hubspot", "hubspot-v1", "hubspot-v2"])
def test_hubspot_batches_less_the_attempt_number(name: str) -> None:
    """A retried batch (attemptNumber up, items reordered) keeps its key; other events do not."""
    events = [
        {"eventId": 1, "subscriptionId": 7, "portalId": 9, "occurredAt": 1, "attemptNumber": 0},
        {"eventId": 2, "subscriptionId": 7, "portalId": 9, "occurredAt": 2, "attemptNumber": 0},
    ]
    retry = [{**event, "attemptNumber": 4} for event in reversed(events)]
    other = [{**events[0], "eventId": 3}, events[1]]
    first = _id(name, json.dumps(events).encode())
    assert first is not None
    assert first.startswith("items:")
    assert _id(name, json.dumps(retry).encode()) == first
    assert _id(name, json.dumps(other).encode()) != first


def test_sendgrid_keys_on_its_event_ids() -> None:
    """The sorted sg_event_ids; a batch where one lacks it falls back to the body's digest."""
    batch = [{"sg_event_id": "a", "event": "open"}, {"sg_event_id": "b", "event": "click"}]
    same = [{"event": "click", "sg_event_id": "b"}, {"sg_event_id": "a", "event": "open"}]
    assert _id("sendgrid", json.dumps(batch).encode()) == _id("sendgrid", json.dumps(same).encode())
    lacking = json.dumps([{"event": "open"}]).encode()
    assert _id("sendgrid", lacking) == _digest(lacking)


def test_trello_action_and_model() -> None:
    """One action seen by two webhooks (board, card) gives two keys."""
    board = b'{"action": {"id": "act1"}, "model": {"id": "board1"}}'
    card = b'{"action": {"id": "act1"}, "model": {"id": "card1"}}'
    assert (_id("trello", board), _id("trello", card)) == ("act1:board1", "act1:card1")


@pytest.mark.parametrize("name", ["twilio", "twilio-sha256"])
def test_twilio_idempotency_token_else_the_signed_fields(name: str) -> None:
    """The token header when sent; else the body, so two status callbacks of one message differ."""
    sent = b"MessageSid=SM1&MessageStatus=sent"
    delivered = b"MessageSid=SM1&MessageStatus=delivered"
    assert _id(name, sent, {"I-Twilio-Idempotency-Token": "tok-1"}) == "tok-1"
    assert _id(name, sent) == _digest(sent)
    assert _id(name, sent) != _id(name, delivered)


def test_slack_event_id_trigger_id_or_the_body() -> None:
    """Events API event_id; a slash command's trigger_id; interactivity's form body digested."""
    assert _id("slack", b'{"type": "event_callback", "event_id": "Ev1"}') == "Ev1"
    assert _id("slack", b"command=%2Fdeploy&trigger_id=1.2.ab") == "1.2.ab"
    interactive = b"payload=%7B%22trigger_id%22%3A%221.2.c%22%7D"
    assert _id("slack", interactive) == _digest(interactive)


def test_gitlab_prefers_the_idempotency_key() -> None:
    """Idempotency-Key, then X-Gitlab-Webhook-UUID; never X-Gitlab-Event-UUID."""
    headers = {"Idempotency-Key": "k1", "X-Gitlab-Webhook-UUID": "w1", "X-Gitlab-Event-UUID": "e"}
    assert _id("gitlab", b"{}", headers) == "k1"
    assert _id("gitlab", b"{}", {"X-Gitlab-Webhook-UUID": "w1", "X-Gitlab-Event-UUID": "e"}) == "w1"
    assert _id("gitlab", b"{}", {"X-Gitlab-Event-UUID": "e"}) == _digest(b"{}")


def test_woocommerce_keys_on_the_webhook_and_the_body() -> None:
    """The per-second delivery id is ignored; the webhook id and the body make the key."""
    body = b'{"id": 5}'
    one = _id("woocommerce", body, {"X-WC-Webhook-ID": "1", "X-WC-Webhook-Delivery-ID": "x"})
    assert one == _id(
        "woocommerce", body, {"X-WC-Webhook-ID": "1", "X-WC-Webhook-Delivery-ID": "y"}
    )
    assert one != _id("woocommerce", body, {"X-WC-Webhook-ID": "2"})


@pytest.mark.parametrize(
    ("name", "ignored", "used"),
    [
        ("sentry", {"Request-ID": "r1"}, None),
        ("bitbucket", {"X-Hook-UUID": "hook"}, None),
        ("bitbucket", {"X-Request-UUID": "req1"}, "req1"),
        ("zendesk", {"X-Zendesk-Webhook-Id": "hook"}, None),
        ("zendesk", {"X-Zendesk-Webhook-Invocation-Id": "inv1"}, "inv1"),
        ("shopify", {"X-Shopify-Webhook-Id": "wh1"}, None),
        (
            "shopify",
            {"X-Shopify-Event-Id": "ev1", "X-Shopify-Topic": "orders/paid"},
            "ev1:orders/paid",
        ),
        ("razorpay", {"X-Razorpay-Event-Id": "evt1"}, "evt1"),
        ("jira", {"X-Atlassian-Webhook-Identifier": "j1"}, "j1"),
    ],
)
def test_header_ids(name: str, ignored: dict[str, str], used: str | None) -> None:
    """Headers that name a webhook or change per request are never the key."""
    body = b'{"n": 1}'
    assert _id(name, body, ignored) == (used or _digest(body))


def test_body_ids() -> None:
    """Coinbase's event.id (not the webhook event's id); Mailgun's event-data.id, else its token."""
    assert _id("coinbase-commerce", b'{"id": "hook", "event": {"id": "evt"}}') == "evt"
    mailgun = {"signature": {"token": "t" * 50}, "event-data": {"id": "ev1"}}
    assert _id("mailgun", json.dumps(mailgun).encode()) == "ev1"
    del mailgun["event-data"]
    assert _id("mailgun", json.dumps(mailgun).encode()) == "t" * 50


def test_dropbox_never_merges_two_notifications() -> None:
    """Identical notifications are normal: each gets its own key."""
    body = b'{"list_folder": {"accounts": ["dbid:1"]}}'
    assert _id("dropbox", body) != _id("dropbox", body)


def test_a_genuine_stripe_body_without_an_id_is_keyed_by_its_digest() -> None:
    """Through verify(): never a None id (which the guard would answer with a 500)."""
    verifier = hooksig.Verifier("stripe", secret=SECRET)
    body = b'{"object": "event"}'
    now = int(time.time())
    delivery = verifier.verify(body, verifier.sign(body, timestamp=now), now=now)
    assert delivery.id == _digest(body)


def test_line_keys_on_its_event_ids_through_a_redelivery() -> None:
    """Redelivered events keep their webhookEventId; isRedelivery changes, the key does not."""
    first = {"destination": "U1", "events": [{"webhookEventId": "01A", "deliveryContext": {}}]}
    again = {
        "destination": "U1",
        "events": [{"webhookEventId": "01A", "deliveryContext": {"isRedelivery": True}}],
    }
    other = {"destination": "U1", "events": [{"webhookEventId": "01B"}]}
    key = _id("line", json.dumps(first).encode())
    assert key is not None
    assert key.startswith("items:")
    assert _id("line", json.dumps(again).encode()) == key
    assert _id("line", json.dumps(other).encode()) != key
    check = b'{"destination": "U1", "events": []}'  # the console's check: no events
    assert _id("line", check) == _digest(check)


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("checkout", b'{"id": "evt_1"}', "evt_1"),
        ("dixa", b'{"event_id": "e-1", "data": {}}', "e-1"),
        ("easypost", b'{"id": "evt_2"}', "evt_2"),
        ("gocardless", b'{"events": [], "meta": {"webhook_id": "WB1"}}', "WB1"),
        ("mollie", b'{"id": "event_3"}', "event_3"),
        ("notion", b'{"id": "n-4"}', "n-4"),
        ("okta", b'{"eventId": "ok-5", "data": {}}', "ok-5"),
        ("persona", b'{"data": {"id": "evt_6"}}', "evt_6"),
        ("recurly", b'{"id": "r7"}', "r7"),
        ("segment", b'{"messageId": "m8", "id": "x"}', "m8"),
        ("square-sha1", b'{"event_id": "sq9"}', "sq9"),
        ("telegram", b'{"update_id": 10, "message": {}}', "10"),
        ("workos", b'{"id": "event_11"}', "event_11"),
    ],
)
def test_new_providers_body_ids(name: str, body: bytes, expected: str) -> None:
    """Each provider's own event id, read from the verified body; without it, the digest."""
    assert _id(name, body) == expected
    assert _id(name, b'{"other": 1}') == _digest(b'{"other": 1}')


@pytest.mark.parametrize(
    "name",
    [
        "airtable",
        "auth0",
        "basic-auth",
        "cal-com",
        "cashfree",
        "clickup",
        "cloudflare",
        "docusign",
        "figma",
        "grafana",
        "grafana-timestamped",
        "onfido",
        "revolut",
        "supabase-db",
        "webflow",
    ],
)
def test_providers_without_an_id_key_on_the_body(name: str) -> None:
    """No id is sent: the body's digest, whatever headers came with it."""
    body = b'{"n": 1}'
    assert _id(name, body, {"X-Request-Id": "r1"}) == _digest(body)


def test_sanity_idempotency_key_header() -> None:
    """Sanity's idempotency-key header, else the body's digest."""
    assert _id("sanity", b"{}", {"idempotency-key": "idem-1"}) == "idem-1"
    assert _id("sanity", b"{}") == _digest(b"{}")


@pytest.mark.parametrize("name", ["polar", "supabase"])
def test_signed_webhook_id(name: str) -> None:
    """Polar and Supabase sign webhook-id, as Standard Webhooks: it is the key."""
    assert _id(name, b"{}", {"webhook-id": "msg_1"}) == "msg_1"
