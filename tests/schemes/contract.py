"""
The scheme contract: one reusable suite that every provider's scheme must pass.

A provider test is a subclass that states a few facts about the provider::

    class TestGitHub(SchemeContract):
        \"\"\"GitHub through the scheme contract.\"\"\"

        scheme = "github"
        keys = {"secret": "It's a Secret to Everybody"}
        signs_timestamp = False
        id_source = "header"

The suite then signs with the verifier, verifies the result, and checks that
tampering with the body, the signature, the timestamp or the id, dropping a
header or sending hostile header values is refused with the right error.
Where a provider does not fit a default (a signature inside the body, a
token that is not a MAC), override the matching ``tamper_*`` method or class
attribute rather than the tests.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

import pytest

import hooksig
from hooksig import (
    Delivery,
    InvalidSignature,
    MalformedPayload,
    MalformedSignature,
    MissingSignature,
    TimestampOutOfTolerance,
    VerificationError,
    Verifier,
)

#: The fixed time every contract test runs at.
NOW = 1_700_000_000
#: The delivery id the contract signs with.
ID = "msg_contract_1"
#: The event id inside the default body (read by schemes that take the id from the body).
BODY_ID = "evt_contract_1"
#: The default body: JSON with an ``id`` field, as most providers send.
BODY = b'{"id": "evt_contract_1", "type": "contract.test", "data": {"amount": 1234}}'
#: A raw key that is valid for any HMAC scheme whatever its secret format (bytes are raw).
OTHER_KEY = b"contract-other-key-0123456789abc"

#: Where a scheme's delivery id comes from: a signed header, an unsigned header, a
#: JSON body field, a key derived from the body, or a random key per delivery.
IdSource = Literal["signed-header", "header", "body", "derived", "random"]
_ID_SOURCES = ("signed-header", "header", "body", "derived", "random")

#: Header values that no signature, timestamp or signed-id header may accept.
HOSTILE_VALUES = [
    "",
    " ",
    "\t",
    "\x00",
    "\r\n",
    "=",
    ",",
    ".",
    "v1,",
    "t=,v1=",
    "sha256=",
    "\u0661\u0662\u0663",
    "caf\u00e9",
    "\ufeff",
    "x" * 9000,
    "A" * 8193,
    "\U0001f600",
]

_REQUIRED = ("scheme", "keys", "signs_timestamp", "id_source")


def _rfc3339(seconds: int) -> str:
    return _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


class SchemeContract:
    """
    Base suite for one scheme; subclass it as ``Test<Provider>`` and set the class attributes.

    Attributes:
        scheme: registry name (an alias works too).
        keys: ``Verifier`` keyword arguments holding the keys, e.g. ``{"secret": "..."}``
            or ``{"public_key": ..., "signing_key": ...}``.
        other_keys: keys of another account, for the wrong-key test; defaults to
            ``{"secret": OTHER_KEY}``, so public-key schemes must set it.
        signs_timestamp: the provider signs a timestamp (and a replay window applies).
        id_source: where the delivery id comes from: ``"signed-header"``, an
            unsigned ``"header"``, a JSON ``"body"`` field, a key ``"derived"``
            from the body, or a ``"random"`` key per delivery; never none.
        id_format: the id a header source gives for the id sent (Shopify joins the topic).
        extra_headers: headers the provider sends beside sign()'s (Shopify's topic).
        body_without_id: a body of this provider without its id field (``"body"`` sources).
        options: extra ``Verifier`` keyword arguments (``public_url=`` ...).
        request: extra ``sign()``/``verify()`` keyword arguments (``url=``, ``method=`` ...).
        body: the body signed by the contract.
        body_id: the id the Delivery reports when ``id_source == "body"``.
        optional_headers: headers sign() writes that verify() does not require.
    """

    scheme: ClassVar[str]
    keys: ClassVar[Mapping[str, Any]]
    other_keys: ClassVar[Mapping[str, Any]] = {"secret": OTHER_KEY}
    signs_timestamp: ClassVar[bool]
    id_source: ClassVar[IdSource]
    options: ClassVar[Mapping[str, Any]] = {}
    request: ClassVar[Mapping[str, Any]] = {}
    body: ClassVar[bytes] = BODY
    body_id: ClassVar[str | None] = BODY_ID
    optional_headers: ClassVar[frozenset[str]] = frozenset()
    id_format: ClassVar[str] = "{}"
    extra_headers: ClassVar[Mapping[str, str]] = {}
    body_without_id: ClassVar[bytes] = b'{"type": "contract.test", "data": {"amount": 1234}}'

    def __init_subclass__(cls, abstract: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if abstract:  # a base for a family of schemes (TokenContract), not a scheme
            return
        missing = [name for name in _REQUIRED if not hasattr(cls, name)]
        if missing:
            raise TypeError(f"{cls.__name__} must set {', '.join(missing)} (see SchemeContract)")
        if cls.id_source not in _ID_SOURCES:
            raise TypeError(f"{cls.__name__}.id_source must be one of {', '.join(_ID_SOURCES)}")

    # -- factories: override these if a provider needs more ---------------------------------

    def verifier(self, **overrides: Any) -> Verifier:
        """Return a verifier with the contract's keys and clock; *overrides* win."""
        kwargs: dict[str, Any] = {**self.keys, "clock": lambda: float(NOW), **self.options}
        if {"secret", "secrets"} & overrides.keys():
            kwargs.pop("secret", None)
        kwargs.update(overrides)
        return Verifier(self.scheme, **kwargs)

    def sign(
        self, verifier: Verifier | None = None, body: bytes | None = None, **kwargs: Any
    ) -> dict[str, str]:
        """Sign *body* (default :attr:`body`) at :data:`NOW` with id :data:`ID`."""
        kwargs.setdefault("timestamp", NOW)
        kwargs.setdefault("id", ID)
        headers = (verifier or self.verifier()).sign(
            self.body if body is None else body, **self.request, **kwargs
        )
        return {**headers, **self.extra_headers}

    def verify(
        self,
        headers: Any,
        body: bytes | None = None,
        verifier: Verifier | None = None,
        **kwargs: Any,
    ) -> Delivery:
        """Verify *headers* with *body* (default :attr:`body`) at :data:`NOW`."""
        kwargs.setdefault("now", NOW)
        return (verifier or self.verifier()).verify(
            self.body if body is None else body, headers, **self.request, **kwargs
        )

    # -- how a signed request is located and tampered with ------------------------------------

    def signature_headers(self) -> set[str]:
        """The headers whose value changes with the body: the ones carrying the signature."""
        one, two = self.sign(body=self.body), self.sign(body=self.body + b" ")
        return {name for name in one if one[name] != two.get(name)}

    def id_header(self, headers: Mapping[str, str]) -> str:
        """The header carrying :data:`ID`."""
        found = [name for name, value in headers.items() if value == ID]
        assert len(found) == 1, f"no single header carries the id {ID!r}: {headers}"
        return found[0]

    def unread_headers(self, headers: Mapping[str, str]) -> set[str]:
        """Headers sign() writes that verify() may go without: optional ones and sent_headers."""
        optional = set(self.optional_headers)
        optional |= {
            name for name, _ in getattr(hooksig.schemes.get(self.scheme), "sent_headers", ())
        }
        if self.id_source == "header":
            optional.add(self.id_header(headers))
        return optional

    def tamper_signature(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Change the first character of the signature to one a valid signature may hold."""
        other = self.sign(body=self.body + b" ")
        out = dict(headers)
        for name in self.signature_headers():
            value, different = headers[name], other[name]
            at = next(i for i, (a, b) in enumerate(zip(value, different, strict=False)) if a != b)
            out[name] = value[:at] + different[at] + value[at + 1 :]
            break
        return out

    def tamper_timestamp(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Move the signed timestamp one second later wherever it is written."""
        out = {}
        for name, value in headers.items():
            moved = value.replace(str(NOW), str(NOW + 1))
            out[name] = moved.replace(_rfc3339(NOW), _rfc3339(NOW + 1))
        assert out != dict(headers), "no timestamp found: override tamper_timestamp"
        return out

    def tamper_body(self, body: bytes) -> bytes:
        """Flip one bit of the body."""
        return bytes([body[0] ^ 0x01]) + body[1:]

    # -- the contract -------------------------------------------------------------------------

    def test_round_trip(self) -> None:
        """sign() then verify() gives a Delivery with the scheme, timestamp, id, key id and body."""
        headers = self.sign()
        delivery = self.verify(headers)
        assert delivery.scheme == hooksig.schemes.get(self.scheme).name
        assert delivery.body == self.body
        assert delivery.key_id == "0"
        assert delivery.timestamp == (NOW if self.signs_timestamp else None)
        if self.id_source in ("signed-header", "header"):
            assert delivery.id == self.id_format.format(ID)
        elif self.id_source == "body":
            assert delivery.id == self.body_id
        else:
            assert delivery.id is not None

    def test_id_is_never_none(self) -> None:
        """Every genuine delivery has an id; the same delivery sent again has the same one."""
        one, two = self.verify(self.sign()), self.verify(self.sign())
        assert one.id is not None
        assert two.id is not None
        if self.id_source == "random":
            assert one.id != two.id  # each delivery is its own: never merged with another
        else:
            assert one.id == two.id
        assert hooksig.schemes.get(self.scheme).info.id_source is not None

    def test_a_body_without_its_id_still_has_one(self) -> None:
        """A genuine body lacking the declared id field falls back to a key derived from it."""
        if self.id_source != "body":
            return
        body = self.body_without_id
        delivery = self.verify(self.sign(body=body), body=body)
        assert delivery.id is not None
        assert delivery.id != self.body_id
        other = self.verify(self.sign(body=body + b" "), body=body + b" ")
        assert other.id not in (None, delivery.id)

    def test_round_trip_header_shapes(self) -> None:
        """Lowercase, uppercase, pairs and bytes pairs all verify: names are case-insensitive."""
        headers = self.sign()
        for shaped in (
            {name.lower(): value for name, value in headers.items()},
            {name.upper(): value for name, value in headers.items()},
            list(headers.items()),
            [(name.encode(), value.encode("latin-1")) for name, value in headers.items()],
        ):
            assert self.verify(shaped).body == self.body

    def test_tampered_body(self) -> None:
        """One flipped bit of the body is InvalidSignature."""
        with pytest.raises(InvalidSignature):
            self.verify(self.sign(), body=self.tamper_body(self.body))

    def test_tampered_signature(self) -> None:
        """A well-formed but different signature is InvalidSignature."""
        with pytest.raises(InvalidSignature):
            self.verify(self.tamper_signature(self.sign()))

    def test_wrong_key(self) -> None:
        """A delivery signed with another account's key is InvalidSignature."""
        other = self.verifier(**self.other_keys)
        with pytest.raises(InvalidSignature) as info:
            self.verify(self.sign(other))
        assert info.value.scheme == hooksig.schemes.get(self.scheme).name

    def test_timestamp(self) -> None:
        """A signed timestamp cannot be moved; an unsigned scheme ignores the timestamp given."""
        if not self.signs_timestamp:
            assert self.sign(timestamp=NOW) == self.sign(timestamp=NOW + 60)
            return
        with pytest.raises(InvalidSignature):
            self.verify(self.tamper_timestamp(self.sign()))

    def test_replay_window(self) -> None:
        """Timestamped schemes refuse a delivery one second outside the window, past and future."""
        tolerance = hooksig.schemes.get(self.scheme).default_tolerance
        if not self.signs_timestamp:
            assert self.verify(self.sign(), now=NOW + 10**9).timestamp is None
            return
        assert tolerance is not None
        bound = int(tolerance)
        self.verify(self.sign(), now=NOW + bound)
        with pytest.raises(TimestampOutOfTolerance) as info:
            self.verify(self.sign(), now=NOW + bound + 1)
        assert info.value.reason == "too_old"
        with pytest.raises(TimestampOutOfTolerance) as info:
            self.verify(self.sign(), now=NOW - bound - 1)
        assert info.value.reason == "too_new"

    def test_id(self) -> None:
        """A signed id cannot be changed; an unsigned id header is reported as sent."""
        headers = self.sign()
        if self.id_source not in ("signed-header", "header"):
            assert ID not in headers.values()
            return
        name = self.id_header(headers)
        tampered = {**headers, name: "msg_tampered_2"}
        if self.id_source == "signed-header":
            with pytest.raises(InvalidSignature):
                self.verify(tampered)
        else:
            assert self.verify(tampered).id == self.id_format.format("msg_tampered_2")

    def test_missing_headers(self) -> None:
        """Dropping any required header is MissingSignature; an unsigned id header is optional."""
        headers = self.sign()
        optional = self.unread_headers(headers)
        assert self.signature_headers() <= headers.keys()
        for name in headers:
            rest = {key: value for key, value in headers.items() if key != name}
            if name in optional:
                assert self.verify(rest).body == self.body
            else:
                with pytest.raises(MissingSignature):
                    self.verify(rest)
        with pytest.raises(MissingSignature):
            self.verify({})

    def test_empty_headers(self) -> None:
        """An empty required header is MissingSignature, as if absent; an empty optional one is."""
        headers = self.sign()
        optional = self.unread_headers(headers)
        for name in headers:
            emptied = {**headers, name: ""}
            if name in optional:
                assert self.verify(emptied).body == self.body
            else:
                with pytest.raises(MissingSignature):
                    self.verify(emptied)

    def test_repeated_signature_header(self) -> None:
        """Two copies of a signature header, even identical, are MalformedSignature."""
        headers = self.sign()
        name = sorted(self.signature_headers())[0]
        with pytest.raises(MalformedSignature):
            self.verify([*headers.items(), (name, headers[name])])

    @pytest.mark.parametrize("value", HOSTILE_VALUES, ids=repr)
    def test_hostile_header_values(self, value: str) -> None:
        """Hostile values in any header end in a VerificationError (or, if optional, a Delivery)."""
        headers = self.sign()
        optional = self.unread_headers(headers)
        for name in headers:
            hostile = {**headers, name: value}
            try:
                self.verify(hostile)
            except VerificationError:
                continue
            assert name in optional, f"{name}={value!r} was accepted"

    def test_str_body(self) -> None:
        """A decoded (str) body is MalformedPayload."""
        with pytest.raises(MalformedPayload):
            self.verify(self.sign(), body=self.body.decode("utf-8", "replace"))  # type: ignore[arg-type]

    def test_rotation(self) -> None:
        """With [new, old] keys, old deliveries verify as key '1'; new ones are signed by 'new'."""
        if "secret" not in self.keys:
            with pytest.raises(hooksig.ConfigurationError):
                self.verifier(secrets=[OTHER_KEY])
            return
        ring = self.verifier(secrets=[OTHER_KEY, self.keys["secret"]])
        assert self.verify(self.sign(), verifier=ring).key_id == "1"
        assert self.verify(self.sign(ring), verifier=self.verifier(secret=OTHER_KEY)).key_id == "0"
        if getattr(hooksig.schemes.get(self.scheme), "all_signature_headers", False):
            # One signature header per key (Box's secondary, DocuSign's -2, Mailgun's
            # parent-signature): the ring's second key signs the second header.
            assert self.verify(self.sign(ring)).key_id == "0"
            return
        with pytest.raises(InvalidSignature):
            self.verify(self.sign(ring))


class TokenContract(SchemeContract, abstract=True):
    """
    The contract for schemes whose header carries a shared token, not a signature of the body.

    Subclasses set :attr:`token_header`.  The token does not change with the
    body, so the body tamper test becomes the documented weakness: a changed
    body still verifies.
    """

    token_header: ClassVar[str]

    def signature_headers(self) -> set[str]:
        """The token does not depend on the body."""
        return {self.token_header}

    def tamper_signature(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Another token of the same length (its last character changed, any prefix kept)."""
        token = headers[self.token_header]
        return {**headers, self.token_header: token[:-1] + ("X" if token[-1] != "X" else "Y")}

    def test_tampered_body(self) -> None:
        """A token authenticates the sender only: a changed body still verifies (documented)."""
        assert self.verify(self.sign(), body=self.tamper_body(self.body)).key_id == "0"
