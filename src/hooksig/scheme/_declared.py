"""
The parse and signed-content steps shared by the data-driven schemes.

:class:`~hooksig.HmacScheme` and :class:`~hooksig.AsymmetricScheme` differ
only in how they match and make signatures; reading headers, checking the
timestamp and id grammar, filling the content template and formatting
the headers a provider would send all live here, once.

A few providers put the signature, timestamp or id in the body rather than
in a header (Mailgun, Linear): a "header" name starting with ``body.``
names a field of the JSON body (``body.signature.token``), read with the
same grammar checks as a header.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from .._primitives.encoding import ENCODINGS, Encoding, decode, encode
from ..errors import ConfigurationError, MalformedSignature, MissingSignature
from ._body_fields import BODY_FIELD, Fields
from .formats import (
    Groups,
    Listed,
    Pairs,
    Plain,
    SignatureFormat,
    Versioned,
    check_id,
    compile_template,
    format_rfc3339,
    parse_rfc3339,
    parse_timestamp,
)
from .protocol import ParsedSignature, Request

if TYPE_CHECKING:
    from .challenge import Challenge
    from .handshake import Handshake

__all__ = ["ContentBuilder", "UrlVariants", "_TemplateScheme"]


def _names(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else value


ContentBuilder = Callable[[ParsedSignature, Request], bytes]
UrlVariants = Callable[[str], tuple[str, ...]]


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
    timestamp_unit: Literal["s", "ms", "rfc3339"] = "s"
    id_header: str | tuple[str, ...] | None = None
    id_field: str | None = None
    content: str | ContentBuilder = "{body}"
    tolerance: float | None = None
    docs_url: str = ""
    all_signature_headers: bool = False
    url_variants: UrlVariants | None = None
    handshake: Handshake | None = None
    challenge: Challenge | None = None
    secret_hint: str = ""
    _parts: tuple[bytes | str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.signature_format is None:
            object.__setattr__(self, "signature_format", Plain(self.prefix))
        in_body = _names(self.signature_header)[0].startswith(BODY_FIELD)
        parts = () if callable(self.content) else compile_template(self.content, in_body)
        object.__setattr__(self, "_parts", parts)
        if not self.name or self.name != self.name.lower() or " " in self.name:
            raise ConfigurationError("a scheme name is lowercase and hyphenated")
        if self.timestamp_unit not in ("s", "ms", "rfc3339"):
            raise ConfigurationError("timestamp_unit must be s, ms or rfc3339")
        if self.encoding not in ENCODINGS:
            raise ConfigurationError("encoding must be hex, base64, base64url or base64url-nopad")

    @property
    def default_tolerance(self) -> float | None:
        """300 seconds when the scheme signs a timestamp, unless configured."""
        if self.tolerance is not None:
            return self.tolerance
        if self.timestamp_header or self._timestamp_key:
            return 300.0
        return None

    @property
    def _timestamp_key(self) -> str | None:
        # Where the signature header itself carries the timestamp (Pairs' t=, Listed's first item).
        return getattr(self.signature_format, "timestamp_key", None)

    @property
    def _label(self) -> str:
        if isinstance(self.signature_format, Plain):
            return self.signature_format.prefix
        if isinstance(self.signature_format, Listed):
            return ""  # unlabelled items
        return self.version or "v1"

    def _candidate_labels(self) -> frozenset[str]:
        return frozenset({self._label})

    def _signature_size(self, label: str) -> int | None:
        raise NotImplementedError

    def _decode_candidate(self, label: str, text: str) -> bytes:
        return decode(text, self.encoding, size=self._signature_size(label))

    def _offered(self, fields: Fields) -> tuple[str, list[tuple[str, str]], str | None]:
        """Return ``(header, [(label, text)], timestamp text)`` from the signature header(s)."""
        names = _names(self.signature_header)
        lookups = [(name,) for name in names] if self.all_signature_headers else [names]
        header, offered, ts_text = "", [], None
        for lookup in lookups:
            found = fields.first_of(lookup)
            if found is None:
                continue
            assert self.signature_format is not None  # noqa: S101 - set in __post_init__
            ts_text, items = self.signature_format.split(found[1], found[0])
            header = header or found[0]
            offered.extend(items)
        if not header:
            raise MissingSignature(
                f"header {names[0]} is missing", header=names[0], scheme=self.name
            )
        return header, offered, ts_text

    def parse(self, request: Request) -> ParsedSignature:
        """Read the signature header, timestamp and id (see :meth:`Scheme.parse`)."""
        fields = Fields(request)
        header, offered, ts_text = self._offered(fields)
        labels = self._candidate_labels()
        candidates = tuple(
            (label, self._decode_candidate(label, text))
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
            ts_found = fields.first_of(_names(self.timestamp_header))
            if ts_found is None:
                raise MissingSignature(f"header {ts_header} is missing", header=ts_header)
            ts_header, ts_text = ts_found
        elif self._timestamp_key and ts_text is None:
            raise MissingSignature(
                f"header {header} has no timestamp", reason="missing_timestamp", header=header
            )
        timestamp: float | None = None
        if ts_text is not None:
            if self.timestamp_unit == "rfc3339":
                timestamp = parse_rfc3339(ts_text, ts_header)
            else:
                seconds = parse_timestamp(ts_text, ts_header)
                timestamp = seconds / 1000 if self.timestamp_unit == "ms" else float(seconds)
        return ParsedSignature(
            candidates, timestamp, ts_text, self._delivery_id(fields), header, self.id_field
        )

    def _delivery_id(self, fields: Fields) -> str | None:
        if self.id_header is None:
            return None
        names = _names(self.id_header)
        try:
            found = fields.first_of(names)
            if found is not None:
                return check_id(found[1], found[0], self._separators())
        except MalformedSignature:
            # An unsigned id read from a body not yet verified (Coinbase's event.id) is
            # only a convenience: a body without a usable one simply has no id.
            if "id" in self._parts or not names[0].startswith(BODY_FIELD):
                raise
            return None
        if "id" in self._parts:
            raise MissingSignature(f"header {names[0]} is missing", header=names[0])
        return None

    def signed_contents(self, parsed: ParsedSignature, request: Request) -> tuple[bytes, ...]:
        """Every content the provider may have signed: one per URL variant (Twilio's port)."""
        if self.url_variants is None or request.url is None:
            return (self.signed_content(parsed, request),)
        return tuple(
            self.signed_content(parsed, replace(request, url=url))
            for url in self.url_variants(request.url)
        )

    def _separators(self) -> str:
        return "".join(part.decode("latin-1") for part in self._parts if isinstance(part, bytes))

    def _signed_parts(
        self, parsed: ParsedSignature, request: Request
    ) -> list[Sequence[bytes | memoryview]]:
        # signed_contents(), each content left in pieces: the verifier hashes
        # them in turn instead of joining a copy of the body.
        if self.url_variants is None or request.url is None:
            return [self._content_parts(parsed, request)]
        variants = self.url_variants(request.url)
        if not isinstance(self.content, str):
            # A builder's content starts with the URL it was given (see url_variants):
            # build it once, and sign each variant's URL before the same rest.
            content = self.content(parsed, request)
            url = request.url.encode("utf-8")
            if content.startswith(url):
                rest = memoryview(content)[len(url) :]
                return [[variant.encode("utf-8"), rest] for variant in variants]
        return [self._content_parts(parsed, replace(request, url=url)) for url in variants]

    def signed_content(self, parsed: ParsedSignature, request: Request) -> bytes:
        """Fill the content template with the exact bytes received."""
        parts = self._content_parts(parsed, request)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def _content_parts(self, parsed: ParsedSignature, request: Request) -> list[bytes]:
        # The signed content in order, as pieces that signed_content() joins.
        if not isinstance(self.content, str):
            return [self.content(parsed, request)]
        if self._parts == ("body",):
            return [request.body]
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
                    raise ConfigurationError(
                        f"the {self.name} scheme signs the URL: pass url= to verify() "
                        "or public_url= to the Verifier"
                    )
                out.append(request.url.encode("utf-8"))
        return out

    def _format_headers(
        self, signature: bytes, request: Request, timestamp: int | None, delivery_id: str | None
    ) -> dict[str, str]:
        text = encode(signature, self.encoding)
        fmt = self.signature_format
        if isinstance(fmt, Groups):
            fmt = fmt.pairs  # one group: this verifier signs with one secret
        if isinstance(fmt, Listed):
            value = text
            if fmt.timestamp_first:
                assert timestamp is not None  # noqa: S101 - _signing_fields() requires one
                value = f"{self._timestamp_text(timestamp)}{fmt.separator}{text}"
        elif isinstance(fmt, Pairs):
            value = f"{self._label}={text}"
            if fmt.timestamp_key:
                # In the scheme's unit, as signed (WorkOS writes milliseconds in t=);
                # a timestamp key makes _signing_fields() require a timestamp.
                assert timestamp is not None  # noqa: S101
                stamp = self._timestamp_text(timestamp)
                value = f"{fmt.timestamp_key}={stamp}{fmt.separator}{value}"
        elif isinstance(fmt, Versioned):
            value = f"{self._label},{text}"
        else:
            value = f"{self._label}{text}"
        name = _names(self.signature_header)[0]
        # A signature carried in the body (Mailgun) comes back as its ``body.`` fields,
        # for the caller to place in the body; other schemes' body fields are the caller's.
        in_body = name.startswith(BODY_FIELD)
        headers = {name: value}
        if self.timestamp_header is not None and timestamp is not None:
            ts_name = _names(self.timestamp_header)[0]
            if in_body or not ts_name.startswith(BODY_FIELD):
                headers[ts_name] = self._timestamp_text(timestamp)
        if self.id_header is not None and delivery_id is not None:
            id_name = _names(self.id_header)[0]
            if in_body or not id_name.startswith(BODY_FIELD):
                headers[id_name] = delivery_id
        return headers

    def _timestamp_text(self, timestamp: int) -> str:
        if self.timestamp_unit == "rfc3339":
            return format_rfc3339(timestamp)
        return str(timestamp * 1000 if self.timestamp_unit == "ms" else timestamp)

    def _signing_fields(
        self, request: Request, timestamp: int | None, delivery_id: str | None
    ) -> tuple[ParsedSignature, int | None, str | None]:
        if self.default_tolerance is None and not self.timestamp_header:
            timestamp = None
        elif timestamp is None:
            raise ConfigurationError(f"the {self.name} scheme signs a timestamp: pass one")
        if self.id_header is None:
            delivery_id = None  # the scheme sends no id, so none is signed or checked
        elif delivery_id is None:
            from secrets import token_hex

            delivery_id = f"msg_{token_hex(12)}"
        if delivery_id is not None:
            check_id(delivery_id, "id", self._separators())
        ts_text = None if timestamp is None else self._timestamp_text(timestamp)
        parsed = ParsedSignature((), None, ts_text, delivery_id)
        return parsed, timestamp, delivery_id
