"""The Python blocks of the pages around the receiver run as written, against a real Redis."""

from __future__ import annotations

from typing import Any

import pytest

import hooksig
from tests.integrations._docs_harness import blocks
from tests.servers.support import ROOT, RedisServer

pytestmark = pytest.mark.integration

PAGES = ["allowlists", "https", "rate-limits", "journal", "reconcile", "production"]
SECRET = "docs-github-secret-0123456789abcdef"


def run_block(code: str, redis_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Run one block in a fresh namespace, with the environment the page expects."""
    monkeypatch.setenv("HOOKSIG_REDIS_URL", redis_url)
    monkeypatch.setenv("GITHUB_WEBHOOK_SECRET", SECRET)
    namespace: dict[str, Any] = {"__name__": "docs_block"}
    exec(compile(code, "<docs>", "exec"), namespace)  # noqa: S102 - the docs' own code
    return namespace


def test_every_python_block_runs(
    throwaway_redis: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page's python blocks run as written (a throwaway Redis: the defaults' keys)."""
    ran = 0
    for page in PAGES:
        for code in blocks(ROOT / "docs" / f"{page}.md"):
            run_block(code, throwaway_redis.url, monkeypatch)
            ran += 1
    assert ran >= 2


def test_the_production_endpoint_answers_as_the_checklist_says(
    throwaway_redis: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checklist's endpoint: GitHub's address through the proxy, over HTTPS, once."""
    from tests.integrations._testclient import TestClient

    [code] = blocks(ROOT / "docs" / "production.md")
    namespace = run_block(code, throwaway_redis.url, monkeypatch)
    verifier = hooksig.Verifier("github", secret=SECRET)
    body = b'{"zen":"Keep it logically awesome."}'
    headers = verifier.sign(body, id="docs-1")
    proxied = {**headers, "X-Forwarded-For": "140.82.115.9", "X-Forwarded-Proto": "https"}
    outsider = {**proxied, "X-Forwarded-For": "203.0.113.5"}
    plain = {**headers, "X-Forwarded-For": "140.82.115.9"}
    guard_store = namespace["verified"].endpoint.idempotency.store
    with TestClient(namespace["app"], client=("10.0.0.2", 4000)) as client:
        first = client.post("/hooks/github", content=body, headers=proxied)
        again = client.post("/hooks/github", content=body, headers=proxied)
        refused = [client.post("/hooks/github", content=body, headers=h) for h in (outsider, plain)]
        client.portal.call(guard_store.aclose)  # the example's store, closed on its loop
    assert (first.status_code, first.json()) == (200, {"ok": True})
    assert (again.status_code, again.text) == (200, "already handled")
    assert [r.status_code for r in refused] == [403, 403]
