"""Load: 2,000 signed deliveries (20% duplicates) to two servers sharing one PostgreSQL store."""

from __future__ import annotations

import asyncio
import base64
import random
import statistics
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest

import hooksig
from tests.servers.support import ledger, serve

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(300)]

SECRET = "whsec_" + base64.b64encode(b"hooksig-load-secret-0123456789ab").decode()
TOTAL = 1000  # 800 deliveries and 200 redeliveries, 64 at a time: enough to interleave
DUPLICATES = TOTAL // 5
CONCURRENCY = 64


async def _send(
    client: httpx.AsyncClient,
    gate: asyncio.Semaphore,
    url: str,
    body: bytes,
    headers: dict[str, str],
) -> tuple[int, str, float]:
    async with gate:
        started = time.perf_counter()
        response = await client.post(url, content=body, headers=headers)
        return response.status_code, response.text, time.perf_counter() - started


async def _run(
    urls: list[str], plan: list[tuple[str, bytes, dict[str, str]]]
) -> tuple[list[tuple[int, str, float]], float]:
    gate = asyncio.Semaphore(CONCURRENCY)
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        started = time.perf_counter()
        # Every request finishes before the client closes, even when one fails: a failure
        # leaves no socket open for a later test's ResourceWarning to report.
        outcomes = await asyncio.gather(
            *(
                _send(client, gate, f"{urls[n % len(urls)]}/hooks/acme", body, headers)
                for n, (_, body, headers) in enumerate(plan)
            ),
            return_exceptions=True,
        )
        elapsed = time.perf_counter() - started
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return [outcome for outcome in outcomes if not isinstance(outcome, BaseException)], elapsed


def _drop(dsn: str, table: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP TABLE IF EXISTS "{table}"')


def test_load_two_servers_one_postgres_store(tmp_path: Path, postgres_dsn: str) -> None:
    """Every delivery runs exactly once; every duplicate gets 200 or 409; no 5xx."""
    dsn = postgres_dsn
    table = f"hooksig_load_{uuid.uuid4().hex[:12]}"
    led = tmp_path / "ledger.txt"
    env = {
        "HOOKSIG_E2E_SECRET": SECRET,
        "HOOKSIG_E2E_STORE": f"postgres:{dsn}",
        "HOOKSIG_E2E_TABLE": table,
        "HOOKSIG_E2E_LEDGER": str(led),
        # The receivers' 1 s read timeout is for the stall tests; 64 clients on a busy
        # two-core machine can wait longer than that for a body that is on its way.
        "HOOKSIG_E2E_TIMEOUT": "30",
    }
    verifier = hooksig.Verifier("standard-webhooks", secret=SECRET)
    rng = random.Random(5)
    unique = []
    for n in range(TOTAL - DUPLICATES):
        body = b'{"type":"load","n":%d}' % n
        ident = f"load_{n}"
        unique.append((ident, body, verifier.sign(body, id=ident)))
    plan = unique + [rng.choice(unique) for _ in range(DUPLICATES)]
    rng.shuffle(plan)
    try:
        with (
            serve("uvicorn-fastapi", env, tmp_path) as one,
            serve("uvicorn-asgi", env, tmp_path) as two,
        ):
            results, elapsed = asyncio.run(_run([one.url, two.url], plan))
    finally:
        _drop(dsn, table)

    statuses = Counter(status for status, _, _ in results)
    handled = sum(text == "handled" for _, text, _ in results)
    suppressed = sum(text == "already handled" for _, text, _ in results)
    latencies = sorted(seconds for _, _, seconds in results)
    runs = ledger(led)
    print(
        f"\nload: {TOTAL} deliveries in {elapsed:.2f} s = {TOTAL / elapsed:.0f}/s; "
        f"p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms; "
        f"duplicates suppressed: {suppressed} done (200) + {statuses[409]} in progress (409); "
        f"statuses {dict(statuses)}"
    )
    assert not [s for s in statuses if s >= 500]
    assert set(statuses) <= {200, 409}
    assert handled == TOTAL - DUPLICATES
    assert len(runs) == TOTAL - DUPLICATES
    assert set(runs.values()) == {1}
    assert suppressed + statuses[409] == DUPLICATES
