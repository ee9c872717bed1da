"""
Receiver speed (issue #13): each hooksig adapter against the bare route of its framework.

Run ``python benchmarks/receiver.py`` with the servers up (``eval "$(bash
scripts/servers.sh start)"``).  Two parts, each printing Markdown tables:

- ``inprocess``: the app called directly, as a server would call it (ASGI
  calls for FastAPI, and for FastAPI and Starlette behind the ASGI
  middleware; WSGI calls for
  Flask, Flask behind the WSGI middleware, and Django's WSGI handler), one
  1 KiB GitHub delivery per call with a fresh ``X-GitHub-Delivery``.  The
  contenders of one framework run in a new random order each round (201
  short rounds of 10 requests by default); the table gives the median
  microseconds per request and the median per-round ratio to the bare
  route (``--best`` adds the fastest round of each).
- ``servers``: every adapter on a real server, the ASGI ones (FastAPI, and
  FastAPI and Starlette behind the ASGI middleware) under uvicorn and the
  WSGI ones (Flask, Flask behind the WSGI middleware, Django) under gunicorn
  (gthread), one worker each (``--served`` picks), loaded by ``wrk``
  (``apt-get install -y wrk``) over 8 keep-alive connections; the servers on
  the first core and ``wrk`` on the second (``taskset``).  Every contender of
  a framework is up at once and loaded in turn, in a new random order each
  round (21 rounds of 1 s by default); the table gives the median requests
  per second and the median per-round ratio to the bare route.

Contenders (see ``_receivers.py``): ``bare``, ``handwritten``, ``minimal``,
``hooksig``, and hooksig with a guard on each store.  Every request must be answered
200, or the run stops: a refused delivery measures nothing.  ``--quick``
is a smoke check (61 rounds of 10 requests, the memory guard only; one
round per server).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib.util
import io
import itertools
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import _receivers as receivers
from _common import header_block

import hooksig

HERE = Path(__file__).resolve().parent
BODY = (b'{"action":"opened","number":1,"padding":"' + b"x" * 1024)[:1022] + b'"}'
assert len(BODY) == 1024
SIGNATURE = receivers.verifier().sign(BODY, id="x")["X-Hub-Signature-256"]
TARGETS = {"hooksig": 1.15, "memory": 1.25}
#: framework -> (kind of interface, factory)
FRAMEWORKS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "FastAPI": ("asgi", receivers.fastapi_app),
    "FastAPI + ASGI middleware": ("asgi", receivers.fastapi_asgi_app),
    "Starlette + ASGI middleware": ("asgi", receivers.starlette_app),
    "Flask": ("wsgi", receivers.flask_app),
    "Flask + WSGI middleware": ("wsgi", receivers.wsgi_app),
    "Django": ("wsgi", receivers.django_app),
}

_ids = itertools.count()


def _next_id() -> str:
    return f"bench-{os.getpid()}-{next(_ids)}"


# -- in-process -------------------------------------------------------------


def _asgi_caller(app: Any, path: str) -> Callable[[int], Any]:
    template = [
        (b"host", b"127.0.0.1"),
        (b"user-agent", b"GitHub-Hookshot/bench"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(BODY)).encode()),
        (b"x-github-event", b"pull_request"),
        (b"x-hub-signature-256", SIGNATURE.encode()),
    ]
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def run(n: int) -> None:
        for _ in range(n):
            scope = {
                "type": "http",
                "asgi": {"version": "3.0"},
                "http_version": "1.1",
                "method": "POST",
                "scheme": "http",
                "path": path,
                "raw_path": path.encode(),
                "query_string": b"",
                "root_path": "",
                "headers": [*template, (b"x-github-delivery", _next_id().encode())],
                "client": ("127.0.0.1", 50000),
                "server": ("127.0.0.1", 8000),
                "state": {},
            }
            await app(scope, receive, send)
        _check(statuses, path)

    return run


def _wsgi_caller(app: Any, path: str) -> Callable[[int], None]:
    statuses: list[int] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses.append(int(status[:3]))
        return None

    def run(n: int) -> None:
        for _ in range(n):
            environ = {
                "REQUEST_METHOD": "POST",
                "SCRIPT_NAME": "",
                "PATH_INFO": path,
                "QUERY_STRING": "",
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "8000",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": "127.0.0.1",
                "CONTENT_TYPE": "application/json",
                "CONTENT_LENGTH": str(len(BODY)),
                "HTTP_HOST": "127.0.0.1",
                "HTTP_USER_AGENT": "GitHub-Hookshot/bench",
                "HTTP_X_GITHUB_EVENT": "pull_request",
                "HTTP_X_HUB_SIGNATURE_256": SIGNATURE,
                "HTTP_X_GITHUB_DELIVERY": _next_id(),
                "wsgi.input": io.BytesIO(BODY),
                "wsgi.errors": sys.stderr,
                "wsgi.version": (1, 0),
                "wsgi.multithread": False,
                "wsgi.multiprocess": False,
                "wsgi.run_once": False,
                "wsgi.url_scheme": "http",
            }
            result = app(environ, start_response)
            for _chunk in result:
                pass
            close = getattr(result, "close", None)
            if close is not None:
                close()
        _check(statuses, path)

    return run


def _check(statuses: list[int], path: str) -> None:
    bad = [s for s in statuses if s != 200]
    statuses.clear()
    if bad:
        raise SystemExit(f"{path}: answered {sorted(set(bad))}, not 200: the run measures nothing")


def _timed(run: Callable[[int], Any], loop: asyncio.AbstractEventLoop | None, n: int) -> float:
    """Microseconds per request over *n* requests, the garbage collector paused."""
    gc.disable()
    try:
        started = time.perf_counter()
        if loop is None:
            run(n)
        else:
            loop.run_until_complete(run(n))
        return (time.perf_counter() - started) / n * 1e6
    finally:
        gc.enable()


def inprocess(
    kinds: list[str], rounds: int, batch: int, frameworks: list[str]
) -> dict[str, dict[str, list[float]]]:
    """Per framework and contender, the microseconds per request of each round."""
    results: dict[str, dict[str, list[float]]] = {}
    loop = asyncio.new_event_loop()
    rng = random.Random(13)
    try:
        for framework in frameworks:
            interface, factory = FRAMEWORKS[framework]
            runs: dict[str, tuple[Callable[[int], Any], asyncio.AbstractEventLoop | None]] = {}
            for kind in kinds:
                app = factory(kind)
                path = receivers.django_path(kind) if framework == "Django" else receivers.PATH
                if interface == "asgi":
                    runs[kind] = (_asgi_caller(app, path), loop)
                else:
                    runs[kind] = (_wsgi_caller(app, path), None)
            for run, run_loop in runs.values():
                _timed(run, run_loop, 200)  # warm: connections, caches
            samples: dict[str, list[float]] = {kind: [] for kind in kinds}
            order = list(kinds)
            for _ in range(rounds):
                rng.shuffle(order)
                for kind in order:
                    run, run_loop = runs[kind]
                    samples[kind].append(_timed(run, run_loop, batch))
            results[framework] = samples
            print(f"  measured {framework}", file=sys.stderr)
    finally:
        loop.close()
    return results


def ratio(samples: list[float], bare: list[float]) -> float:
    """The median over rounds of ``samples[i] / bare[i]``."""
    return statistics.median(a / b for a, b in zip(samples, bare, strict=True))


def best_ratio(samples: list[float], bare: list[float]) -> float:
    """The fastest round of each, divided: what each costs when nothing else runs."""
    return min(samples) / min(bare)


def table(
    results: dict[str, dict[str, list[float]]],
    kinds: list[str],
    cell: Callable[[float], str],
    *,
    best: bool = False,
) -> str:
    """
    Markdown: one row per contender, one column per framework, the median (x bare).

    With *best*, the fastest round of each instead, and the ratio of those.
    """
    frameworks = list(results)
    lines = [
        "| contender | " + " | ".join(frameworks) + " |",
        "| --- |" + " ---: |" * len(frameworks),
    ]
    for kind in kinds:
        cells = []
        for framework in frameworks:
            samples = results[framework]
            text = cell(min(samples[kind]) if best else statistics.median(samples[kind]))
            if kind != "bare":
                of = best_ratio if best else ratio
                text += f" (x{of(samples[kind], samples['bare']):.2f})"
            cells.append(text)
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# -- real servers -----------------------------------------------------------

WRK_SCRIPT = """
local counter = 0
local tid = 0
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
end
request = function()
  counter = counter + 1
  wrk.headers["X-GitHub-Delivery"] = string.format("%s-%d-%d", PREFIX, tid, counter)
  return wrk.format("POST", PATH, nil, BODY)
end
"""

#: Every adapter on the server its framework is deployed with: the server and the
#: ``_receivers`` factory that builds the app for a contender.
SERVED: dict[str, tuple[str, str]] = {
    "FastAPI (uvicorn)": ("uvicorn", "fastapi_app"),
    "FastAPI + ASGI middleware (uvicorn)": ("uvicorn", "fastapi_asgi_app"),
    "Starlette + ASGI middleware (uvicorn)": ("uvicorn", "starlette_app"),
    "Flask (gunicorn gthread)": ("gunicorn", "flask_app"),
    "Flask + WSGI middleware (gunicorn gthread)": ("gunicorn", "wsgi_app"),
    "Django (gunicorn gthread)": ("gunicorn", "django_app"),
}


def _pinned(core: int, command: list[str]) -> list[str]:
    """*command* on one core where the machine has two or more: the server and the
    load generator then never take turns on a core, which is most of the noise."""
    if (os.cpu_count() or 1) < 2 or shutil.which("taskset") is None:
        return command
    return ["taskset", "-c", str(core), *command]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def uvicorn_stack() -> tuple[str, str]:
    """
    uvicorn's HTTP parser and event loop: httptools and uvloop, as ``uvicorn[standard]``
    (and ``fastapi[standard]``) deploy it, where both are installed (the ``bench``
    group); else h11 and asyncio, whose own cost per request is twice as high and
    makes every contender's share look smaller.
    """
    if importlib.util.find_spec("httptools") and importlib.util.find_spec("uvloop"):
        return "httptools", "uvloop"
    return "h11", "asyncio"


@contextlib.contextmanager
def _serving(server: str, factory: str, kind: str, env: dict[str, str]) -> Iterator[int]:
    port = _free_port()
    if server == "uvicorn":
        http, loop = uvicorn_stack()
        command = [sys.executable, "-m", "uvicorn", "--factory", f"_receivers:{factory}",
                   "--app-dir", str(HERE), "--host", "127.0.0.1", "--port", str(port),
                   "--http", http, "--loop", loop,
                   "--workers", "1", "--no-access-log", "--log-level", "warning"]  # fmt: skip
    else:
        command = [sys.executable, "-m", "gunicorn", f"_receivers:{factory}()",
                   "--chdir", str(HERE), "--bind", f"127.0.0.1:{port}", "--workers", "1",
                   "--worker-class", "gthread", "--threads", "4",
                   "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(
        _pinned(0, command),
        env={**os.environ, **env, "HOOKSIG_BENCH_KIND": kind},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                error = process.stderr.read().decode() if process.stderr else ""
                raise SystemExit(f"{server} {kind} exited: {error}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.05)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):  # it exited: its error is on its way
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def _wrk(port: int, seconds: float, script: Path) -> float:
    out = subprocess.run(
        _pinned(
            1,
            [
                "wrk",
                "-t1",
                "-c8",
                f"-d{max(1, round(seconds))}s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
        ),
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk saw failed requests; the run measures nothing:\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None:
        raise SystemExit(f"no Requests/sec in wrk's output:\n{out}")
    return float(match.group(1))


def _wrk_script(directory: Path, prefix: str, path: str) -> Path:
    """A wrk script that posts the delivery to *path* with ids ``<prefix>-<thread>-<n>``."""
    script = directory / f"{prefix}.lua"
    script.write_text(
        f'PATH = "{path}"\nPREFIX = "{prefix}"\n'
        f"BODY = [[{BODY.decode()}]]\n"
        f'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["X-Hub-Signature-256"] = "{SIGNATURE}"\n' + WRK_SCRIPT
    )
    return script


def _load(directory: Path, port: int, path: str, name: str, seconds: float) -> float:
    """Requests per second from ``wrk`` posting deliveries with ids ``<name>-...`` to *path*."""
    return _wrk(port, seconds, _wrk_script(directory, name, path))


def servers(
    kinds: list[str], rounds: int, seconds: float, env: dict[str, str], served: list[str]
) -> dict[str, dict[str, list[float]]]:
    """
    Per served framework (named in `SERVED`) and contender, requests per second of each round.

    Every contender of a framework is served at once, each by its own server, and
    loaded in turn, in a new random order each round: the samples of one round are
    seconds apart, so the host's slower and faster minutes fall on both sides of a
    round's ratios (a server started per sample put half a minute between them).
    """
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    results: dict[str, dict[str, list[float]]] = {}
    rng = random.Random(13)
    with tempfile.TemporaryDirectory(prefix="hooksig-bench-") as tmp:
        for framework in served:
            server, factory = SERVED[framework]
            samples: dict[str, list[float]] = {kind: [] for kind in kinds}
            run = f"{framework[:5]}-{uuid.uuid4().hex[:8]}"
            with contextlib.ExitStack() as stack:
                ports: dict[str, int] = {}
                for kind in kinds:
                    sqlite = str(Path(tmp) / f"{run}-{kind}.db")
                    store_env = {**env, "HOOKSIG_BENCH_SQLITE": sqlite}
                    ports[kind] = stack.enter_context(_serving(server, factory, kind, store_env))

                # Django's one URLconf routes each contender at a path of its own.
                django = factory == "django_app"
                path = {k: receivers.django_path(k) if django else receivers.PATH for k in kinds}
                # Each load sends ids of its own, so that no delivery is a duplicate.
                for kind in kinds:
                    _load(Path(tmp), ports[kind], path[kind], f"{run}-{kind}-warm", 1)
                order = list(kinds)
                for round_ in range(rounds):
                    rng.shuffle(order)
                    for kind in order:
                        name = f"{run}-{kind}-{round_}"
                        samples[kind].append(
                            _load(Path(tmp), ports[kind], path[kind], name, seconds)
                        )
            results[framework] = samples
            print(f"  measured {framework}", file=sys.stderr)
    return results


# -- stores on the shared servers -------------------------------------------


@contextlib.contextmanager
def _store_environment(kinds: list[str]) -> Iterator[dict[str, str]]:
    """Unique Redis prefix and PostgreSQL table for this run; removed afterwards."""
    run = uuid.uuid4().hex[:10]
    env = {
        "HOOKSIG_BENCH_PREFIX": f"hooksig-bench-{run}:",
        "HOOKSIG_BENCH_TABLE": f"hooksig_bench_{run}",
    }
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        yield env
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if "redis" in kinds:
            import redis

            url = os.environ.get("HOOKSIG_REDIS_URL", "redis://127.0.0.1:6390/0")
            client = redis.Redis.from_url(url)
            keys = list(client.scan_iter(match=env["HOOKSIG_BENCH_PREFIX"] + "*", count=1000))
            for start in range(0, len(keys), 1000):
                client.delete(*keys[start : start + 1000])
            client.close()
        if "postgres" in kinds:
            import psycopg

            dsn = os.environ.get(
                "HOOKSIG_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5440/hooksig_test"
            )
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'DROP TABLE IF EXISTS "{env["HOOKSIG_BENCH_TABLE"]}"')


def main(argv: list[str] | None = None) -> None:
    """Run the parts asked for and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("part", nargs="?", choices=["all", "inprocess", "servers"], default="all")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke check: fewer, shorter rounds, no store but memory",
    )
    parser.add_argument("--kinds", default=None, help="contenders, bare first (default: all)")
    parser.add_argument(
        "--best",
        action="store_true",
        help="also the fastest round of each: on a loaded machine, with small batches, "
        "the cost when nothing else runs",
    )
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS), help="in process")
    parser.add_argument("--served", default=",".join(SERVED), help="on real servers")
    # Many short rounds: on a shared machine, a round of a few hundred microseconds is
    # seldom interrupted, and the paired ratios settle where long rounds scatter.
    parser.add_argument("--rounds", type=int, default=201)
    parser.add_argument("--batch", type=int, default=10, help="requests per in-process sample")
    # Servers too: many short rounds, each contender's sample a second from the others'.
    parser.add_argument("--server-rounds", type=int, default=21)
    parser.add_argument("--seconds", type=float, default=1.0, help="wrk seconds per sample")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.batch = min(args.rounds, 61), min(args.batch, 10)
        args.server_rounds, args.seconds = 1, min(args.seconds, 2.0)
    quick_kinds = ("bare", "handwritten", "hooksig", "memory")
    kinds = (args.kinds or ",".join(quick_kinds if args.quick else receivers.KINDS)).split(",")
    if kinds[0] != "bare":
        raise SystemExit("--kinds must start with bare: every ratio is to it")
    print(header_block())
    print(f"- hooksig {hooksig.__version__}, 1 KiB GitHub delivery, a fresh id per request\n")
    with _store_environment(kinds) as env:
        if args.part in ("all", "inprocess"):
            results = inprocess(kinds, args.rounds, args.batch, args.frameworks.split(","))
            print(f"### In process ({args.rounds} rounds of {args.batch} requests)\n")
            print(table(results, kinds, lambda us: f"{us:.1f} µs"))
            if args.best:
                print("\nThe fastest round of each (x the fastest bare round):\n")
                print(table(results, kinds, lambda us: f"{us:.1f} µs", best=True))
            print()
        if args.part in ("all", "servers"):
            served = servers(kinds, args.server_rounds, args.seconds, env, args.served.split(","))
            rounds = f"{args.server_rounds} rounds of {args.seconds:g} s"
            print(f"### Real servers, one worker, wrk -c8 ({rounds})\n")
            print("uvicorn with {} and {}; gunicorn gthread, 4 threads\n".format(*uvicorn_stack()))
            print(table(served, kinds, lambda rps: f"{rps:,.0f}/s"))


if __name__ == "__main__":
    main()
