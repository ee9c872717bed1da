"""
Where a request came from, and over what: the client address and whether it used HTTPS.

The socket's peer is the only address nobody but the network chose.  Behind
a proxy you run, that peer is the proxy, and the client is in a forwarding
header; but a client can send that header too.  :class:`ProxyChain` reads it
only as far as it can vouch for it: from the right, each address that is one
of your proxies is skipped, and the first that is not is the client.  What
stands left of it was written by the client and is never read.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, Union

from ..errors import ConfigurationError

__all__ = [
    "IPAddress",
    "Origin",
    "ProxyChain",
    "direct",
    "header_values",
    "networks",
    "parse_address",
]

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]  # noqa: UP007 - runtime alias
IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]  # noqa: UP007 - runtime alias
HeaderPairs = Union[Mapping[str, str], Iterable[tuple[Union[str, bytes], Union[str, bytes]]]]  # noqa: UP007

#: The most forwarding hops read; a longer chain is refused, not walked.
MAX_HOPS = 32
#: The longest forwarding header read, in characters, all its copies together.
MAX_HEADER = 8192


class Origin(NamedTuple):
    """
    The client a request came from, as far as hooksig can vouch for it.

    Attributes:
        address: the client address; ``None`` when it cannot be told (an
            unparsable peer or forwarding entry, an ``unknown`` node).
        https: whether the client's connection was HTTPS.
        forwarded: whether the answer was read from a trusted proxy's header.

    .. versionadded:: 0.1
    """

    address: IPAddress | None
    https: bool
    forwarded: bool = False


def parse_address(text: object) -> IPAddress | None:
    """
    Return *text* as an IP address, or ``None``: ``1.2.3.4``, ``::1``, with a port or brackets.

    IPv4-mapped IPv6 addresses (``::ffff:1.2.3.4``) are read as the IPv4
    address they carry, so a dual-stack socket matches IPv4 ranges.
    """
    if not isinstance(text, str) or not text or len(text) > 64:
        return None
    return _parsed(text)


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> IPAddress | None:
    # Providers deliver from a few addresses: parsing each once saves most of
    # the gate's cost (ipaddress takes microseconds); the cache is bounded.
    node = text.strip()
    if node.startswith("["):  # [v6] or [v6]:port
        node = node[1 : node.find("]")] if "]" in node else ""
    elif node.count(":") == 1:  # v4:port
        node = node.partition(":")[0]
    try:
        address = ipaddress.ip_address(node)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def networks(ranges: Iterable[str], what: str) -> tuple[IPNetwork, ...]:
    """
    Return *ranges* (addresses or CIDR blocks, IPv4 or IPv6) as networks.

    Raises:
        ConfigurationError: one is not an address or a CIDR block.
    """
    if isinstance(ranges, str):
        raise ConfigurationError(f"{what} must be a list of addresses or CIDR blocks, not a str")
    result = []
    for item in ranges:
        try:
            result.append(ipaddress.ip_network(item, strict=False))
        except (TypeError, ValueError):
            raise ConfigurationError(f"{what}: {item!r} is not an address or CIDR block") from None
    return tuple(result)


def header_values(headers: HeaderPairs, name: str) -> list[str] | None:
    """
    Return every value of header *name*, in order; ``None`` when they are too long together.

    *headers* is a mapping or the raw pairs an adapter has (ASGI's bytes
    pairs included): copies of one header are all kept, since proxies add one
    each.
    """
    wanted = name.lower()
    items = headers.items() if isinstance(headers, Mapping) else headers
    values: list[str] = []
    size = 0
    for key, value in items:
        key_text = key.decode("latin-1") if isinstance(key, bytes) else key
        if key_text.lower() != wanted:
            continue
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        size += len(text)
        if size > MAX_HEADER:
            return None
        values.append(text)
    return values


def _items(values: list[str]) -> list[str] | None:
    items = [item.strip() for value in values for item in value.split(",")]
    if len(items) > MAX_HOPS or "" in items:
        return None
    return items


def _forwarded_elements(values: list[str]) -> list[dict[str, str]] | None:
    # RFC 7239: elements separated by ",", pairs by ";", each pair token=value,
    # the value a token or a quoted string.  Anything else is malformed.
    elements = _items(values)
    if elements is None:
        return None
    parsed = []
    for element in elements:
        pairs: dict[str, str] = {}
        for pair in element.split(";"):
            key, sep, value = pair.strip().partition("=")
            key = key.lower()
            if not sep or not key or key in pairs:
                return None
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            pairs[key] = value
        parsed.append(pairs)
    return parsed


@dataclass(frozen=True)
class ProxyChain:
    """
    The proxies you run in front of the receiver, and the header they forward the client in.

    ::

        ProxyChain(["10.0.0.0/8"])                        # X-Forwarded-For + X-Forwarded-Proto
        ProxyChain(["10.0.0.0/8"], header="forwarded")    # RFC 7239 Forwarded: for=...;proto=...

    A request whose socket peer is not in *trusted* is taken as it is: the
    peer is the client, the connection's own scheme says whether it was
    HTTPS, and no header is read.  From a trusted peer, the forwarding
    header is read from the right, skipping each trusted address; the first
    other address is the client.  If every address is trusted, the left-most
    is.  A malformed header, or more than 32 hops, means the client cannot be
    told (``Origin.address is None``), which no allowlist admits.

    Whether the client used HTTPS is the ``proto=`` of the same ``Forwarded``
    element, or, with ``X-Forwarded-For``, the right-most value of
    *proto_header*: the one your nearest proxy set.  Make that proxy set
    (overwrite) it; a proxy that passes a client's copy through makes it the
    client's word.

    Args:
        trusted: addresses or CIDR blocks of your proxies (IPv4 or IPv6).
        header: ``"x-forwarded-for"`` or ``"forwarded"``.
        proto_header: with ``x-forwarded-for``, the header that carries the
            client's scheme.

    Raises:
        ConfigurationError: a range or the header name is unusable.

    .. versionadded:: 0.1
    """

    trusted: Sequence[str]
    header: Literal["x-forwarded-for", "forwarded"] = "x-forwarded-for"
    proto_header: str = "x-forwarded-proto"

    def __post_init__(self) -> None:
        object.__setattr__(self, "_networks", networks(self.trusted, "trusted"))
        object.__setattr__(self, "trusted", tuple(str(n) for n in self._networks))
        if self.header not in ("x-forwarded-for", "forwarded"):
            raise ConfigurationError('header must be "x-forwarded-for" or "forwarded"')
        if not (isinstance(self.proto_header, str) and self.proto_header):
            raise ConfigurationError("proto_header must be a header name")

    _networks: tuple[IPNetwork, ...] = field(default=(), init=False, repr=False, compare=False)

    def trusts(self, address: IPAddress | None) -> bool:
        """
        Whether *address* is one of your proxies.

        .. versionadded:: 0.1
        """
        return address is not None and any(address in net for net in self._networks)

    def origin(self, peer: str | None, scheme: str, headers: HeaderPairs) -> Origin:
        """
        Return the client of a request: its socket *peer*, connection *scheme* and *headers*.

        .. versionadded:: 0.1
        """
        address = parse_address(peer)
        if not self.trusts(address):
            return Origin(address, scheme == "https")
        if self.header == "forwarded":
            return self._forwarded(address, scheme, headers)
        return self._x_forwarded(address, scheme, headers)

    def _walk(self, nodes: list[str]) -> int:
        # The index of the client: the right-most node that is not a trusted
        # proxy (an unparsable one included), else the left-most.
        for index in range(len(nodes) - 1, -1, -1):
            if not self.trusts(parse_address(nodes[index])):
                return index
        return 0

    def _x_forwarded(self, peer: IPAddress | None, scheme: str, headers: HeaderPairs) -> Origin:
        values = header_values(headers, "x-forwarded-for")
        protos = header_values(headers, self.proto_header)
        nodes = None if values is None else _items(values)
        if nodes is None or protos is None:
            return Origin(None, False, True)
        proto_items = _items(protos) if protos else []
        if proto_items is None:
            return Origin(None, False, True)
        https = proto_items[-1].lower() == "https" if proto_items else scheme == "https"
        if not nodes:  # the proxy itself made the request
            return Origin(peer, https, True)
        return Origin(parse_address(nodes[self._walk(nodes)]), https, True)

    def _forwarded(self, peer: IPAddress | None, scheme: str, headers: HeaderPairs) -> Origin:
        values = header_values(headers, "forwarded")
        elements = None if values is None else _forwarded_elements(values)
        if elements is None:
            return Origin(None, False, True)
        if not elements:
            return Origin(peer, scheme == "https", True)
        chosen = elements[self._walk([element.get("for", "") for element in elements])]
        return Origin(
            parse_address(chosen.get("for", "")), chosen.get("proto", "").lower() == "https", True
        )


def direct(peer: str | None, scheme: str) -> Origin:
    """
    Return the origin of a request read with no proxy: the socket peer and scheme.
    """
    return Origin(parse_address(peer), scheme == "https")
