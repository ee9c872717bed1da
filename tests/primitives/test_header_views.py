"""hooksig.Headers.of, from_asgi and from_environ: the shapes frameworks have, read in place."""

from __future__ import annotations

import hashlib
import http.client
import io
from typing import Any

import pytest
from django.http import HttpHeaders
from starlette.datastructures import Headers as StarletteHeaders
from werkzeug.datastructures import EnvironHeaders, MultiDict
from werkzeug.datastructures import Headers as WerkzeugHeaders

from hooksig import Headers, MalformedSignature, MissingSignature, Verifier
from hooksig._primitives.headers import MAX_HEADER_COUNT, MAX_HEADER_VALUE
from tests.conftest import as_environ

SECRET = "It's a Secret to Everybody, 32b!"
BODY = b'{"zen": "Keep it logically awesome."}'
GITHUB = Verifier("github", secret=SECRET)
SIGNED = GITHUB.sign(BODY, id="d-1")  # X-Hub-Signature-256 and X-GitHub-Delivery


def _asgi(headers: dict[str, str], *extra: tuple[str, str]) -> list[tuple[bytes, bytes]]:
    pairs = [*headers.items(), *extra]
    return [(name.lower().encode(), value.encode("latin-1")) for name, value in pairs]


def _message(*pairs: tuple[str, str]) -> http.client.HTTPMessage:
    text = "".join(f"{name}: {value}\r\n" for name, value in pairs) + "\r\n"
    return http.client.parse_headers(io.BytesIO(text.encode("latin-1")))


# -- one(): the single value of a lower-case name ------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        Headers,
        Headers.of,
        lambda h: Headers.from_asgi(_asgi(h)),
        lambda h: Headers.from_environ(as_environ(h)),
        lambda h: Headers.of(StarletteHeaders(raw=_asgi(h))),
        lambda h: Headers.of(EnvironHeaders(as_environ(h))),
        lambda h: Headers.of(WerkzeugHeaders(list(h.items()))),
        lambda h: Headers.of(MultiDict(list(h.items()))),
        lambda h: Headers.of(_message(*h.items())),
    ],
    ids=["copy", "dict", "asgi", "environ", "starlette", "werkzeug-environ", "werkzeug",
         "multidict", "http.client"],
)  # fmt: skip
def test_every_shape_reads_the_same(make: Any) -> None:
    """Each shape answers one(), require(), [] and iteration alike, names case-insensitive."""
    view = make({"X-Hub-Signature-256": "sha256=ab", "Content-Type": "application/json"})
    assert isinstance(view, Headers)
    assert view.one("x-hub-signature-256") == "sha256=ab"
    assert view.one("x-absent") is None
    assert view.require("X-Hub-Signature-256") == "sha256=ab"
    assert view.optional("CONTENT-TYPE") == "application/json"
    assert view["content-type"] == "application/json"
    assert "x-hub-signature-256" in view
    assert dict(view) == {"x-hub-signature-256": "sha256=ab", "content-type": "application/json"}
    with pytest.raises(MissingSignature):
        view.require("X-Absent")


@pytest.mark.parametrize(
    "repeated",
    [
        lambda: Headers.from_asgi(_asgi({"x-sig": "a"}, ("x-sig", "b"))),
        lambda: Headers.of(_asgi({"x-sig": "a"}, ("X-Sig", "a"))),
        lambda: Headers.of(StarletteHeaders(raw=_asgi({"x-sig": "a"}, ("x-sig", "b")))),
        lambda: Headers.of(WerkzeugHeaders([("X-Sig", "a"), ("x-sig", "b")])),
        lambda: Headers.of(MultiDict([("X-Sig", "a"), ("X-Sig", "b")])),
        lambda: Headers(MultiDict([("X-Sig", "a"), ("X-Sig", "a")])),
        lambda: Headers.of(_message(("X-Sig", "a"), ("x-sig", "b"))),
    ],
    ids=["asgi", "asgi-mixed-case", "starlette", "werkzeug", "multidict", "multidict-copy",
         "http.client"],
)  # fmt: skip
def test_a_repeated_name_is_refused_whatever_the_shape(repeated: Any) -> None:
    """No multi-value shape lets its first (or last) copy win for a name a scheme reads."""
    view = repeated()
    with pytest.raises(MalformedSignature) as info:
        view.one("x-sig")
    assert (info.value.reason, info.value.header) == ("repeated_header", "x-sig")
    with pytest.raises(MalformedSignature):
        view.require("X-Sig")


def test_a_repeat_of_another_name_is_not_refused() -> None:
    """Repeats of names the scheme does not read (X-Forwarded-For, Via) do not matter."""
    view = Headers.from_asgi(_asgi({"x-sig": "a", "via": "1"}, ("via", "2")))
    assert view.one("x-sig") == "a"
    with pytest.raises(MalformedSignature):
        view.one("via")


def test_one_takes_lower_case_names_only() -> None:
    """one() is the cheap lookup: it does not fold case (optional() and require() do)."""
    view = Headers.from_asgi([(b"x-sig", b"a")])
    assert view.one("X-Sig") is None
    assert view.optional("X-Sig") == "a"


def test_asgi_names_not_lower_case_are_lowered_once() -> None:
    """Pairs a test or a lax server sends with capitals are read case-insensitively."""
    view = Headers.from_asgi([(b"X-Sig", b"caf\xe9"), (b"Other", b"1")])
    assert view.one("x-sig") == "caf\u00e9"
    assert sorted(view) == ["other", "x-sig"]


def test_asgi_values_decode_as_latin1_and_names_outside_latin1_are_absent() -> None:
    """Bytes map to text through latin-1; a name that cannot be latin-1 was never sent."""
    view = Headers.from_asgi([(b"x-sig", b"\xff")])
    assert view.one("x-sig") == "\u00ff"
    assert view.one("x-\u20ac") is None


def test_environ_reads_cgi_names_and_skips_the_rest() -> None:
    """CONTENT_TYPE/CONTENT_LENGTH are headers; other CGI and wsgi.* keys are not."""
    environ = {**as_environ({"Content-Type": "a/b", "Content-Length": "3", "X-A": "1"}), 7: "x"}
    view = Headers.from_environ(environ)
    assert view.one("content-length") == "3"
    assert dict(view) == {"content-type": "a/b", "content-length": "3", "x-a": "1"}
    assert view.one("request-method") is None


def test_environ_joined_value_is_read_as_sent() -> None:
    """A repeat the server joined (a,b) is one value: the field grammars refuse it."""
    view = Headers.from_environ({"HTTP_X_GITHUB_DELIVERY": "d-1,d-2"})
    assert view.one("x-github-delivery") == "d-1,d-2"


def test_views_are_snapshots() -> None:
    """Later edits of the environ or the ASGI list do not show through the view."""
    environ = as_environ({"X-A": "1"})
    raw = _asgi({"x-a": "1"})
    from_environ, from_asgi = Headers.from_environ(environ), Headers.from_asgi(raw)
    environ["HTTP_X_A"] = "2"
    raw.append((b"x-a", b"2"))
    assert from_environ.one("x-a") == from_asgi.one("x-a") == "1"
    assert dict(from_environ) == dict(from_asgi) == {"x-a": "1"}


def test_the_full_mapping_is_built_only_on_use() -> None:
    """one() reads the source; the case-insensitive mapping is made on first use, once."""
    view = Headers.from_asgi(_asgi({"x-a": "1", "x-b": "2"}))
    assert view.one("x-a") == "1"
    with pytest.raises(AttributeError):
        object.__getattribute__(view, "_values")
    assert len(view) == 2
    assert object.__getattribute__(view, "_values") == {"x-a": "1", "x-b": "2"}
    with pytest.raises(AttributeError):
        view.no_such_attribute  # noqa: B018 - the lazy hook passes other names on


def test_value_length_limit_applies_to_every_view() -> None:
    """A value over MAX_HEADER_VALUE is refused by one() in each view."""
    long = "x" * (MAX_HEADER_VALUE + 1)
    for view in (
        Headers.from_asgi(_asgi({"x-a": long})),
        Headers.from_environ(as_environ({"X-A": long})),
    ):
        with pytest.raises(MalformedSignature) as info:
            view.one("x-a")
        assert info.value.reason == "header_too_long"


def test_header_count_limit_applies_to_every_view() -> None:
    """More than MAX_HEADER_COUNT headers is refused when the view is made, even endless."""
    many = {f"x-{i}": "1" for i in range(MAX_HEADER_COUNT + 1)}

    def endless() -> Any:
        while True:
            yield (b"x", b"y")

    for make in (
        lambda: Headers.from_asgi(_asgi(many)),
        lambda: Headers.from_asgi(endless()),
        lambda: Headers.from_environ(as_environ(many)),
    ):
        with pytest.raises(MalformedSignature) as info:
            make()
        assert info.value.reason == "too_many_headers"
    # A big environ of few headers is fine.
    cgi = {f"wsgi.x{i}": "1" for i in range(MAX_HEADER_COUNT + 1)}
    assert Headers.from_environ({**cgi, "HTTP_X_A": "1"}).one("x-a") == "1"


@pytest.mark.parametrize(
    "bad",
    [
        lambda: Headers.from_asgi([(b"x-a", "text")]),
        lambda: Headers.from_asgi([(b"x-a", b"1", b"2")]),
        lambda: Headers.from_asgi(5),  # type: ignore[arg-type]
        lambda: Headers.of([(b"x-a", None)]),
        lambda: Headers.from_environ([("HTTP_X_A", "1")]),  # type: ignore[arg-type]
        lambda: Headers.from_environ({"HTTP_X_A": 1}).one("x-a"),
        lambda: dict(Headers.from_environ({"HTTP_X_A": 1})),
    ],
    ids=["asgi-str-value", "asgi-triple", "asgi-int", "of-none", "environ-list",
         "environ-int-one", "environ-int-mapping"],
)  # fmt: skip
def test_unusable_shapes_are_malformed(bad: Any) -> None:
    """A shape that is not headers ends in MalformedSignature(bad_headers)."""
    with pytest.raises(MalformedSignature) as info:
        bad()
    assert info.value.reason == "bad_headers"


def test_of_returns_a_view_unchanged_and_copies_other_shapes() -> None:
    """of(Headers) is the same object; of(dict) and of(pairs) are copies."""
    view = Headers.from_asgi([(b"x-a", b"1")])
    assert Headers.of(view) is view
    assert type(Headers.of({"X-A": "1"})) is Headers
    assert type(Headers.of([("X-A", "1")])) is Headers
    assert Headers.of([]).one("x-a") is None
    assert Headers(view).one("x-a") == "1"


# -- through the verifier --------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape",
    [
        _asgi,
        lambda h: Headers.from_asgi(_asgi(h)),
        lambda h: Headers.from_environ(as_environ(h)),
        lambda h: StarletteHeaders(raw=_asgi(h)),
        lambda h: EnvironHeaders(as_environ(h)),
        lambda h: WerkzeugHeaders(list(h.items())),
        lambda h: MultiDict(list(h.items())),
        lambda h: _message(*h.items()),
        lambda h: HttpHeaders(as_environ(h)),
    ],
    ids=["asgi-list", "asgi", "environ", "starlette", "werkzeug-environ", "werkzeug",
         "multidict", "http.client", "django"],
)  # fmt: skip
def test_verify_takes_every_shape(shape: Any) -> None:
    """verify() accepts each framework's headers as they are, and Delivery.headers reads them."""
    delivery = GITHUB.verify(BODY, shape(SIGNED))
    assert delivery.id == "d-1"
    assert delivery.headers["X-GitHub-Delivery"] == "d-1"


#: Header shapes that can hold a name twice: (name, value) pairs in, the shape out.
MULTI_VALUE_SHAPES = [
    lambda pairs: [(name.lower().encode(), value.encode()) for name, value in pairs],
    WerkzeugHeaders,
    MultiDict,
    lambda pairs: _message(*pairs),
    lambda pairs: StarletteHeaders(
        raw=[(name.lower().encode(), value.encode()) for name, value in pairs]
    ),
]
MULTI_VALUE_IDS = ["asgi-list", "werkzeug", "multidict", "http.client", "starlette"]


@pytest.mark.parametrize("shape", MULTI_VALUE_SHAPES, ids=MULTI_VALUE_IDS)
def test_verify_refuses_a_repeat_in_a_multi_value_shape(shape: Any) -> None:
    """Two copies of the signature header are refused, not first-wins."""
    pairs = [*SIGNED.items(), ("X-Hub-Signature-256", "sha256=" + "0" * 64)]
    with pytest.raises(MalformedSignature) as info:
        GITHUB.verify(BODY, shape(pairs))
    assert info.value.reason == "repeated_header"


@pytest.mark.parametrize("shape", MULTI_VALUE_SHAPES, ids=MULTI_VALUE_IDS)
def test_a_repeated_id_header_is_no_id_in_a_multi_value_shape(shape: Any) -> None:
    """Two copies of GitHub's unsigned id header: neither is the id; the body's digest is."""
    pairs = [*SIGNED.items(), ("X-GitHub-Delivery", "d-2")]
    delivery = GITHUB.verify(BODY, shape(pairs))
    assert delivery.id == "body:" + hashlib.sha256(BODY).hexdigest()


@pytest.mark.parametrize(
    "shape",
    [
        lambda: [(b"x-a", b"1")],
        lambda: StarletteHeaders(raw=[(b"x-a", b"1")]),
        lambda: EnvironHeaders({"HTTP_X_A": "1"}),
    ],
    ids=["asgi-list", "starlette", "werkzeug-environ"],
)
def test_of_views_framework_shapes_without_converting(shape: Any) -> None:
    """ASGI pairs, Starlette and Werkzeug environ headers are viewed, not copied into a dict."""
    view = Headers.of(shape())
    assert view.one("x-a") == "1"
    with pytest.raises(AttributeError):
        object.__getattribute__(view, "_values")
