"""Starlette's TestClient, imported once with its "use httpx2" deprecation silenced.

Starlette 1.x prefers the ``httpx2`` package and warns when it falls back to
``httpx`` (which the test group installs); the client works the same with both.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

__all__ = ["TestClient"]
