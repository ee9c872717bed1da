"""
Provider APIs on 127.0.0.1, speaking each provider's documented shapes, for the tests of
allowlist refresh and reconciliation.

`FakeApi` is a threaded HTTP server with a route table and a log of every
request.  On it:

- `StripeEvents`: ``GET /v1/events`` (``created[gte]``/``created[lte]``,
  ``limit`` up to 100, ``starting_after``, ``types[]``), newest first, as a
  ``{"object": "list", "data", "has_more", "url"}`` page; ``GET /v1/events/{id}``.
  https://docs.stripe.com/api/events/list, https://docs.stripe.com/api/pagination
- `GitHubDeliveries`: ``GET /repos/{o}/{r}/hooks/{id}/deliveries`` (``per_page``,
  ``cursor``) newest first, paged by ``Link: <...>; rel="next"``; ``GET .../{id}``
  with ``request.headers`` and ``request.payload``; ``POST .../{id}/attempts``
  answered 202, which sends the delivery again, signed, to a receiver if one is set.
  https://docs.github.com/en/rest/repos/webhooks
- `SvixMessages`: ``GET /api/v1/app/{app}/msg`` (``limit``, ``iterator``,
  ``after``/``before``, ``with_content``) as ``{"data", "iterator",
  "prevIterator", "done"}``; ``GET .../msg/{id}``; ``POST
  .../msg/{id}/endpoint/{ep}/resend`` and ``.../endpoint/{ep}/recover``.
  https://api.svix.com/docs

Every API answers 401 without ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "sk_test_fake_api_token_0123456789"


@dataclass
class Reply:
    """An answer: status, JSON (or raw bytes), headers."""

    status: int = 200
    data: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None


@dataclass
class Call:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


Route = Callable[[Call, "re.Match[str]"], Reply]


class FakeApi:
    """A threaded HTTP server on 127.0.0.1 with routes ``(method, path regex) -> handler``."""

    def __init__(self, token: str | None = TOKEN) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Route]] = []
        self.calls: list[Call] = []
        self.token = token
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def handle(self) -> None:
                # A client that gave up closes the connection under the answer; its
                # test checks its own side, and socketserver would print a traceback.
                with contextlib.suppress(ConnectionError, TimeoutError):
                    super().handle()

            def _serve(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                call = Call(
                    self.command,
                    parts.path,
                    urllib.parse.parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                api.calls.append(call)
                reply = api.answer(call)
                body = reply.raw if reply.raw is not None else (
                    b"" if reply.data is None else json.dumps(reply.data).encode()
                )  # fmt: skip
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _serve  # noqa: N815 - http.server's names

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, method: str, pattern: str, handler: Route) -> None:
        """Answer *method* requests whose path fully matches *pattern* with *handler*."""
        self.routes.append((method, re.compile(pattern), handler))

    def answer(self, call: Call) -> Reply:
        """Authenticate, then dispatch to the first matching route (404 if none)."""
        if self.token is not None and call.headers.get("authorization") != f"Bearer {self.token}":
            return Reply(401, {"error": {"message": "invalid token"}})
        for method, pattern, handler in self.routes:
            match = pattern.fullmatch(call.path)
            if match and method == call.method:
                return handler(call, match)
        return Reply(404, {"error": {"message": "not found"}})

    def __enter__(self) -> FakeApi:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _one(call: Call, name: str, default: str | None = None) -> str | None:
    values = call.query.get(name)
    return values[0] if values else default


def iso(seconds: float) -> str:
    """Unix seconds as the ISO 8601 UTC text the APIs send."""
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


# -- Stripe ---------------------------------------------------------------------------


class StripeEvents:
    """Stripe's Events API over a list of event objects (``{"id", "created", "type", ...}``)."""

    def __init__(self, api: FakeApi) -> None:
        self.events: list[dict[str, Any]] = []
        api.route("GET", r"/v1/events", self._list)
        api.route("GET", r"/v1/events/(evt_\w+)", self._get)

    def add(self, ident: str, created: int, kind: str = "invoice.paid") -> dict[str, Any]:
        """Add an event as Stripe would render it."""
        event = {
            "id": ident,
            "object": "event",
            "api_version": "2024-06-20",
            "created": created,
            "type": kind,
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": {"id": f"in_{ident[4:]}", "object": "invoice"}},
        }
        self.events.append(event)
        return event

    def _list(self, call: Call, match: re.Match[str]) -> Reply:
        limit = int(_one(call, "limit", "10") or 10)
        if not 1 <= limit <= 100:
            return Reply(400, {"error": {"message": "limit must be 1..100"}})
        gte = _one(call, "created[gte]")
        lte = _one(call, "created[lte]")
        types = [v for k, vs in call.query.items() if k.startswith("types[") for v in vs]
        chosen = sorted(self.events, key=lambda e: (e["created"], e["id"]), reverse=True)
        chosen = [
            e for e in chosen
            if (gte is None or e["created"] >= int(gte))
            and (lte is None or e["created"] <= int(lte))
            and (not types or e["type"] in types)
        ]  # fmt: skip
        after = _one(call, "starting_after")
        if after is not None:
            ids = [e["id"] for e in chosen]
            chosen = chosen[ids.index(after) + 1 :] if after in ids else []
        page = chosen[:limit]
        return Reply(
            200,
            {"object": "list", "url": "/v1/events", "has_more": len(chosen) > limit, "data": page},
        )

    def _get(self, call: Call, match: re.Match[str]) -> Reply:
        for event in self.events:
            if event["id"] == match.group(1):
                return Reply(200, event)
        return Reply(404, {"error": {"message": "No such event", "type": "invalid_request_error"}})


# -- GitHub ---------------------------------------------------------------------------


class GitHubDeliveries:
    """One repository hook's deliveries, as GitHub's hook deliveries API serves them."""

    def __init__(self, api: FakeApi, repo: str = "octo/repo", hook_id: int = 42) -> None:
        self.api = api
        self.base = f"/repos/{repo}/hooks/{hook_id}/deliveries"
        self.deliveries: list[dict[str, Any]] = []
        self.redelivered: list[int] = []
        #: Called with a delivery's detail when a redelivery is asked for.
        self.deliver: Callable[[dict[str, Any]], int] | None = None
        self._next_id = 1000
        api.route("GET", re.escape(self.base), self._list)
        api.route("GET", re.escape(self.base) + r"/(\d+)", self._get)
        api.route("POST", re.escape(self.base) + r"/(\d+)/attempts", self._attempt)

    def add(
        self,
        guid: str,
        at: float,
        status_code: int,
        payload: dict[str, Any],
        headers: dict[str, str] | None = None,
        *,
        redelivery: bool = False,
    ) -> int:
        """Add one delivery attempt of *guid*; return its numeric id."""
        self._next_id += 1
        self.deliveries.append({
            "id": self._next_id,
            "guid": guid,
            "delivered_at": iso(at),
            "redelivery": redelivery,
            "duration": 0.27,
            "status": "OK" if 200 <= status_code < 300 else f"Invalid HTTP Response: {status_code}",
            "status_code": status_code,
            "event": "push",
            "action": None,
            "installation_id": None,
            "repository_id": 1296269,
            "_payload": payload,
            "_headers": headers or {},
        })  # fmt: skip
        return self._next_id

    @staticmethod
    def _public(delivery: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in delivery.items() if not k.startswith("_")}

    def _list(self, call: Call, match: re.Match[str]) -> Reply:
        per_page = int(_one(call, "per_page", "30") or 30)
        if not 1 <= per_page <= 100:
            return Reply(422, {"message": "per_page must be 1..100"})
        ordered = sorted(self.deliveries, key=lambda d: (d["delivered_at"], d["id"]), reverse=True)
        start = int(_one(call, "cursor", "0") or 0)
        page = ordered[start : start + per_page]
        headers = {}
        if start + per_page < len(ordered):
            following = f"{self.api.url}{self.base}?per_page={per_page}&cursor={start + per_page}"
            headers["Link"] = f'<{following}>; rel="next"'
        return Reply(200, [self._public(d) for d in page], headers)

    def _find(self, ident: str) -> dict[str, Any] | None:
        return next((d for d in self.deliveries if d["id"] == int(ident)), None)

    def _get(self, call: Call, match: re.Match[str]) -> Reply:
        found = self._find(match.group(1))
        if found is None:
            return Reply(404, {"message": "Not Found"})
        detail = {
            **self._public(found),
            "url": "https://example.com/hooks/github",
            "request": {"headers": found["_headers"], "payload": found["_payload"]},
            "response": {"headers": {}, "payload": ""},
        }
        return Reply(200, detail)

    def _attempt(self, call: Call, match: re.Match[str]) -> Reply:
        found = self._find(match.group(1))
        if found is None:
            return Reply(404, {"message": "Not Found"})
        self.redelivered.append(found["id"])
        if self.deliver is not None:
            status = self.deliver(found)
            self.add(found["guid"], time.time(), status, found["_payload"], found["_headers"],
                     redelivery=True)  # fmt: skip
        return Reply(202, {})


# -- Svix ------------------------------------------------------------------------------


class SvixMessages:
    """One Svix application's messages, as Svix's message API serves them."""

    def __init__(self, api: FakeApi, app_id: str = "app_fake") -> None:
        self.base = f"/api/v1/app/{app_id}"
        self.messages: list[dict[str, Any]] = []
        self.resent: list[tuple[str, str]] = []
        self.recovered: list[dict[str, Any]] = []
        api.route("GET", re.escape(self.base) + r"/msg/?", self._list)
        api.route("GET", re.escape(self.base) + r"/msg/(msg_\w+)", self._get)
        api.route("POST", re.escape(self.base) + r"/msg/(msg_\w+)/endpoint/(ep_\w+)/resend",
                  self._resend)  # fmt: skip
        api.route("POST", re.escape(self.base) + r"/endpoint/(ep_\w+)/recover", self._recover)

    def add(
        self, ident: str, at: float, payload: dict[str, Any], kind: str = "user.created"
    ) -> None:
        """Add one message."""
        self.messages.append({
            "id": ident,
            "eventType": kind,
            "eventId": None,
            "payload": payload,
            "channels": None,
            "timestamp": iso(at),
            "tags": None,
        })  # fmt: skip

    def _list(self, call: Call, match: re.Match[str]) -> Reply:
        limit = int(_one(call, "limit", "50") or 50)
        after, before = _one(call, "after"), _one(call, "before")
        with_content = _one(call, "with_content", "true") == "true"
        ordered = sorted(self.messages, key=lambda m: (m["timestamp"], m["id"]), reverse=True)
        chosen = [
            m for m in ordered
            if (after is None or m["timestamp"] > after)
            and (before is None or m["timestamp"] < before)
        ]  # fmt: skip
        start = int(_one(call, "iterator", "0") or 0)
        page = chosen[start : start + limit]
        done = start + limit >= len(chosen)
        data = [m if with_content else {**m, "payload": {}} for m in page]
        return Reply(200, {
            "data": data,
            "iterator": None if done else str(start + limit),
            "prevIterator": None,
            "done": done,
        })  # fmt: skip

    def _get(self, call: Call, match: re.Match[str]) -> Reply:
        found = next((m for m in self.messages if m["id"] == match.group(1)), None)
        return Reply(404, {"code": "not_found"}) if found is None else Reply(200, found)

    def _resend(self, call: Call, match: re.Match[str]) -> Reply:
        self.resent.append((match.group(1), match.group(2)))
        return Reply(202)

    def _recover(self, call: Call, match: re.Match[str]) -> Reply:
        self.recovered.append(json.loads(call.body))
        return Reply(202, {"id": "qtask_1", "status": "running", "task": "endpoint.recover"})


@contextmanager
def serving(token: str | None = TOKEN) -> Iterator[FakeApi]:
    """A running `FakeApi`, shut down when the block ends."""
    with FakeApi(token) as api:
        yield api
