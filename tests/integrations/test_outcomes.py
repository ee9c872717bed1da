"""The shared pieces: the outcome table, the endpoint, body limits, and import hygiene."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hooksig import Verifier, schemes
from hooksig.errors import ConfigurationError, DuplicateDelivery, KeyUnavailable, PayloadTooLarge
from hooksig.integrations import Endpoint, Outcomes
from hooksig.integrations._endpoint import asgi_target, wsgi_target
from hooksig.integrations._reading import Refused, check_complete, declared_length

from .conftest import Kit


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
    assert endpoint.refuse(DuplicateDelivery("done")).status == 208
    assert endpoint.refuse(DuplicateDelivery("in_progress")).status == 409
    assert endpoint.refuse(PayloadTooLarge(10)).status == 413
    assert endpoint.refuse(Refused("timeout", "read_timeout")).status == 408
    # A key that cannot be fetched says nothing of authenticity yet: the retry decides.
    unavailable = endpoint.refuse(KeyUnavailable("down", reason="key_fetch_failed"))
    assert unavailable.status == 503
    assert dict(unavailable.headers)["Retry-After"] == "30"
    with pytest.raises(TypeError):
        endpoint.refuse(ValueError("not ours"))


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


def test_challenge_methods_go_on_only_where_a_challenge_is_configured(kit: Kit) -> None:
    """GET and OPTIONS reach challenge() on a challenged route; elsewhere they are 405."""
    from hooksig.scheme.challenge import crc_challenge

    plain = Endpoint(kit.verifier)
    challenged = Endpoint(
        Verifier(
            schemes.configure("x", challenge=crc_challenge()), secret="x-consumer-secret-0123456789"
        )
    )
    assert plain.method("GET") is not None
    assert plain.challenge(b"", {}, method="GET", path="/x?crc_token=t") is None
    assert challenged.method("GET") is None
    assert challenged.method("OPTIONS") is None
    assert challenged.method("PUT") is not None
    answer = challenged.challenge(b"", {}, method="GET", path="/x?crc_token=t")
    assert answer is not None
    assert answer.status == 200
    refused = challenged.challenge(b"", {}, method="GET", path="/x")
    assert refused is not None
    assert refused.status == 405
    assert challenged.challenge(b"{}", {}, method="POST", path="/x") is None  # verify it
