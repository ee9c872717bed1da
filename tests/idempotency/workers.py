"""
Worker processes for the cross-process tests, and the helpers that drive them.

Run as a script, this module builds a store from a JSON spec and either
races for keys or claims one key and dies with ``os._exit`` while holding it.
The tests import `process_race`, `die_holding` and `stopped_lock_holder`
and never run it directly.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve()
_TIMEOUT = 90


def _build(spec: dict[str, Any]) -> Any:
    kind = spec["kind"]
    if kind == "sqlite":
        from hooksig.idempotency import SQLiteStore

        return SQLiteStore(spec["path"])
    if kind == "redis":
        from hooksig.idempotency import RedisStore

        return RedisStore(spec["url"], prefix=spec["prefix"])
    if kind == "postgres":
        from hooksig.idempotency import PostgresStore

        return PostgresStore(spec["dsn"], table=spec["table"], pool_size=2)
    raise ValueError(kind)


def _main(argv: list[str]) -> None:
    spec, mode = json.loads(argv[1]), argv[2]
    store = _build(spec)
    if mode == "race":
        keys = argv[3].split(",")
        store.claim("warm-up", 1.0)  # connect before the start line
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            os._exit(2)
        won = [key for key in keys if store.claim(key, 60.0).acquired]
        print(json.dumps({"won": won}), flush=True)
        store.close()
    elif mode == "die":
        claim = store.claim(argv[3], float(argv[4]))
        print(json.dumps({"token": claim.token}), flush=True)
        # No complete, no release, no cleanup: the worker vanishes mid-handler.
        os._exit(3)
    elif mode == "hold-lock":
        import sqlite3

        conn = sqlite3.connect(spec["path"], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        print(json.dumps({"locked": True}), flush=True)
        sys.stdin.readline()  # until the test lets go
        conn.execute("ROLLBACK")
    elif mode == "die-in-transaction":
        import sqlite3

        conn = sqlite3.connect(spec["path"], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM hooksig_claims")
        print(json.dumps({"locked": True}), flush=True)
        os._exit(4)
    else:
        raise ValueError(mode)


def _env() -> dict[str, str]:
    # The child must import the same hooksig as the parent, installed or not.
    import hooksig

    source = str(Path(hooksig.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
    return env


def _spawn(spec: dict[str, Any], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(_HERE), json.dumps(spec), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )


def process_race(spec: dict[str, Any], keys: list[str], processes: int = 8) -> Counter[str]:
    """Start ``processes`` workers, release them together, and count the winners per key."""
    procs = [_spawn(spec, "race", ",".join(keys)) for _ in range(processes)]
    try:
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line.strip() == "ready", (line, proc.stderr.read() if proc.stderr else "")
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        wins: Counter[str] = Counter()
        for proc in procs:
            out, err = proc.communicate(timeout=_TIMEOUT)
            assert proc.returncode == 0, err
            wins.update(json.loads(out)["won"])
        return wins
    finally:
        for proc in procs:
            if proc.poll() is None:  # pragma: no cover - only on a failure above
                proc.kill()
                proc.wait(timeout=10)


def die_holding(spec: dict[str, Any], key: str, lease: float) -> str:
    """Have a worker claim ``key`` and die holding it; return the dead worker's token."""
    proc = _spawn(spec, "die", key, str(lease))
    out, err = proc.communicate(timeout=_TIMEOUT)
    assert proc.returncode == 3, err
    token = json.loads(out)["token"]
    assert isinstance(token, str), out
    return token


@contextmanager
def stopped_lock_holder(spec: dict[str, Any]) -> Iterator[None]:
    """A worker that takes SQLite's write lock and is then stopped (SIGSTOP) for the block."""
    proc = _spawn(spec, "hold-lock")
    try:
        assert proc.stdout is not None
        assert json.loads(proc.stdout.readline()) == {"locked": True}
        proc.send_signal(signal.SIGSTOP)
        yield
    finally:
        proc.send_signal(signal.SIGCONT)
        _, err = proc.communicate("go\n", timeout=_TIMEOUT)
        assert proc.returncode == 0, err


def die_in_transaction(spec: dict[str, Any]) -> None:
    """Have a worker take SQLite's write lock and die inside the transaction."""
    proc = _spawn(spec, "die-in-transaction")
    out, err = proc.communicate(timeout=_TIMEOUT)
    assert proc.returncode == 4, err
    assert json.loads(out) == {"locked": True}


if __name__ == "__main__":
    _main(sys.argv)
