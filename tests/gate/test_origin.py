"""The client address and transport, read through a trusted proxy chain and never further."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooksig.errors import ConfigurationError
from hooksig.gate import Origin, ProxyChain
from hooksig.gate.origin import MAX_HEADER, MAX_HOPS, direct, header_values, parse_address

ip = ipaddress.ip_address
PROXIES = ProxyChain(["10.0.0.0/8", "fd00::/8"])
FORWARDED = ProxyChain(["10.0.0.0/8"], header="forwarded")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.2.3.4", "1.2.3.4"),
        ("1.2.3.4:5678", "1.2.3.4"),
        ("::1", "::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        (" 1.2.3.4 ", "1.2.3.4"),
        ("::ffff:1.2.3.4", "1.2.3.4"),  # a dual-stack socket's IPv4 client
    ],
)
def test_addresses_parsed(text: str, expected: str) -> None:
    """Addresses with ports, brackets and IPv4-mapped forms are read."""
    assert parse_address(text) == ip(expected)


@pytest.mark.parametrize(
    "text", [None, "", "unknown", "_hidden", "1.2.3", "[::1", "1.2.3.4.5", "x" * 65, 7, "a:b:c"]
)
def test_unparsable_addresses_are_none(text: object) -> None:
    """Obfuscated nodes, garbage and non-strings are no address."""
    assert parse_address(text) is None


def test_untrusted_peer_is_the_client_and_headers_are_ignored() -> None:
    """From a peer that is not your proxy, a forwarding header is the client's own word."""
    headers = {"X-Forwarded-For": "140.82.112.1", "X-Forwarded-Proto": "https"}
    assert PROXIES.origin("203.0.113.9", "http", headers) == Origin(ip("203.0.113.9"), False)
    assert PROXIES.origin("203.0.113.9", "https", {}) == Origin(ip("203.0.113.9"), True)
    assert PROXIES.origin(None, "https", headers) == Origin(None, True)


def test_chain_is_walked_from_the_right() -> None:
    """Trusted hops are skipped from the right; the first other address is the client."""
    headers = [
        (b"x-forwarded-for", b"6.6.6.6, 140.82.112.1"),  # 6.6.6.6: what the client claimed
        (b"X-Forwarded-For", b"10.1.1.1"),  # a second copy, added by an inner proxy
        (b"x-forwarded-proto", b"https"),
    ]
    assert PROXIES.origin("10.2.2.2", "http", headers) == Origin(ip("140.82.112.1"), True, True)


def test_all_trusted_gives_the_leftmost() -> None:
    """A request from inside your network is from its left-most address."""
    headers = {"x-forwarded-for": "10.9.9.9, 10.1.1.1"}
    assert PROXIES.origin("10.2.2.2", "https", headers) == Origin(ip("10.9.9.9"), True, True)


def test_proxy_without_header_is_the_client() -> None:
    """A trusted proxy that forwards nothing made the request itself."""
    assert PROXIES.origin("10.2.2.2", "http", {}) == Origin(ip("10.2.2.2"), False, True)


def test_proto_is_the_rightmost_value() -> None:
    """X-Forwarded-Proto is what the nearest proxy set: a client's https on the left is ignored."""
    headers = {"X-Forwarded-For": "1.1.1.1", "X-Forwarded-Proto": "https, http"}
    assert PROXIES.origin("10.0.0.1", "https", headers).https is False


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-For": "1.1.1.1,,2.2.2.2"},
        {"X-Forwarded-For": ""},
        {"X-Forwarded-For": ", ".join(["1.1.1.1"] * (MAX_HOPS + 1))},
        {"X-Forwarded-For": "1.1.1.1", "X-Forwarded-Proto": "https,,"},
        {"X-Forwarded-For": "1" * (MAX_HEADER + 1)},
        {"X-Forwarded-For": "1.1.1.1", "X-Forwarded-Proto": "h" * (MAX_HEADER + 1)},
    ],
)
def test_malformed_chain_means_unknown_client(headers: dict[str, str]) -> None:
    """Empty items, too many hops, an oversized header: the client cannot be told."""
    assert PROXIES.origin("10.0.0.1", "https", headers) == Origin(None, False, True)


def test_unparsable_client_entry_is_unknown() -> None:
    """The first untrusted entry is the client even when it is no address: unknown."""
    headers = {"X-Forwarded-For": "1.1.1.1, unknown, 10.0.0.5"}
    assert PROXIES.origin("10.0.0.1", "https", headers).address is None


def test_forwarded_header() -> None:
    """RFC 7239: the client element's for= and proto=, quoted and bracketed forms too."""
    headers = {"Forwarded": 'for=6.6.6.6;proto=https, for="[2001:db8::7]:443";proto=https;by=x'}
    assert FORWARDED.origin("10.0.0.1", "http", headers) == Origin(ip("2001:db8::7"), True, True)
    spoof = {"Forwarded": "for=140.82.112.1;proto=https, for=203.0.113.5;proto=http"}
    assert FORWARDED.origin("10.0.0.1", "https", spoof) == Origin(ip("203.0.113.5"), False, True)
    inner = {"forwarded": "for=1.2.3.4;proto=https, for=10.0.0.8;proto=http"}
    assert FORWARDED.origin("10.0.0.1", "http", inner) == Origin(ip("1.2.3.4"), True, True)
    assert FORWARDED.origin("10.0.0.1", "https", {}) == Origin(ip("10.0.0.1"), True, True)
    assert FORWARDED.origin("10.0.0.1", "https", {"forwarded": "proto=https"}).address is None


@pytest.mark.parametrize(
    "value", ["for", "for=1.1.1.1;for=2.2.2.2", "=x", "for=1.1.1.1,", "for=1.1.1.1;;proto=https"]
)
def test_malformed_forwarded(value: str) -> None:
    """A pair without '=', a repeated key or an empty element makes the client unknown."""
    assert FORWARDED.origin("10.0.0.1", "https", {"Forwarded": value}) == Origin(None, False, True)


def test_configuration_is_checked() -> None:
    """Bad ranges, a bad header name and a str instead of a list fail at construction."""
    with pytest.raises(ConfigurationError):
        ProxyChain(["10.0.0.0/33"])
    with pytest.raises(ConfigurationError):
        ProxyChain("10.0.0.0/8")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        ProxyChain(["10.0.0.0/8"], header="x-real-ip")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        ProxyChain(["10.0.0.0/8"], proto_header="")
    assert ProxyChain(["10.1.2.3/8"]).trusted == ("10.0.0.0/8",)


def test_header_values_keeps_every_copy_in_order() -> None:
    """Both header shapes give every copy of a header, in order."""
    pairs = [(b"A", b"1"), ("b", "x"), ("a", "2")]
    assert header_values(pairs, "a") == ["1", "2"]
    assert header_values({"A": "1"}, "a") == ["1"]
    assert header_values({}, "a") == []


def test_direct_origin() -> None:
    """With no proxy chain, the socket is the whole story."""
    assert direct("1.2.3.4", "https") == Origin(ip("1.2.3.4"), True)


_node = st.one_of(
    st.ip_addresses().map(str), st.sampled_from(["unknown", "_x", "", " ", "[::1]:80"])
)


@given(
    claimed=st.lists(_node, max_size=6),
    client=st.ip_addresses(v=4).filter(lambda a: a not in ipaddress.ip_network("10.0.0.0/8")),
    inner=st.lists(st.ip_addresses(network="10.0.0.0/8").map(str), max_size=3),
)
def test_a_client_cannot_choose_its_address(
    claimed: list[str], client: ipaddress.IPv4Address, inner: list[str]
) -> None:
    """Whatever a client puts in X-Forwarded-For, the answer is the address your proxy saw."""
    value = ", ".join([*claimed, str(client), *inner])
    origin = PROXIES.origin("10.0.0.1", "http", {"X-Forwarded-For": value})
    if all(part.strip() for part in value.split(",")):
        assert origin.address == client
    else:
        assert origin.address is None


@given(st.lists(st.tuples(st.text(max_size=20), st.text(max_size=200)), max_size=8))
def test_any_headers_give_an_origin(headers: list[tuple[str, str]]) -> None:
    """Arbitrary headers never raise, under both header kinds."""
    for chain in (PROXIES, FORWARDED):
        assert isinstance(chain.origin("10.0.0.1", "https", headers), Origin)
