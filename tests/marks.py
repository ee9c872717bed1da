"""
The suite's path marks: what a test needs beyond the package and its extras.

They are given by where a test lives (``tests/conftest.py`` applies them), so
that no one has to remember them:

* ``servers``: everything under ``tests/servers/``, which runs against real
  Redis, PostgreSQL, uvicorn and gunicorn (``scripts/servers.sh`` starts them);
* ``sdk``: every ``test_*_sdk.py`` file, the cross-checks against a provider's
  official SDK (the ``sdks`` dependency group, or Node for ``tests/sdk_node/``).

``scripts/test-pythons`` runs ``-m "not sdk and not servers"`` on the oldest and
the newest Python, where the SDKs are not installed.  A path whose every test
``-m`` rules out is not even imported, so an ``_sdk.py`` file may import its
SDK at module level; ``tests/test_suite.py`` checks that no other file imports
a package that run lacks.
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent

#: Each path mark, with the rule that gives it, as registered with pytest.
MARKS = {
    "servers": "under tests/servers/: needs Redis, PostgreSQL or a real HTTP server",
    "sdk": "in a test_*_sdk.py file: a cross-check against a provider's official SDK",
}


def path_marks(path: Path) -> frozenset[str]:
    """The marks of every test under *path*, a file or a directory of the suite."""
    try:
        parts = path.resolve().relative_to(TESTS).parts
    except ValueError:
        return frozenset()
    marks = set()
    if parts[:1] == ("servers",):
        marks.add("servers")
    if parts and re.fullmatch(r"test_\w+_sdk\.py", parts[-1]):
        marks.add("sdk")
    return frozenset(marks)


def ruled_out(markexpr: str) -> frozenset[str]:
    """
    The marks that the ``-m`` expression *markexpr* deselects every carrier of.

    Only the plain form is read, ``not a and not b and ...`` (other terms may
    join the chain); an expression with ``or`` or parentheses rules nothing
    out here, and then every file is collected as usual.
    """
    if re.search(r"\bor\b|[()]", markexpr):
        return frozenset()
    terms = (term.strip() for term in re.split(r"\band\b", markexpr))
    return frozenset(found[1] for term in terms if (found := re.fullmatch(r"not\s+(\w+)", term)))
