"""The Hypothesis strategies of hooksig.testing.strategies, over every registered scheme."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hooksig
from hooksig.testing import TEST_NOW, SignedDelivery, equivalent_bodies
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
def test_strategies_take_a_verifier(data: st.DataObject) -> None:
    """With verifier=, deliveries are signed for and judged by that verifier."""
    verifier = hooksig.Verifier("stripe", secret="my-own-stripe-secret-0123456789", tolerance=10)
    genuine = data.draw(deliveries("stripe", verifier=verifier))
    assert genuine.verifier is verifier
    assert verifier.verify(genuine.body, genuine.headers, now=genuine.now).body == genuine.body
    stale = data.draw(stale_deliveries("stripe", verifier=verifier))
    assert abs(stale.now - stale.timestamp) > 10


def test_verifier_with_key_options_is_refused() -> None:
    """verifier= together with a secret is a ConfigurationError."""
    verifier = hooksig.Verifier("stripe", secret="my-own-stripe-secret-0123456789")
    with pytest.raises(hooksig.ConfigurationError):
        deliveries("stripe", verifier=verifier, secret="x" * 32)


def test_no_stale_deliveries_without_a_signed_timestamp() -> None:
    """A scheme that signs no timestamp (GitHub) has no stale deliveries: ConfigurationError."""
    with pytest.raises(hooksig.ConfigurationError, match="cannot be stale"):
        stale_deliveries("github")


def test_no_stale_deliveries_without_a_window() -> None:
    """A verifier without a replay window has no stale deliveries either."""
    with pytest.raises(hooksig.ConfigurationError, match="cannot be stale"):
        stale_deliveries("stripe", tolerance=float("inf"))


@SMALL
@given(stale_deliveries("stripe", tolerance=60, future_tolerance=5))
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
