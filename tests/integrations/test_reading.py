"""The request shapes the adapters hand to the verifier, read cheaply and exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hooksig
from hooksig.integrations import Endpoint, _reading
from hooksig.integrations._reading import Refused, asgi_headers, environ_headers

KEY = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ_-", min_size=1, max_size=12)


def _plainly(environ: dict[str, str]) -> dict[str, str]:
    """The rule, written out: every HTTP_ key by its name, and the two CGI ones."""
    headers = {k[5:].replace("_", "-"): v for k, v in environ.items() if k.startswith("HTTP_")}
    for key, name in (("CONTENT_TYPE", "content-type"), ("CONTENT_LENGTH", "content-length")):
        if environ.get(key):
            headers[name] = environ[key]
    return headers


@given(
    st.dictionaries(
        st.sampled_from(["HTTP_", "CONTENT_", "wsgi.", ""]).flatmap(
            lambda prefix: KEY.map(lambda key: prefix + key)
        ),
        st.text(max_size=5),
    )
)
def test_environ_headers_are_every_http_key(environ: dict[str, str]) -> None:
    """Learnt names give what the plain rule gives, for any environ."""
    assert environ_headers(environ) == _plainly(environ)
    assert environ_headers(environ) == _plainly(environ)  # the second time from the table


def test_the_name_table_is_bounded() -> None:
    """Header names come from clients: past the bound they are worked out, not kept."""
    environ = {f"HTTP_X_{n}": "v" for n in range(_reading.MAX_ENVIRON_NAMES + 10)}
    assert environ_headers(environ) == _plainly(environ)
    assert len(_reading._ENVIRON_NAMES) <= _reading.MAX_ENVIRON_NAMES


def test_asgi_headers_are_the_pairs_and_their_length() -> None:
    """The pairs as sent; Content-Length once, or the one value sent twice, or refused."""
    pairs = [(b"content-type", b"application/json"), (b"content-length", b"12")]
    assert asgi_headers(pairs) == (pairs, "12")
    assert asgi_headers(tuple(pairs)) == (pairs, "12")
    assert asgi_headers([(b"x-a", b"1"), (b"x-a", b"2")]) == (
        [(b"x-a", b"1"), (b"x-a", b"2")],
        None,
    )
    twice = [(b"content-length", b"12"), (b"Content-Length", b"12")]
    assert asgi_headers(twice) == (twice, "12")
    with pytest.raises(Refused, match="conflicting"):
        asgi_headers([(b"content-length", b"12"), (b"content-length", b"13")])


def test_the_target_is_read_only_for_a_public_url() -> None:
    """Endpoint.verify calls the target function only when the verifier joins it to a URL."""
    body = b"Digits=1234"
    called: list[str] = []

    def target() -> str:
        called.append("target")
        return "/hooks/twilio"

    github = hooksig.Verifier("github", secret="s3cr3t-github-0123456789")
    headers = github.sign(b"{}")
    Endpoint(github).verify(b"{}", headers, path=target)
    assert called == []
    twilio = hooksig.Verifier("twilio", secret="0123456789abcdef0123456789abcdef",
                              public_url="https://example.com")  # fmt: skip
    params = {"Digits": ["1234"]}
    signed = twilio.sign(body, url="https://example.com/hooks/twilio", params=params)
    headers = {**signed, "Content-Type": "application/x-www-form-urlencoded"}
    delivery = Endpoint(twilio).verify(body, headers, path=target)
    assert called == ["target"]
    assert delivery.body == body
