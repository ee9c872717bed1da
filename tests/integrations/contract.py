"""
The behaviour every adapter shares, as one suite each adapter's test module joins.

A subclass of `AdapterContract` says how to build its framework's app around
a `Handler` (``build``) and gets every test below run through that
framework's own test client: the outcome table, the claim settled by the
handler's answer, handshakes, ``HEAD``, and the meaning of each option.

It also says how to serve many routes in one app (``build_routes``), for
the provider matrix: every name in the scheme registry, a delivery signed
as that provider sends it (`tests.integrations.providers`), through the
adapter with a guard: 2xx and one run, the provider's retry 2xx without a
second run, a tampered copy 4xx.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import hooksig
from hooksig.errors import StoreUnavailable
from hooksig.gate import Allowlist, ProxyChain, RateLimit
from hooksig.idempotency import Claim, Idempotency, MemoryStore
from hooksig.integrations import Event, Outcomes
from hooksig.journal import Journal
from hooksig.testing import FrozenClock, SignedDelivery

from .conftest import BODY, LIMIT, DownStore, Kit, assert_clean_logs, held, make_kit, reasons
from .providers import check, matrix_path, provider, request_headers, variants


@dataclass
class Reply:
    """What a test client got back, whatever the framework."""

    status: int
    body: bytes
    headers: Mapping[str, str]


@dataclass
class Handler:
    """The test handler: records each delivery, then answers *status* or raises."""

    status: int = 200
    raises: bool = False
    deliveries: list[hooksig.Delivery] = field(default_factory=list)

    def __call__(self, delivery: hooksig.Delivery) -> tuple[int, bytes]:
        """Record, then answer ``(status, b"handled")`` or raise."""
        self.deliveries.append(delivery)
        if self.raises:
            raise RuntimeError("the handler failed")
        return self.status, b"handled"

    def __len__(self) -> int:
        return len(self.deliveries)


@dataclass(frozen=True)
class Hook:
    """One webhook route of an app built by `AdapterContract.build_routes`."""

    verifier: hooksig.Verifier
    handler: Handler
    options: Mapping[str, Any]


class Client:
    """A framework's test client, seen through one interface."""

    def __init__(
        self,
        request: Callable[[str, str, bytes, Mapping[str, str]], Reply],
        context: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> None:
        self._request = request
        self._context = context

    def post(self, path: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        """POST *body* with *headers*."""
        with self._context():
            return self._request("POST", path, body, headers)

    def call(self, method: str, path: str) -> Reply:
        """Send a bodiless request."""
        with self._context():
            return self._request(method, path, b"", {})


class CompleteFails:
    """A memory store whose ``complete`` fails: the store went down while the handler ran."""

    def __init__(self) -> None:
        self.memory = MemoryStore()
        self.released: list[str] = []

    def claim(self, key: str, lease: float) -> Claim:
        """Claim in memory."""
        return self.memory.claim(key, lease)

    def complete(self, key: str, token: str, retention: float) -> bool:
        """Fail."""
        raise StoreUnavailable("down after the handler ran")

    def release(self, key: str, token: str) -> bool:
        """Release in memory, and record it."""
        self.released.append(key)
        return self.memory.release(key, token)

    def renew(self, key: str, token: str, lease: float) -> bool:
        """Renew in memory."""
        return self.memory.renew(key, token, lease)

    async def claim_async(self, key: str, lease: float) -> Claim:
        """Claim in memory."""
        return self.claim(key, lease)

    async def complete_async(self, key: str, token: str, retention: float) -> bool:
        """Fail."""
        return self.complete(key, token, retention)

    async def release_async(self, key: str, token: str) -> bool:
        """Release in memory, and record it."""
        return self.release(key, token)

    async def renew_async(self, key: str, token: str, lease: float) -> bool:
        """Renew in memory."""
        return self.renew(key, token, lease)


ACME = "/hooks/acme"
SLACK = "/hooks/slack"

#: The provider matrix's clock: the retries are signed now, the first deliveries earlier.
MATRIX_CLOCK = FrozenClock(1_700_000_000)


class ProviderMatrix:
    """
    Every name in the scheme registry through one adapter, with a guard.

    A subclass implements `build_routes`; `AdapterContract` includes this
    suite, and a way of using an adapter that is not a whole contract of its
    own (FastAPI's dependency without ``WebhookRoute``) joins it alone.
    """

    def build_routes(self, routes: Mapping[str, Hook]) -> Client:
        """Build one app serving each path of *routes* as its `Hook` says."""
        raise NotImplementedError

    @pytest.fixture(scope="class")
    @classmethod
    def matrix(cls) -> tuple[Client, dict[str, Handler]]:
        """One app for the class: a route per registry name, each with its own guard."""
        handlers = {name: Handler() for name in hooksig.schemes.names()}
        routes = {
            matrix_path(name): Hook(
                provider(name, MATRIX_CLOCK).verifier,
                handler,
                {"idempotency": Idempotency(MemoryStore())},
            )
            for name, handler in handlers.items()
        }
        return cls().build_routes(routes), handlers

    @pytest.mark.parametrize(
        ("name", "variant"),
        [
            pytest.param(name, variant, id=f"{name}-{variant}" if variant else name)
            for name in hooksig.schemes.names()
            for variant in variants(name)
        ],
    )
    def test_every_provider_is_deduplicated(
        self, name: str, variant: str, matrix: tuple[Client, dict[str, Handler]]
    ) -> None:
        """Genuine: 2xx, one run; the provider's retry: 2xx, no run; tampered: 4xx, no run."""
        client, handlers = matrix
        handler, path = handlers[name], matrix_path(name)

        def post(delivery: SignedDelivery) -> tuple[int, bytes]:
            # delivery.path: the route, with a secret the provider puts in its query (Event Grid)
            reply = client.post(delivery.path, delivery.body, request_headers(delivery))
            if reply.body == b"handled":  # the handler saw the exact bytes sent
                assert handler.deliveries[-1].body == delivery.body
            return reply.status, reply.body

        sender = provider(name, MATRIX_CLOCK)
        check(sender, path, post, lambda: len(handler), variant)
        if sender.reads_provider_id:  # the provider's own id, not a digest of the body
            assert handler.deliveries[-1].id is not None
            assert not handler.deliveries[-1].id.startswith("body:"), handler.deliveries[-1].id


class AdapterContract(ProviderMatrix):
    """
    The suite every adapter passes.  Subclasses implement `build`, and
    `build_routes` for the provider matrix (`ProviderMatrix`).

    The app has a webhook at ``/hooks/acme`` (the kit's standard-webhooks
    verifier, with *options*) answered by *handler*, and a Slack one at
    ``/hooks/slack`` (no guard).  *app_wide* holds options for the adapter's
    app-wide settings; an adapter without them returns ``None`` from
    `build` when *app_wide* is given.
    """

    #: The route as it appears in events and logs.
    route = ACME

    def build(
        self,
        kit: Kit,
        handler: Handler,
        options: Mapping[str, Any],
        app_wide: Mapping[str, Any] | None = None,
    ) -> Client | None:
        """Build the app and return a client for it."""
        raise NotImplementedError

    def client(self, handler: Handler | None = None, **options: Any) -> Client:
        """A client of an app built with *options* on the acme route."""
        client = self.build(self.kit, self.handler if handler is None else handler, options)
        assert client is not None
        return client

    @pytest.fixture(autouse=True)
    def _kit(self) -> None:
        """A fresh kit and handler for each test."""
        self.kit = make_kit()
        self.handler = Handler()

    # -- verification and the outcome table ---------------------------------

    def test_genuine_delivery_runs_the_handler_once(self) -> None:
        """Authentic: 2xx, the handler runs with the exact bytes; the redelivery is 200 unrun."""
        client = self.client(idempotency=Idempotency(MemoryStore()))
        first = client.post(ACME, BODY, self.kit.signed())
        again = client.post(ACME, BODY, self.kit.signed())
        assert (first.status, first.body) == (200, b"handled")
        assert (again.status, again.body) == (200, b"already handled")
        assert len(self.handler) == 1
        assert self.handler.deliveries[0].body == BODY
        assert self.handler.deliveries[0].id == "msg_1"

    def test_forged_and_stale_are_403(self, caplog: pytest.LogCaptureFixture) -> None:
        """A wrong signature and an old timestamp: 403 'forbidden', nothing run, clean logs."""
        client = self.client()
        for headers in (self.kit.forged(), self.kit.stale()):
            reply = client.post(ACME, BODY, headers)
            assert (reply.status, reply.body) == (403, b"forbidden")
        assert len(self.handler) == 0
        assert reasons(caplog) == ["no_match", "too_old"]
        assert_clean_logs(caplog)

    def test_declared_oversized_body_is_413(self) -> None:
        """A body over the verifier's limit is refused and the handler never runs."""
        body = b"x" * (LIMIT + 1)
        reply = self.client().post(ACME, body, self.kit.signed(body))
        assert reply.status == 413
        assert len(self.handler) == 0

    def test_in_progress_is_409_with_retry_after(self) -> None:
        """A delivery another worker holds is answered 409 with Retry-After, unrun."""
        guard = Idempotency(MemoryStore())
        client = self.client(idempotency=guard)
        with held(guard):
            reply = client.post(ACME, BODY, self.kit.signed())
        assert reply.status == 409
        assert reply.headers["retry-after"] == "30"
        assert len(self.handler) == 0

    def test_store_down_is_503(self) -> None:
        """An unreachable store is answered 503 and the handler never runs."""
        reply = self.client(idempotency=Idempotency(DownStore())).post(
            ACME, BODY, self.kit.signed()
        )
        assert (reply.status, reply.headers["retry-after"]) == (503, "30")
        assert len(self.handler) == 0

    def test_form_body_is_verified_raw(self) -> None:
        """A form-encoded body reaches verification and the handler as the exact bytes sent."""
        body = b"a=1&b=caf%C3%A9"
        headers = {**self.kit.signed(body), "Content-Type": "application/x-www-form-urlencoded"}
        assert self.client().post(ACME, body, headers).status == 200
        assert self.handler.deliveries[0].body == body

    # -- nothing lost -------------------------------------------------------

    def test_returned_5xx_releases_the_claim(self) -> None:
        """A handler that answers 503 releases its claim: the retry runs it, then it is done."""
        guard = Idempotency(MemoryStore())
        client = self.client(idempotency=guard)
        self.handler.status = 503
        assert client.post(ACME, BODY, self.kit.signed()).status == 503
        self.handler.status = 200
        assert client.post(ACME, BODY, self.kit.signed()).body == b"handled"
        assert client.post(ACME, BODY, self.kit.signed()).body == b"already handled"
        assert len(self.handler) == 2

    def test_raised_exception_releases_the_claim(self) -> None:
        """A handler that raises releases its claim: the retry runs it again."""
        guard = Idempotency(MemoryStore())
        client = self.client(idempotency=guard)
        self.handler.raises = True
        assert client.post(ACME, BODY, self.kit.signed()).status == 500
        self.handler.raises = False
        assert client.post(ACME, BODY, self.kit.signed()).body == b"handled"
        assert len(self.handler) == 2

    def test_4xx_from_the_handler_completes_the_claim(self) -> None:
        """A handler's own 4xx is an answer, not a failure: the claim is completed."""
        client = self.client(idempotency=Idempotency(MemoryStore()))
        self.handler.status = 422
        assert client.post(ACME, BODY, self.kit.signed()).status == 422
        assert client.post(ACME, BODY, self.kit.signed()).body == b"already handled"
        assert len(self.handler) == 1

    def test_a_failed_complete_leaves_the_answer_standing(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        """The store fails after the handler answered: the answer stands, the log says so."""
        events: list[Event] = []
        store = CompleteFails()
        client = self.client(idempotency=Idempotency(store), on_outcome=events.append)
        reply = client.post(ACME, BODY, self.kit.signed())
        assert (reply.status, reply.body) == (200, b"handled")
        assert [(e.outcome, e.reason) for e in events] == [("accepted", "store_unavailable")]
        assert store.released == []
        assert "store_unavailable" in reasons(caplog)

    # -- handshakes and methods ---------------------------------------------

    def test_slack_challenge_is_answered_with_the_bare_text(self) -> None:
        """A signed url_verification gets the challenge itself, as text, and runs nothing."""
        body, headers = self.kit.challenge()
        reply = self.client().post(SLACK, body, headers)
        assert (reply.status, reply.body) == (200, b"c-7f3a")
        assert reply.headers["content-type"].startswith("text/plain")
        assert len(self.handler) == 0

    def test_head_is_200_and_other_methods_405(self) -> None:
        """HEAD answers 200 on the route as declared; GET is 405 with Allow; nothing runs."""
        client = self.client()
        head = client.call("HEAD", ACME)
        get = client.call("GET", ACME)
        assert head.status == 200
        assert get.status == 405
        assert "POST" in get.headers["allow"]
        assert len(self.handler) == 0

    # -- one meaning for every option ----------------------------------------

    def test_none_runs_unguarded(self) -> None:
        """idempotency=None: every authentic delivery runs, the same id twice included."""
        client = self.client(idempotency=None)
        for _ in range(2):
            assert client.post(ACME, BODY, self.kit.signed()).body == b"handled"
        assert len(self.handler) == 2

    def test_app_wide_options(self) -> None:
        """Left unset, an option is the app-wide one; None opts out of it; a view's wins."""
        app_wide = {"idempotency": Idempotency(MemoryStore()), "outcomes": Outcomes(invalid=401)}
        inherited = self.build(self.kit, self.handler, {}, app_wide)
        if inherited is None:  # no app-wide settings: unset means the defaults
            inherited = self.client()
            for _ in range(2):
                assert inherited.post(ACME, BODY, self.kit.signed()).body == b"handled"
            assert inherited.post(ACME, BODY, self.kit.forged()).status == 403
            return
        assert inherited.post(ACME, BODY, self.kit.signed(id="a")).body == b"handled"
        assert inherited.post(ACME, BODY, self.kit.signed(id="a")).body == b"already handled"
        assert inherited.post(ACME, BODY, self.kit.forged()).status == 401
        opted_out = self.build(self.kit, self.handler, {"idempotency": None}, app_wide)
        assert opted_out is not None
        for _ in range(2):
            assert opted_out.post(ACME, BODY, self.kit.signed(id="b")).body == b"handled"
        own = self.build(self.kit, self.handler, {"outcomes": Outcomes(invalid=418)}, app_wide)
        assert own is not None
        assert own.post(ACME, BODY, self.kit.forged()).status == 418

    def test_key_chooses_the_claim(self) -> None:
        """key= keys the claim: two ids with one key are one delivery."""
        client = self.client(idempotency=Idempotency(MemoryStore()), key=lambda d: "one")
        assert client.post(ACME, BODY, self.kit.signed(id="x")).body == b"handled"
        assert client.post(ACME, BODY, self.kit.signed(id="y")).body == b"already handled"

    # -- around the receiver: gate before the body, journal after ----------

    def test_a_source_outside_the_allowlist_is_403_and_unread(self) -> None:
        """Outside the allowlist: 403 before the body; inside it, verification still decides."""
        events: list[Event] = []
        refused = self.client(
            allowlist=Allowlist(ranges=["192.0.2.0/24"]), on_outcome=events.append
        )
        reply = refused.post(ACME, BODY, self.kit.signed())
        assert (reply.status, reply.body) == (403, b"forbidden")
        assert len(self.handler) == 0
        assert [(e.outcome, e.reason) for e in events] == [("not_allowed", "source_not_allowed")]
        allowed = self.client(allowlist=Allowlist(ranges=["127.0.0.1", "::1"]))
        assert allowed.post(ACME, BODY, self.kit.signed()).body == b"handled"
        assert allowed.post(ACME, BODY, self.kit.forged()).status == 403  # still verified
        assert len(self.handler) == 1

    def test_a_spoofed_forwarding_header_is_not_believed(self) -> None:
        """X-Forwarded-For counts only from a trusted proxy: from anyone else it is ignored."""
        allow = Allowlist(ranges=["198.51.100.7"])
        spoofed = {**self.kit.signed(), "X-Forwarded-For": "198.51.100.7"}
        untrusted = self.client(allowlist=allow, proxies=ProxyChain(["10.0.0.0/8"]))
        assert untrusted.post(ACME, BODY, spoofed).status == 403
        trusted = self.client(allowlist=allow, proxies=ProxyChain(["127.0.0.1", "::1"]))
        assert trusted.post(ACME, BODY, spoofed).body == b"handled"

    def test_plain_http_is_refused_unless_a_trusted_proxy_says_https(self) -> None:
        """https_only: the test client speaks plain HTTP; only a trusted proxy can vouch for it."""
        events: list[Event] = []
        https = {
            **self.kit.signed(),
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "https",
        }
        plain = self.client(https_only=True, on_outcome=events.append)
        assert plain.post(ACME, BODY, self.kit.signed()).status == 403
        assert plain.post(ACME, BODY, https).status == 403  # the header is the client's word
        assert [e.outcome for e in events] == ["insecure", "insecure"]
        proxied = self.client(https_only=True, proxies=ProxyChain(["127.0.0.1", "::1"]))
        assert proxied.post(ACME, BODY, https).body == b"handled"
        assert len(self.handler) == 1

    def test_over_the_rate_is_429_with_retry_after(self) -> None:
        """Past the burst, 429 with Retry-After and no handler run; refusals take no token."""
        events: list[Event] = []
        limited = self.client(
            rate_limit=RateLimit(per_second=0.01, burst=2), on_outcome=events.append
        )
        for n in range(2):
            assert limited.post(ACME, BODY, self.kit.signed(id=f"m{n}")).body == b"handled"
        reply = limited.post(ACME, BODY, self.kit.signed(id="m2"))
        assert (reply.status, reply.body) == (429, b"too many requests, retry later")
        assert reply.headers["retry-after"] == "100"
        assert len(self.handler) == 2
        assert events[-1].outcome == "rate_limited"

    def test_in_flight_permits_are_given_back(self) -> None:
        """An in-flight limit of one admits request after request: each permit is released."""
        client = self.client(rate_limit=RateLimit(in_flight=1))
        client.post(ACME, BODY, self.kit.forged())  # refused by verification: released too
        for n in range(3):
            assert client.post(ACME, BODY, self.kit.signed(id=f"f{n}")).body == b"handled"

    def test_a_failure_is_a_dead_letter_replayed_once(
        self, tmp_path: Path, request: pytest.FixtureRequest
    ) -> None:
        """The journal keeps the failure; a replay through the guard runs the handler once."""
        guard = Idempotency(MemoryStore())
        journal = Journal(tmp_path / "journal.db")
        request.addfinalizer(journal.close)
        client = self.client(idempotency=guard, journal=journal)
        self.handler.status = 500
        assert client.post(ACME, BODY, self.kit.signed(id="dead")).status == 500
        self.handler.raises = True
        assert client.post(ACME, BODY, self.kit.signed(id="raised")).status == 500
        self.handler.status, self.handler.raises = 200, False
        assert client.post(ACME, BODY, self.kit.signed(id="fine")).body == b"handled"
        letters = {e.delivery_id: e for e in journal.list(outcome="failed")}
        assert set(letters) == {"dead", "raised"}
        assert letters["dead"].last_error == "HandlerAnswered: status 500"
        assert letters["raised"].last_error == "RuntimeError: the handler failed"
        assert [e.delivery_id for e in journal.list(outcome="handled")] == ["fine"]
        replayed: list[hooksig.Delivery] = []
        assert journal.replay("standard-webhooks:dead", replayed.append, guard).outcome == "handled"
        assert (
            journal.replay("standard-webhooks:dead", replayed.append, guard).outcome == "duplicate"
        )
        assert client.post(ACME, BODY, self.kit.signed(id="dead")).body == b"already handled"
        assert [d.id for d in replayed] == ["dead"]
        assert replayed[0].body == BODY

    def test_around_options_are_typed(self) -> None:
        """A wrong type for any option around the receiver fails when the app is built."""
        for bad in ({"allowlist": ["github"]}, {"https_only": "yes"}, {"proxies": "10.0.0.0/8"},
                    {"rate_limit": 5}, {"journal": "no.such.journal"}):  # fmt: skip
            with pytest.raises(hooksig.ConfigurationError):
                self.client(**bad)

    # -- what is reported ---------------------------------------------------

    def test_every_outcome_is_reported(self, caplog: pytest.LogCaptureFixture) -> None:
        """on_outcome gets one event per answer, with endpoint, scheme, id, status and time."""
        events: list[Event] = []
        client = self.client(idempotency=Idempotency(MemoryStore()), on_outcome=events.append)
        client.post(ACME, BODY, self.kit.signed())
        client.post(ACME, BODY, self.kit.signed())
        client.post(ACME, BODY, self.kit.forged())
        self.handler.status = 500
        client.post(ACME, BODY, self.kit.signed(id="msg_2"))
        client.call("HEAD", ACME)
        seen = [(e.outcome, e.reason, e.status, e.delivery_id) for e in events]
        assert seen == [
            ("accepted", None, 200, "msg_1"),
            ("duplicate", "done", 200, "msg_1"),
            ("invalid", "no_match", 403, None),
            ("failed", "server_error", 500, "msg_2"),
            ("head", None, 200, None),
        ]
        assert {(e.endpoint, e.scheme) for e in events} == {(self.route, "standard-webhooks")}
        assert all(0 <= e.duration < 5 for e in events)
        records = [r for r in caplog.records if getattr(r, "hooksig_outcome", None)]
        assert [r.hooksig_outcome for r in records] == [e.outcome for e in events]
        assert {r.hooksig_endpoint for r in records} == {self.route}
        assert records[0].levelno == logging.INFO
        assert records[2].levelno == logging.WARNING
        assert_clean_logs(caplog)

    def test_a_failing_hook_changes_nothing(self, caplog: pytest.LogCaptureFixture) -> None:
        """A hook that raises is logged; the answer and the claim are as without it."""

        def broken(event: Event) -> None:
            raise ValueError("the metrics backend is down")

        client = self.client(idempotency=Idempotency(MemoryStore()), on_outcome=broken)
        assert client.post(ACME, BODY, self.kit.signed()).body == b"handled"
        assert client.post(ACME, BODY, self.kit.signed()).body == b"already handled"
        assert any("on_outcome hook raised" in r.getMessage() for r in caplog.records)


def asgi_dispatch(routes: Mapping[str, Hook], key: str) -> Any:
    """A bare ASGI app answering each path through its route's handler (delivery at *key*)."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        status, text = routes[scope["path"]].handler(scope["state"][key])
        headers = [(b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": text})

    return app


def wsgi_dispatch(routes: Mapping[str, Hook], key: str) -> Any:
    """A bare WSGI app answering each path through its route's handler (delivery at *key*)."""

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        status, text = routes[environ["PATH_INFO"]].handler(environ[key])
        start_response(f"{status} Answer", [("Content-Type", "text/plain")])
        return [text]

    return app


def _reply(status: int, body: bytes, headers: Any) -> Reply:
    return Reply(status, body, {name.lower(): value for name, value in headers.items()})


def asgi_client(app: Any) -> Client:
    """A `Client` of an ASGI app, through Starlette's test client."""
    from ._testclient import TestClient

    test_client = TestClient(app, raise_server_exceptions=False, client=("127.0.0.1", 50000))

    def request(method: str, path: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        response = test_client.request(method, path, content=body, headers=dict(headers))
        return _reply(response.status_code, response.content, response.headers)

    return Client(request)


#: The socket peer a real server would report for a local client.
_PEER = {"REMOTE_ADDR": "127.0.0.1"}


def wsgi_client(
    app: Any, context: Callable[[], AbstractContextManager[object]] = nullcontext
) -> Client:
    """A `Client` of a WSGI app, through Werkzeug's test client."""
    from werkzeug.test import Client as WerkzeugClient

    test_client = WerkzeugClient(app)

    def request(method: str, path: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        try:
            response = test_client.open(
                path, method=method, data=body, headers=dict(headers), environ_base=_PEER
            )
        except RuntimeError:  # the handler raised: a server answers 500
            return Reply(500, b"", {})
        return _reply(response.status_code, response.get_data(), response.headers)

    return Client(request, context)
