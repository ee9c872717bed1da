"""
Verification speed: hooksig against the floor and the peers, per provider and body size.

Run ``python benchmarks/verify.py`` (or ``python benchmarks/run.py verify``).
Prints a Markdown table of median nanoseconds per verification and the
ratio to the floor of the same provider and size, then the targets of
issue #7 as met or missed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from typing import TextIO

import _cases
from _common import header_block, interleaved, median, paired_ratio, size_label

SIZES = (256, 4 * 1024, 64 * 1024, 1024 * 1024)


@dataclass
class Row:
    """One contender at one provider and size."""

    scheme: str
    size: int
    contender: str
    median_ns: float
    ratio: float


def run(
    providers: tuple[str, ...] = _cases.PROVIDERS,
    sizes: tuple[int, ...] = SIZES,
    *,
    rounds: int = 31,
    target_ns: float = 2e6,
    out: TextIO = sys.stdout,
) -> tuple[list[Row], list[str]]:
    """Measure every case; return the rows and the notes (missing providers, peers)."""
    rows: list[Row] = []
    notes: list[str] = []
    for name in providers:
        for size in sizes:
            case = _cases.build(name, size)
            _cases.check(case)
            contenders = {"floor": case.floor}
            if case.hooksig is not None:
                contenders["hooksig"] = case.hooksig
            contenders |= case.peers
            samples = interleaved(contenders, rounds=rounds, target_ns=target_ns)
            for label, values in samples.items():
                row = Row(name, size, label, median(values), paired_ratio(values, samples["floor"]))
                rows.append(row)
                print(
                    f"{name:<18} {size_label(size):>7} {label:<18} "
                    f"{row.median_ns:>12,.0f} ns  x{row.ratio:.3f}",
                    file=out,
                    flush=True,
                )
            for note in case.notes:
                if note not in notes:
                    notes.append(note)
    return rows, notes


def table(rows: list[Row]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| provider | body | verifier | median ns | x floor |",
        "| --- | ---: | --- | ---: | ---: |",
    ]
    for row in rows:
        name = f"**{row.contender}**" if row.contender == "hooksig" else row.contender
        lines.append(
            f"| {row.scheme} | {size_label(row.size)} | {name} | "
            f"{row.median_ns:,.0f} | {row.ratio:.3f} |"
        )
    return "\n".join(lines)


def targets(rows: list[Row], providers: tuple[str, ...]) -> list[str]:
    """Each target of issue #7, as ``MET``/``MISSED`` lines."""
    verdicts: list[str] = []
    by_case: dict[tuple[str, int], dict[str, Row]] = {}
    for row in rows:
        by_case.setdefault((row.scheme, row.size), {})[row.contender] = row
    for (scheme, size), found in by_case.items():
        ours = found.get("hooksig")
        if ours is None:
            verdicts.append(f"MISSING  {scheme} {size_label(size)}: hooksig not measured")
            continue
        if scheme not in _cases.ASYMMETRIC:
            bound = 1.3 if size <= 256 else (1.05 if size >= 64 * 1024 else None)
            if bound is not None:
                verdict = "MET     " if ours.ratio <= bound else "MISSED  "
                verdicts.append(
                    f"{verdict} {scheme} {size_label(size)}: x{ours.ratio:.3f} floor "
                    f"(target <= {bound})"
                )
        for label, peer in found.items():
            if label in ("floor", "hooksig"):
                continue
            verdict = "MET     " if ours.median_ns < peer.median_ns else "MISSED  "
            verdicts.append(
                f"{verdict} {scheme} {size_label(size)}: hooksig {ours.median_ns:,.0f} ns "
                f"vs {label} {peer.median_ns:,.0f} ns"
            )
    for name in providers:
        reason = _cases.missing_reason(name)
        if reason is not None:
            verdicts.append(f"MISSING  {name}: {reason}")
    return verdicts


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python benchmarks/verify.py [--quick] [--json PATH]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller batches")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per case (default 31)")
    parser.add_argument("--provider", action="append", help="only these providers")
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    providers = tuple(args.provider or _cases.PROVIDERS)
    rounds = args.rounds or (9 if args.quick else 31)
    target = 5e5 if args.quick else 2e6
    rows, notes = run(providers, rounds=rounds, target_ns=target)
    print("\n" + header_block() + "\n")
    print(table(rows))
    print()
    for note in notes:
        print(f"note: {note}")
    for line in targets(rows, providers):
        print(line)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump([row.__dict__ for row in rows], handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
