"""Around the receiver on real servers (uvicorn, gunicorn), for every adapter.

Allowlists, spoofed forwarding headers, plain HTTP, a burst over the rate
limit, a dead letter replayed once, and a reconciliation that handles exactly
the events the receiver missed while it was down.  The routes are those of
``tests.integrations.apps.around``.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

import hooksig
from hooksig.journal import Journal
from tests.fakeapi import TOKEN, StripeEvents, serving
from tests.integrations.apps import ALLOWED, STRIPE_SECRET
from tests.servers.support import ROOT, SERVERS, Server, ledger, serve

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

SECRET = "whsec_" + base64.b64encode(b"hooksig-around-secret-0123456789").decode()
ACME = hooksig.Verifier("standard-webhooks", secret=SECRET)
STRIPE = hooksig.Verifier("stripe", secret=STRIPE_SECRET)
BODY = b'{"type":"invoice.paid"}'


def environment(tmp: Path, redis_url: str, prefix: str) -> dict[str, str]:
    """The receiver's configuration: SQLite guard and journal, the limit shared through Redis."""
    return {
        "HOOKSIG_E2E_SECRET": SECRET,
        "HOOKSIG_E2E_STORE": f"sqlite:{tmp / 'claims.db'}",
        "HOOKSIG_E2E_LEDGER": str(tmp / "ledger.txt"),
        "HOOKSIG_E2E_JOURNAL": str(tmp / "journal.db"),
        "HOOKSIG_E2E_LIMIT_REDIS": f"{redis_url} {prefix}",
    }


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, redis_url: str
) -> Iterator[Server]:
    """One real server per configuration, two workers where the server forks."""
    import redis

    name = request.param
    tmp = tmp_path_factory.mktemp(f"around-{name}")
    prefix = f"hooksig-test:{uuid.uuid4().hex[:12]}:"
    with serve(name, environment(tmp, redis_url, prefix), tmp) as running:
        running.name = name  # type: ignore[attr-defined]
        running.tmp = tmp  # type: ignore[attr-defined]
        yield running
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def signed(ident: str, body: bytes = BODY, **extra: str) -> dict[str, str]:
    """Fresh acme headers for *body* with delivery id *ident*."""
    return {**ACME.sign(body, id=ident), **extra}


def runs(server: Server, ident: str) -> int:
    """How many times the handler ran for *ident*, across workers."""
    return ledger(server.tmp / "ledger.txt").get(ident, 0)  # type: ignore[attr-defined]


def test_a_refused_source_is_403_and_never_handled(server: Server) -> None:
    """The local client is outside /hooks/allowed's allowlist: 403, the handler never runs."""
    reply = httpx.post(f"{server.url}/hooks/allowed", content=BODY, headers=signed("src-1"))
    assert (reply.status_code, reply.text) == (403, "forbidden")
    assert runs(server, "src-1") == 0


def test_a_spoofed_forwarding_header_is_ignored(server: Server) -> None:
    """X-Forwarded-For from a peer that is not a trusted proxy changes nothing; from one, it
    counts, and the signature still decides."""
    spoofed = signed("spoof-1", **{"X-Forwarded-For": ALLOWED})
    reply = httpx.post(f"{server.url}/hooks/allowed", content=BODY, headers=spoofed)
    assert reply.status_code == 403
    proxied = {"X-Forwarded-For": f"203.0.113.66, {ALLOWED}", "X-Forwarded-Proto": "https"}
    good = httpx.post(
        f"{server.url}/hooks/proxied", content=BODY, headers=signed("px-1", **proxied)
    )
    assert (good.status_code, good.text) == (200, "handled")
    forged = {**signed("px-2", **proxied), "webhook-signature": "v1," + "A" * 43 + "="}
    assert (
        httpx.post(f"{server.url}/hooks/proxied", content=BODY, headers=forged).status_code == 403
    )
    assert (runs(server, "spoof-1"), runs(server, "px-1"), runs(server, "px-2")) == (0, 1, 0)


def test_plain_http_is_refused(server: Server) -> None:
    """HTTPS only: plain HTTP is 403, a client's own X-Forwarded-Proto too; the trusted
    proxy must say https."""
    url = f"{server.url}/hooks/secure"
    assert httpx.post(url, content=BODY, headers=signed("tls-1")).status_code == 403
    claimed = signed("tls-2", **{"X-Forwarded-Proto": "https"})  # gunicorn would believe it
    assert httpx.post(url, content=BODY, headers=claimed).status_code == 403
    unsaid = signed("tls-3", **{"X-Forwarded-For": ALLOWED})  # trusted proxy, no proto
    assert (
        httpx.post(f"{server.url}/hooks/proxied", content=BODY, headers=unsaid).status_code == 403
    )
    assert sum(runs(server, f"tls-{n}") for n in (1, 2, 3)) == 0


def test_a_burst_over_the_limit_is_retried_and_nothing_is_lost(server: Server) -> None:
    """30 deliveries (6 of them sent twice) at once: 429s with Retry-After, each retried after
    it; at the end every delivery ran exactly once."""
    url = f"{server.url}/hooks/limited"
    ids = [f"burst-{uuid.uuid4().hex[:8]}-{n}" for n in range(24)]
    plan = [*ids, *ids[:6]]
    headers = {ident: signed(ident) for ident in ids}
    pending = list(plan)
    waits: list[int] = []
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(10) as pool:
        for _ in range(30):  # bounded: 5 per second clears 30 in well under 30 rounds
            replies = list(
                pool.map(lambda i: (i, client.post(url, content=BODY, headers=headers[i])), pending)
            )
            limited = [(i, r) for i, r in replies if r.status_code == 429]
            for _, reply in limited:
                waits.append(int(reply.headers["retry-after"]))
            assert all(r.status_code in (200, 409, 429) for _, r in replies), replies
            # 409: the same id in progress elsewhere; the provider would retry it too.
            pending = [i for i, r in replies if r.status_code in (409, 429)]
            if not pending:
                break
            time.sleep(max(waits[-len(limited) :] or [1]))
    assert not pending
    assert waits
    assert min(waits) >= 1
    assert {ident: runs(server, ident) for ident in ids} == dict.fromkeys(ids, 1)


def _hooksig(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hooksig", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.parametrize("failure", ["raise", "status"])
def test_a_failure_is_a_dead_letter_replayed_once(server: Server, failure: str) -> None:
    """A handler that fails leaves a dead letter; `hooksig journal replay` runs it once, through
    the guard; the provider's retry afterwards is a duplicate."""
    tmp: Path = server.tmp  # type: ignore[attr-defined]
    ident = f"dead-{failure}-{uuid.uuid4().hex[:8]}"
    body = json.dumps({"type": "invoice.paid", "fail": failure}, separators=(",", ":")).encode()
    url = f"{server.url}/hooks/journaled"
    first = httpx.post(url, content=body, headers=signed(ident, body))
    assert first.status_code in (500, 503)
    journal = Journal(tmp / "journal.db")
    # An ASGI app settles and journals once the answer is sent: the client may read it first.
    for _ in range(100):
        letters = [e for e in journal.list(outcome="failed") if e.delivery_id == ident]
        if letters:
            break
        time.sleep(0.05)
    [letter] = letters
    assert letter.body == body
    assert "webhook-signature" not in {name.lower() for name in letter.headers}
    env = {"HOOKSIG_E2E_LEDGER": str(tmp / "ledger.txt")}
    replay = (
        "journal", "replay", f"standard-webhooks:{ident}", "--journal", str(tmp / "journal.db"),
        "--store", f"sqlite:{tmp / 'claims.db'}", "--handler", "tests.integrations.apps:record",
        "--json",
    )  # fmt: skip
    done = _hooksig(*replay, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"][0]["outcome"] == "handled"
    again = _hooksig(*replay, env=env)
    assert json.loads(again.stdout)["results"][0]["outcome"] == "duplicate"
    retry = httpx.post(url, content=body, headers=signed(ident, body))
    assert (retry.status_code, retry.text) == (200, "already handled")
    assert runs(server, ident) == 2  # the failed run and the one replay
    entry = journal.get(f"standard-webhooks:{ident}")
    assert entry is not None
    assert (entry.outcome, entry.attempts) == ("handled", 2)


@pytest.mark.parametrize("name", sorted(SERVERS))
def test_reconciliation_handles_exactly_what_was_missed(
    name: str, tmp_path: Path, redis_url: str
) -> None:
    """Events delivered while the receiver was up run once; those created while it was down
    run once by `hooksig reconcile`; a late retry of one is a duplicate."""
    env = environment(tmp_path, redis_url, f"hooksig-test:{uuid.uuid4().hex[:12]}:")
    now = int(time.time())
    with serving() as api:
        events = StripeEvents(api)
        sent = {f"evt_{n}": events.add(f"evt_{n}", now - 600 + n) for n in range(1, 7)}

        def deliver(server: Server, ident: str) -> httpx.Response:
            body = json.dumps(sent[ident]).encode()
            headers = STRIPE.sign(body, timestamp=int(time.time()))
            return httpx.post(f"{server.url}/hooks/stripe", content=body, headers=headers)

        with serve(name, env, tmp_path) as up:
            for ident in ("evt_1", "evt_2"):
                assert deliver(up, ident).text == "handled"
            down_url = up.url
        # The receiver is down: Stripe's attempts of evt_3 and evt_4 fail, then give up.
        for _ in ("evt_3", "evt_4"):
            with pytest.raises(httpx.ConnectError):
                httpx.post(f"{down_url}/hooks/stripe", content=b"{}")
        with serve(name, env, tmp_path) as up:
            assert deliver(up, "evt_5").text == "handled"
            # evt_6 is never delivered at all (its endpoint was disabled, say)
            done = _hooksig(
                "reconcile", "stripe", "--since", str(now - 3600), "--api-base", api.url,
                "--store", f"sqlite:{tmp_path / 'claims.db'}",
                "--handler", "tests.integrations.apps:record", "--json",
                env={**env, "STRIPE_API_KEY": TOKEN},
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            report = json.loads(done.stdout)
            assert sorted(report["handled"]) == ["evt_3", "evt_4", "evt_6"]
            assert (report["listed"], report["seen"]) == (6, 3)
            late = deliver(up, "evt_3")  # Stripe's last retry, after all
            assert (late.status_code, late.text) == (200, "already handled")
    counts = ledger(tmp_path / "ledger.txt")
    assert counts == {f"evt_{n}": 1 for n in range(1, 7)}
