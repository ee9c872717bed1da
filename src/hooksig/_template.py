"""
Step 2b: the parse and signed-content steps shared by the data-driven schemes.

:class:`~hooksig.HmacScheme` and :class:`~hooksig.AsymmetricScheme` differ
only in how they match and make signatures; reading headers, checking the
timestamp and id grammar, filling the content template and formatting
the headers a provider would send all live here, once.
"""

from __future__ import annotations

import re
import secrets as _random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ._encoding import Encoding, decode, encode
from ._formats import Pairs, Plain, SignatureFormat, Versioned, check_id, parse_timestamp
from ._headers import Headers
from .errors import ConfigurationError, MissingSignature

_FIELDS = frozenset({"body", "timestamp", "id", "url", "method"})
_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")


@dataclass(frozen=True)
class Request:
    """
    A delivery as received: raw body and headers, plus URL and method for schemes that sign them.

    .. versionadded:: 0.1
    """

    body: bytes
    headers: Headers
    url: str | None = None
    method: str = "POST"
    params: Mapping[str, Sequence[str]] | None = None


@dataclass(frozen=True)
class ParsedSignature:
    """
    What a scheme read from the headers, before any key was tried.

    Attributes:
        candidates: ``(label, decoded signature)`` for each signature offered
            in a version the scheme accepts.
        timestamp: the signed time in seconds, if the scheme has one.
        timestamp_text: the timestamp exactly as it was signed.
        id: the provider's delivery id, if the scheme has one.
        header: the signature header that was read.
        id_field: for providers that put the delivery id in the JSON body
            (Stripe), the top-level field that holds it.

    .. versionadded:: 0.1
    """

    candidates: tuple[tuple[str, bytes], ...]
    timestamp: float | None = None
    timestamp_text: str | None = None
    id: str | None = None
    header: str = ""
    id_field: str | None = None


def _names(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else value


ContentBuilder = Callable[[ParsedSignature, Request], bytes]


@dataclass(frozen=True, kw_only=True)
class _TemplateScheme:
    """The parse and signed-content steps shared by HMAC and public-key schemes."""

    name: str
    signature_header: str | tuple[str, ...]
    encoding: Encoding = "hex"
    prefix: str = ""
    signature_format: SignatureFormat | None = None
    version: str | None = None
    timestamp_header: str | tuple[str, ...] | None = None
    timestamp_unit: Literal["s", "ms"] = "s"
    id_header: str | tuple[str, ...] | None = None
    id_field: str | None = None
    content: str | ContentBuilder = "{body}"
    tolerance: float | None = None
    docs_url: str = ""
    _parts: tuple[bytes | str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.signature_format is None:
            object.__setattr__(self, "signature_format", Plain(self.prefix))
        if isinstance(self.content, str):
            object.__setattr__(self, "_parts", _compile(self.content))
        else:
            object.__setattr__(self, "_parts", ())
        if not self.name or self.name != self.name.lower() or " " in self.name:
            raise ConfigurationError("a scheme name is lowercase and hyphenated")

    @property
    def default_tolerance(self) -> float | None:
        """300 seconds when the scheme signs a timestamp, unless configured."""
        if self.tolerance is not None:
            return self.tolerance
        if self.timestamp_header or (
            isinstance(self.signature_format, Pairs) and self.signature_format.timestamp_key
        ):
            return 300.0
        return None

    @property
    def _label(self) -> str:
        if isinstance(self.signature_format, Plain):
            return self.signature_format.prefix
        return self.version or "v1"

    def _candidate_labels(self) -> frozenset[str]:
        return frozenset({self._label})

    def _signature_size(self, label: str) -> int | None:
        raise NotImplementedError

    def parse(self, request: Request) -> ParsedSignature:
        """Read the signature header, timestamp and id (see :meth:`Scheme.parse`)."""
        headers = request.headers
        found = headers.first_of(_names(self.signature_header))
        if found is None:
            raise MissingSignature(
                f"header {_names(self.signature_header)[0]} is missing",
                header=_names(self.signature_header)[0],
                scheme=self.name,
            )
        header, value = found
        assert self.signature_format is not None  # noqa: S101 - set in __post_init__
        ts_text, offered = self.signature_format.split(value, header)
        labels = self._candidate_labels()
        candidates = tuple(
            (label, decode(text, self.encoding, size=self._signature_size(label)))
            for label, text in offered
            if label in labels
        )
        if not candidates:
            # Only other versions were offered (Stripe v0 alone): never downgrade.
            raise MissingSignature(
                f"header {header} offers no signature in an accepted version",
                reason="no_accepted_version",
                header=header,
                scheme=self.name,
            )
        ts_header = header
        if self.timestamp_header is not None:
            ts_header = _names(self.timestamp_header)[0]
            ts_found = headers.first_of(_names(self.timestamp_header))
            if ts_found is None:
                raise MissingSignature(f"header {ts_header} is missing", header=ts_header)
            ts_header, ts_text = ts_found
        elif (
            isinstance(self.signature_format, Pairs)
            and self.signature_format.timestamp_key
            and ts_text is None
        ):
            raise MissingSignature(
                f"header {header} has no timestamp", reason="missing_timestamp", header=header
            )
        timestamp: float | None = None
        if ts_text is not None:
            seconds = parse_timestamp(ts_text, ts_header)
            timestamp = seconds / 1000 if self.timestamp_unit == "ms" else float(seconds)
        delivery_id: str | None = None
        if self.id_header is not None:
            id_found = headers.first_of(_names(self.id_header))
            if id_found is not None:
                delivery_id = check_id(id_found[1], id_found[0], self._separators())
            elif "id" in self._parts:
                raise MissingSignature(
                    f"header {_names(self.id_header)[0]} is missing",
                    header=_names(self.id_header)[0],
                )
        return ParsedSignature(candidates, timestamp, ts_text, delivery_id, header, self.id_field)

    def _separators(self) -> str:
        return "".join(part.decode("latin-1") for part in self._parts if isinstance(part, bytes))

    def signed_content(self, parsed: ParsedSignature, request: Request) -> bytes:
        """Fill the content template with the exact bytes received."""
        if not isinstance(self.content, str):
            return self.content(parsed, request)
        if self._parts == ("body",):
            return request.body
        out: list[bytes] = []
        for part in self._parts:
            if isinstance(part, bytes):
                out.append(part)
            elif part == "body":
                out.append(request.body)
            elif part == "timestamp":
                out.append((parsed.timestamp_text or "").encode("ascii"))
            elif part == "id":
                out.append((parsed.id or "").encode("ascii"))
            elif part == "method":
                out.append(request.method.upper().encode("ascii", "replace"))
            else:  # url
                if request.url is None:
                    raise ConfigurationError(f"the {self.name} scheme signs the URL: pass url=")
                out.append(request.url.encode("utf-8"))
        return b"".join(out)

    def _format_headers(
        self, signature: bytes, request: Request, timestamp: int | None, delivery_id: str | None
    ) -> dict[str, str]:
        text = encode(signature, self.encoding)
        fmt = self.signature_format
        if isinstance(fmt, Pairs):
            value = f"{self._label}={text}"
            if fmt.timestamp_key:
                value = f"{fmt.timestamp_key}={timestamp}{fmt.separator}{value}"
        elif isinstance(fmt, Versioned):
            value = f"{self._label},{text}"
        else:
            value = f"{self._label}{text}"
        headers = {_names(self.signature_header)[0]: value}
        if self.timestamp_header is not None:
            headers[_names(self.timestamp_header)[0]] = str(timestamp)
        if self.id_header is not None and delivery_id is not None:
            headers[_names(self.id_header)[0]] = delivery_id
        return headers

    def _signing_fields(
        self, request: Request, timestamp: int | None, delivery_id: str | None
    ) -> tuple[ParsedSignature, int | None, str | None]:
        if self.default_tolerance is None and not self.timestamp_header:
            timestamp = None
        elif timestamp is None:
            raise ConfigurationError(f"the {self.name} scheme signs a timestamp: pass one")
        if self.id_header is not None and delivery_id is None:
            delivery_id = f"msg_{_random.token_hex(12)}"
        if delivery_id is not None:
            check_id(delivery_id, "id", self._separators())
        ts_text = None if timestamp is None else str(timestamp)
        parsed = ParsedSignature((), None, ts_text, delivery_id)
        return parsed, timestamp, delivery_id


def _compile(template: str) -> tuple[bytes | str, ...]:
    parts: list[bytes | str] = []
    position = 0
    for found in _PLACEHOLDER.finditer(template):
        if found.group(1) not in _FIELDS:
            raise ConfigurationError(f"unknown field {{{found.group(1)}}} in content template")
        if found.start() > position:
            parts.append(template[position : found.start()].encode("utf-8"))
        parts.append(found.group(1))
        position = found.end()
    if position < len(template):
        parts.append(template[position:].encode("utf-8"))
    if "body" not in parts:
        raise ConfigurationError("a content template must include {body}")
    return tuple(parts)
