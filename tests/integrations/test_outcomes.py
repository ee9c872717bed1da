"""The shared pieces: the outcome table, the endpoint and its options, body limits, imports."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import subprocess
import sys

import pytest

from hooksig import Delivery, Verifier, schemes
from hooksig.errors import (
    ConfigurationError,
    DuplicateDelivery,
    KeyUnavailable,
    PayloadTooLarge,
    VerificationError,
)
from hooksig.idempotency import Idempotency, MemoryStore
from hooksig.integrations import UNSET, Answer, Endpoint, Event, Outcomes
from hooksig.integrations._endpoint import DEFAULT_TIMEOUT, OPTIONS, settings_options
from hooksig.integrations._reading import (
    Refused,
    asgi_target,
    check_complete,
    declared_length,
    wsgi_target,
)
from hooksig.scheme.challenge import hub_challenge

from .conftest import Kit

META_SECRET = "the app secret, 32 bytes long..."
CHECK = "/hooks/meta?hub.mode=subscribe&hub.verify_token=token&hub.challenge=42"


def test_default_table_is_the_designs() -> None:
    """The defaults are 403, 413, 200, 409 and 503, with Retry-After on the last two."""
    table = Outcomes()
    statuses = [table.answer(o).status for o in ("invalid", "too_large", "duplicate")]
    assert statuses == [403, 413, 200]
    assert dict(table.answer("in_progress").headers)["Retry-After"] == "30"
    assert table.answer("unavailable").status == 503
    assert table.answer("too_large").close is True


@pytest.mark.parametrize("bad", [{"invalid": 99}, {"duplicate": "200"}, {"retry_after": -1}])
def test_table_refuses_bad_statuses(bad: dict[str, object]) -> None:
    """A status that is not an HTTP code is refused at construction."""
    with pytest.raises(ConfigurationError):
        Outcomes(**bad)  # type: ignore[arg-type]


def test_endpoint_checks_its_arguments(kit: Kit) -> None:
    """Wrong types are refused when the endpoint is built, not per request."""
    with pytest.raises(ConfigurationError):
        Endpoint("github")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        Endpoint(kit.verifier, idempotency=object())  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        Endpoint(kit.verifier, outcomes={"invalid": 401})  # type: ignore[arg-type]


def test_refuse_maps_errors_to_outcomes(kit: Kit) -> None:
    """Each error lands on its row of the table."""
    endpoint = Endpoint(kit.verifier, outcomes=Outcomes(duplicate=208))
    assert endpoint.refuse(DuplicateDelivery("done"), route="/x").status == 208
    assert endpoint.refuse(DuplicateDelivery("in_progress"), route="/x").status == 409
    assert endpoint.refuse(PayloadTooLarge(10), route="/x").status == 413
    assert endpoint.refuse(Refused("timeout", "read_timeout"), route="/x").status == 408
    # A key that cannot be fetched says nothing of authenticity yet: the retry decides.
    unavailable = endpoint.refuse(KeyUnavailable("down", reason="key_fetch_failed"), route="/x")
    assert unavailable.status == 503
    assert dict(unavailable.headers)["Retry-After"] == "30"
    with pytest.raises(TypeError):
        endpoint.refuse(ValueError("not ours"), route="/x")


@pytest.mark.parametrize("value", ["+5", " 5", "5_0", "\u0665", "-1", "1" * 19])
def test_content_length_must_be_plain_digits(value: str) -> None:
    """Anything but plain ASCII digits is a bad request, never a guess."""
    with pytest.raises(Refused):
        declared_length(value, 10**9)


def test_content_length_over_the_limit() -> None:
    """A declared length over the limit is refused; an absent one is None."""
    with pytest.raises(PayloadTooLarge):
        declared_length("11", 10)
    assert declared_length("10", 10) == 10
    assert declared_length(None, 10) is None


def test_short_bodies() -> None:
    """An empty body where one was declared is a bug; a partial one a vanished client."""
    with pytest.raises(ConfigurationError):
        check_complete(b"", 5)
    with pytest.raises(Refused):
        check_complete(b"ab", 5)
    assert check_complete(b"abcde", 5) == b"abcde"


def test_request_targets() -> None:
    """The target is the raw path and query where the server keeps them."""
    assert wsgi_target({"RAW_URI": "/a%20b?x=1", "PATH_INFO": "/a b"}) == "/a%20b?x=1"
    assert wsgi_target({"PATH_INFO": "/a b", "QUERY_STRING": "x=1"}) == "/a%20b?x=1"
    assert asgi_target({"path": "/a b", "raw_path": b"/a%20b", "query_string": b"x"}) == "/a%20b?x"
    assert asgi_target({"path": "/é"}) == "/%C3%A9"
    assert asgi_target({"path": "/a", "query_string": "x=1"}) == "/a?x=1"  # Django's AsyncClient


def test_importing_integrations_imports_no_framework() -> None:
    """hooksig.integrations and the ASGI/WSGI middleware pull in no extra."""
    code = (
        "import sys, hooksig.integrations, hooksig.integrations.asgi, hooksig.integrations.wsgi;"
        "print(sorted(m for m in ('flask','django','fastapi','starlette','werkzeug')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


ADAPTERS = [
    ("hooksig.integrations", "Endpoint"),
    ("hooksig.integrations.asgi", "WebhookMiddleware"),
    ("hooksig.integrations.wsgi", "WebhookMiddleware"),
    ("hooksig.integrations.fastapi", "VerifiedDelivery"),
    ("hooksig.integrations.flask", "webhook"),
    ("hooksig.integrations.flask", "HookSig"),
    ("hooksig.integrations.django", "webhook_view"),
]


@pytest.mark.parametrize(("module", "name"), ADAPTERS)
def test_every_adapter_takes_the_same_options(module: str, name: str) -> None:
    """The five options, keyword-capable, each defaulting to UNSET, in every adapter."""
    target = getattr(importlib.import_module(module), name)
    parameters = inspect.signature(target).parameters
    for option in OPTIONS:
        assert parameters[option].default is UNSET, (name, option)
        assert parameters[option].kind is not inspect.Parameter.POSITIONAL_ONLY


def test_unset_options_take_their_defaults(kit: Kit) -> None:
    """Left unset: no guard, the DESIGN's table, no key, 10 s, no hook."""
    endpoint = Endpoint(kit.verifier)
    assert (endpoint.idempotency, endpoint.key, endpoint.on_outcome) == (None, None, None)
    assert endpoint.outcomes == Outcomes()
    assert endpoint.read_timeout == DEFAULT_TIMEOUT == 10.0
    assert repr(UNSET) == "UNSET"


def test_inherit_and_replace(kit: Kit) -> None:
    """inherit() fills only what was left unset; replace() changes what is named."""
    guard = Idempotency(MemoryStore())
    own = Endpoint(kit.verifier, read_timeout=2)
    inherited = own.inherit({"idempotency": guard, "read_timeout": 5.0})
    assert (inherited.idempotency, inherited.read_timeout) == (guard, 2.0)
    assert own.inherit({"read_timeout": 5.0}) is own
    assert own.replace(read_timeout=None).read_timeout is None
    with pytest.raises(ConfigurationError, match="unknown"):
        own.replace(guard=guard)
    assert "read_timeout=2.0" in repr(own)


def test_settings_options_name_the_setting(kit: Kit) -> None:
    """App-wide settings are checked under their own names; a dict becomes an Outcomes."""
    label = lambda name: f"HOOKSIG_{name.upper()}"  # noqa: E731
    assert settings_options({"outcomes": {"invalid": 401}}, label) == {
        "outcomes": Outcomes(invalid=401)
    }
    with pytest.raises(ConfigurationError, match="HOOKSIG_OUTCOMES"):
        settings_options({"outcomes": {"nope": 1}}, label)
    with pytest.raises(ConfigurationError, match="HOOKSIG_KEY"):
        settings_options({"key": "not callable"}, label)


def test_a_refusal_is_one_clean_record(kit: Kit, caplog: pytest.LogCaptureFixture) -> None:
    """A refusal logs endpoint, scheme, outcome, reason, header and status; no secret."""
    endpoint = Endpoint(kit.verifier)
    try:
        kit.verifier.verify(b"{}", kit.forged())
    except VerificationError as error:
        endpoint.refuse(error, route="/hooks/acme")
    (record,) = [r for r in caplog.records if r.name == "hooksig.integrations"]
    assert record.getMessage() == (
        "webhook /hooks/acme standard-webhooks: invalid (no_match), status 403"
    )
    assert record.hooksig_header == "webhook-signature"  # type: ignore[attr-defined]
    assert record.levelno == logging.WARNING


def test_unprintable_ids_are_left_out(kit: Kit) -> None:
    """An id that is long or unprintable never reaches an event or a log record."""
    events: list[Event] = []
    endpoint = Endpoint(kit.verifier, on_outcome=events.append)
    for ident in ("ok-1", "x" * 201, "a\x1bb"):
        delivery = Delivery("standard-webhooks", ident, None, None, b"{}", {})
        endpoint.report("/x", None, "accepted", None, 200, delivery)
    assert [e.delivery_id for e in events] == ["ok-1", None, None]
    assert all(e.duration >= 0 for e in events)


def test_challenge_methods_go_on_only_where_a_challenge_is_configured(kit: Kit) -> None:
    """GET and OPTIONS reach challenge() on a challenged route; elsewhere they are 405."""
    from hooksig.scheme.challenge import crc_challenge

    events: list[Event] = []
    plain = Endpoint(kit.verifier)
    scheme = schemes.configure("x", challenge=crc_challenge())
    challenged = Endpoint(
        Verifier(scheme, secret="x-consumer-secret-0123456789"), on_outcome=events.append
    )
    assert plain.method("GET", route="/x") is not None
    assert plain.challenge(b"", {}, method="GET", path="/x?crc_token=t", route="/x") is None
    assert challenged.method("GET", route="/x") is None
    assert challenged.method("OPTIONS", route="/x") is None
    assert challenged.method("PUT", route="/x") is not None
    answer = challenged.challenge(b"", {}, method="GET", path="/x?crc_token=t", route="/x")
    assert answer is not None
    assert answer.status == 200
    refused = challenged.challenge(b"", {}, method="GET", path="/x", route="/x")
    assert refused is not None
    assert refused.status == 405
    assert challenged.challenge(b"{}", {}, method="POST", path="/x", route="/x") is None
    assert [event.outcome for event in events] == [
        "method_not_allowed",
        "challenge",
        "method_not_allowed",
    ]


def test_deliver_works_out_the_target_once_and_only_when_read(kit: Kit) -> None:
    """Verification alone never asks for the target; a challenge and a URL share one."""
    asked: list[int] = []

    def target() -> str:
        asked.append(1)
        return "/hooks/meta"

    body = b'{"object": "page"}'
    plain = Endpoint(Verifier("meta", secret=META_SECRET))
    delivered = plain.deliver(
        body, plain.verifier.sign(body), method="POST", path=target, route="/x"
    )
    assert isinstance(delivered, Delivery)
    assert asked == []
    scheme = schemes.configure("meta", challenge=hub_challenge("token"))
    both = Endpoint(Verifier(scheme, secret=META_SECRET, public_url="https://a.example"))
    delivered = both.deliver(body, both.verifier.sign(body), method="POST", path=target, route="/x")
    assert isinstance(delivered, Delivery)
    assert asked == [1]
    answered = asyncio.run(
        both.deliver_async(b"", {}, method="GET", path=lambda: CHECK, route="/x")
    )
    assert isinstance(answered, Answer)
    assert answered.body == b"42"
