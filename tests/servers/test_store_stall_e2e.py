"""A store that stalls (SIGSTOP) under every real server: 503 within its timeout, nothing lost.

Both networked stores, each on a throwaway server: a redis-server, and a
PostgreSQL cluster whose postmaster and backends are all stopped.

The server answers 503 within the store's timeout, the handler never runs
for the stalled request (not even after SIGCONT), and the provider's retry
runs it once.  A claim the store carried out after the client was answered
holds the key until its lease runs out: retries meanwhile are answered 409
(in progress), never 200, so the delivery is late, not lost.
"""

from __future__ import annotations

import base64
import contextlib
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

import hooksig
from tests.servers.support import (
    ALL_SERVERS,
    WARM_UP_SECONDS,
    PostgresCluster,
    RedisServer,
    Server,
    ledger,
    private_postgres,
    serve,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(180)]

SECRET = "whsec_" + base64.b64encode(b"hooksig-stall-secret-0123456789a").decode()
VERIFIER = hooksig.Verifier("standard-webhooks", secret=SECRET)
#: The store's timeout; the answer must come within it and this margin.
STORE_TIMEOUT = 1.0
MARGIN = 3.0
#: The guard's lease: how long a claim the store carried out late can hold the key.
LEASE = 3.0
#: Stop (True) or resume (False) the store's server.
Stop = Callable[[bool], None]


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL cluster for the module (initdb costs seconds); a table per test."""
    with private_postgres() as running:
        yield running


@contextlib.contextmanager
def _redis(request: pytest.FixtureRequest) -> Iterator[tuple[dict[str, str], Stop]]:
    """A throwaway redis-server: the store's env, and how to stop (True) or resume it."""
    server = RedisServer(request.getfixturevalue("tmp_path"))
    server.start()
    env = {
        "HOOKSIG_E2E_STORE": f"redis:{server.url}",
        "HOOKSIG_E2E_TABLE": f"stall-{uuid.uuid4().hex[:10]}:",
    }
    try:
        yield env, lambda stop: server.pause() if stop else server.resume()
    finally:
        server.kill()


@contextlib.contextmanager
def _postgres(request: pytest.FixtureRequest) -> Iterator[tuple[dict[str, str], Stop]]:
    """The module's PostgreSQL cluster: the store's env, and how to stop (True) or resume it."""
    running: PostgresCluster = request.getfixturevalue("cluster")
    env = {
        "HOOKSIG_E2E_STORE": f"postgres:{running.dsn}",
        "HOOKSIG_E2E_TABLE": f"stall_{uuid.uuid4().hex[:10]}",
    }
    try:
        yield env, lambda stop: running.pause() if stop else running.resume()
    finally:
        running.resume()


STORES = {"redis": _redis, "postgres": _postgres}


@pytest.fixture(params=[(store, name) for store in STORES for name in sorted(ALL_SERVERS)],
                ids="-".join)  # fmt: skip
def stalling(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Server, Stop, Path]]:
    """One server (one worker) guarded by a store on a throwaway server of its own."""
    store, name = request.param
    with STORES[store](request) as (store_env, stop):
        env = {
            **store_env,
            "HOOKSIG_E2E_SECRET": SECRET,
            "HOOKSIG_E2E_STORE_TIMEOUT": str(STORE_TIMEOUT),
            "HOOKSIG_E2E_LEASE": str(LEASE),
            "HOOKSIG_E2E_LEDGER": str(tmp_path / "ledger.txt"),
        }
        try:
            with serve(name, env, tmp_path, workers=1) as server:
                yield server, stop, tmp_path / "ledger.txt"
        finally:
            stop(False)


def _post(server: Server, ident: str) -> httpx.Response:
    body = b'{"type":"stall"}'
    headers = VERIFIER.sign(body, id=ident)
    return httpx.post(f"{server.url}/hooks/acme", content=body, headers=headers, timeout=30)


def _warm(server: Server) -> None:
    """
    Deliver until one is handled: connections, scripts and table ready.

    The first delivery opens the store's connection and creates its table,
    which on a loaded machine can outlast the store's timeout (503, with
    nothing wrong): each try is a new delivery, as the one that timed out may
    still have been claimed.
    """
    deadline = time.monotonic() + WARM_UP_SECONDS
    while (answer := _post(server, f"warm-{uuid.uuid4().hex[:8]}")).text != "handled":
        assert answer.status_code == 503, answer.text
        assert time.monotonic() < deadline, "the store never answered in time"


def test_stalled_store_is_503_in_time_and_the_delivery_survives(
    stalling: tuple[Server, Stop, Path],
    record_property: Callable[[str, object], None],
) -> None:
    """SIGSTOP the store: 503 within its timeout, no late run after SIGCONT, the retry runs."""
    server, stop, led = stalling
    _warm(server)
    stop(True)
    try:
        started = time.monotonic()
        stalled = _post(server, "during-stall")
        elapsed = time.monotonic() - started
    finally:
        stop(False)
    record_property("seconds_to_answer", round(elapsed, 2))
    assert stalled.status_code == 503
    assert stalled.headers["retry-after"] == "30"
    assert elapsed < STORE_TIMEOUT + MARGIN
    time.sleep(STORE_TIMEOUT + 1)  # anything left running would have run by now
    assert "during-stall" not in ledger(led)
    answers = []
    deadline = time.monotonic() + LEASE + MARGIN
    while time.monotonic() < deadline:  # the provider retrying, a bounded number of times
        retry = _post(server, "during-stall")
        answers.append((retry.status_code, retry.text))
        if retry.status_code not in (409, 503):
            break
        time.sleep(0.5)
    assert answers[-1] == (200, "handled"), answers
    # In progress while the late claim holds the key, or unavailable while the
    # resumed server catches up on a loaded machine: never handled twice.
    assert {status for status, _ in answers[:-1]} <= {409, 503}
    assert ledger(led)["during-stall"] == 1
