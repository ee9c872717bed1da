"""
Import cost: ``import hooksig`` against a bare ``import hmac, hashlib, base64``.

Each measurement is a fresh interpreter that times its own imports (so
interpreter start-up is left out); the two kinds alternate, and the medians
are compared.  hooksig is imported from a fresh copy of the package, twice
over: with its bytecode compiled, as ``pip install`` leaves it (the target),
and from source only, as a checkout under ``PYTHONDONTWRITEBYTECODE=1`` runs
it.  Also lists what ``import hooksig`` loaded: no provider module and no
extra may be among it (lazy loading).

Run ``python benchmarks/import_time.py``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TypedDict

from _common import median

import hooksig

BASE = "import hmac, hashlib, base64"
PROBE = """
import sys, time
before = set(sys.modules)
start = time.perf_counter_ns()
{imports}
elapsed = time.perf_counter_ns() - start
import json
print(json.dumps([elapsed, sorted(set(sys.modules) - before)]))
"""
#: Modules that must not be loaded by ``import hooksig``.
FORBIDDEN = ("hooksig.schemes.", "cryptography", "redis", "psycopg", "flask", "django", "fastapi")


def probe(imports: str, path: str) -> tuple[int, list[str]]:
    """Nanoseconds that *imports* took in a fresh interpreter, and the modules they loaded."""
    env = {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(imports=imports)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    elapsed, modules = json.loads(out)
    return int(elapsed), list(modules)


class ImportCost(TypedDict):
    """What :func:`run` returns: medians in milliseconds and the modules loaded."""

    base_ms: float
    hooksig_ms: float
    extra_ms: float
    modules: int
    hooksig_modules: list[str]
    forbidden: list[str]


def run(rounds: int = 41, *, compiled: bool = True) -> ImportCost:
    """Alternate both probes *rounds* times; return the medians and the loaded modules."""
    base: list[int] = []
    ours: list[int] = []
    loaded: list[str] = []
    with tempfile.TemporaryDirectory() as copy:
        shutil.copytree(Path(hooksig.__file__).parent, Path(copy) / "hooksig")
        if compiled:
            compileall.compile_dir(copy, quiet=1)
        for _ in range(rounds):
            base.append(probe(BASE, copy)[0])
            elapsed, loaded = probe(BASE + "\nimport hooksig", copy)
            ours.append(elapsed)
    extra = median(ours) - median(base)
    hooksig_modules = [m for m in loaded if m.startswith("hooksig")]
    forbidden = [m for m in loaded if m.startswith(FORBIDDEN)]
    return {
        "base_ms": median(base) / 1e6,
        "hooksig_ms": median(ours) / 1e6,
        "extra_ms": extra / 1e6,
        "modules": len(loaded),
        "hooksig_modules": hooksig_modules,
        "forbidden": forbidden,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python benchmarks/import_time.py [--rounds N]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rounds", type=int, default=41)
    args = parser.parse_args(argv)
    result = run(args.rounds)
    source = run(args.rounds, compiled=False)
    print(f"bare `{BASE}`: {result['base_ms']:.2f} ms (median of {args.rounds})")
    print(f"`{BASE}; import hooksig`: {result['hooksig_ms']:.2f} ms")
    print(
        f"import hooksig costs {result['extra_ms']:.2f} ms more (target <= 2 ms), bytecode compiled"
    )
    print(f"  and {source['extra_ms']:.2f} ms more from source only (no bytecode cache)")
    print(
        f"modules loaded by hooksig: {result['modules']} ({', '.join(result['hooksig_modules'])})"
    )
    print(f"forbidden modules loaded: {result['forbidden'] or 'none'}")
    met = result["extra_ms"] <= 2.0 and not result["forbidden"]
    print("MET" if met else "MISSED", "import target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
