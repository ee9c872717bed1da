"""A PostgreSQL store that stalls under every real server: 503 within its timeout, nothing lost."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import hooksig
from tests.servers.support import SERVERS, PostgresCluster, Server, ledger, serve

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(180)]

SECRET = "whsec_" + base64.b64encode(b"hooksig-stall-secret-0123456789a").decode()
VERIFIER = hooksig.Verifier("standard-webhooks", secret=SECRET)
#: The store's timeout; the answer must come within it and this margin.
STORE_TIMEOUT = 1.0
MARGIN = 3.0


@pytest.fixture(params=sorted(SERVERS))
def stalling(
    request: pytest.FixtureRequest, tmp_path: Path, throwaway_postgres: PostgresCluster
) -> Iterator[tuple[Server, PostgresCluster, Path]]:
    """One server (one worker) guarded by a PostgreSQL store on a throwaway cluster."""
    env = {
        "HOOKSIG_E2E_SECRET": SECRET,
        "HOOKSIG_E2E_STORE": f"postgres:{throwaway_postgres.dsn}",
        "HOOKSIG_E2E_TABLE": f"stall_{uuid.uuid4().hex[:10]}",
        "HOOKSIG_E2E_STORE_TIMEOUT": str(STORE_TIMEOUT),
        "HOOKSIG_E2E_LEDGER": str(tmp_path / "ledger.txt"),
    }
    with serve(request.param, env, tmp_path, workers=1) as server:
        yield server, throwaway_postgres, tmp_path / "ledger.txt"


def _post(server: Server, ident: str) -> httpx.Response:
    body = b'{"type":"stall"}'
    headers = VERIFIER.sign(body, id=ident)
    return httpx.post(f"{server.url}/hooks/acme", content=body, headers=headers, timeout=30)


def test_stalled_store_is_503_in_time_and_the_delivery_survives(
    stalling: tuple[Server, PostgresCluster, Path],
) -> None:
    """SIGSTOP PostgreSQL: 503 within the timeout, no late run after SIGCONT, the retry runs."""
    server, cluster, led = stalling
    assert _post(server, "warm").text == "handled"  # pool and table ready
    cluster.pause()
    try:
        started = time.monotonic()
        stalled = _post(server, "during-stall")
        elapsed = time.monotonic() - started
    finally:
        cluster.resume()
    assert stalled.status_code == 503
    assert stalled.headers["retry-after"] == "30"
    assert elapsed < STORE_TIMEOUT + MARGIN
    time.sleep(STORE_TIMEOUT + 1)  # anything left running would have run by now
    assert "during-stall" not in ledger(led)
    retry = _post(server, "during-stall")
    assert (retry.status_code, retry.text) == (200, "handled")
    assert ledger(led)["during-stall"] == 1
