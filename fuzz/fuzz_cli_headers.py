"""
Fuzz the parser of a captured request: ``hooksig verify --headers-file`` (``cli._parse_headers``).

The file holds any bytes; the result must be ``(name, value)`` pairs that the
headers view accepts or refuses with a :class:`~hooksig.WebhookError`, or the
CLI's usage error (exit code 2), never another exception.

    python fuzz/fuzz_cli_headers.py fuzz/corpus/fuzz_cli_headers -max_total_time=3600
"""

from __future__ import annotations

import contextlib
import os
import tempfile

from _fuzzlib import main

import hooksig
from hooksig import cli

_FD, _PATH = tempfile.mkstemp(prefix="hooksig-fuzz-headers-")
os.close(_FD)


def test_one_input(data: bytes) -> None:
    """Parse *data* as a headers file and as ``-H`` arguments."""
    with open(_PATH, "wb") as handle:
        handle.write(data)
    items = data.decode("utf-8", "replace").split("\n")[:8]
    for args in (([], _PATH), (items, None)):
        try:
            pairs = cli._parse_headers(*args)
        except cli._UsageError:
            continue
        if not all(isinstance(n, str) and isinstance(v, str) for n, v in pairs):
            raise AssertionError("_parse_headers returned a pair that is not two strings")
        with contextlib.suppress(hooksig.WebhookError):
            hooksig.Headers(pairs)


if __name__ == "__main__":
    main(test_one_input)
