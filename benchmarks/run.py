"""
Every benchmark of issue #7 in one command.

    python benchmarks/run.py [all|verify|import|memory|leak] [--quick]

``--quick`` runs fewer rounds (for a smoke check); the default is the full,
publishable run (several minutes on two cores).
"""

from __future__ import annotations

import argparse
import sys

import import_time
import memory
import timing_leak
import verify

PARTS = ("verify", "import", "memory", "leak")


def main(argv: list[str] | None = None) -> int:
    """Run the parts asked for, in order; exit 1 if the timing check finds a leak."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("parts", nargs="*", default="all", choices=("all", *PARTS))
    parser.add_argument("--quick", action="store_true", help="fewer rounds and samples")
    args = parser.parse_args(argv)
    # A default of "all" (a str, not a list: argparse checks it against the choices).
    parts = PARTS if args.parts == "all" or "all" in args.parts else tuple(args.parts)
    status = 0
    for part in parts:
        print(f"\n## {part}\n", flush=True)
        if part == "verify":
            verify.main(["--quick"] if args.quick else [])
        elif part == "import":
            import_time.main(["--rounds", "11" if args.quick else "41"])
        elif part == "memory":
            memory.main(["--size", "16" if args.quick else "100"])
        else:
            status |= timing_leak.main(["--quick"] if args.quick else [])
    return status


if __name__ == "__main__":
    sys.exit(main())
