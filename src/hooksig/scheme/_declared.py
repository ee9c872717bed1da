"""
The steps shared by the data-driven schemes: parse, signed content, info, compile.

:class:`~hooksig.HmacScheme` and :class:`~hooksig.AsymmetricScheme` differ
only in how they match and make signatures; reading headers, checking the
timestamp and id grammar, filling the content template, describing the
scheme and compiling its hot route all live here, once.

A few providers put the signature, timestamp or id in the body rather than
in a header (Mailgun, Linear): a "header" name starting with ``body.``
names a field of the JSON body (``body.signature.token``), read with the
same grammar checks as a header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from .._primitives.encoding import ENCODINGS, Encoding, decode, encode
from ..errors import ConfigurationError, MissingSignature
from ._body_fields import BODY_FIELD, BodyOrHeaders, names
from ._pieces import Pieces
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
from .protocol import BodyShape, Content, Evidence, ParsedSignature, Request, SchemeInfo

if TYPE_CHECKING:
    from ..keys import KeyRing
    from ._compiled import RoutePlan
    from .challenge import Challenge
    from .handshake import Handshake
    from .ids import IdSource
    from .protocol import CompiledRoute

__all__ = ["ContentBuilder", "UrlVariants", "_TemplateScheme"]

ContentBuilder = Callable[[ParsedSignature, Request], "bytes | Pieces"]
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
    id_source: IdSource | None = None
    content: str | ContentBuilder = "{body}"
    body_shape: BodyShape | None = None
    tolerance: float | None = None
    docs_url: str = ""
    all_signature_headers: bool = False
    url_variants: UrlVariants | None = None
    handshake: Handshake | None = None
    challenge: Challenge | None = None
    secret_hint: str = ""
    sent_headers: tuple[tuple[str, str], ...] = ()
    evidence: Evidence | None = None
    alias_evidence: Mapping[str, Evidence] | None = field(default=None, compare=False)
    _parts: tuple[bytes | str, ...] = field(init=False, repr=False, compare=False)
    _id_reader: IdSource | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for option in ("signature_header", "timestamp_header", "id_header"):
            value = getattr(self, option)
            if value is not None and (not value or not all(names(value))):
                raise ConfigurationError(
                    f"{option}={value!r} names no header: name one, or leave it out"
                )
        sent = self.sent_headers
        if not isinstance(sent, (tuple, str)):  # a mapping or a list: kept as pairs
            sent = tuple(sent.items() if isinstance(sent, Mapping) else sent)
            object.__setattr__(self, "sent_headers", sent)
        pairs = [pair for pair in sent if isinstance(pair, tuple) and len(pair) == 2]
        if len(pairs) != len(sent) or not all(isinstance(x, str) and x for p in pairs for x in p):
            raise ConfigurationError("sent_headers are (name, value) pairs of non-empty text")
        if self.signature_format is None:
            object.__setattr__(self, "signature_format", Plain(self.prefix))
        in_body = names(self.signature_header)[0].startswith(BODY_FIELD)
        parts = () if callable(self.content) else compile_template(self.content, in_body)
        object.__setattr__(self, "_parts", parts)
        if not self.name or self.name != self.name.lower() or " " in self.name:
            raise ConfigurationError("a scheme name is lowercase and hyphenated")
        if self.timestamp_unit not in ("s", "ms", "rfc3339"):
            raise ConfigurationError("timestamp_unit must be s, ms or rfc3339")
        if self.encoding not in ENCODINGS:
            raise ConfigurationError("encoding must be hex, base64, base64url or base64url-nopad")
        if self.body_shape not in (None, "bytes", "json", "form", "text"):
            raise ConfigurationError("body_shape must be bytes, json, form or text")
        id_names = names(self.id_header)
        if id_names and id_names[0].startswith(BODY_FIELD) and "id" not in parts:
            # Only an id the provider signs is read before verification.
            raise ConfigurationError(
                "an unsigned id in the body is read after verification: use id_field="
            )
        if self.tolerance is not None and not self.signs_timestamp:
            raise ConfigurationError(
                f"tolerance= needs a signed timestamp, and the {self.name} scheme declares "
                "none: set timestamp_header= or a format's timestamp_key, or leave tolerance out"
            )
        object.__setattr__(self, "_id_reader", self._reader())

    def _reader(self) -> IdSource | None:
        """Where Delivery.id is read from after verification: id_source, else id_field."""
        if self.id_source is not None and self.id_field is not None:
            raise ConfigurationError("pass id_source= or id_field=, not both")
        if self.id_source is not None:
            from .ids import check_source

            return check_source(self.id_source)
        if self.id_field is None:
            return None
        from .ids import BodyField, FirstOf, HeaderField

        body = BodyField(self.id_field)
        id_names = names(self.id_header)
        # A header id, where one is sent, wins over the body's.
        return FirstOf(HeaderField(*id_names), body) if id_names else body

    @property
    def signs_timestamp(self) -> bool:
        """Whether a timestamp is signed: a timestamp header, or one in the signature header."""
        return bool(self.timestamp_header or self._timestamp_key)

    @property
    def signs_url(self) -> bool:
        """Whether the signed content includes the URL: a verifier then needs a URL policy."""
        return (
            "url" in self._parts
            or self.url_variants is not None
            or getattr(self.content, "signs_url", False) is True
        )

    @property
    def default_tolerance(self) -> float | None:
        """300 seconds when the scheme signs a timestamp, unless configured."""
        if self.tolerance is not None:
            return self.tolerance
        return 300.0 if self.signs_timestamp else None

    @property
    def _timestamp_key(self) -> str | None:
        # Where the signature header itself carries the timestamp (Pairs' t=, Listed's first item).
        fmt = self.signature_format
        return fmt.timestamp_key if isinstance(fmt, (Pairs, Listed, Groups)) else None

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

    # -- parse -----------------------------------------------------------------------------

    def _offered(self, fields: BodyOrHeaders) -> tuple[str, list[tuple[str, str]], str | None]:
        """Return ``(header, [(label, text)], timestamp text)`` from the signature header(s)."""
        signature_names = names(self.signature_header)
        lookups = (
            [(name,) for name in signature_names]
            if self.all_signature_headers
            else [signature_names]
        )
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
                f"header {signature_names[0]} is missing",
                header=signature_names[0],
                scheme=self.name,
            )
        return header, offered, ts_text

    def parse(self, request: Request) -> ParsedSignature:
        """Read the signature header, timestamp and id (see :meth:`Scheme.parse`)."""
        fields = BodyOrHeaders(request)
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
            ts_header = names(self.timestamp_header)[0]
            ts_found = fields.first_of(names(self.timestamp_header))
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
            candidates,
            timestamp,
            ts_text,
            self._delivery_id(fields),
            header,
            self._id_reader,
        )

    def _delivery_id(self, fields: BodyOrHeaders) -> str | None:
        if self.id_header is None:
            return None
        id_names = names(self.id_header)
        found = fields.first_of(id_names)
        if found is not None:
            return check_id(found[1], found[0], self._separators())
        if "id" in self._parts:
            raise MissingSignature(f"header {id_names[0]} is missing", header=id_names[0])
        return None

    def _separators(self) -> str:
        return "".join(part.decode("latin-1") for part in self._parts if isinstance(part, bytes))

    # -- signed content ----------------------------------------------------------------------

    def signed_contents(self, parsed: ParsedSignature, request: Request) -> list[Content]:
        """
        Every content the provider may have signed, in pieces: one per URL variant (Twilio's port).

        The body is a piece of its own, never joined to a copy; a content
        builder may return its content as ``Pieces`` (Twilio's streamed
        form), never joined at all.
        """
        if self.url_variants is None or request.url is None:
            return [self._pieces(parsed, request)]
        variants = self.url_variants(request.url)
        if not isinstance(self.content, str):
            # A builder's content starts with the URL it was given (see url_variants):
            # build it once, and sign each variant's URL before the same rest.
            content = self.content(parsed, request)
            url = request.url.encode("utf-8")
            if isinstance(content, Pieces):
                if content.head == url:
                    return [content.with_head(variant.encode("utf-8")) for variant in variants]
            elif content.startswith(url):
                rest = memoryview(content)[len(url) :]
                return [[variant.encode("utf-8"), rest] for variant in variants]
        return [self._pieces(parsed, replace(request, url=url)) for url in variants]

    def signed_content(self, parsed: ParsedSignature, request: Request) -> bytes:
        """The content template filled with the exact bytes received, joined (for signing)."""
        pieces = self._pieces(parsed, request)
        if isinstance(pieces, Pieces):
            return bytes(pieces)
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def _pieces(self, parsed: ParsedSignature, request: Request) -> list[bytes] | Pieces:
        # The signed content in order, as the pieces it is hashed in.
        if not isinstance(self.content, str):
            content = self.content(parsed, request)
            return content if isinstance(content, Pieces) else [content]
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

    # -- the compiled route --------------------------------------------------------------------

    def compile(self, keys: KeyRing) -> CompiledRoute | None:
        """
        This scheme's hot route for *keys*, or ``None`` where only the general route applies.

        The route reads a plainly well-formed delivery with the same grammar
        as :meth:`parse`, and answers ``None`` for anything else.  Only a
        template over the body, timestamp and id qualifies: no URL, no
        content function, no field carried in the body.
        """
        plan = self._plan(keys)
        if plan is None:
            return None
        from ._compiled import compile_route

        return compile_route(plan)

    def _plan(self, keys: KeyRing) -> RoutePlan | None:
        every_name = (
            *names(self.signature_header),
            *names(self.timestamp_header),
            *names(self.id_header),
        )
        if (
            not isinstance(self.content, str)
            or self.url_variants is not None
            or self.all_signature_headers
            or self.timestamp_unit not in ("s", "ms")
            or "body" not in self._parts
            or any(part in ("url", "method") for part in self._parts)
            or any(name.startswith(BODY_FIELD) for name in every_name)
        ):
            return None
        fmt = self.signature_format
        if not isinstance(fmt, (Plain, Pairs, Versioned)):
            return None  # Listed and Groups: rarer shapes, read by the general route alone
        match = self._plan_match(keys)
        if match is None:
            return None
        from ._compiled import RoutePlan

        return RoutePlan(
            name=self.name,
            signature_names=names(self.signature_header),
            timestamp_names=names(self.timestamp_header),
            id_names=names(self.id_header),
            id_signed="id" in self._parts,
            id_reader=self._id_reader,
            split=fmt.split,
            lone=None if isinstance(fmt, Plain) else fmt.leads(self._label),
            one_item=isinstance(fmt, Plain),
            needs_timestamp=isinstance(fmt, Pairs) and bool(fmt.timestamp_key),
            sizes={label: self._signature_size(label) for label in self._candidate_labels()},
            label=self._label,
            encoding=self.encoding,
            milliseconds=self.timestamp_unit == "ms",
            parts=self._parts,
            separators=self._separators(),
            **match,
        )

    def _plan_match(self, keys: KeyRing) -> dict[str, Any] | None:
        # How the route matches: HMAC states, or public keys and a verify function.
        raise NotImplementedError

    # -- what the scheme is ----------------------------------------------------------------------

    def _describe_content(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return (self.content.__doc__ or self.content.__name__).strip().splitlines()[0]

    def _signature_value(self) -> str:
        # The value's shape, then a note in parentheses where it has one.
        fmt, enc = self.signature_format, f"<{self.encoding}>"
        unix = {"s": "<unix>", "ms": "<unix ms>"}.get(self.timestamp_unit, "<rfc3339>")
        if isinstance(fmt, Groups):
            pairs = fmt.pairs
            stamp = f"{pairs.timestamp_key}={unix}{pairs.separator}" if pairs.timestamp_key else ""
            return f"{stamp}{self._label}={enc} (one group per secret, {fmt.separator!r} between)"
        if isinstance(fmt, Listed):
            head = f"{unix}{fmt.separator}" if fmt.timestamp_first else ""
            return f"{head}{enc}[{fmt.separator}{enc}...]"
        if isinstance(fmt, Pairs):
            stamp = f"{fmt.timestamp_key}={unix}{fmt.separator}" if fmt.timestamp_key else ""
            return f"{stamp}{self._label}={enc}"
        if isinstance(fmt, Versioned):
            return f"{self._label},{enc} (list, {fmt.separator!r} between)"
        if isinstance(fmt, Plain) and fmt.optional:
            return f"{self._label}{enc} (the prefix may be left out)"
        return f"{self._label}{enc}"

    def _info(self, **specific: Any) -> SchemeInfo:
        """The :class:`SchemeInfo` fields every declared scheme derives the same way."""
        every_name = (
            *names(self.signature_header),
            *names(self.timestamp_header),
            *names(self.id_header),
        )
        body_fields = tuple(name for name in every_name if name.startswith(BODY_FIELD))
        timestamped = self.default_tolerance is not None
        id_source = self._id_reader
        if id_source is None and self.id_header is not None:
            from .ids import BodyField, HeaderField

            id_names = names(self.id_header)
            id_source = (
                BodyField(id_names[0][len(BODY_FIELD) :])
                if id_names[0].startswith(BODY_FIELD)
                else HeaderField(*id_names)
            )
        fields: dict[str, Any] = {
            "name": self.name,
            "encoding": self.encoding,
            "signature_headers": names(self.signature_header),
            "signature_value": self._signature_value(),
            "timestamp_headers": names(self.timestamp_header),
            "timestamp_unit": self.timestamp_unit if timestamped else None,
            "tolerance": self.default_tolerance,
            "signed_content": self._describe_content(),
            "signs_url": self.signs_url,
            "signs_body": getattr(self.content, "signs_body", True) is not False,
            "url_variants": self.url_variants is not None,
            "body_shape": self.body_shape or ("json" if body_fields else "bytes"),
            "body_fields": body_fields,
            "id_source": id_source,
            "id_forbidden": self._separators(),
            "handshake": self.handshake is not None,
            "challenge": self.challenge is not None,
            "docs_url": self.docs_url,
            "secret_hint": self.secret_hint,
            "sent_headers": self.sent_headers,
            "evidence": self.evidence,
            "alias_evidence": tuple(sorted((self.alias_evidence or {}).items())),
        }
        fields.update(specific)
        return SchemeInfo(**fields)

    # -- signing ---------------------------------------------------------------------------------

    def _signature_text(self, signature: bytes, timestamp: int | None) -> str:
        # One signature as the signature header carries it, in the declared format.
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
        return value

    def _format_headers(
        self,
        signature: bytes,
        request: Request,
        timestamp: int | None,
        delivery_id: str | None,
        more: Iterable[bytes] = (),
    ) -> dict[str, str]:
        # *more*: the signatures of the ring's other keys, one per further name of
        # all_signature_headers (Box's secondary).  sent_headers follow the ones signed.
        signature_names = names(self.signature_header)
        name = signature_names[0]
        # A signature carried in the body (Mailgun) comes back as its ``body.`` fields,
        # for the caller to place in the body; other schemes' body fields are the caller's.
        in_body = name.startswith(BODY_FIELD)
        headers = {name: self._signature_text(signature, timestamp)}
        for other, extra in zip(signature_names[1:], more, strict=False):  # no more than both
            headers[other] = self._signature_text(extra, timestamp)
        if self.timestamp_header is not None and timestamp is not None:
            ts_name = names(self.timestamp_header)[0]
            if in_body or not ts_name.startswith(BODY_FIELD):
                headers[ts_name] = self._timestamp_text(timestamp)
        id_names = self._id_names()
        if (
            id_names
            and delivery_id is not None
            and (in_body or not id_names[0].startswith(BODY_FIELD))
        ):
            headers[id_names[0]] = delivery_id
        headers.update(self.sent_headers)
        return headers

    def _id_names(self) -> Sequence[str]:
        """The header an id is written to when signing: the signed one, else the id source's."""
        if self.id_header is not None:
            return names(self.id_header)
        from .ids import field_names

        return field_names(self._id_reader)

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
        if not self._id_names():
            delivery_id = None  # the scheme sends no id header, so none is written or checked
        elif delivery_id is None:
            from secrets import token_hex

            delivery_id = f"msg_{token_hex(12)}"
        if delivery_id is not None:
            check_id(delivery_id, "id", self._separators())
        ts_text = None if timestamp is None else self._timestamp_text(timestamp)
        parsed = ParsedSignature((), None, ts_text, delivery_id)
        return parsed, timestamp, delivery_id
