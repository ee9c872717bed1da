"""A store that stalls (SIGSTOP) under every real server: 503 within its timeout, nothing lost.

The server answers 503 within the store's timeout, the handler never runs
for the stalled request (not even after SIGCONT), and the provider's retry
runs it once.  A claim the store carried out after the client was answered
holds the key until its lease runs out: retries meanwhile are answered 409
(in progress), never 200, so the delivery is late, not lost.
"""

from __future__ import annotations

import base64
import contextlib
import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

import hooksig
from tests.servers.support import SERVERS, RedisServer, Server, ledger, serve

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(180)]

SECRET = "whsec_" + base64.b64encode(b"hooksig-stall-secret-0123456789a").decode()
VERIFIER = hooksig.Verifier("standard-webhooks", secret=SECRET)
#: The store's timeout; the answer must come within it and this margin.
STORE_TIMEOUT = 1.0
MARGIN = 3.0
#: The guard's lease: how long a claim the store carried out late can hold the key.
LEASE = 3.0


def _signal(process: object, sig: int) -> None:
    pid = getattr(process, "pid", None)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


@pytest.fixture(params=sorted(SERVERS))
def stalling(
    request: pytest.FixtureRequest, tmp_path: Path, throwaway_redis: RedisServer
) -> Iterator[tuple[Server, Callable[[int], None], Path]]:
    """One server (one worker) guarded by a RedisStore on a throwaway redis-server."""
    env = {
        "HOOKSIG_E2E_SECRET": SECRET,
        "HOOKSIG_E2E_STORE": f"redis:{throwaway_redis.url}",
        "HOOKSIG_E2E_TABLE": f"stall-{uuid.uuid4().hex[:10]}:",
        "HOOKSIG_E2E_STORE_TIMEOUT": str(STORE_TIMEOUT),
        "HOOKSIG_E2E_LEASE": str(LEASE),
        "HOOKSIG_E2E_LEDGER": str(tmp_path / "ledger.txt"),
    }
    with serve(request.param, env, tmp_path, workers=1) as server:
        try:
            yield server, lambda sig: _signal(throwaway_redis.process, sig), tmp_path / "ledger.txt"
        finally:
            _signal(throwaway_redis.process, signal.SIGCONT)


def _post(server: Server, ident: str) -> httpx.Response:
    body = b'{"type":"stall"}'
    headers = VERIFIER.sign(body, id=ident)
    return httpx.post(f"{server.url}/hooks/acme", content=body, headers=headers, timeout=30)


def test_stalled_store_is_503_in_time_and_the_delivery_survives(
    stalling: tuple[Server, Callable[[int], None], Path],
) -> None:
    """SIGSTOP the store: 503 within its timeout, no late run after SIGCONT, the retry runs."""
    server, send_signal, led = stalling
    assert _post(server, "warm").text == "handled"  # connections and scripts ready
    send_signal(signal.SIGSTOP)
    try:
        started = time.monotonic()
        stalled = _post(server, "during-stall")
        elapsed = time.monotonic() - started
    finally:
        send_signal(signal.SIGCONT)
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
        if retry.status_code != 409:
            break
        time.sleep(0.5)
    assert answers[-1] == (200, "handled"), answers
    assert {status for status, _ in answers[:-1]} <= {409}
    assert ledger(led)["during-stall"] == 1
