"""Every Python code block of docs/integrations runs as written, and its receiver answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ._docs_harness import blocks

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "docs" / "integrations").glob("*.md"))
CASES = [(page, index) for page in PAGES for index in range(len(blocks(page)))]


def run(page: Path, index: int, cwd: Path) -> dict[str, Any]:
    """Run one block through the harness in a fresh interpreter; return what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.integrations._docs_harness", str(page), str(index)],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(("page", "index"), CASES, ids=[f"{p.stem}-{i}" for p, i in CASES])
def test_block_runs_as_written(page: Path, index: int, tmp_path: Path) -> None:
    """The block runs in a fresh interpreter; a receiver it builds handles a delivery once."""
    result = run(page, index, tmp_path)
    replies = result.get("replies")
    if replies is None:
        return
    (first_status, _), (second_status, second_body) = replies
    assert 200 <= first_status < 300, replies
    assert 200 <= second_status < 300, replies
    if "Idempotency(" in blocks(page)[index]:  # a guarded receiver: the redelivery is not run
        assert second_body == "already handled", replies


def test_every_page_has_a_block() -> None:
    """Each framework page shows runnable code (so the test above covers it)."""
    for page in PAGES:
        if page.stem != "queue":
            assert blocks(page), page


def test_the_metrics_recipes_count() -> None:
    """The Prometheus and OpenTelemetry recipes count the two requests (unguarded) answered."""
    index = PAGES[[p.stem for p in PAGES].index("index")]
    found = {}
    for number, code in enumerate(blocks(index)):
        if "def count" in code:
            kind = "otel" if "opentelemetry" in code else "prometheus"
            found[kind] = run(index, number, ROOT)
    assert found["prometheus"]["prometheus"] == {"accepted": 2.0, "duplicate": None}
    otel = found["otel"]["otel"]
    assert [(attributes["outcome"], value) for _, attributes, value in otel] == [("accepted", 2)]
