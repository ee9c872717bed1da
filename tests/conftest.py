"""Shared fixtures (fixed clock, secrets, vector loader); applies the marks of tests/marks.py."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.marks import MARKS, path_marks, ruled_out
from tests.vectors import load_vectors as _load_vectors

#: The fixed "now" of the suite: 2023-11-14T22:13:20Z.
NOW = 1_700_000_000
#: A 32-byte secret: long enough that no InsecureKeyWarning is raised.
SECRET = "hooksig-test-secret-0123456789ab"
#: A second secret of the same length, for rotation and wrong-key tests.
OTHER_SECRET = "hooksig-other-secret-0123456789a"


def as_environ(headers: dict[str, str]) -> dict[str, Any]:
    """*headers* as a WSGI server puts them in the environ, among its other keys."""
    environ: dict[str, Any] = {"REQUEST_METHOD": "POST", "wsgi.input": io.BytesIO()}
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    return environ


@pytest.fixture
def now() -> int:
    """The fixed current time, in Unix seconds."""
    return NOW


@pytest.fixture
def clock() -> Callable[[], float]:
    """A clock frozen at :data:`NOW`."""
    return lambda: float(NOW)


@pytest.fixture
def secret() -> str:
    """A shared secret long enough not to warn."""
    return SECRET


@pytest.fixture
def secrets() -> list[str]:
    """Two secrets for rotation: the first signs, both verify."""
    return [SECRET, OTHER_SECRET]


@pytest.fixture
def load_vectors() -> Callable[[str], Any]:
    """The vector loader (``tests.vectors.load_vectors``), which fails on a missing file."""
    return _load_vectors


def pytest_configure(config: pytest.Config) -> None:
    """Register the path marks; in an xdist worker, leave the tests' own processes unmeasured."""
    for name, rule in MARKS.items():
        config.addinivalue_line("markers", f"{name}: {rule}")
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # coverage (patch = ["subprocess"] in pyproject.toml) measures this worker from its
        # first line.  The servers, CLIs and fuzzers its tests start stay untraced, as they
        # were without xdist: tracing would slow them, and time-boxed fuzzing most.
        os.environ.pop("COVERAGE_PROCESS_CONFIG", None)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave unimported a path whose every test ``-m`` deselects: its packages may be absent."""
    if path_marks(collection_path) & ruled_out(config.getoption("markexpr") or ""):
        return True
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give each test its path marks before ``-m`` selects (the mark plugin runs after this)."""
    for item in items:
        for mark in sorted(path_marks(item.path)):
            item.add_marker(mark)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """Under ``CI=true`` a skipped test fails: the suite runs whole or says why not."""
    report: pytest.TestReport = yield
    if report.skipped and not hasattr(report, "wasxfail") and os.environ.get("CI") == "true":
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where nothing may be: {report.longrepr}"
    return report


@pytest.fixture
def untraced() -> Iterator[None]:
    """
    Pause coverage's tracer around a test, when coverage is running.

    For the Hypothesis suites (``tests/properties``, the toolkit's strategies):
    tracing roughly doubled their CPU, most of the suite's, and every line they
    reach is also reached by a test under the gate (the contract suites, the
    vectors, the hostile inputs), so the 100% gate holds without them.
    """
    try:
        import coverage
    except ImportError:  # pragma: no cover - the dev group installs it
        yield
        return
    current = coverage.Coverage.current()
    if current is None:
        yield
        return
    current.stop()
    try:
        yield
    finally:
        current.start()
