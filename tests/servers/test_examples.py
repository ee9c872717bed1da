"""Each receiver in examples/ starts as its README says and answers a signed delivery once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.support import ROOT, free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

EXAMPLES = ["flask", "django", "fastapi", "starlette", "wsgi"]


@pytest.fixture(params=EXAMPLES)
def example(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The example started in a scratch directory (its SQLite file lands there); its URL."""
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "examples" / request.param / "app.py")],
            cwd=tmp_path,
            env={**os.environ, "PORT": str(port), "PYTHONPATH": str(ROOT / "src")},
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/hooks/github"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)


def send(url: str, ident: str, **env: str) -> str:
    """Run examples/send.py as its README says; return what it printed."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "send.py"), url, ident],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout.strip()


def test_example_answers_once(example: str) -> None:
    """Genuine: 200; the same delivery again: 200 already handled; a wrong secret: 403."""
    first = send(example, "example-1")
    assert first.startswith("200 ")
    assert "already handled" not in first
    assert send(example, "example-1") == "200 already handled"
    forged = send(example, "example-2", HOOKSIG_GITHUB_SECRET="wrong-secret-0123456789abcdef")
    assert forged == "403 forbidden"
