"""
Real servers for the tests in tests/servers: the shared ones, throwaway ones, and HTTP servers.

The shared Redis and PostgreSQL come from ``scripts/servers.sh start``
(``HOOKSIG_REDIS_URL``, ``HOOKSIG_POSTGRES_DSN``); `unreachable` is the one
rule for a server that is not there: fail under ``CI=true``, skip elsewhere.
`RedisServer` and `PostgresCluster` are private servers on a free loopback
port, for tests that stop a server mid-run without disturbing the shared
ones.  `serve` runs the receivers of ``tests.integrations.apps`` under
uvicorn or gunicorn.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from hooksig.errors import StoreUnavailable
from hooksig.idempotency import Store

REDIS_URL = os.environ.get("HOOKSIG_REDIS_URL", "redis://127.0.0.1:6390/0")
POSTGRES_DSN = os.environ.get(
    "HOOKSIG_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5440/hooksig_test"
)
_HINT = 'start the servers with: eval "$(bash scripts/servers.sh start)"'


def unreachable(what: str, detail: object) -> NoReturn:
    """Fail under CI=true, skip elsewhere: a missing server is never silently passed."""
    message = f"{what} is not available ({detail}); {_HINT}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll ``condition`` every 50 ms for at most ``seconds``; fail if it never holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out after {seconds}s waiting for {what}")


#: How long a store on a live server may take to answer its first call in time.
WARM_UP_SECONDS = 10.0


def claims(store: Store, key: str) -> bool:
    """Whether *key* was claimed; False when the store did not answer in time."""
    try:
        return store.claim(key, 30.0).acquired
    except StoreUnavailable:
        return False


def warm(store: Store) -> None:
    """
    Wait until *store* answers a claim within its timeout.

    A store's first call opens a connection and creates its table: on a loaded
    two-core machine that can outlast the short timeouts the outage and stall
    tests use, with nothing wrong.  So the store is warmed with throwaway keys
    (a claim that timed out may still land, so no key is used twice), for at
    most `WARM_UP_SECONDS`.
    """
    wait_until(
        lambda: claims(store, f"warm-{uuid.uuid4().hex[:8]}"),
        WARM_UP_SECONDS,
        "the live server to answer in time",
    )


async def warm_async(store: Store) -> None:
    """`warm` through the asyncio claim."""
    deadline = time.monotonic() + WARM_UP_SECONDS
    while True:
        try:
            await store.claim_async(f"warm-{uuid.uuid4().hex[:8]}", 30.0)
            return
        except StoreUnavailable:
            assert time.monotonic() < deadline, "the live server never answered in time"


def claimed_when_warm(store: Store, key: str) -> str:
    """Claim *key* on a live server, once the store is `warm`, and return the token."""
    warm(store)
    token = store.claim(key, 30.0).token
    assert token is not None
    return token


async def claimed_when_warm_async(store: Store, key: str) -> str:
    """`claimed_when_warm` through the asyncio claim."""
    await warm_async(store)
    token = (await store.claim_async(key, 30.0)).token
    assert token is not None
    return token


def free_port() -> int:
    """A loopback TCP port that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_keys(url: str, prefix: str) -> list[str]:
    """Every key under ``prefix`` (without it), read with SCAN."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        return [key.decode("utf-8")[len(prefix) :] for key in client.scan_iter(match=prefix + "*")]
    finally:
        client.close()


def postgres_keys(dsn: str, table: str) -> list[str]:
    """Every key in ``table``."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn, autocommit=True) as conn:
        query = sql.SQL("SELECT key FROM {}").format(sql.Identifier(table))
        return [row[0] for row in conn.execute(query)]


# -- throwaway servers that a test may stop and start ------------------------------


class RedisServer:
    """A private redis-server with append-only persistence, killed and restarted at will."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            unreachable("redis-server", "not on PATH")
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def _ping(self) -> bool:
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        """Start (or restart) on the same port and data directory."""
        # Every acknowledged write reaches the disk before the reply, so a
        # SIGKILL loses nothing a client was told had happened.
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port),
             "--save", "", "--appendonly", "yes", "--appendfsync", "always",
             "--dir", str(self.directory), "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._ping, 15, "the throwaway redis-server to answer")

    def kill(self) -> None:
        """Stop abruptly, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.resume()
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=15)
        self.process = None

    def pause(self) -> None:
        """SIGSTOP the server: connections stay open and nothing answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT the server."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def wait_answering(self) -> None:
        """Wait until the server answers again: a resumed server first works off its backlog."""
        wait_until(self._ping, 15, "the resumed redis-server to answer")


def _pg_binary(name: str) -> str:
    # Debian keeps the server binaries out of PATH; take the newest version.
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    found = shutil.which(name) or next(iter(candidates), None)
    if found is None:
        unreachable(f"PostgreSQL's {name}", "not on PATH")
    return found


class PostgresCluster:
    """A private PostgreSQL cluster, stopped (immediately, as a crash) and started at will."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = _pg_binary("initdb"), _pg_binary("pg_ctl")
        # Under /tmp, not $TMPDIR: the postgres user must be able to reach it.
        base = "/tmp" if os.path.isdir("/tmp") else None
        self.root = Path(tempfile.mkdtemp(prefix="hooksig-pg-", dir=base))
        self.data = self.root / "data"
        self.port = free_port()
        self.dsn = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        # PostgreSQL refuses to run as root: as root, run it as `postgres`.
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            try:
                shutil.chown(self.root, user="postgres")
            except (LookupError, PermissionError) as error:
                unreachable("the postgres OS user (scripts/servers.sh creates it)", error)
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.prefix, *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )

    def _ready(self) -> bool:
        import psycopg

        try:
            psycopg.connect(self.dsn, connect_timeout=1).close()
        except psycopg.Error:
            return False
        return True

    def init(self) -> None:
        """Create the cluster (trust authentication, loopback only)."""
        self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-locale", "--no-sync")  # fmt: skip

    def start(self) -> None:
        """Start (or restart) the server and wait until it accepts connections."""
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root}"
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                  "-t", "60", "-o", options, "start")  # fmt: skip
        wait_until(self._ready, 30, "the throwaway PostgreSQL to accept connections")

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server; ``immediate`` skips the shutdown checkpoint, like a crash."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def remove(self) -> None:
        """Stop the server and delete the cluster."""
        self.resume()
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def _postmaster(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _children(self, parent: int) -> list[int]:
        # Linux: a process's parent is the 4th field of /proc/<pid>/stat, after the name.
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                with contextlib.suppress(OSError):
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                        found.append(int(entry))
        return found

    def pause(self) -> None:
        """SIGSTOP the postmaster, then every backend: the whole server stops answering."""
        postmaster = self._postmaster()
        assert postmaster is not None, "the cluster is not running"
        os.kill(postmaster, signal.SIGSTOP)  # first, so that it forks nothing more
        for pid in self._children(postmaster):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT every process of the server; harmless when it is not paused."""
        postmaster = self._postmaster()
        if postmaster is None:
            return
        for pid in [*self._children(postmaster), postmaster]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def wait_answering(self) -> None:
        """Wait until the server accepts connections again after a pause."""
        wait_until(self._ready, 30, "the resumed PostgreSQL to accept connections")


@contextmanager
def private_postgres() -> Iterator[PostgresCluster]:
    """A running private PostgreSQL cluster for the block; removed afterwards."""
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        unreachable("the psycopg package", error)
    cluster = PostgresCluster()
    try:
        try:
            cluster.init()
            cluster.start()
        except (OSError, subprocess.SubprocessError) as error:
            unreachable("a throwaway PostgreSQL cluster", error)
        yield cluster
    finally:
        cluster.remove()


ROOT = Path(__file__).resolve().parents[2]

#: name -> (server, factory in tests.integrations.apps)
SERVERS: dict[str, tuple[str, str]] = {
    "uvicorn-fastapi": ("uvicorn", "fastapi_app"),
    "uvicorn-asgi": ("uvicorn", "asgi_app"),
    "gunicorn-wsgi": ("gunicorn", "wsgi_app"),
    "gunicorn-flask": ("gunicorn", "flask_app"),
    "gunicorn-django": ("gunicorn", "django_app"),
}
#: The ASGI receivers again, under uvicorn as ``uvicorn[standard]`` deploys it:
#: httptools parses HTTP and uvloop runs the loop, where SERVERS' uvicorn runs h11 on
#: asyncio.  Another parser frames bodies and reports disconnects its own way, and
#: another loop times out reads and store calls its own way: the modules that test
#: those (bodies, inputs, stalls) run these too.
STANDARD_UVICORN: dict[str, tuple[str, str]] = {
    "uvicorn-standard-fastapi": ("uvicorn", "fastapi_app"),
    "uvicorn-standard-asgi": ("uvicorn", "asgi_app"),
}
#: Every server a name can start.
ALL_SERVERS = {**SERVERS, **STANDARD_UVICORN}


#: How long a server may take to answer after it starts (imports on a loaded machine).
READY_SECONDS = 60.0


@dataclass
class Server:
    """A running server: its base URL and process."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path


def command(
    name: str, port: int, workers: int = 2, module: str = "tests.integrations.apps"
) -> list[str]:
    """The command line that serves *name* (its factory in *module*) on *port*."""
    server, factory = ALL_SERVERS[name]
    target = f"{module}:{factory}"
    if server == "uvicorn":
        # Named, not left to uvicorn's "auto", which takes httptools and uvloop
        # wherever they are installed: each entry runs the stack it says.
        http, loop = ("httptools", "uvloop") if name in STANDARD_UVICORN else ("h11", "asyncio")
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
            # hooksig reads forwarding headers itself, through a ProxyChain
            # (docs/allowlists.md): uvicorn must not rewrite the client first.
            "--no-proxy-headers",
            "--http",
            http,
            "--loop",
            loop,
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
        "--config",
        "python:tests.servers.gunicorn_ready",
    ]


def _wait_ready(
    port: int, process: subprocess.Popen[bytes], log: Path, ready: Path, workers: int
) -> None:
    """
    Wait until the server answers: its port is open and *workers* processes have
    marked themselves ready in *ready* (gunicorn's, through
    `tests.servers.gunicorn_ready`; uvicorn loads its app before it listens, so 0).
    Bounded by `READY_SECONDS`.
    """
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}):\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                pass
        except OSError:
            time.sleep(0.05)
            continue
        if sum(1 for _ in ready.iterdir()) >= workers:
            return
        time.sleep(0.05)
    raise RuntimeError(f"server not ready after {READY_SECONDS} s:\n{log.read_text()}")


@contextmanager
def serve(
    name: str,
    env: Mapping[str, str],
    tmp: Path,
    workers: int = 2,
    module: str = "tests.integrations.apps",
) -> Iterator[Server]:
    """Run server *name* (its factory in *module*) with *env*; fail if it does not come up."""
    port = free_port()
    log = tmp / f"{name}-{port}.log"
    ready = tmp / f"{name}-{port}.ready"
    ready.mkdir()
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT), "HOOKSIG_E2E_READY": str(ready)}
    with log.open("wb") as out:
        process = subprocess.Popen(
            command(name, port, workers, module),
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    try:
        marked = workers if ALL_SERVERS[name][0] == "gunicorn" else 0
        _wait_ready(port, process, log, ready, marked)
        yield Server(f"http://127.0.0.1:{port}", port, process, log)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


def ledger(path: Path) -> dict[str, int]:
    """Handler runs per delivery id, from a ledger file."""
    counts: dict[str, int] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            ident = line.split()[0]
            counts[ident] = counts.get(ident, 0) + 1
    return counts
