"""The request shapes the adapters hand to the verifier, read cheaply and exactly."""

from __future__ import annotations

import socket

import pytest

import hooksig
from hooksig.integrations import Endpoint
from hooksig.integrations._reading import Refused, asgi_headers, socket_timeout


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


class _Counted:
    """A real socket whose settimeout() calls are counted: each is a system call."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.sets = sock, 0

    def gettimeout(self) -> float | None:
        return self.sock.gettimeout()

    def settimeout(self, value: float | None) -> None:
        self.sets += 1
        self.sock.settimeout(value)


@pytest.mark.parametrize(
    ("own", "during", "sets"),
    [(None, 10.0, 2), (30.0, 10.0, 2), (10.0, 10.0, 0), (5.0, 5.0, 0), (0.0, 0.0, 0)],
    ids=["blocking", "longer", "same", "shorter", "non-blocking"],
)
def test_the_read_timeout_is_armed_only_where_it_shortens_the_wait(
    own: float | None, during: float, sets: int
) -> None:
    """A blocking socket or a longer timeout gets ours, then its own back; others are untouched."""
    left, right = socket.socketpair()
    with left, right:
        left.settimeout(own)
        counted = _Counted(left)
        with socket_timeout(counted, 10.0):
            assert left.gettimeout() == during
        assert left.gettimeout() == own
        assert counted.sets == sets
