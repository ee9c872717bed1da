"""hooksig.scheme: schemes declared as data (HmacScheme and its shared base), checks, formats."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

import hooksig
from hooksig import (
    AsymmetricScheme,
    ConfigurationError,
    Headers,
    HmacScheme,
    MissingSignature,
    Pairs,
    ParsedSignature,
    Plain,
    Request,
    Scheme,
    Versioned,
)
from hooksig.keys import KeyRing
from hooksig.scheme import BodyField, FirstOf, HeaderField
from hooksig.scheme.content import with_and_without_port
from tests.conftest import NOW, SECRET

KEY = SECRET.encode()


def _scheme(**kwargs: Any) -> HmacScheme:
    kwargs.setdefault("name", "acme")
    kwargs.setdefault("signature_header", "X-Acme-Signature")
    return HmacScheme(**kwargs)


def _mac(content: bytes, algorithm: str = "sha256") -> bytes:
    return hmac.new(KEY, content, algorithm).digest()


class TestConstruction:
    """Bad declarations fail when the scheme is built, not on the first delivery."""

    @pytest.mark.parametrize("name", ["", "Acme", "acme corp", "ACME"])
    def test_name_is_lowercase_and_hyphenated(self, name: str) -> None:
        """Empty, uppercase and spaced names are refused."""
        with pytest.raises(ConfigurationError, match="lowercase"):
            _scheme(name=name)

    @pytest.mark.parametrize(
        ("option", "value"),
        [
            ("algorithm", "md5"),
            ("algorithm", "SHA256"),
            ("encoding", "HEX"),
            ("encoding", "base32"),
            ("timestamp_unit", "us"),
            ("construction", "md5"),
        ],
    )
    def test_options_are_checked(self, option: str, value: str) -> None:
        """An unknown algorithm, encoding or timestamp unit is a ConfigurationError."""
        with pytest.raises(ConfigurationError):
            _scheme(**{option: value})

    @pytest.mark.parametrize(
        ("option", "value"),
        [
            ("signature_header", ""),
            ("signature_header", ()),
            ("timestamp_header", ""),
            ("timestamp_header", ("X-Ts", "")),
            ("id_header", ""),
            ("id_header", ()),
        ],
    )
    def test_a_header_option_names_a_header(self, option: str, value: object) -> None:
        """timestamp_header="" (or any empty header name) is refused, not read as no header."""
        with pytest.raises(ConfigurationError, match=f"{option}=.*names no header"):
            _scheme(**{option: value})

    @pytest.mark.parametrize(
        "sent", [(("X-A",),), (("X-A", ""),), (("", "1"),), (("X-A", 1),), ("X-A",), "X-A: 1"]
    )
    def test_sent_headers_are_pairs_of_text(self, sent: Any) -> None:
        """sent_headers= is (name, value) pairs of non-empty text."""
        with pytest.raises(ConfigurationError, match="sent_headers"):
            _scheme(sent_headers=sent)

    def test_sent_headers_are_signed_along(self) -> None:
        """A mapping or list is kept as pairs; sign() adds them; verify() never reads them."""
        scheme = _scheme(sent_headers={"X-Version": "1"})
        assert scheme.sent_headers == (("X-Version", "1"),)
        assert _scheme(sent_headers=[("X-Version", "1")]) == scheme
        verifier = hooksig.Verifier(scheme, secret=SECRET)
        headers = verifier.sign(b"{}")
        assert list(headers) == ["X-Acme-Signature", "X-Version"]
        assert verifier.verify(b"{}", {**headers, "X-Version": "2"}).key_id == "0"

    def test_tolerance_needs_a_timestamp(self) -> None:
        """A declared tolerance without a signed timestamp is refused: it would bound nothing."""
        with pytest.raises(ConfigurationError, match="needs a signed timestamp"):
            _scheme(tolerance=300)
        with pytest.raises(ConfigurationError, match="needs a signed timestamp"):
            _scheme(signature_format=Pairs(timestamp_key=None), tolerance=60)
        assert _scheme(timestamp_header="X-Ts", tolerance=60).default_tolerance == 60
        assert _scheme(signature_format=Pairs(), tolerance=60).default_tolerance == 60

    def test_signs_url(self) -> None:
        """A {url} template, URL variants or a builder marked signs_url sign the URL."""
        from hooksig.scheme.content import body_then_url, low_bytes, signs_url

        assert not _scheme().signs_url
        assert _scheme(content="{method}{url}{body}").signs_url
        assert _scheme(content=body_then_url).signs_url
        assert _scheme(content=low_bytes(body_then_url)).signs_url

        def plain(parsed: ParsedSignature, request: Request) -> bytes:
            return request.body

        assert not _scheme(content=plain).signs_url
        assert not _scheme(content=low_bytes(plain)).signs_url
        assert _scheme(content=signs_url(plain)).signs_url

    def test_template_needs_body(self) -> None:
        """A content template without {body} would sign nothing of the delivery."""
        with pytest.raises(ConfigurationError, match="body"):
            _scheme(content="{timestamp}.{id}")

    def test_template_refuses_unknown_fields(self) -> None:
        """{secret} or any unknown placeholder is refused."""
        with pytest.raises(ConfigurationError, match="unknown field"):
            _scheme(content="{secret}.{body}")

    def test_keyword_only_and_frozen(self) -> None:
        """Schemes take keywords only and cannot be changed after construction."""
        with pytest.raises(TypeError):
            HmacScheme("acme", "X-Sig")  # type: ignore[misc]
        scheme = _scheme()
        with pytest.raises(AttributeError):
            scheme.name = "other"  # type: ignore[misc]

    def test_implements_the_protocol(self) -> None:
        """HmacScheme and AsymmetricScheme satisfy the runtime-checkable Scheme Protocol."""
        assert isinstance(_scheme(), Scheme)
        assert isinstance(AsymmetricScheme(name="ed", signature_header="X-Sig"), Scheme)
        assert not isinstance(object(), Scheme)

    def test_default_format_is_plain_with_prefix(self) -> None:
        """Without signature_format the scheme reads Plain(prefix)."""
        assert _scheme(prefix="sha256=").signature_format == Plain("sha256=")


class TestDefaultTolerance:
    """300 s for timestamped schemes, None otherwise, unless configured."""

    def test_untimestamped(self) -> None:
        """A body-only scheme has no replay window."""
        assert _scheme().default_tolerance is None

    def test_timestamp_header(self) -> None:
        """A timestamp header implies the 300 s default."""
        assert _scheme(timestamp_header="X-Ts").default_tolerance == 300.0

    def test_pairs_timestamp_key(self) -> None:
        """A Pairs timestamp key implies the 300 s default; none means no window."""
        assert _scheme(signature_format=Pairs()).default_tolerance == 300.0
        assert _scheme(signature_format=Pairs(timestamp_key=None)).default_tolerance is None

    def test_explicit(self) -> None:
        """An explicit tolerance wins."""
        assert _scheme(timestamp_header="X-Ts", tolerance=5).default_tolerance == 5


def _verifier(scheme: Scheme, **kwargs: Any) -> hooksig.Verifier:
    return hooksig.Verifier(scheme, secret=SECRET, clock=lambda: NOW, **kwargs)


class TestSignFormats:
    """sign() writes each format the way the provider does; the MAC is checked independently."""

    def test_plain(self) -> None:
        """Plain: prefix + lowercase hex of HMAC(body)."""
        headers = _verifier(_scheme(prefix="sha256=")).sign(b"body")
        assert headers == {"X-Acme-Signature": "sha256=" + _mac(b"body").hex()}

    def test_pairs(self) -> None:
        """Pairs: t=<ts>,v1=<hex> over '<ts>.<body>'."""
        scheme = _scheme(signature_format=Pairs(), version="v1", content="{timestamp}.{body}")
        headers = _verifier(scheme).sign(b"body", timestamp=NOW)
        expected = _mac(f"{NOW}.body".encode()).hex()
        assert headers == {"X-Acme-Signature": f"t={NOW},v1={expected}"}

    def test_pairs_other_separator_and_label(self) -> None:
        """Paddle-style Pairs: ts=<ts>;h1=<hex>."""
        scheme = _scheme(
            signature_format=Pairs(timestamp_key="ts", separator=";"),
            version="h1",
            content="{timestamp}:{body}",
        )
        headers = _verifier(scheme).sign(b"body", timestamp=NOW)
        expected = _mac(f"{NOW}:body".encode()).hex()
        assert headers == {"X-Acme-Signature": f"ts={NOW};h1={expected}"}

    def test_pairs_without_timestamp(self) -> None:
        """Pairs with no timestamp key writes only the signature item."""
        scheme = _scheme(signature_format=Pairs(timestamp_key=None), version="v1")
        headers = _verifier(scheme).sign(b"body", timestamp=NOW)
        assert headers == {"X-Acme-Signature": "v1=" + _mac(b"body").hex()}

    def test_versioned_with_id_and_timestamp(self) -> None:
        """Versioned: v1,<base64> over '<id>.<ts>.<body>', with id and timestamp headers."""
        scheme = _scheme(
            signature_format=Versioned(),
            version="v1",
            encoding="base64",
            timestamp_header="X-Ts",
            id_header="X-Id",
            content="{id}.{timestamp}.{body}",
        )
        headers = _verifier(scheme).sign(b"body", timestamp=NOW, id="msg_1")
        import base64

        expected = base64.b64encode(_mac(f"msg_1.{NOW}.body".encode())).decode()
        assert headers == {"X-Acme-Signature": f"v1,{expected}", "X-Ts": str(NOW), "X-Id": "msg_1"}

    @pytest.mark.parametrize("algorithm", ["sha1", "sha256", "sha512"])
    def test_algorithms(self, algorithm: str) -> None:
        """Each algorithm signs with its own digest, base64url-encoded here."""
        import base64

        scheme = _scheme(algorithm=algorithm, encoding="base64url")
        value = _verifier(scheme).sign(b"body")["X-Acme-Signature"]
        assert base64.urlsafe_b64decode(value) == _mac(b"body", algorithm)

    def test_generated_id_is_valid(self) -> None:
        """With an id header and no id given, sign() generates a printable one and signs it."""
        scheme = _scheme(id_header="X-Id", content="{id}.{body}")
        verifier = _verifier(scheme)
        headers = verifier.sign(b"body")
        assert headers["X-Id"].startswith("msg_")
        assert verifier.verify(b"body", headers).id == headers["X-Id"]

    def test_sign_refuses_an_id_with_a_separator(self) -> None:
        """An id that holds a separator of the signed content could shift fields: refused."""
        scheme = _scheme(id_header="X-Id", content="{id}.{body}")
        with pytest.raises(hooksig.MalformedSignature, match="id"):
            _verifier(scheme).sign(b"body", id="a.b")

    def test_ms_timestamps(self) -> None:
        """timestamp_unit='ms': sign() takes seconds and writes milliseconds; verify reads them."""
        scheme = _scheme(timestamp_header="X-Ts", timestamp_unit="ms", content="{timestamp}{body}")
        verifier = _verifier(scheme)
        headers = verifier.sign(b"body", timestamp=NOW)
        assert headers["X-Ts"] == f"{NOW}000"
        assert headers["X-Acme-Signature"] == _mac(f"{NOW}000body".encode()).hex()
        delivery = verifier.verify(b"body", headers)
        assert delivery.timestamp == NOW


class TestTemplates:
    """The content template picks the exact bytes that were signed."""

    def _parsed(self, **kwargs: Any) -> ParsedSignature:
        return ParsedSignature((), **kwargs)

    def test_literal_text_and_fields(self) -> None:
        """Literals are UTF-8, fields are filled from the parsed headers and the request."""
        scheme = _scheme(content="v0:{timestamp}:{method} {url}|{id}|{body}\u00e9")
        request = Request(b"raw\xff", Headers(), url="https://h/p?q=\u00e9", method="post")
        parsed = self._parsed(timestamp_text="123", id="msg_1")
        assert scheme.signed_content(parsed, request) == (
            b"v0:123:POST https://h/p?q=\xc3\xa9|msg_1|raw\xff\xc3\xa9"
        )

    def test_body_only_is_the_body_itself(self) -> None:
        """The default template is the raw body, untouched."""
        body = b'{"a": 1}\r\n\x00'
        assert _scheme().signed_content(self._parsed(), Request(body, Headers())) == body

    def test_url_is_required_when_signed(self) -> None:
        """A scheme that signs the URL refuses to guess it."""
        scheme = _scheme(content="{url}{body}")
        with pytest.raises(ConfigurationError, match="URL"):
            scheme.signed_content(self._parsed(), Request(b"", Headers()))

    def test_missing_fields_are_empty(self) -> None:
        """Unset timestamp and id fill in as empty text (the parse step requires them)."""
        scheme = _scheme(content="{timestamp}.{id}.{body}")
        assert scheme.signed_content(self._parsed(), Request(b"b", Headers())) == b"..b"

    def test_callable_content(self) -> None:
        """A function may build the content; it receives the parsed headers and the request."""

        def build(parsed: ParsedSignature, request: Request) -> bytes:
            return request.body[::-1] + (parsed.timestamp_text or "").encode()

        scheme = _scheme(content=build, timestamp_header="X-Ts")
        verifier = _verifier(scheme)
        headers = verifier.sign(b"abc", timestamp=NOW)
        assert headers["X-Acme-Signature"] == _mac(b"cba" + str(NOW).encode()).hex()
        assert verifier.verify(b"abc", headers).timestamp == NOW


class TestParse:
    """Parse errors: which header, which reason."""

    def test_missing_signature_names_the_first_alternative(self) -> None:
        """No signature header: MissingSignature naming the primary header, with the scheme."""
        scheme = _scheme(signature_header=("X-A", "X-B"))
        with pytest.raises(MissingSignature) as info:
            scheme.parse(Request(b"", Headers()))
        assert (info.value.header, info.value.scheme) == ("X-A", "acme")

    def test_alternative_header_name(self) -> None:
        """The second alternative name is read when the first is absent."""
        scheme = _scheme(signature_header=("X-A", "X-B"))
        parsed = scheme.parse(Request(b"", Headers({"x-b": _mac(b"").hex()})))
        assert parsed.header == "X-B"
        assert parsed.candidates == (("", _mac(b"")),)

    def test_only_other_versions(self) -> None:
        """A header offering only unaccepted versions is no_accepted_version, not a match."""
        scheme = _scheme(signature_format=Pairs(), version="v1")
        with pytest.raises(MissingSignature) as info:
            scheme.parse(Request(b"", Headers({"X-Acme-Signature": "t=1,v0=" + "00" * 32})))
        assert info.value.reason == "no_accepted_version"

    def test_pairs_without_timestamp(self) -> None:
        """A Pairs header lacking its timestamp item is missing_timestamp."""
        scheme = _scheme(signature_format=Pairs(), version="v1")
        with pytest.raises(MissingSignature) as info:
            scheme.parse(Request(b"", Headers({"X-Acme-Signature": "v1=" + "00" * 32})))
        assert info.value.reason == "missing_timestamp"

    def test_missing_timestamp_header(self) -> None:
        """A scheme with a timestamp header refuses a delivery without it."""
        scheme = _scheme(timestamp_header="X-Ts")
        with pytest.raises(MissingSignature) as info:
            scheme.parse(Request(b"", Headers({"X-Acme-Signature": "00" * 32})))
        assert info.value.header == "X-Ts"

    def test_missing_signed_id(self) -> None:
        """An id that is signed must be present."""
        scheme = _scheme(id_header="X-Id", content="{id}.{body}")
        with pytest.raises(MissingSignature) as info:
            scheme.parse(Request(b"", Headers({"X-Acme-Signature": "00" * 32})))
        assert info.value.header == "X-Id"

    def test_unsigned_id_is_optional(self) -> None:
        """An id that is not signed may be absent (GitHub's X-GitHub-Delivery)."""
        scheme = _scheme(id_header="X-Id")
        parsed = scheme.parse(Request(b"", Headers({"X-Acme-Signature": "00" * 32})))
        assert parsed.id is None

    def test_parsed_fields(self) -> None:
        """The parse step returns candidates, timestamp (float and text), id and header."""
        scheme = _scheme(
            signature_format=Versioned(),
            version="v1",
            encoding="base64",
            timestamp_header="X-Ts",
            id_header="X-Id",
            id_field="id",
        )
        import base64

        sig = base64.b64encode(b"\x01" * 32).decode()
        headers = Headers(
            {"X-Acme-Signature": f"v2,abc v1,{sig}", "X-Ts": "1700000000", "X-Id": "msg_1"}
        )
        parsed = scheme.parse(Request(b"", headers))
        assert parsed == ParsedSignature(
            (("v1", b"\x01" * 32),),
            1_700_000_000.0,
            "1700000000",
            "msg_1",
            "X-Acme-Signature",
            FirstOf(HeaderField("X-Id"), BodyField("id")),
        )


class TestKeys:
    """load_keys and sign refuse keys the scheme cannot use."""

    def test_hmac_scheme_refuses_public_keys(self) -> None:
        """An HMAC-only scheme has no public-key variant."""
        with pytest.raises(ConfigurationError, match="shared secret"):
            _scheme().load_keys((), public_key="00" * 32)

    def test_sign_needs_a_secret(self) -> None:
        """An empty ring cannot sign."""
        with pytest.raises(ConfigurationError, match="no secret"):
            _scheme().sign(KeyRing((), None), Request(b"", Headers()), timestamp=None, id=None)

    def test_sign_needs_a_timestamp_when_signed(self) -> None:
        """Called directly, a timestamped scheme's sign() refuses timestamp=None."""
        scheme = _scheme(timestamp_header="X-Ts")
        ring = scheme.load_keys([SECRET])
        with pytest.raises(ConfigurationError, match="timestamp"):
            scheme.sign(ring, Request(b"", Headers()), timestamp=None, id=None)

    def test_secret_format_is_the_scheme_s(self) -> None:
        """The same text is a raw key for utf-8 schemes and base64 for whsec schemes."""
        import base64

        text = base64.b64encode(b"k" * 32).decode()
        utf8 = _scheme().load_keys([text]).hmac_keys()[0][1]
        whsec = _scheme(secret_format="whsec").load_keys(["whsec_" + text]).hmac_keys()[0][1]
        assert utf8 == text.encode()
        assert whsec == b"k" * 32

    def test_match_reports_the_first_matching_key(self) -> None:
        """match() walks every key; the id reported is the first in ring order."""
        scheme = _scheme()
        ring = scheme.load_keys(["a" * 16, "b" * 16, "a" * 16 + "x"])
        parsed = ParsedSignature((("", hmac.new(b"b" * 16, b"c", hashlib.sha256).digest()),))
        assert scheme.match(ring, [b"c"], parsed) == "1"
        assert scheme.match(ring, [b"oth", b"er"], parsed) is None


@pytest.mark.parametrize("name", ["sendgrid", "discord", "standard-webhooks"])
def test_public_key_schemes_need_a_key(name: str) -> None:
    """A public-key scheme (ECDSA or Ed25519) built without any key is refused."""
    scheme = hooksig.schemes.get(name)
    asymmetric = getattr(scheme, "asymmetric", None) or scheme
    with pytest.raises(ConfigurationError, match="public_key= or signing_key="):
        asymmetric.load_keys(())


def test_url_variants_give_one_content_per_url() -> None:
    """Twilio's scheme signs URL + sorted fields, tried with and without the default port."""
    twilio = hooksig.schemes.get("twilio")
    request = Request(b"b=2&a=1", Headers(), url="https://example.com/hook?x=1")
    contents = twilio.signed_contents(ParsedSignature(()), request)
    assert [b"".join(pieces) for pieces in contents] == [
        b"https://example.com/hook?x=1a1b2",
        b"https://example.com:443/hook?x=1a1b2",
    ]


def test_url_variants_share_one_built_content() -> None:
    """A content function led by the URL runs once; each variant URL is signed before its rest."""
    calls = []

    def url_then_body(parsed: ParsedSignature, request: Request) -> bytes:
        calls.append(request.url)
        return (request.url or "").encode() + request.body

    scheme = HmacScheme(
        name="acme",
        signature_header="X-Acme",
        content=url_then_body,
        url_variants=with_and_without_port,
    )
    request = Request(b"payload", Headers(), url="https://example.com/hook")
    pieces = scheme.signed_contents(ParsedSignature(()), request)
    assert [b"".join(piece) for piece in pieces] == [
        b"https://example.com/hookpayload",
        b"https://example.com:443/hookpayload",
    ]
    assert calls == ["https://example.com/hook"]


def test_url_variants_with_a_template() -> None:
    """A template that signs {url} is filled once per variant URL."""
    scheme = HmacScheme(
        name="acme",
        signature_header="X-Acme",
        content="{url}|{body}",
        url_variants=with_and_without_port,
    )
    request = Request(b"payload", Headers(), url="https://example.com/hook")
    pieces = scheme.signed_contents(ParsedSignature(()), request)
    assert [b"".join(piece) for piece in pieces] == [
        b"https://example.com/hook|payload",
        b"https://example.com:443/hook|payload",
    ]


def test_url_variants_with_content_not_led_by_the_url() -> None:
    """A content function that does not start with the URL is built once per variant."""

    def body_then_url(parsed: ParsedSignature, request: Request) -> bytes:
        return request.body + (request.url or "").encode()

    scheme = HmacScheme(
        name="acme",
        signature_header="X-Acme",
        content=body_then_url,
        url_variants=with_and_without_port,
    )
    verifier = hooksig.Verifier(scheme, secret=SECRET, public_url=hooksig.PerCallUrl())
    headers = verifier.sign(b"payload", url="https://example.com:443/hook")
    delivery = verifier.verify(b"payload", headers, url="https://example.com/hook")
    assert delivery.body == b"payload"
    with pytest.raises(hooksig.InvalidSignature):
        verifier.verify(b"payload", headers, url="https://example.com/other")


def test_url_content_refuses_an_unparsable_url() -> None:
    """The URL-and-fields builder maps an unparsable URL to MalformedSignature(bad_url)."""
    from hooksig.scheme.content import url_and_sorted_params

    request = Request(b"a=1", Headers(), url="https://[::1/hook")
    with pytest.raises(hooksig.MalformedSignature) as info:
        url_and_sorted_params(ParsedSignature(()), request)
    assert info.value.reason == "bad_url"


def test_builders_that_sign_the_url_need_one() -> None:
    """Called without a URL, the URL builders say how to give one."""
    from hooksig.scheme.content import body_then_url, url_and_sorted_params

    for builder in (url_and_sorted_params, body_then_url):
        with pytest.raises(ConfigurationError, match="public_url="):
            builder(ParsedSignature(()), Request(b"a=1", Headers()))


def test_url_variants_with_pieces_not_led_by_the_url() -> None:
    """Content in pieces that does not start with the URL is built once per variant."""
    from hooksig.scheme._pieces import Pieces

    def url_last(parsed: ParsedSignature, request: Request) -> bytes | Pieces:
        return Pieces(request.body, lambda: [(request.url or "").encode()])

    scheme = HmacScheme(
        name="acme", signature_header="X-Acme", content=url_last, url_variants=with_and_without_port
    )
    verifier = hooksig.Verifier(scheme, secret=SECRET, public_url=hooksig.PerCallUrl())
    headers = verifier.sign(b"payload", url="https://example.com:443/hook")
    assert verifier.verify(b"payload", headers, url="https://example.com/hook").body == b"payload"
    with pytest.raises(hooksig.InvalidSignature):
        verifier.verify(b"payload", headers, url="https://example.com/other")


def test_body_shape_is_checked() -> None:
    """body_shape= takes one of the four shapes."""
    with pytest.raises(ConfigurationError, match="body_shape"):
        HmacScheme(name="acme", signature_header="X", body_shape="xml")  # type: ignore[arg-type]


class TestPlaceBodyFields:
    """hooksig.scheme.place_body_fields: sign()'s body. fields put where the provider sends them."""

    def test_fields_are_placed(self) -> None:
        """Fields go into nested objects, made where absent; other headers are returned."""
        from hooksig.scheme import place_body_fields

        body, rest = place_body_fields(
            b'{"event-data": {"id": 1}}',
            {"body.signature.token": "t", "body.signature.timestamp": "1", "X-Other": "o"},
        )
        assert json.loads(body) == {
            "event-data": {"id": 1},
            "signature": {"token": "t", "timestamp": "1"},
        }
        assert rest == {"X-Other": "o"}

    def test_without_fields_nothing_changes(self) -> None:
        """No body. field: the body as given, every header returned."""
        from hooksig.scheme import place_body_fields

        assert place_body_fields(b"raw", {"X": "1"}) == (b"raw", {"X": "1"})

    @pytest.mark.parametrize("body", [b"not json", b"[1]", b'{"signature": "flat"}'])
    def test_a_body_that_cannot_hold_them(self, body: bytes) -> None:
        """Not a JSON object, or a parent that is not an object: ConfigurationError."""
        from hooksig.scheme import place_body_fields

        with pytest.raises(ConfigurationError):
            place_body_fields(body, {"body.signature.token": "t"})
