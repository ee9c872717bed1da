"""hooksig.keysource against a real HTTPS server on 127.0.0.1 with its own test CA."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import pytest

from hooksig import ConfigurationError, InvalidSignature, KeyUnavailable, MalformedSignature
from hooksig.keysource import HttpsFetch, KeyRequest, KeySource, UrlRule
from tests.keyserver import KeyServer, Route, key_server


@pytest.fixture(scope="module")
def server() -> Iterator[KeyServer]:
    """One HTTPS key server for the module; each test sets its own routes."""
    with key_server() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(server: KeyServer) -> None:
    """Every test starts with no routes and no recorded requests."""
    server.routes.clear()
    server.seen.clear()


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _jwks(*kids: str) -> bytes:
    return json.dumps({"keys": [{"kid": kid} for kid in kids]}).encode()


def _read(document: bytes) -> dict[str, object]:
    """Read a toy key set: {kid: kid}; anything else is unreadable."""
    try:
        keys = json.loads(document)["keys"]
    except (ValueError, KeyError, TypeError):
        raise ValueError("not a key set") from None
    return {key["kid"]: key["kid"] for key in keys}


def _source(server: KeyServer, clock: Clock, **options: object) -> KeySource:
    return KeySource(fetch=server.fetch(timeout=0.5), clock=clock, **options)  # type: ignore[arg-type]


def test_fetches_once_then_serves_from_the_cache(server: KeyServer) -> None:
    """The first lookup fetches; the next ones, within the TTL, make no request."""
    server.routes["/keys"] = Route(_jwks("a"))
    clock = Clock()
    source = _source(server, clock)
    rule = server.rule()
    for _ in range(3):
        assert source.keys(KeyRequest(server.url("/keys")), rule, _read, kid="a") == {"a": "a"}
    assert [seen.path for seen in server.seen] == ["/keys"]


def test_refetches_after_the_ttl(server: KeyServer) -> None:
    """Past the TTL the document is fetched again, and the new keys are used."""
    server.routes["/keys"] = Route(_jwks("a"))
    clock = Clock()
    source = _source(server, clock, ttl=60)
    rule = server.rule()
    source.keys(KeyRequest(server.url("/keys")), rule, _read)
    server.routes["/keys"] = Route(_jwks("b"))
    clock.now += 59
    assert source.keys(KeyRequest(server.url("/keys")), rule, _read) == {"a": "a"}
    clock.now += 2
    assert source.keys(KeyRequest(server.url("/keys")), rule, _read) == {"b": "b"}
    assert len(server.seen) == 2


def test_unknown_key_id_refetches_at_most_once_per_interval(server: KeyServer) -> None:
    """A rotated key is picked up; forged key ids cannot make the receiver hammer the provider."""
    server.routes["/keys"] = Route(_jwks("old"))
    clock = Clock()
    source = _source(server, clock, refresh_interval=60)
    rule = server.rule()
    request = KeyRequest(server.url("/keys"))
    source.keys(request, rule, _read, kid="old")
    clock.now += 61
    server.routes["/keys"] = Route(_jwks("old", "new"))
    assert source.keys(request, rule, _read, kid="new") == {"old": "old", "new": "new"}
    assert len(server.seen) == 2
    for _ in range(5):
        with pytest.raises(InvalidSignature) as info:
            source.keys(request, rule, _read, kid="forged")
        assert info.value.reason == "unknown_key_id"
    assert len(server.seen) == 2, "an unknown key id is refetched at most once per interval"
    clock.now += 61
    with pytest.raises(InvalidSignature):
        source.keys(request, rule, _read, kid="forged")
    assert len(server.seen) == 3


def test_a_stalling_server_times_out(server: KeyServer) -> None:
    """A server that does not answer is cut off at the deadline: KeyUnavailable, not a hang."""
    server.routes["/stall"] = Route(_jwks("a"), stall=1.0)
    source = _source(server, Clock())
    started = time.monotonic()
    with pytest.raises(KeyUnavailable) as info:
        source.keys(KeyRequest(server.url("/stall")), server.rule(), _read)
    assert info.value.reason == "key_fetch_timeout"
    assert time.monotonic() - started < 2.0


def test_a_dripping_server_is_cut_off_at_the_deadline(server: KeyServer) -> None:
    """One byte at a time keeps each read alive; the overall deadline still ends the fetch."""
    server.routes["/drip"] = Route(b"x" * 30, drip=0.05)
    fetch = server.fetch(timeout=0.5)
    started = time.monotonic()
    with pytest.raises(KeyUnavailable) as info:
        fetch(KeyRequest(server.url("/drip")))
    assert info.value.reason == "key_fetch_timeout"
    assert time.monotonic() - started < 1.2  # one deadline for the whole fetch


def test_dripped_headers_are_cut_off_at_the_deadline(server: KeyServer) -> None:
    """A status line and headers sent a byte at a time: the same single deadline."""
    server.routes["/drip-head"] = Route(_jwks("a"), drip=0.05, drip_head=True)
    fetch = server.fetch(timeout=0.5)
    started = time.monotonic()
    with pytest.raises(KeyUnavailable) as info:
        fetch(KeyRequest(server.url("/drip-head")))
    assert info.value.reason == "key_fetch_timeout"
    assert time.monotonic() - started < 1.2


@pytest.mark.parametrize("length", [True, False], ids=["content-length", "chunked"])
def test_a_document_over_the_size_cap_is_refused(server: KeyServer, length: bool) -> None:
    """Over max_bytes: refused, with or without Content-Length, without reading it all."""
    server.routes["/big"] = Route(b"x" * 200_000, length=length)
    fetch = server.fetch(max_bytes=10_000)
    with pytest.raises(KeyUnavailable) as info:
        fetch(KeyRequest(server.url("/big")))
    assert info.value.reason == "key_too_large"


def test_a_redirect_is_not_followed(server: KeyServer) -> None:
    """A 302, even to a URL on the same host, ends the fetch: only one request is made."""
    server.routes["/moved"] = Route(b"", status=302, headers={"Location": server.url("/keys")})
    server.routes["/keys"] = Route(_jwks("a"))
    with pytest.raises(KeyUnavailable) as info:
        _source(server, Clock()).keys(KeyRequest(server.url("/moved")), server.rule(), _read)
    assert info.value.reason == "key_redirect_refused"
    assert [seen.path for seen in server.seen] == ["/moved"]


@pytest.mark.parametrize("status", [404, 500])
def test_an_error_status_is_unavailable(server: KeyServer, status: int) -> None:
    """A status other than 200 is KeyUnavailable (the adapters answer 503: retry later)."""
    server.routes["/keys"] = Route(b"no", status=status)
    with pytest.raises(KeyUnavailable) as info:
        _source(server, Clock()).keys(KeyRequest(server.url("/keys")), server.rule(), _read)
    assert info.value.reason == "key_fetch_failed"


def test_a_failed_fetch_is_not_retried_at_once(server: KeyServer) -> None:
    """After a failure, the same document is not fetched again within the interval."""
    server.routes["/keys"] = Route(b"down", status=503)
    clock = Clock()
    source = _source(server, clock, refresh_interval=30)
    request = KeyRequest(server.url("/keys"))
    for _ in range(3):
        with pytest.raises(KeyUnavailable):
            source.keys(request, server.rule(), _read)
    assert len(server.seen) == 1
    server.routes["/keys"] = Route(_jwks("a"))
    clock.now += 31
    assert source.keys(request, server.rule(), _read) == {"a": "a"}


def test_an_unreadable_document_is_unavailable(server: KeyServer) -> None:
    """A document the scheme cannot read is KeyUnavailable (reason key_unreadable)."""
    server.routes["/keys"] = Route(b"<html>")
    with pytest.raises(KeyUnavailable) as info:
        _source(server, Clock()).keys(KeyRequest(server.url("/keys")), server.rule(), _read)
    assert info.value.reason == "key_unreadable"


def test_an_untrusted_server_certificate_is_refused(server: KeyServer) -> None:
    """Without the test CA in the trust store, TLS fails: KeyUnavailable, nothing read."""
    server.routes["/keys"] = Route(_jwks("a"))
    source = KeySource(fetch=HttpsFetch(timeout=1))  # the system's trust store
    with pytest.raises(KeyUnavailable) as info:
        source.keys(KeyRequest(server.url("/keys")), server.rule(), _read)
    assert info.value.reason == "key_fetch_failed"


def test_post_requests_carry_their_body(server: KeyServer) -> None:
    """A key API that takes a POST (Plaid) receives the body and headers given."""
    server.routes["/key"] = Route(_jwks("k1"))
    request = KeyRequest(server.url("/key"), "POST", b'{"key_id": "k1"}', (("X-Test", "1"),))
    assert _source(server, Clock()).keys(request, server.rule(), _read, kid="k1") == {"k1": "k1"}
    assert server.seen[0].method == "POST"
    assert server.seen[0].body == b'{"key_id": "k1"}'


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/keys",
        "https://127.0.0.2/keys",
        "https://evil.example/keys",
        "https://127.0.0.1@evil.example/keys",
        "https://127.0.0.1/keys#x",
        "https://127.0.0.1/keys?x=1",
        "https://127.0.0.1\\@evil/keys",
        "https://127.0.0.1:1/keys",
        "ftp://127.0.0.1/keys",
        "",
        "x" * 3000,
        "https://[::1/keys",
        "https://127.0.0.1/keys\n",
        "https://127.0.0.1/other",
    ],
)
def test_urls_breaking_the_rule_are_never_fetched(server: KeyServer, url: str) -> None:
    """Every URL outside the rule is MalformedSignature (key_url_refused) with no request sent."""
    calls: list[KeyRequest] = []

    def recording(request: KeyRequest) -> bytes:
        calls.append(request)
        return b""

    source = KeySource(fetch=recording)
    with pytest.raises(MalformedSignature) as info:
        source.keys(KeyRequest(url), UrlRule(host=r"127\.0\.0\.1", path="/keys"), _read)
    assert info.value.reason == "key_url_refused"
    assert calls == []
    assert server.seen == []


def test_a_rule_with_a_query(server: KeyServer) -> None:
    """A rule naming a query accepts exactly that query, and refuses a URL without it."""
    rule = UrlRule(host="sns\\.example", path="/", query=r"Action=Confirm&.*")
    assert rule.check("https://sns.example/?Action=Confirm&Token=1").query.startswith("Action")
    with pytest.raises(MalformedSignature):
        rule.check("https://sns.example/")
    with pytest.raises(MalformedSignature):
        rule.check("https://sns.example/?Action=Other")


def test_offline_documents_are_served_without_a_fetch() -> None:
    """documents= serve keys with fetch=None; any other URL is KeyUnavailable, nothing sent."""
    rule = UrlRule(host=r"keys\.example")
    source = KeySource(documents={"https://keys.example/a": _jwks("a")}, fetch=None)
    source.preload(_read)  # every given document reads
    assert source.offline
    assert source.keys(KeyRequest("https://keys.example/a"), rule, _read, kid="a") == {"a": "a"}
    with pytest.raises(InvalidSignature):
        source.keys(KeyRequest("https://keys.example/a"), rule, _read, kid="b")
    with pytest.raises(KeyUnavailable):
        source.keys(KeyRequest("https://keys.example/b"), rule, _read)
    with pytest.raises(KeyUnavailable):
        source.visit(KeyRequest("https://keys.example/b"), rule)
    with pytest.raises(ConfigurationError):
        KeySource(documents={"https://keys.example/a": b"junk"}, fetch=None).preload(_read)


def test_visit_sends_once_under_the_rule(server: KeyServer) -> None:
    """visit() (SNS's SubscribeURL) sends one request, uncached, and checks the rule first."""
    server.routes["/confirm"] = Route(b"ok")
    source = _source(server, Clock())
    for _ in range(2):
        assert source.visit(KeyRequest(server.url("/confirm")), server.rule()) == b"ok"
    assert len(server.seen) == 2
    with pytest.raises(MalformedSignature):
        source.visit(KeyRequest("https://elsewhere.example/confirm"), server.rule())
    assert len(server.seen) == 2


def test_the_async_form_does_not_block_the_event_loop(server: KeyServer) -> None:
    """keys_async() runs the stdlib fetch in a thread: other tasks keep running meanwhile."""
    server.routes["/slow"] = Route(_jwks("a"), stall=0.3)
    source = _source(server, Clock())

    async def main() -> tuple[dict[str, object], int]:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.02)
                ticks += 1

        task = asyncio.create_task(ticker())
        found = await source.keys_async(KeyRequest(server.url("/slow")), server.rule(), _read)
        task.cancel()
        return dict(found), ticks

    found, ticks = asyncio.run(main())
    assert found == {"a": "a"}
    assert ticks >= 10, "the event loop was blocked while the key was fetched"


def test_an_async_fetch_is_awaited() -> None:
    """fetch_async= is awaited instead of a thread; visit_async() uses it too."""
    calls: list[str] = []

    async def fetch_async(request: KeyRequest) -> bytes:
        calls.append(request.url)
        return _jwks("a")

    source = KeySource(fetch=None, fetch_async=fetch_async)
    rule = UrlRule(host=r"keys\.example")
    found = asyncio.run(source.keys_async(KeyRequest("https://keys.example/k"), rule, _read))
    assert found == {"a": "a"}
    asyncio.run(source.visit_async(KeyRequest("https://keys.example/v"), rule))
    assert calls == ["https://keys.example/k", "https://keys.example/v"]


@pytest.mark.parametrize(
    "options",
    [
        {"fetch": "nope"},
        {"fetch_async": 1},
        {"max_entries": 0},
        {"ttl": -1},
        {"documents": {1: b""}},
    ],
)
def test_bad_options_are_configuration_errors(options: dict[str, object]) -> None:
    """Every KeySource option is checked at construction."""
    with pytest.raises(ConfigurationError):
        KeySource(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize("options", [{"timeout": 0}, {"timeout": True}, {"max_bytes": 0}])
def test_bad_fetch_options_are_configuration_errors(options: dict[str, object]) -> None:
    """HttpsFetch bounds must be positive numbers."""
    with pytest.raises(ConfigurationError):
        HttpsFetch(**options)  # type: ignore[arg-type]


def test_reprs_show_no_documents_or_keys(server: KeyServer) -> None:
    """repr names the mode and the bounds, never a document."""
    assert repr(KeySource(documents={"https://k.example/a": b"{}"}, fetch=None)) == (
        "KeySource(offline, documents=1, ttl=3600)"
    )
    fetch = HttpsFetch(timeout=2, max_bytes=100)
    assert repr(fetch) == "HttpsFetch(timeout=2.0, max_bytes=100)"
    assert repr(KeySource(fetch=fetch, ttl=60)) == (
        "KeySource(HttpsFetch(timeout=2.0, max_bytes=100), documents=0, ttl=60)"
    )


@pytest.mark.parametrize("url", ["http://127.0.0.1/keys", "https:///keys", "ftp://x/keys"])
def test_the_fetch_itself_speaks_https_only(url: str) -> None:
    """HttpsFetch refuses anything but https, even called directly without a rule."""
    with pytest.raises(KeyUnavailable) as info:
        HttpsFetch()(KeyRequest(url))
    assert info.value.reason == "key_url_refused"


def test_the_async_form_caches_fails_and_backs_off() -> None:
    """keys_async: a cache hit, no fetch at all (unavailable), and a failure not retried at once."""
    rule = UrlRule(host=r"keys\.example")
    calls: list[str] = []

    async def failing(request: KeyRequest) -> bytes:
        calls.append(request.url)
        raise KeyUnavailable("down", reason="key_fetch_failed")

    async def main() -> None:
        offline = KeySource(documents={"https://keys.example/a": _jwks("a")}, fetch=None)
        assert await offline.keys_async(KeyRequest("https://keys.example/a"), rule, _read)
        with pytest.raises(KeyUnavailable):
            await offline.keys_async(KeyRequest("https://keys.example/b"), rule, _read)
        with pytest.raises(KeyUnavailable):
            await offline.visit_async(KeyRequest("https://keys.example/b"), rule)
        down = KeySource(fetch=None, fetch_async=failing)
        for _ in range(2):
            with pytest.raises(KeyUnavailable):
                await down.keys_async(KeyRequest("https://keys.example/c"), rule, _read)

    asyncio.run(main())
    assert calls == ["https://keys.example/c"]  # the second call met the back-off


def test_visit_async_runs_a_blocking_fetch_in_a_thread(server: KeyServer) -> None:
    """Without fetch_async, visit_async sends through the standard fetch, off the loop."""
    server.routes["/confirm"] = Route(b"ok")
    source = _source(server, Clock())
    found = asyncio.run(source.visit_async(KeyRequest(server.url("/confirm")), server.rule()))
    assert found == b"ok"


def test_a_fetch_must_return_bytes() -> None:
    """A fetch callable returning text is a bug in it: KeyUnavailable, nothing cached."""
    source = KeySource(fetch=lambda request: "text")  # type: ignore[arg-type,return-value]
    with pytest.raises(KeyUnavailable, match="other than bytes"):
        source.keys(KeyRequest("https://keys.example/a"), UrlRule(host=r"keys\.example"), _read)


def test_the_cache_and_the_failures_are_bounded() -> None:
    """max_entries bounds both tables: the oldest entry goes first."""
    rule = UrlRule(host=r"keys\.example")
    served: list[str] = []

    def fetch(request: KeyRequest) -> bytes:
        served.append(request.url)
        if request.url.endswith("/bad"):
            raise KeyUnavailable("down", reason="key_fetch_failed")
        return _jwks("a")

    clock = Clock()
    source = KeySource(fetch=fetch, max_entries=1, clock=clock)
    for name in ("a", "b", "a"):
        source.keys(KeyRequest(f"https://keys.example/{name}"), rule, _read)
    assert served == ["https://keys.example/a", "https://keys.example/b", "https://keys.example/a"]
    served.clear()
    for url in ("https://keys.example/1/bad", "https://keys.example/2/bad"):
        with pytest.raises(KeyUnavailable):
            source.keys(KeyRequest(url), rule, _read)
    # The first failure was pushed out of the bounded table, so it is tried again at once.
    with pytest.raises(KeyUnavailable):
        source.keys(KeyRequest("https://keys.example/1/bad"), rule, _read)
    assert served == [
        "https://keys.example/1/bad",
        "https://keys.example/2/bad",
        "https://keys.example/1/bad",
    ]
