"""The Hypothesis strategies of hooksig.testing.strategies, over every registered scheme."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.parse
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hooksig
from hooksig.testing import (
    TEST_NOW,
    TEST_SECRET,
    FrozenClock,
    SignedDelivery,
    Signer,
    WebhookClient,
    equivalent_bodies,
)
from hooksig.testing.strategies import (
    bodies,
    deliveries,
    malformed_deliveries,
    oversized_deliveries,
    scheme_names,
    stale_deliveries,
    tampered_deliveries,
)
from tests.properties.factories import canonical_names

# Untraced by coverage (tests/conftest.py: untraced): the gate holds without them.
pytestmark = pytest.mark.usefixtures("untraced")

#: Every scheme once; an alias is the same object as its scheme (tests/schemes/test_registry.py).
NAMES = canonical_names()
#: Few examples per scheme: 38 schemes x 5 strategies on a 2-core machine.
SMALL = settings(max_examples=10, deadline=None)
TIMESTAMPED = [name for name in NAMES if hooksig.schemes.get(name).default_tolerance is not None]


def _refused(delivery: SignedDelivery) -> hooksig.WebhookError:
    """Verify *delivery*, assert it raises its declared error, and return that error."""
    assert delivery.error is not None
    with pytest.raises(delivery.error) as caught:
        delivery.verify()
    return caught.value


@pytest.mark.parametrize("name", NAMES)
def test_genuine_deliveries_verify(name: str) -> None:
    """deliveries() draws deliveries that verify, with their body and the declared error None."""

    @SMALL
    @given(deliveries(name))
    def check(delivery: SignedDelivery) -> None:
        assert delivery.error is None
        assert delivery.fault is None
        assert delivery.verify().body == delivery.body

    check()


@pytest.mark.parametrize("name", NAMES)
def test_tampered_deliveries_are_refused(name: str) -> None:
    """tampered_deliveries() draws deliveries that verify() refuses with a VerificationError."""

    @SMALL
    @given(tampered_deliveries(name))
    def check(delivery: SignedDelivery) -> None:
        assert isinstance(_refused(delivery), hooksig.VerificationError)
        assert delivery.fault

    check()


@pytest.mark.parametrize("name", TIMESTAMPED)
def test_stale_deliveries_are_refused_as_stale(name: str) -> None:
    """stale_deliveries() draws authentic deliveries refused with TimestampOutOfTolerance."""

    @SMALL
    @given(stale_deliveries(name))
    def check(delivery: SignedDelivery) -> None:
        assert isinstance(_refused(delivery), hooksig.TimestampOutOfTolerance)
        assert delivery.now != delivery.timestamp

    check()


@pytest.mark.parametrize("name", NAMES)
def test_malformed_deliveries_are_refused(name: str) -> None:
    """malformed_deliveries() draws deliveries refused with a VerificationError."""

    @SMALL
    @given(malformed_deliveries(name))
    def check(delivery: SignedDelivery) -> None:
        assert isinstance(_refused(delivery), hooksig.VerificationError)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_oversized_deliveries_are_refused_as_too_large(name: str) -> None:
    """oversized_deliveries() draws signed bodies over the limit, refused with PayloadTooLarge."""

    @SMALL
    @given(oversized_deliveries(name, max_body_size=64))
    def check(delivery: SignedDelivery) -> None:
        assert len(delivery.body) > 64
        assert isinstance(_refused(delivery), hooksig.PayloadTooLarge)

    check()


@SMALL
@given(
    deliveries(
        "stripe",
        bodies=st.fixed_dictionaries({"type": st.sampled_from(["a", "b"]), "n": st.integers()}),
    )
)
def test_user_payload_strategy_is_signed_as_json(delivery: SignedDelivery) -> None:
    """A user's strategy of dicts is serialised to JSON, signed, and verifies to the same value."""
    assert set(delivery.verify().json()) == {"type", "n"}


@SMALL
@given(deliveries("github", bodies=st.just(b"raw  bytes"), timestamps=123, ids="d-1"))
def test_fixed_body_timestamp_and_id(delivery: SignedDelivery) -> None:
    """Plain values for bodies, timestamps and ids are used as they are."""
    assert delivery.body == b"raw  bytes"
    assert delivery.timestamp == 123
    assert delivery.verify().id == "d-1"


@SMALL
@given(st.data())
def test_strategies_take_a_signer_with_an_app_verifier(data: st.DataObject) -> None:
    """A Signer around the app's verifier signs for it; stale draws lie beyond its window."""
    verifier = hooksig.Verifier("stripe", secret="my-own-stripe-secret-0123456789", tolerance=10)
    signer = Signer("stripe", verifier=verifier)
    genuine = data.draw(deliveries(signer))
    assert genuine.verifier is verifier
    assert verifier.verify(genuine.body, genuine.headers).body == genuine.body
    stale = data.draw(stale_deliveries(signer))
    assert abs(stale.now - stale.timestamp) > 10
    with pytest.raises(hooksig.TimestampOutOfTolerance):
        verifier.verify(stale.body, stale.headers)


def test_no_stale_deliveries_without_a_signed_timestamp() -> None:
    """A scheme that signs no timestamp (GitHub) has no stale deliveries: ConfigurationError."""
    with pytest.raises(hooksig.ConfigurationError, match="cannot be stale"):
        stale_deliveries("github")


def test_no_stale_deliveries_without_a_window() -> None:
    """A verifier without a replay window has no stale deliveries either."""
    with pytest.raises(hooksig.ConfigurationError, match="cannot be stale"):
        stale_deliveries(Signer("stripe", tolerance=float("inf")))


@SMALL
@given(stale_deliveries(Signer("stripe", tolerance=60, future_tolerance=5)))
def test_stale_deliveries_follow_the_configured_window(delivery: SignedDelivery) -> None:
    """Stale deliveries lie beyond the configured past and future bounds."""
    age = delivery.now - delivery.timestamp
    assert age > 60 or age < -5


FIXED = {
    "twilio": [("b", "2"), ("a", "1"), ("a", "1")],
    "trello": "caf\u00e9 \u2013 ok",
    "mailgun": {"event-data": {"event": "delivered"}},
    "github": b'{"zen": "hi"}',
}


@pytest.mark.parametrize(("name", "body"), FIXED.items())
def test_tampered_bodies_are_never_equivalent(name: str, body: object) -> None:
    """A body marked tampered is never one the provider signs the same as the original."""
    original = hooksig.testing.Signer(name).delivery(body, timestamp=TEST_NOW, id="d1").body

    @settings(max_examples=30, deadline=None)
    @given(tampered_deliveries(name, bodies=st.just(body), timestamps=TEST_NOW, ids="d1"))
    def check(delivery: SignedDelivery) -> None:
        if delivery.fault and delivery.fault.startswith("body"):
            assert not equivalent_bodies(name, original, delivery.body)

    check()


def test_tampered_deliveries_of_gitlab_never_tamper_the_body() -> None:
    """GitLab's token does not cover the body, so no GitLab tampering is a body change."""

    @SMALL
    @given(tampered_deliveries("gitlab"))
    def check(delivery: SignedDelivery) -> None:
        assert delivery.fault is not None
        assert not delivery.fault.startswith("body")

    check()


@SMALL
@given(bodies("twilio"))
def test_twilio_bodies_are_forms(body: bytes) -> None:
    """Twilio bodies parse as URL-encoded forms."""
    urllib.parse.parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=bool(body))


@SMALL
@given(bodies("trello"))
def test_trello_bodies_are_text(body: bytes) -> None:
    """Trello bodies are UTF-8 text."""
    body.decode("utf-8")


@SMALL
@given(bodies("linear", timestamp=1_600_000_000))
def test_linear_bodies_carry_the_timestamp(body: bytes) -> None:
    """Linear bodies are JSON objects with webhookTimestamp in milliseconds."""
    assert json.loads(body)["webhookTimestamp"] == 1_600_000_000_000


@SMALL
@given(scheme_names())
def test_scheme_names_are_registered(name: str) -> None:
    """scheme_names() draws names the registry knows."""
    assert name in hooksig.schemes.names()


def test_missing_hypothesis_is_an_extra_not_installed() -> None:
    """Without Hypothesis, importing the strategies raises ExtraNotInstalled with the hint."""
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "import hooksig\n"
        "try:\n"
        "    import hooksig.testing.strategies\n"
        "except hooksig.ExtraNotInstalled as exc:\n"
        "    print(exc.extra, isinstance(exc, ImportError), 'hooksig[hypothesis]' in str(exc))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["hypothesis", "True", "True"]


# --- property tests against an application on the real clock ------------------------------------

#: URL-signing and body-timestamped schemes besides the header-timestamped ones.
REAL_CLOCK = sorted({*TIMESTAMPED, "twilio", "square"})


def _flask_receiver(verifier: hooksig.Verifier) -> object:
    """A Flask application whose /hooks view answers 200 to what *verifier* accepts."""
    from flask import Flask

    from hooksig.integrations.flask import webhook

    app = Flask(__name__)

    @app.post("/hooks")
    @webhook(verifier, idempotency=None)
    def receive(delivery: hooksig.Delivery) -> str:
        return "ok"

    return app


@pytest.mark.parametrize("name", REAL_CLOCK)
def test_property_tests_against_a_real_clock_app_are_not_vacuous(name: str) -> None:
    """On an app whose verifier reads the real clock, every genuine draw gets 200, bad ones 403."""
    signer = Signer(name)
    assert signer.verifier.clock is time.time
    client = WebhookClient(_flask_receiver(signer.verifier))

    @SMALL
    @given(
        genuine=deliveries(signer, path="/hooks"), forged=tampered_deliveries(signer, path="/hooks")
    )
    def check(genuine: SignedDelivery, forged: SignedDelivery) -> None:
        assert client.post(genuine).status_code == 200, genuine
        assert client.post(forged).status_code == 403, forged

    check()


@pytest.mark.parametrize("name", TIMESTAMPED)
def test_stale_draws_are_stale_for_a_real_clock_app(name: str) -> None:
    """Stale draws are refused by the app on the real clock, which accepts what is signed now."""
    signer = Signer(name)
    client = WebhookClient(_flask_receiver(signer.verifier))

    @SMALL
    @given(stale_deliveries(signer, path="/hooks"))
    def check(stale: SignedDelivery) -> None:
        assert client.post(stale).status_code == 403, stale
        assert client.post(signer.delivery(path="/hooks")).status_code == 200

    check()


@SMALL
@given(deliveries("stripe"))
def test_asgi_app_on_the_real_clock_accepts_every_genuine_draw(delivery: SignedDelivery) -> None:
    """The same holds through an ASGI application: a genuine draw is accepted at post time."""
    from hooksig.integrations.asgi import WebhookMiddleware

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    verifier = hooksig.Verifier("stripe", secret=TEST_SECRET)
    with WebhookClient(WebhookMiddleware(app, {"/hooks": verifier})) as client:
        assert client.post(delivery).status_code == 204


@SMALL
@given(deliveries(Signer("slack", clock=FrozenClock(TEST_NOW))))
def test_draws_follow_a_frozen_clock(delivery: SignedDelivery) -> None:
    """With a frozen clock, draws are fresh at its time and now is its reading."""
    assert delivery.now == TEST_NOW
    assert abs(delivery.timestamp - TEST_NOW) <= 300
    assert delivery.verifier.verify(delivery.body, delivery.headers).timestamp == delivery.timestamp


def _user_form_scheme() -> hooksig.HmacScheme:
    """A form-bodied, URL-signing scheme of a user's own: the toolkit knows it only by its info."""
    from hooksig.scheme.content import url_and_sorted_params

    return hooksig.HmacScheme(
        name="acme-forms",
        signature_header="X-Acme-Signature",
        algorithm="sha256",
        encoding="base64",
        content=url_and_sorted_params,
        body_shape="form",
    )


def test_a_user_declared_form_scheme_needs_no_toolkit_edit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The toolkit reads body shape and URL signing from SchemeInfo: a user's form scheme works."""
    monkeypatch.setattr(hooksig.schemes, "_registered", {})
    hooksig.schemes.register(_user_form_scheme())
    signer = Signer("acme-forms", url="https://example.com/hooks/acme")
    delivery = signer.delivery({"b": "2", "a": "1"})
    assert urllib.parse.parse_qsl(delivery.body.decode("ascii")) == [("b", "2"), ("a", "1")]
    assert delivery.verify().body == delivery.body
    # The scheme signs sorted form fields, so reordered fields are the same delivery.
    assert equivalent_bodies("acme-forms", b"a=1&b=2", b"b=2&a=1")
    assert not equivalent_bodies("acme-forms", b"a=1&b=2", b"a=1&b=3")

    @SMALL
    @given(deliveries(signer), tampered_deliveries(signer))
    def check(genuine: SignedDelivery, tampered: SignedDelivery) -> None:
        urllib.parse.parse_qsl(genuine.body.decode(), keep_blank_values=True)
        assert genuine.verify().body == genuine.body
        _refused(tampered)

    check()
