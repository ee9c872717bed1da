"""
Properties every scheme of ``hooksig.schemes.names()`` must have, aliases counted once.

Parametrised over the registry, so a new provider is covered as soon as it
is registered (see ``factories.py`` for the few that need special keys).
"""

from __future__ import annotations

import datetime as _dt
import hmac
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hooksig
from hooksig import (
    Delivery,
    PayloadTooLarge,
    TimestampOutOfTolerance,
    VerificationError,
    WebhookError,
)
from hooksig.testing import SignedDelivery, Signer
from hooksig.testing.strategies import (
    deliveries,
    malformed_deliveries,
    oversized_deliveries,
    stale_deliveries,
    tampered_deliveries,
)
from tests.properties.factories import ID, NOW, PATH, Factory, build, cases, once

# Untraced by coverage (tests/conftest.py: untraced): the gate holds without them.
pytestmark = pytest.mark.usefixtures("untraced")

#: Examples per property and scheme in the test command (92 schemes, nine properties); a longer
#: run, before a release or after a change to a grammar, sets HOOKSIG_PROPERTY_EXAMPLES.
EXAMPLES = int(os.environ.get("HOOKSIG_PROPERTY_EXAMPLES", "60"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
#: The toolkit's strategies, checked against the fixed keys of every factory.
TOOLKIT = settings(PROPERTY, max_examples=max(1, EXAMPLES * 3 // 10))
CASES = cases()
TIMESTAMPED = [c for c in CASES if hooksig.schemes.get(c.values[0]).default_tolerance is not None]


def _sign(
    verifier: hooksig.Verifier, factory: Factory, body: bytes, **kwargs: Any
) -> dict[str, str]:
    kwargs.setdefault("timestamp", NOW)
    kwargs.setdefault("id", ID)
    return verifier.sign(body, **factory.request, **kwargs)


def _verify(verifier: hooksig.Verifier, factory: Factory, body: bytes, headers: Any) -> Delivery:
    request = dict(factory.request)
    if isinstance(headers, dict) and any(str(name).startswith("query.") for name in headers):
        # A secret the provider puts in the URL (Event Grid): it goes into the URL's query.
        from hooksig.testing._signing import _place_query

        request["url"], headers = _place_query(request["url"], headers)
    return verifier.verify(body, headers, now=NOW, **request)


def _key_id(verifier: hooksig.Verifier) -> str:
    """The id of the key that verifies: the first configured, or the one resolved."""
    # Keys obtained at run time are named by their source: a key id, a certificate URL, the chain.
    kid = next((k.key_id for k in verifier._keys.verify_keys if k.kind == "jwt"), None)
    return kid or _RESOLVED_IDS.get(verifier.scheme.name, "0")


#: The key id a scheme that resolves keys per delivery reports, when signing with signing_key=.
_RESOLVED_IDS = {
    "apple-app-store": "x5c",
    "aws-sns": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-hooksig.pem",
    "paypal": "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-hooksig-test",
}


def _flip(text: str, index: int, bit: int) -> str:
    return text[:index] + chr(ord(text[index]) ^ (1 << bit)) + text[index + 1 :]


def _spans(headers: dict[str, str], needles: list[str]) -> list[tuple[str, int, int]]:
    """(header, start, end) of each occurrence of any needle in the header values."""
    found = []
    for name, value in headers.items():
        for needle in needles:
            start = value.find(needle)
            if start >= 0:
                found.append((name, start, start + len(needle)))
                break
    return found


def _timestamp_texts() -> list[str]:
    rfc = _dt.datetime.fromtimestamp(NOW, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return [f"{NOW}000", str(NOW), rfc]


def _signature_headers(one: dict[str, str], two: dict[str, str]) -> list[str]:
    return sorted(name for name in one if one[name] != two.get(name))


@pytest.mark.parametrize(("name", "factory"), CASES)
@PROPERTY
@given(data=st.data())
def test_round_trip(name: str, factory: Factory, data: st.DataObject) -> None:
    """sign() then verify() returns the same body, for any body the scheme can sign."""
    verifier = build(name, factory)
    body = data.draw(factory.bodies, label="body")
    if not factory.signs_headers:
        # The signature travels in the body: a body without one is refused.
        with pytest.raises(VerificationError):
            _verify(verifier, factory, body, {})
        return
    delivery = _verify(verifier, factory, body, _sign(verifier, factory, body))
    assert delivery.body == body
    assert delivery.scheme == verifier.scheme.name
    assert delivery.key_id == _key_id(verifier)


@pytest.mark.parametrize(("name", "factory"), [c for c in CASES if c.values[1].signs_headers])
@PROPERTY
@given(data=st.data())
def test_flipped_body_bit_is_refused(name: str, factory: Factory, data: st.DataObject) -> None:
    """Flipping any bit of the signed body is a VerificationError."""
    verifier = build(name, factory)
    body = data.draw(factory.bodies.filter(bool), label="body")
    headers = _sign(verifier, factory, body)
    index = data.draw(st.integers(0, len(body) - 1), label="index")
    bit = data.draw(st.integers(0, 7), label="bit")
    tampered = body[:index] + bytes([body[index] ^ (1 << bit)]) + body[index + 1 :]
    if factory.same_body(body, tampered):
        # A token authenticates the sender only; an equivalent body is the same delivery
        # (hooksig.testing.equivalent_bodies holds what each provider signs).
        assert _verify(verifier, factory, tampered, headers).body == tampered
        return
    with pytest.raises(VerificationError):
        _verify(verifier, factory, tampered, headers)


@pytest.mark.parametrize(("name", "factory"), [c for c in CASES if c.values[1].signs_headers])
@PROPERTY
@given(data=st.data())
def test_flipped_header_bit_is_refused(name: str, factory: Factory, data: st.DataObject) -> None:
    """Flipping any bit of the signature, the signed timestamp or the signed id is refused."""
    verifier = build(name, factory)
    body = data.draw(factory.bodies, label="body")
    headers = _sign(verifier, factory, body)
    # Another body the scheme signs, one field longer: the field's name is one the body
    # lacks (a form scheme refuses a field sent twice).
    probe = b"probe"
    while probe in body:
        probe += b"_"
    other = body + b"&" + probe + b"=1" if body else probe + b"=1"
    signature = list(factory.signature_headers) or _signature_headers(
        headers, _sign(verifier, factory, other)
    )
    targets = [(header, 0, len(headers[header])) for header in signature]

    def signs(**change: Any) -> bool:
        other = _sign(verifier, factory, body, **change)
        return any(headers[header] != other.get(header) for header in signature)

    if signs(timestamp=NOW + 1):
        targets += _spans(headers, _timestamp_texts())
    if signs(id="msg_property_2"):
        targets += [(header, 0, len(value)) for header, value in headers.items() if value == ID]
    assert targets, f"{name}: no signature header found"
    # Draws are independent of the headers, whose length varies with randomised (ECDSA) signatures.
    header, start, end = targets[data.draw(st.integers(0, 2**16), label="target") % len(targets)]
    index = start + data.draw(st.integers(0, 2**16), label="position") % (end - start)
    bit = data.draw(st.integers(0, 7), label="bit")
    tampered = {**headers, header: _flip(headers[header], index, bit)}
    with pytest.raises(VerificationError):
        _verify(verifier, factory, body, tampered)


_TEXT = st.text(max_size=80) | st.sampled_from(
    ["", "v1,", "t=1,v1=", "sha256=", "1700000000", "0" * 64, "A" * 44, "\u0661\u0662", "x" * 9000]
)
_VALUES = _TEXT | st.binary(max_size=80)


@pytest.mark.parametrize(("name", "factory"), CASES)
@PROPERTY
@given(data=st.data())
def test_arbitrary_input_ends_in_delivery_or_webhook_error(
    name: str, factory: Factory, data: st.DataObject
) -> None:
    """Any body and headers (real names, random values, mutations): Delivery or WebhookError."""
    verifier = build(name, factory)
    body = data.draw(st.binary(max_size=256) | factory.bodies, label="body")
    real_names = list(_sign(verifier, factory, b"")) if factory.signs_headers else []
    names = (
        st.sampled_from(real_names) | st.text(max_size=20) if real_names else st.text(max_size=20)
    )
    shape = data.draw(st.sampled_from(["dict", "pairs", "mutated"]), label="shape")
    headers: Any
    if shape == "dict":
        headers = data.draw(st.dictionaries(names, _TEXT, max_size=6), label="headers")
    elif shape == "pairs":
        headers = data.draw(
            st.lists(st.tuples(names | st.binary(max_size=20), _VALUES), max_size=8)
        )
    else:
        if factory.signs_headers:
            body = data.draw(factory.bodies, label="signed body")
            headers = _sign(verifier, factory, body)
        else:
            headers = {}
        for _ in range(data.draw(st.integers(1, 3), label="mutations")):
            key = data.draw(names, label="name")
            headers[key] = data.draw(_TEXT, label="value")
    try:
        result = _verify(verifier, factory, body, headers)
    except WebhookError:
        return
    assert isinstance(result, Delivery)


def _refused(delivery: SignedDelivery) -> WebhookError:
    """Verify *delivery* as its factory would; return the error, which must be the declared one."""
    assert delivery.error is not None, delivery
    with pytest.raises(delivery.error) as caught:
        delivery.verify()
    return caught.value


@pytest.mark.parametrize(("name", "factory"), CASES)
@TOOLKIT
@given(data=st.data())
def test_toolkit_deliveries_round_trip(name: str, factory: Factory, data: st.DataObject) -> None:
    """hooksig.testing deliveries verify with the factory's keys, Mailgun's body-borne one too."""
    verifier = build(name, factory)
    signer = Signer(name, verifier=verifier)
    strategy = deliveries(signer, bodies=factory.bodies, timestamps=NOW, ids=ID, path=PATH)
    delivery = data.draw(strategy, label="delivery")
    assert delivery.request == dict(factory.request)
    result = _verify(verifier, factory, delivery.body, delivery.headers)
    assert result.body == delivery.body
    assert result.key_id == _key_id(verifier)


def _toolkit(
    kind: Callable[..., st.SearchStrategy[SignedDelivery]], name: str, factory: Factory
) -> st.SearchStrategy[SignedDelivery]:
    """*kind*'s strategy (tampered_deliveries, ...) for the factory's verifier, made once."""

    def make() -> st.SearchStrategy[SignedDelivery]:
        if kind is oversized_deliveries:  # a verifier of its own, with a small limit
            return kind(Signer(name, max_body_size=256, **factory.keys))
        return kind(Signer(name, verifier=build(name, factory)), path=PATH)

    return once(kind, factory, make)


@pytest.mark.parametrize(("name", "factory"), CASES)
@TOOLKIT
@given(data=st.data())
def test_toolkit_tampered_deliveries_are_refused(
    name: str, factory: Factory, data: st.DataObject
) -> None:
    """Every tampered delivery the toolkit draws is a VerificationError, never accepted."""
    delivery = data.draw(_toolkit(tampered_deliveries, name, factory), label="tampered")
    assert isinstance(_refused(delivery), VerificationError)


@pytest.mark.parametrize(("name", "factory"), CASES)
@TOOLKIT
@given(data=st.data())
def test_toolkit_malformed_deliveries_are_refused(
    name: str, factory: Factory, data: st.DataObject
) -> None:
    """Every broken signature or timestamp header the toolkit draws is a VerificationError."""
    delivery = data.draw(_toolkit(malformed_deliveries, name, factory), label="bad")
    assert isinstance(_refused(delivery), VerificationError)


@pytest.mark.parametrize(("name", "factory"), TIMESTAMPED)
@TOOLKIT
@given(data=st.data())
def test_toolkit_stale_deliveries_are_refused(
    name: str, factory: Factory, data: st.DataObject
) -> None:
    """An authentic delivery judged outside the window is TimestampOutOfTolerance, both ways."""
    delivery = data.draw(_toolkit(stale_deliveries, name, factory), label="stale")
    error = _refused(delivery)
    assert isinstance(error, TimestampOutOfTolerance)
    assert error.reason == ("too_old" if delivery.now > delivery.timestamp else "too_new")


@pytest.mark.parametrize(("name", "factory"), CASES)
@TOOLKIT
@given(data=st.data())
def test_toolkit_oversized_deliveries_are_refused(
    name: str, factory: Factory, data: st.DataObject
) -> None:
    """An authentic body over the limit is PayloadTooLarge, whatever the scheme."""
    delivery = data.draw(_toolkit(oversized_deliveries, name, factory), label="oversized")
    assert isinstance(_refused(delivery), PayloadTooLarge)


def _timing_leak() -> Any:
    """benchmarks/timing_leak.py, loaded from its file (benchmarks/ is no package)."""
    path = Path(__file__).parents[2] / "benchmarks" / "timing_leak.py"
    spec = importlib.util.spec_from_file_location("timing_leak", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TIMING_LEAK = _timing_leak()
#: Every scheme verified by a shared secret (Standard Webhooks' Ed25519 key compares nothing).
HMAC_CASES = [
    c
    for c in CASES
    if isinstance(hooksig.schemes.get(c.values[0]), hooksig.HmacScheme)
    and "signing_key" not in c.values[1].keys
]


@pytest.mark.parametrize(("name", "factory"), HMAC_CASES)
@settings(PROPERTY, max_examples=min(EXAMPLES, 5))
@given(data=st.data())
def test_every_hmac_compare_is_one_the_timing_control_replaces(
    name: str, factory: Factory, data: st.DataObject
) -> None:
    """Verifying a delivery compares through the names benchmarks/timing_leak.py swaps
    for its whole-pipeline control: a compare reached another way would leave that
    control blunt, and its verdict on Verifier.verify empty, for this scheme."""
    verifier = build(name, factory)
    strategy = once(
        test_every_hmac_compare_is_one_the_timing_control_replaces,
        factory,
        lambda: deliveries(
            Signer(name, verifier=verifier),
            bodies=factory.bodies,
            timestamps=NOW,
            ids=ID,
            path=PATH,
        ),
    )
    delivery = data.draw(strategy, label="delivery")
    real, calls = hmac.compare_digest, []

    def counted(a: bytes | str, b: bytes | str) -> bool:
        calls.append((a, b))
        return real(a, b)  # type: ignore[arg-type]

    with TIMING_LEAK.compares_replaced(counted):
        result = _verify(verifier, factory, delivery.body, delivery.headers)
    assert result.body == delivery.body
    assert calls, f"{name}: verified without a compare the timing control replaces"
