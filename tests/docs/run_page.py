"""
Run the Python blocks of one docs page in order, in one namespace, as a notebook would.

Started by ``test_code_blocks.py`` in a fresh interpreter, in a temporary
directory that is also on ``sys.path`` (for fixtures such as Django
settings), with the fixtures in its environment.  The blocks come as JSON
on standard input: ``[{"path": ..., "line": ..., "source": ...}, ...]``.
Each block is compiled under the page's path and line numbers, so a
traceback points into the page.  ``__name__`` is not ``"__main__"``: a
block's ``if __name__ == "__main__":`` part (starting a server) does not run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    """Run every block given on standard input."""
    sys.path.insert(0, str(Path.cwd()))
    namespace: dict[str, object] = {"__name__": "docs_example"}
    for block in json.load(sys.stdin):
        padded = "\n" * (block["line"] - 1) + block["source"]
        exec(compile(padded, block["path"], "exec"), namespace)  # noqa: S102 - the docs' examples


if __name__ == "__main__":
    main()
