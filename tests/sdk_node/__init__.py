"""
Cross-checks against a provider's official Node.js SDK, for providers whose only
official webhook verifier is on npm.

Each provider has a folder ``tests/sdk_node/<provider>/`` with a pinned
``package.json`` + ``package-lock.json`` and a ``check.mjs`` that reads one JSON
request on stdin and writes one JSON answer on stdout.  ``scripts/node-sdks.sh``
installs them (the test command runs it).  A missing Node.js or an uninstalled
folder fails the test: it is never skipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

SDK_NODE = Path(__file__).resolve().parent


def run_sdk(provider: str, request: dict[str, Any]) -> Any:
    """Run ``tests/sdk_node/<provider>/check.mjs`` on *request* and return its JSON answer."""
    folder = SDK_NODE / provider
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not on PATH; the official-SDK cross-checks need it")
    if not (folder / "node_modules").is_dir():
        pytest.fail(f"tests/sdk_node/{provider} is not installed; run: bash scripts/node-sdks.sh")
    finished = subprocess.run(
        [node, "check.mjs"],
        cwd=folder,
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if finished.returncode != 0:
        pytest.fail(f"{provider} SDK check failed:\n{finished.stderr[-2000:]}")
    return json.loads(finished.stdout)
