"""
The one loader of test vectors: JSON files under ``tests/vectors/``.

A missing or unreadable vector file *fails* the run; it is never skipped
(STYLE.md point 18), so a vector set cannot silently drop out of CI.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

VECTORS = Path(__file__).resolve().parent

_F = TypeVar("_F", bound=Callable[..., object])


def load_vectors(name: str) -> Any:
    """Return the parsed JSON of ``tests/vectors/<name>``; fail the test run if it is missing."""
    path = VECTORS / name
    if not path.is_file():
        pytest.fail(f"vector file tests/vectors/{name} is missing; see tests/vectors/README.md")
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def provider_vector(provider: str) -> dict[str, Any]:
    """Return the one entry of ``providers/provider-vectors.json`` named *provider*."""
    found = [
        v for v in load_vectors("providers/provider-vectors.json") if v["provider"] == provider
    ]
    if len(found) != 1:
        pytest.fail(f"expected exactly one provider vector named {provider!r}, found {len(found)}")
    vector: dict[str, Any] = found[0]
    return vector


def wycheproof_cases(name: str) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Yield ``(group, test)`` for every test of a Wycheproof file."""
    for group in load_vectors(f"wycheproof/{name}")["testGroups"]:
        for test in group["tests"]:
            yield group, test


def wycheproof(
    name: str, where: Callable[[dict[str, Any]], bool] = lambda group: True
) -> Callable[[_F], _F]:
    """
    Parametrise a test over ``(group, test)`` of a Wycheproof file, one id per ``tcId``.

    *where* keeps only the groups it accepts; a filter that keeps nothing fails.
    """
    cases = [(group, test) for group, test in wycheproof_cases(name) if where(group)]
    if not cases:
        pytest.fail(f"wycheproof/{name} holds no tests")
    return pytest.mark.parametrize(
        ("group", "test"), cases, ids=[f"tc{test['tcId']}" for _, test in cases]
    )
