"""
The cost per delivery of what runs around the receiver (issue #16): the rate limit, the gate,
and the journal, on the adapter path users take.

Run ``python benchmarks/around.py`` (with the servers up, ``eval "$(bash
scripts/servers.sh start)"``, for the Redis rate limit).  Each contender is
the ASGI or WSGI ``WebhookMiddleware`` called in process exactly as
``receiver.py`` calls it (one 1 KiB GitHub delivery per request, a fresh
``X-GitHub-Delivery`` each time, every answer checked to be 200); the
contenders of one middleware run in a new random order each round.  The
table gives the median microseconds per request, the median per-round ratio
to the same middleware without the option (paired), and the difference:

- ``hooksig``: verification only; ``+ rate limit``: an in-process
  ``RateLimit`` (per second and in flight) that never refuses;
- ``+ gate``: that limit plus an allowlist (GitHub's ranges and 127.0.0.1);
- ``+ Redis rate limit``: a ``RedisRateLimit``, one Lua script per request;
- ``+ journal``: a ``Journal`` on an SQLite file, one row per delivery;
- ``sqlite guard`` and ``sqlite guard + journal``: the common production pair,
  the journal's ratio taken against the guard alone.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _receivers as receivers
from _common import header_block
from receiver import _asgi_caller, _timed, _wsgi_caller, ratio

from hooksig.gate import Allowlist, RateLimit
from hooksig.idempotency import Idempotency, SQLiteStore
from hooksig.integrations import Endpoint
from hooksig.integrations.asgi import WebhookMiddleware as AsgiMiddleware
from hooksig.integrations.wsgi import WebhookMiddleware as WsgiMiddleware
from hooksig.journal import Journal

REDIS_URL = os.environ.get("HOOKSIG_REDIS_URL", "redis://127.0.0.1:6390/0")
#: contender -> the contender its ratio is taken against
BASELINE = {
    "+ rate limit": "hooksig",
    "+ gate": "hooksig",
    "+ Redis rate limit": "hooksig",
    "+ journal": "hooksig",
    "sqlite guard + journal": "sqlite guard",
}


def _never_refusing() -> RateLimit:
    return RateLimit(per_second=1e9, burst=10**9, in_flight=10**6)


def options(kind: str, tmp: Path) -> dict[str, Any]:
    """The endpoint options of a contender."""
    journal = Journal(tmp / f"journal-{uuid.uuid4().hex}.db", prune_interval=3600)
    guard = Idempotency(SQLiteStore(tmp / f"claims-{uuid.uuid4().hex}.db"))
    table: dict[str, Callable[[], dict[str, Any]]] = {
        "hooksig": dict,
        "+ rate limit": lambda: {"rate_limit": _never_refusing()},
        "+ gate": lambda: {
            "rate_limit": _never_refusing(),
            "allowlist": Allowlist("github", ranges=["127.0.0.1"]),
        },
        "+ Redis rate limit": lambda: {"rate_limit": _redis_limit()},
        "+ journal": lambda: {"journal": journal},
        "sqlite guard": lambda: {"idempotency": guard},
        "sqlite guard + journal": lambda: {"idempotency": guard, "journal": journal},
    }
    return table[kind]()


def _redis_limit() -> Any:
    from hooksig.gate import RedisRateLimit

    return RedisRateLimit(
        REDIS_URL, name=f"bench-{uuid.uuid4().hex}", per_second=1e9, burst=10**9,
        in_flight=10**6, prefix="hooksig-bench:",
    )  # fmt: skip


async def _asgi_ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def _wsgi_ok(environ: Any, start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def app(interface: str, endpoint: Endpoint) -> Any:
    """The middleware of *interface* with one route, *endpoint*."""
    routes = {receivers.PATH: endpoint}
    if interface == "asgi":
        return AsgiMiddleware(_asgi_ok, routes)
    return WsgiMiddleware(_wsgi_ok, routes)


def measure(
    kinds: list[str], rounds: int, batch: int, tmp: Path
) -> dict[str, dict[str, list[float]]]:
    """Per middleware and contender, the microseconds per request of each round."""
    loop = asyncio.new_event_loop()
    rng = random.Random(16)
    results: dict[str, dict[str, list[float]]] = {}
    try:
        for interface, label in (("asgi", "ASGI middleware"), ("wsgi", "WSGI middleware")):
            runs: dict[str, tuple[Callable[[int], Any], asyncio.AbstractEventLoop | None]] = {}
            for kind in kinds:
                endpoint = Endpoint(receivers.verifier(), **options(kind, tmp))
                built = app(interface, endpoint)
                caller = (_asgi_caller if interface == "asgi" else _wsgi_caller)(
                    built, receivers.PATH
                )
                runs[kind] = (caller, loop if interface == "asgi" else None)
            for run, run_loop in runs.values():
                _timed(run, run_loop, max(batch // 10, 10))
            samples: dict[str, list[float]] = {kind: [] for kind in kinds}
            order = list(kinds)
            for _ in range(rounds):
                rng.shuffle(order)
                for kind in order:
                    run, run_loop = runs[kind]
                    samples[kind].append(_timed(run, run_loop, batch))
            results[label] = samples
            print(f"  measured {label}", file=sys.stderr)
    finally:
        loop.close()
    return results


def table(results: dict[str, dict[str, list[float]]], kinds: list[str]) -> str:
    """Markdown: one row per contender; per middleware the median, the ratio and the cost."""
    labels = list(results)
    lines = [
        "| contender | " + " | ".join(f"{label}: µs (x base), +µs" for label in labels) + " |",
        "| --- |" + " ---: |" * len(labels),
    ]
    for kind in kinds:
        cells = []
        for label in labels:
            samples = results[label]
            median = statistics.median(samples[kind])
            base = BASELINE.get(kind)
            if base is None:
                cells.append(f"{median:.1f}")
                continue
            extra = statistics.median(
                a - b for a, b in zip(samples[kind], samples[base], strict=True)
            )
            cells.append(f"{median:.1f} (x{ratio(samples[kind], samples[base]):.2f}), +{extra:.1f}")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=400)
    parser.add_argument("--quick", action="store_true", help="a smoke check: 3 rounds of 50")
    parser.add_argument("--no-redis", action="store_true", help="leave out the Redis limit")
    args = parser.parse_args(argv)
    rounds, batch = (3, 50) if args.quick else (args.rounds, args.batch)
    kinds = ["hooksig", "+ rate limit", "+ gate", "+ Redis rate limit", "+ journal",
             "sqlite guard", "sqlite guard + journal"]  # fmt: skip
    if args.no_redis:
        kinds.remove("+ Redis rate limit")
    with tempfile.TemporaryDirectory(prefix="hooksig-around-") as tmp:
        results = measure(kinds, rounds, batch, Path(tmp))
    print(header_block())
    print(f"{rounds} rounds of {batch} requests per contender, 1 KiB GitHub deliveries.\n")
    print(table(results, kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
