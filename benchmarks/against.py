"""
``verify()`` now against ``verify()`` at an earlier commit, in one process.

Run ``python benchmarks/against.py a67508c`` from a git checkout.  The
package at that commit is extracted from git into a temporary directory
under another name (``hooksig_then``: every ``hooksig`` word in it renamed),
so both versions load side by side.  Each provider's delivery is signed
once, verified by both versions in a new random order each round, and the
table gives the median of the per-round ratios now / then: under 1 is
faster.  Issue #12 asks for no slowdown against a67508c at any size.
"""

from __future__ import annotations

import argparse
import importlib
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Mapping
from io import BytesIO
from pathlib import Path
from types import ModuleType
from typing import Protocol

import _cases
from _common import header_block, interleaved, median, paired_ratio, size_label

import hooksig

PROVIDERS = ("github", "stripe", "shopify", "slack", "standard-webhooks")
SIZES = (256, 4096, 65536, 1048576)
SECRETS = {
    "stripe": _cases.STRIPE_SECRET,
    "standard-webhooks": _cases.SWH_SECRET,
    "slack": _cases.SLACK_SECRET,
}
ALIAS = "hooksig_then"


class Verifies(Protocol):
    """What both versions' ``Verifier`` offer here: ``verify(body, headers)``."""

    def verify(self, body: bytes, headers: Mapping[str, str], /) -> object: ...


def load_then(ref: str, into: Path) -> ModuleType:
    """The package at *ref*, renamed to :data:`ALIAS` and imported."""
    root = Path(__file__).resolve().parent.parent
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "src/hooksig"],
        cwd=root,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    package = into / ALIAS
    (into / "src" / "hooksig").rename(package)
    word = re.compile(r"\bhooksig\b")
    for path in package.rglob("*.py"):
        path.write_text(word.sub(ALIAS, path.read_text(encoding="utf-8")), encoding="utf-8")
    sys.path.insert(0, str(into))
    return importlib.import_module(ALIAS)


def table(then: ModuleType, providers: list[str], sizes: list[int], rounds: int) -> list[str]:
    """One markdown row per provider: now / then at each size."""
    rows = []
    for name in providers:
        secret = SECRETS.get(name, _cases.PLAIN_SECRET)
        ours, theirs = hooksig.Verifier(name, secret=secret), then.Verifier(name, secret=secret)
        cells = []
        for size in sizes:
            body = _cases.json_body(size)
            # Signed now for each case: a whole run outlasts the five-minute window.
            headers = dict(ours.sign(body, timestamp=int(time.time()), id="msg_1"))
            # Both accept the delivery, or the comparison means nothing.
            ours.verify(body, headers)
            theirs.verify(body, headers)

            # Defs, not lambdas, so that mypy can type them; the defaults bind this
            # case's verifier, body and headers.
            def now(o: Verifies = ours, b: bytes = body, h: dict[str, str] = headers) -> object:
                return o.verify(b, h)

            def then_(t: Verifies = theirs, b: bytes = body, h: dict[str, str] = headers) -> object:
                return t.verify(b, h)

            samples = interleaved(
                {"now": now, "then": then_},
                rounds=rounds,
                target_ns=2e6,
            )
            ratio = paired_ratio(samples["now"], samples["then"])
            cells.append(f"{ratio:.3f} ({median(samples['now']):,.0f} ns)")
            print(f"  {name} {size_label(size)}: {cells[-1]}", file=sys.stderr, flush=True)
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ref", nargs="?", default="a67508c", help="the commit to compare with")
    parser.add_argument("--providers", default=",".join(PROVIDERS))
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args(argv)
    providers = args.providers.split(",")
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as into:
        then = load_then(args.ref, Path(into))
        rows = table(then, providers, sizes, args.rounds)
    print(header_block())
    print(f"verify() now / at {args.ref}, median of {args.rounds} paired rounds, under 1 faster\n")
    print("| provider | " + " | ".join(size_label(size) for size in sizes) + " |")
    print("| --- |" + " ---: |" * len(sizes))
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
