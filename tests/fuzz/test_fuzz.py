"""The fuzz harnesses in the suite: every corpus input replayed, and a bounded libFuzzer run."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "fuzz"
CORPUS = FUZZ / "corpus"
HARNESSES = ("fuzz_parse", "fuzz_verify", "fuzz_cli_headers")
#: libFuzzer time per harness in the smoke run (fuzz/README.md runs the long campaigns).
SMOKE_SECONDS = 2
SMOKE_RUNS = 200_000


@pytest.fixture(scope="module", autouse=True)
def _fuzz_on_path() -> Iterator[None]:
    """Make the harness modules importable, as ``python fuzz/<harness>.py`` would."""
    sys.path.insert(0, str(FUZZ))
    yield
    sys.path.remove(str(FUZZ))


def harness(name: str) -> Callable[[bytes], None]:
    """The ``test_one_input`` function of the harness module *name*."""
    module = importlib.import_module(name)
    function: Callable[[bytes], None] = module.test_one_input
    return function


def corpus_inputs() -> list[tuple[str, Path]]:
    """Every kept input, seeds and crash regressions alike, with its harness."""
    return [(name, path) for name in HARNESSES for path in sorted((CORPUS / name).iterdir())]


def test_every_harness_has_a_corpus() -> None:
    """Each harness keeps a corpus directory with at least one input."""
    for name in HARNESSES:
        assert any((CORPUS / name).iterdir()), name


@pytest.mark.parametrize(
    ("name", "path"), corpus_inputs(), ids=lambda v: v.name if isinstance(v, Path) else v
)
def test_replay_corpus(name: str, path: Path) -> None:
    """A kept input (seed or past crash) runs through its harness without failing."""
    harness(name)(path.read_bytes())


def test_cli_headers_crash_regression() -> None:
    """The non-UTF-8 headers file the fuzzer found ends in a usage error, not a traceback."""
    crashes = sorted((CORPUS / "fuzz_cli_headers").glob("crash-*"))
    assert crashes
    for path in crashes:
        harness("fuzz_cli_headers")(path.read_bytes())


def _atheris_available() -> bool:
    try:
        importlib.import_module("atheris")
    except ImportError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.parametrize("name", HARNESSES)
def test_fuzz_smoke(name: str, tmp_path: Path) -> None:
    """A bounded libFuzzer run (atheris; Hypothesis if absent) of the harness finds no crash."""
    if not _atheris_available():
        _hypothesis_smoke(harness(name))
        return
    result = subprocess.run(
        [
            sys.executable,
            str(FUZZ / f"{name}.py"),
            str(tmp_path),  # new inputs go here; the kept corpus is read only
            str(CORPUS / name),
            f"-runs={SMOKE_RUNS}",
            f"-max_total_time={SMOKE_SECONDS}",
            f"-artifact_prefix={tmp_path}/",
            "-print_final_stats=1",
        ],
        capture_output=True,
        text=True,
        # A hang guard: on a loaded two-core machine the start alone can take a minute.
        timeout=SMOKE_SECONDS * 4 + 140,
        check=False,
    )
    crashes = sorted(tmp_path.glob("crash-*")) + sorted(tmp_path.glob("timeout-*"))
    assert not crashes, f"{name} found a crash; keep it in fuzz/corpus/{name}/"
    assert result.returncode == 0, f"{name} failed:\n{result.stderr[-3000:]}"


def _hypothesis_smoke(function: Callable[[bytes], None]) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=512))
    def run(data: bytes) -> None:
        function(data)

    run()
