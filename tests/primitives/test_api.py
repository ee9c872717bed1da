"""The stdlib JSON-over-HTTPS client, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket

import pytest

from hooksig._primitives import api as api_module
from hooksig._primitives.api import ApiClient, check_base_url
from hooksig.errors import ConfigurationError, ProviderApiError
from tests.fakeapi import TOKEN, FakeApi, Reply, serving


@pytest.mark.parametrize(
    "url",
    ["https://api.stripe.com", "http://127.0.0.1:8000", "http://localhost:1", "http://[::1]:2"],
)
def test_base_urls_accepted(url: str) -> None:
    """HTTPS anywhere, plain HTTP only to a loopback host."""
    assert check_base_url(url).hostname


@pytest.mark.parametrize(
    "url",
    ["http://api.stripe.com", "ftp://127.0.0.1", "https://user:pw@api.github.com", "/v1", "", 3,
     "http://example.com.127.0.0.1.nip.io", "http://10.0.0.1"],
)  # fmt: skip
def test_base_urls_refused(url: object) -> None:
    """Plain HTTP off loopback, credentials in the URL, relative URLs, non-strings: refused."""
    with pytest.raises(ConfigurationError):
        check_base_url(url)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "options",
    [{"token": ""}, {"token": "  "}, {"token": 5}, {"timeout": 0}, {"timeout": 601},
     {"timeout": "1"}, {"retries": -1}, {"retries": 11}, {"retries": True}, {"retries": 1.0}],
)  # fmt: skip
def test_options_checked(options: dict[str, object]) -> None:
    """An empty token and out-of-range limits fail at construction."""
    with pytest.raises(ConfigurationError):
        ApiClient("https://api.example.com", **options)  # type: ignore[arg-type]


def test_repr_never_shows_the_token() -> None:
    """The repr names the host only."""
    client = ApiClient("https://api.example.com", token=TOKEN)
    assert TOKEN not in repr(client)
    assert "api.example.com" in repr(client)


def test_get_sends_the_token_and_reads_json() -> None:
    """A GET carries Bearer auth, Accept and extra headers, and its query; the JSON is decoded."""
    with serving() as api:
        api.route("GET", r"/v1/things", lambda call, m: Reply(200, {"q": call.query}))
        client = ApiClient(api.url + "/", token=TOKEN, headers={"X-Version": "7"})
        answer = client.get("/v1/things", {"a": 1, "b": "x y"})
    assert answer.status == 200
    assert answer.data == {"q": {"a": ["1"], "b": ["x y"]}}
    call = api.calls[0]
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert (call.headers["accept"], call.headers["x-version"]) == ("application/json", "7")


def test_base_path_is_kept_and_absolute_links_followed_on_the_same_host() -> None:
    """Paths join the base path; an absolute link to the same host is followed as is."""
    with serving() as api:
        api.route("GET", r"/api/v3/x", lambda call, m: Reply(200, [call.query.get("cursor")]))
        client = ApiClient(f"{api.url}/api/v3", token=TOKEN)
        assert client.get("/x").data == [None]
        assert client.get(f"{api.url}/api/v3/x?cursor=2", {"per_page": 5}).data == [["2"]]
    assert api.calls[-1].query["per_page"] == ["5"]


def test_link_to_another_host_is_refused() -> None:
    """A pagination link elsewhere would carry the token there: it is not followed."""
    client = ApiClient("https://api.github.com", token=TOKEN)
    with pytest.raises(ProviderApiError, match="another host"):
        client.url("https://evil.example.com/repos?cursor=1")
    with pytest.raises(ProviderApiError):
        client.url("http://api.github.com/repos")  # same host, other scheme


def test_error_status_is_reported_without_the_token() -> None:
    """A 404 becomes ProviderApiError with its status; nothing of the token is in the message."""
    with serving() as api:
        client = ApiClient(api.url, token=TOKEN)
        with pytest.raises(ProviderApiError) as caught:
            client.get("/missing")
        with pytest.raises(ProviderApiError) as unauthorized:
            ApiClient(api.url, token="sk_wrong_token_value").get("/v1/x")
    assert caught.value.status == 404
    assert unauthorized.value.status == 401
    for error in (caught.value, unauthorized.value):
        assert TOKEN not in str(error)
        assert "sk_wrong" not in str(error)


def test_redirects_are_not_followed() -> None:
    """A 302 is an error: following it could send the token to another host."""
    with serving() as api:
        api.route("GET", r"/moved", lambda c, m: Reply(302, headers={"Location": "http://x.test/"}))
        with pytest.raises(ProviderApiError) as caught:
            ApiClient(api.url, token=TOKEN).get("/moved")
    assert caught.value.status == 302
    assert len(api.calls) == 1


def test_busy_answers_are_retried_as_retry_after_says() -> None:
    """429 and 503 are retried, waiting Retry-After seconds (or a backoff), then succeed."""
    answers = iter([
        Reply(429, headers={"Retry-After": "2"}),
        Reply(503),
        Reply(200, {"ok": True}),
    ])  # fmt: skip
    waits: list[float] = []
    with serving() as api:
        api.route("GET", r"/busy", lambda c, m: next(answers))
        data = ApiClient(api.url, token=TOKEN, retries=2, sleep=waits.append).get("/busy").data
    assert data == {"ok": True}
    assert waits == [2.0, 1.0]
    assert len(api.calls) == 3


def test_retries_are_bounded() -> None:
    """After `retries` more attempts the last status is the error."""
    waits: list[float] = []
    with serving() as api:
        api.route("GET", r"/down", lambda c, m: Reply(502))
        with pytest.raises(ProviderApiError) as caught:
            ApiClient(api.url, token=TOKEN, retries=1, sleep=waits.append).get("/down")
    assert caught.value.status == 502
    assert len(api.calls) == 2
    assert waits == [0.5]


def test_a_long_retry_after_fails_at_once() -> None:
    """Retry-After over 30 s is not waited for: the call fails, naming it."""
    with serving() as api:
        api.route("GET", r"/later", lambda c, m: Reply(429, headers={"Retry-After": "3600"}))
        with pytest.raises(ProviderApiError, match="retry after 3600"):
            ApiClient(api.url, token=TOKEN, sleep=lambda s: None).get("/later")
    assert len(api.calls) == 1


def test_bodies_that_are_not_json_or_empty() -> None:
    """A non-JSON answer is an error; an empty one decodes to None."""
    with serving() as api:
        api.route("GET", r"/html", lambda c, m: Reply(200, raw=b"<html>"))
        api.route("POST", r"/empty", lambda c, m: Reply(202, raw=b""))
        client = ApiClient(api.url, token=TOKEN)
        with pytest.raises(ProviderApiError, match="not JSON"):
            client.get("/html")
        assert client.post("/empty", {"since": "x"}) == (202, client.post("/empty").headers, None)
    posted = [c for c in api.calls if c.method == "POST"]
    assert posted[0].body == b'{"since": "x"}'
    assert posted[0].headers["content-type"] == "application/json"
    assert posted[1].body == b""


def test_oversized_answers_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer past the size cap is refused without reading the rest."""
    monkeypatch.setattr(api_module, "MAX_BYTES", 1000)
    with serving() as api:
        api.route("GET", r"/big", lambda c, m: Reply(200, raw=b"[" + b"1," * 2000 + b"1]"))
        with pytest.raises(ProviderApiError, match="larger than 1000"):
            ApiClient(api.url, token=TOKEN).get("/big")


def test_no_answer_is_an_error_without_status() -> None:
    """A closed port is ProviderApiError(status=None), never an OSError."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ProviderApiError) as caught:
        ApiClient(f"http://127.0.0.1:{port}", token=TOKEN, timeout=2).get("/x")
    assert caught.value.status is None
    assert "no answer" in str(caught.value)


def test_unauthenticated_calls_send_no_authorization() -> None:
    """Without a token there is no Authorization header (published ranges are public)."""
    with FakeApi(token=None) as api:
        api.route(
            "GET", r"/meta", lambda call, m: Reply(200, {"auth": call.headers.get("authorization")})
        )
        assert ApiClient(api.url).get("/meta").data == {"auth": None}
