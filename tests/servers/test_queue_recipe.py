"""The worker-queue recipe of docs/integrations/queue.md end to end: Flask, Redis, RQ."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
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
    # A burst worker exits once the queue is empty, but rq 3.0 stops its pub/sub
    # thread by waiting out a 60 s read now and then (redis-py 8's stop() joins it):
    # the test waits for the two jobs' results instead, then ends the worker.
    worker = subprocess.Popen(
        [sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", recipe["REDIS_URL"],
         "--path", str(QUEUE_DIR), recipe["QUEUE"]],
        env={**os.environ, **recipe},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        finished = _finished_jobs(recipe, worker)
    finally:
        worker.kill()
        output = worker.communicate(timeout=10)[0].decode(errors="replace")
    assert finished == ["done", "done"], output  # the second found the claim completed
    assert Path(recipe["WORK_LOG"]).read_text().splitlines() == [f"{ident} opened"]


def _finished_jobs(recipe: dict[str, str], worker: subprocess.Popen[bytes]) -> list[str]:
    """The results of the queue's jobs once none is left to run (within 60 s), failures failing."""
    import redis
    from rq import Queue

    connection = redis.Redis.from_url(recipe["REDIS_URL"])
    try:
        queue = Queue(recipe["QUEUE"], connection=connection)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert queue.failed_job_registry.count == 0, "a job failed"
            done = queue.finished_job_registry.get_job_ids()
            if len(done) == 2 and queue.count == 0:
                return [str(queue.fetch_job(job).return_value()) for job in done]
            assert worker.poll() in (None, 0), f"the worker exited with {worker.returncode}"
            time.sleep(0.05)
        pytest.fail("the worker did not finish the two jobs within 60 s")
    finally:
        connection.close()
