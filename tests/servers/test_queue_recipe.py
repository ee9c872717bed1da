"""The worker-queue recipe of docs/integrations/queue.md end to end: Flask, Redis, RQ."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import hooksig
from tests.servers.support import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

QUEUE_DIR = ROOT / "examples" / "queue"
SECRET = "demo-secret-change-me-0123456789"


@pytest.fixture
def recipe(
    redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """The recipe's environment: this test's own queue and work log; its keys removed after."""
    env = {
        "REDIS_URL": redis_url,
        "QUEUE": f"hooksig-test-{uuid.uuid4().hex[:10]}",
        "WORK_LOG": str(tmp_path / "work.log"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.syspath_prepend(str(QUEUE_DIR))
    for module in ("app", "tasks"):
        sys.modules.pop(module, None)
    yield env
    for module in ("app", "tasks"):
        sys.modules.pop(module, None)
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        for pattern in ("hooksig-queue:*", f"rq:*{env['QUEUE']}*"):
            keys = list(client.scan_iter(match=pattern))
            if keys:
                client.delete(*keys)
    finally:
        client.close()


def test_the_worker_does_the_work_once(recipe: dict[str, str]) -> None:
    """Two copies of a delivery are queued; the worker runs the work once; a forgery is refused."""
    app = importlib.import_module("app").app
    client = app.test_client()
    verifier = hooksig.Verifier("github", secret=SECRET)
    body = b'{"action":"opened"}'
    ident = f"d-{uuid.uuid4().hex}"
    headers = verifier.sign(body, id=ident)
    for _ in range(2):  # the provider's redelivery is queued too
        response = client.post("/hooks/github", data=body, headers=headers)
        assert (response.status_code, response.data) == (202, b"queued")
    forged = {**headers, "X-Hub-Signature-256": "sha256=" + "0" * 64}
    assert client.post("/hooks/github", data=body, headers=forged).status_code == 403
    worker = subprocess.run(
        [sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", recipe["REDIS_URL"],
         "--path", str(QUEUE_DIR), recipe["QUEUE"]],
        env={**os.environ, **recipe},
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )  # fmt: skip
    assert worker.returncode == 0, worker.stderr
    assert Path(recipe["WORK_LOG"]).read_text().splitlines() == [f"{ident} opened"]
