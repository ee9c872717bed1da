"""Fixtures for the CLI tests: run ``hooksig`` in-process, write captures, hold secrets."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hooksig.cli import main
from tests.conftest import SECRET


@dataclass(frozen=True)
class Result:
    """Exit code and output of one ``hooksig`` run."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """The standard output parsed as JSON."""
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def _secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every CLI test starts with the suite's secret in HOOKSIG_SECRET."""
    monkeypatch.setenv("HOOKSIG_SECRET", SECRET)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run ``hooksig ARGV`` in-process, with *stdin* bytes if given."""

    def _run(*argv: str, stdin: bytes | None = None) -> Result:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return _run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], str]:
    """Write a file under the test's directory and return its path."""

    def _write(name: str, data: bytes | str) -> str:
        path = tmp_path / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return str(path)

    return _write
