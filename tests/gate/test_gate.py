"""The gate: HTTPS, then source, then rate, each refusal typed and nothing counted when refused."""

from __future__ import annotations

import asyncio

import pytest

import hooksig
from hooksig.errors import ConfigurationError, InsecureTransport, RateLimited, SourceNotAllowed
from hooksig.gate import Allowlist, Gate, ProxyChain, RateLimit

GITHUB_ADDRESS = "140.82.115.9"


def test_an_empty_gate_admits_anything() -> None:
    """No option set: not active, and every request passes."""
    gate = Gate()
    assert not gate.active
    with gate.admit(None, "http", {}):
        pass


def test_plain_http_is_refused_unless_a_trusted_proxy_says_https() -> None:
    """https_only: the socket's scheme, or a trusted proxy's X-Forwarded-Proto; no one else's."""
    gate = Gate(https_only=True, proxies=ProxyChain(["10.0.0.0/8"]))
    gate.check("203.0.113.1", "https", {})
    with pytest.raises(InsecureTransport) as caught:
        gate.check("203.0.113.1", "http", {"X-Forwarded-Proto": "https"})  # spoofed
    assert caught.value.reason == "insecure_transport"
    assert caught.value.client == "203.0.113.1"
    gate.check("10.0.0.2", "http", {"X-Forwarded-For": "203.0.113.1", "X-Forwarded-Proto": "https"})
    with pytest.raises(InsecureTransport):
        gate.check("10.0.0.2", "http", {"X-Forwarded-For": "203.0.113.1"})


def test_sources_outside_the_allowlist_are_refused() -> None:
    """The client (through the proxy chain) must be in the allowlist; unknown never is."""
    gate = Gate(allowlist=Allowlist("github"), proxies=ProxyChain(["10.0.0.0/8"]))
    gate.check(GITHUB_ADDRESS, "http", {})
    gate.check("10.0.0.2", "http", {"X-Forwarded-For": GITHUB_ADDRESS})
    with pytest.raises(SourceNotAllowed) as caught:
        gate.check("203.0.113.1", "http", {"X-Forwarded-For": GITHUB_ADDRESS})  # spoofed
    assert (caught.value.reason, caught.value.client) == ("source_not_allowed", "203.0.113.1")
    with pytest.raises(SourceNotAllowed) as unknown:
        gate.check("10.0.0.2", "http", {"X-Forwarded-For": "garbage"})
    assert unknown.value.client is None
    assert isinstance(unknown.value, hooksig.RequestRefused)


def test_refused_requests_take_nothing_from_the_rate() -> None:
    """A flood from outside the allowlist leaves the provider's share untouched."""
    gate = Gate(allowlist=Allowlist("github"), rate_limit=RateLimit(per_second=1, burst=1))
    for _ in range(10):
        with pytest.raises(SourceNotAllowed):
            gate.admit("203.0.113.1", "https", {})
    gate.admit(GITHUB_ADDRESS, "https", {})
    with pytest.raises(RateLimited) as caught:
        gate.admit(GITHUB_ADDRESS, "https", {})
    assert caught.value.retry_after == 1


def test_https_is_checked_before_the_source() -> None:
    """Plain HTTP from outside the allowlist is refused as insecure, the first check."""
    gate = Gate(allowlist=Allowlist("github"), https_only=True)
    with pytest.raises(InsecureTransport):
        gate.check("203.0.113.1", "http", {})


def test_async_admission() -> None:
    """admit_async checks and counts as admit does."""

    async def scenario() -> None:
        gate = Gate(allowlist=Allowlist("stripe"), rate_limit=RateLimit(in_flight=1))
        permit = await gate.admit_async("54.187.216.72", "https", {})
        with pytest.raises(RateLimited):
            await gate.admit_async("54.187.216.72", "https", {})
        permit.release()
        with pytest.raises(SourceNotAllowed):
            await gate.admit_async("203.0.113.1", "https", {})
        assert (await Gate().admit_async(None, "http", {})) is not None

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "options",
    [{"allowlist": ["github"]}, {"https_only": "yes"}, {"proxies": ["10.0.0.0/8"]},
     {"rate_limit": 5}],
)  # fmt: skip
def test_options_are_typed(options: dict[str, object]) -> None:
    """A wrong type for any option fails at construction."""
    with pytest.raises(ConfigurationError):
        Gate(**options)  # type: ignore[arg-type]


def test_repr_names_the_checks() -> None:
    """The repr shows what the gate checks."""
    assert "https_only=True" in repr(Gate(https_only=True))
