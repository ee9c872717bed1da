"""Shared fixtures: a fixed clock, secrets, and the vector loader."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.vectors import load_vectors as _load_vectors

#: The fixed "now" of the suite: 2023-11-14T22:13:20Z.
NOW = 1_700_000_000
#: A 32-byte secret: long enough that no InsecureKeyWarning is raised.
SECRET = "hooksig-test-secret-0123456789ab"
#: A second secret of the same length, for rotation and wrong-key tests.
OTHER_SECRET = "hooksig-other-secret-0123456789a"


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
