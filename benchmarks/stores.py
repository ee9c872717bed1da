"""
Idempotency store throughput: hooksig's claim+complete against the backend's raw operation.

Run ``python benchmarks/stores.py`` with the servers up (``eval "$(bash
scripts/servers.sh start)"``; ``HOOKSIG_REDIS_URL``, ``HOOKSIG_POSTGRES_DSN``).
For each store and for 1 and 8 worker threads it measures, in the same run
and interleaved in a shuffled order each round:

- raw: two bare operations on the same backend, through the same driver and
  connection pool: ``SET key value NX PX`` on Redis, ``INSERT ... ON CONFLICT
  DO NOTHING`` on PostgreSQL, a plain ``INSERT`` on SQLite (same row shape,
  same pragmas, one connection per thread);
- store: ``store.claim()`` then ``store.complete()`` (what the guard does);
- guard: ``with guard.claim(key): pass``, key handling included.

Every key is fresh, so every claim succeeds.  Throughput is pairs per second
(one raw pair = two raw operations).  The ratio is the median over rounds of
store / raw (paired).  Target (issue #4): ratio >= 0.8 on each backend.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from _common import machine

from hooksig.idempotency import Idempotency, MemoryStore, PostgresStore, RedisStore, SQLiteStore

REDIS_URL = os.environ.get("HOOKSIG_REDIS_URL", "redis://127.0.0.1:6390/0")
POSTGRES_DSN = os.environ.get(
    "HOOKSIG_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5440/hooksig_test"
)
TARGET = 0.8

# A pair factory: given a worker id, return a function that does one pair on a fresh key.
PairFactory = Callable[[int], Callable[[], None]]


def throughput(factory: PairFactory, workers: int, seconds: float) -> float:
    """Pairs per second of ``workers`` threads each running pairs for ``seconds``."""
    counts = [0] * workers
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers + 1, timeout=60)
    stop = threading.Event()

    def work(n: int) -> None:
        try:
            pair = factory(n)
            pair()  # warm: connections opened, statements prepared
            barrier.wait()
            done = 0
            while not stop.is_set():
                pair()
                done += 1
            counts[n] = done
        except BaseException as error:
            errors.append(error)
            barrier.abort()
            stop.set()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        for thread in threads:
            thread.join(timeout=60)
        raise errors[0] if errors else RuntimeError("a worker did not start") from None
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return sum(counts) / (time.perf_counter() - started)


def _keys(run: str, worker: int) -> Callable[[], str]:
    # A fresh id per call: every measurement round starts on keys never used.
    counter, fresh = itertools.count(), uuid.uuid4().hex[:8]
    return lambda: f"{run}:{fresh}:{worker}:{next(counter)}"


def store_pair(store: Any, run: str) -> PairFactory:
    """claim() then complete() on a fresh key."""

    def factory(worker: int) -> Callable[[], None]:
        key = _keys(run, worker)

        def pair() -> None:
            k = key()
            claim = store.claim(k, 60.0)
            if not store.complete(k, claim.token, 60.0):
                raise AssertionError("complete refused")

        return pair

    return factory


def guard_pair(store: Any, run: str) -> PairFactory:
    """One guarded delivery on a fresh key."""
    guard = Idempotency(store, lease=60.0, retention=60.0)

    def factory(worker: int) -> Callable[[], None]:
        key = _keys(run, worker)

        def pair() -> None:
            with guard.claim(key()):
                pass

        return pair

    return factory


# -- raw operations -----------------------------------------------------------------


def redis_raw(client: Any, run: str) -> PairFactory:
    """Two bare SET NX PX on fresh keys."""

    def factory(worker: int) -> Callable[[], None]:
        key = _keys(run, worker)

        def pair() -> None:
            client.set(key(), "p:" + secrets.token_hex(16), nx=True, px=60_000)
            client.set(key(), "p:" + secrets.token_hex(16), nx=True, px=60_000)

        return pair

    return factory


def postgres_raw(pool: Any, table: str, run: str) -> PairFactory:
    """Two bare INSERT ... ON CONFLICT DO NOTHING, autocommit, from a pool."""
    from psycopg import sql

    insert = sql.SQL(
        "INSERT INTO {} (key, token, done, expires_at)"
        " VALUES (%s, %s, false, now() + interval '60 seconds') ON CONFLICT DO NOTHING"
    ).format(sql.Identifier(table))

    def factory(worker: int) -> Callable[[], None]:
        key = _keys(run, worker)

        def pair() -> None:
            for _ in range(2):
                with pool.connection() as conn:
                    conn.execute(insert, (key(), secrets.token_hex(16)))

        return pair

    return factory


def sqlite_raw(path: str, run: str) -> PairFactory:
    """Two bare INSERTs, autocommit, on a per-thread WAL connection."""

    def factory(worker: int) -> Callable[[], None]:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        key = _keys(run, worker)
        insert = "INSERT INTO raw (key, token, done, expires_at) VALUES (?, ?, 0, ?)"

        def pair() -> None:
            conn.execute(insert, (key(), secrets.token_hex(16), time.time() + 60))
            conn.execute(insert, (key(), secrets.token_hex(16), time.time() + 60))

        return pair

    return factory


# -- the run ---------------------------------------------------------------------------


@dataclass
class Row:
    """One store at one worker count."""

    store: str
    workers: int
    raw_op: str
    raw: float | None
    store_pairs: float
    guard_pairs: float
    ratio: float | None


def measure(
    name: str,
    raw_op: str,
    contenders: dict[str, PairFactory],
    workers: int,
    *,
    rounds: int,
    seconds: float,
) -> Row:
    """Interleave the contenders for ``rounds`` rounds; medians and the paired ratio."""
    samples: dict[str, list[float]] = {key: [] for key in contenders}
    order = list(contenders)
    for key in order:  # one discarded round: caches, WAL and pools settle
        throughput(contenders[key], workers, seconds / 2)
    for _ in range(rounds):
        order = order[1:] + order[:1]  # rotate, so no contender always runs first
        for key in order:
            samples[key].append(throughput(contenders[key], workers, seconds))
    raw = statistics.median(samples["raw"]) if "raw" in samples else None
    ratio = None
    if "raw" in samples:
        ratio = statistics.median(
            s / r for s, r in zip(samples["store"], samples["raw"], strict=True)
        )
    return Row(
        name,
        workers,
        raw_op,
        raw,
        statistics.median(samples["store"]),
        statistics.median(samples["guard"]),
        ratio,
    )


def _memory(rounds: int, seconds: float, tag: str) -> list[Row]:
    memory = MemoryStore(max_keys=10_000_000)
    rows = []
    for workers in (1, 8):
        contenders = {
            "store": store_pair(memory, f"m{workers}s{tag}"),
            "guard": guard_pair(memory, f"m{workers}g{tag}"),
        }
        rows.append(
            measure("MemoryStore", "-", contenders, workers, rounds=rounds, seconds=seconds)
        )
    return rows


def _sqlite(rounds: int, seconds: float, tag: str) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bench.db")
        store = SQLiteStore(path)
        setup = sqlite3.connect(path)
        setup.execute(
            "CREATE TABLE raw (key TEXT PRIMARY KEY, token TEXT NOT NULL,"
            " done INTEGER NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID"
        )
        setup.close()
        for workers in (1, 8):
            contenders = {
                "raw": sqlite_raw(path, f"s{workers}r{tag}"),
                "store": store_pair(store, f"s{workers}s{tag}"),
                "guard": guard_pair(store, f"s{workers}g{tag}"),
            }
            row = measure(
                "SQLiteStore", "INSERT", contenders, workers, rounds=rounds, seconds=seconds
            )
            rows.append(row)
        store.close()
    return rows


def _redis(rounds: int, seconds: float, tag: str) -> list[Row]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, max_connections=64)
    client.ping()
    prefix = f"hooksig-bench:{tag}:"
    store = RedisStore(client, prefix=prefix)
    rows = []
    for workers in (1, 8):
        contenders = {
            "raw": redis_raw(client, f"{prefix}raw{workers}"),
            "store": store_pair(store, f"s{workers}"),
            "guard": guard_pair(store, f"g{workers}"),
        }
        row = measure(
            "RedisStore", "SET NX PX", contenders, workers, rounds=rounds, seconds=seconds
        )
        rows.append(row)
    client.close()
    return rows


def _postgres(rounds: int, seconds: float, tag: str) -> list[Row]:
    from psycopg import sql
    from psycopg_pool import ConnectionPool

    table, raw_table = f"hooksig_bench_{tag}", f"hooksig_bench_raw_{tag}"
    rows = []
    kwargs = {"autocommit": True}
    with ConnectionPool(POSTGRES_DSN, min_size=8, max_size=8, kwargs=kwargs, open=True) as pool:
        pool.wait()
        store = PostgresStore(pool, table=table)
        store.claim("create-the-table", 1.0)
        with pool.connection() as conn:
            conn.execute(
                sql.SQL(
                    "CREATE TABLE {} (key text PRIMARY KEY, token text NOT NULL,"
                    " done boolean NOT NULL, expires_at timestamptz NOT NULL)"
                ).format(sql.Identifier(raw_table))
            )
        try:
            for workers in (1, 8):
                contenders = {
                    "raw": postgres_raw(pool, raw_table, f"r{workers}"),
                    "store": store_pair(store, f"s{workers}"),
                    "guard": guard_pair(store, f"g{workers}"),
                }
                raw_op = "INSERT ON CONFLICT DO NOTHING"
                rows.append(
                    measure(
                        "PostgresStore", raw_op, contenders, workers, rounds=rounds, seconds=seconds
                    )
                )
        finally:
            with pool.connection() as conn:
                for name in (table, raw_table):
                    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(name)))
    return rows


def run(rounds: int, seconds: float) -> tuple[list[Row], list[str]]:
    """Measure every store that is reachable; return the rows and any notes."""
    rows: list[Row] = []
    notes: list[str] = []
    tag = uuid.uuid4().hex[:8]
    rows += _memory(rounds, seconds, tag)
    rows += _sqlite(rounds, seconds, tag)
    for name, backend in (("RedisStore", _redis), ("PostgresStore", _postgres)):
        try:
            rows += backend(rounds, seconds, tag)
        except (ImportError, OSError) as error:
            notes.append(f"{name} not measured: {type(error).__name__}: server or driver missing")
        except Exception as error:
            if type(error).__module__.split(".")[0] not in ("redis", "psycopg", "psycopg_pool"):
                raise
            notes.append(f"{name} not measured: {type(error).__name__}: server not reachable")
    return rows, notes


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def table(rows: list[Row]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| store | workers | raw op (x2) | raw pairs/s | claim+complete pairs/s | ratio"
        " | guarded deliveries/s |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}"
        lines.append(
            f"| {row.store} | {row.workers} | {row.raw_op} | {_rate(row.raw)}"
            f" | {_rate(row.store_pairs)} | {ratio} | {_rate(row.guard_pairs)} |"
        )
    return "\n".join(lines)


def main() -> int:
    """Run the benchmark and print the table; exit 1 if a measured ratio misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (median)")
    parser.add_argument("--seconds", type=float, default=0.6, help="seconds per measurement")
    args = parser.parse_args()
    rows, notes = run(args.rounds, args.seconds)
    print(table(rows))
    print()
    facts = machine()
    print(f"- machine: {facts['cpu']}, {facts['cores']} cores, {facts['os']}, {facts['python']}")
    packages = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("hooksig", "redis", "psycopg", "psycopg-pool")
        if _installed(name)
    )
    print(f"- packages: {packages}; SQLite {sqlite3.sqlite_version}")
    for note in notes:
        print(f"- {note}")
    missed = [row for row in rows if row.ratio is not None and row.ratio < TARGET]
    for row in missed:
        print(f"- target missed: {row.store}, {row.workers} workers: {row.ratio:.2f} < {TARGET}")
    if not missed:
        print(f"- target met: every measured ratio >= {TARGET}")
    return 1 if missed else 0


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
