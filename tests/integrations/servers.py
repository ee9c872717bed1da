"""Start real HTTP servers (uvicorn, gunicorn) on free loopback ports, for tests/integration."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: name -> (server, factory in tests.integrations.apps)
SERVERS: dict[str, tuple[str, str]] = {
    "uvicorn-fastapi": ("uvicorn", "fastapi_app"),
    "uvicorn-asgi": ("uvicorn", "asgi_app"),
    "gunicorn-wsgi": ("gunicorn", "wsgi_app"),
    "gunicorn-flask": ("gunicorn", "flask_app"),
    "gunicorn-django": ("gunicorn", "django_app"),
}


@dataclass
class Server:
    """A running server: its base URL and process."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command(name: str, port: int, workers: int = 2) -> list[str]:
    """The command line that serves *name* on *port*."""
    server, factory = SERVERS[name]
    target = f"tests.integrations.apps:{factory}"
    if server == "uvicorn":
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            target,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        f"{target}()",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "30",
        "--log-level",
        "warning",
    ]


def _wait_ready(port: int, process: subprocess.Popen[bytes], log: Path, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}):\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server not ready after {limit} s:\n{log.read_text()}")


@contextmanager
def serve(name: str, env: Mapping[str, str], tmp: Path, workers: int = 2) -> Iterator[Server]:
    """Run server *name* with *env* until the block ends; fail if it does not come up."""
    port = free_port()
    log = tmp / f"{name}-{port}.log"
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    with log.open("wb") as out:
        process = subprocess.Popen(
            command(name, port, workers),
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    try:
        _wait_ready(port, process, log, 30.0)
        yield Server(f"http://127.0.0.1:{port}", port, process, log)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


def postgres_dsn() -> str:
    """The DSN of the test PostgreSQL; skip (or fail under CI=true) when it is unreachable."""
    dsn = os.environ.get(
        "HOOKSIG_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5440/hooksig_test"
    )
    try:
        import psycopg

        with psycopg.connect(dsn, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure means "not reachable"
        message = (
            f"PostgreSQL at {dsn} is unreachable ({type(exc).__name__}); "
            "start it with scripts/servers.sh start"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return dsn


def ledger(path: Path) -> dict[str, int]:
    """Handler runs per delivery id, from a ledger file."""
    counts: dict[str, int] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            ident = line.split()[0]
            counts[ident] = counts.get(ident, 0) + 1
    return counts
