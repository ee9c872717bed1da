"""
Run the Python blocks of docs pages, each page in order in a namespace of its own.

Started by ``test_docs_code_blocks.py`` in a fresh interpreter, in a temporary
directory that is also on ``sys.path`` (for fixtures such as Django
settings), with the fixtures in its environment.  The pages come as JSON on
standard input, each a list of blocks: ``[[{"path": ..., "line": ...,
"source": ...}, ...], ...]``.  A page's blocks share one namespace, as a
notebook's cells do; each block is compiled under the page's path and line
numbers, so a traceback points into the page.  ``__name__`` is not
``"__main__"``: a block's ``if __name__ == "__main__":`` part (starting a
server) does not run.  Every page runs; the exit status is 1 if any failed.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path


def run(page: list[dict[str, object]]) -> None:
    """Run one page's blocks in order, in a namespace of its own."""
    namespace: dict[str, object] = {"__name__": "docs_example"}
    for block in page:
        padded = "\n" * (int(str(block["line"])) - 1) + str(block["source"])
        exec(compile(padded, str(block["path"]), "exec"), namespace)  # noqa: S102 - the docs' examples


def main() -> None:
    """Run every page given on standard input."""
    sys.path.insert(0, str(Path.cwd()))
    failed = 0
    for page in json.load(sys.stdin):
        try:
            run(page)
        except Exception:  # reported, and the run fails
            failed += 1
            traceback.print_exc()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
