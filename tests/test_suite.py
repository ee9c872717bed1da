"""
The suite's own rules: the path marks, and what a test outside them may import.

``scripts/test-pythons`` runs the suite with ``-m "not sdk and not servers"``
on the oldest and the newest Python, with only hooksig's extras and the
``tests-base`` dependency group installed.  A test outside ``tests/servers/``
and the ``test_*_sdk.py`` files must therefore import nothing else; this
file checks that on every run, so a cross-check written into a provider's
main test file fails here and not only on the other Pythons.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.marks import TESTS, path_marks, ruled_out

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = TESTS.parent


@pytest.mark.parametrize(
    ("path", "marks"),
    [
        ("servers", {"servers"}),
        ("servers/test_load.py", {"servers"}),
        ("schemes/test_stripe_sdk.py", {"sdk"}),
        ("schemes/test_stripe.py", set()),
        ("schemes", set()),
        ("test_sdk.py", set()),
        ("servers/test_x_sdk.py", {"servers", "sdk"}),
        ("integrations/test_asgi.py", set()),
    ],
)
def test_path_marks(path: str, marks: set[str]) -> None:
    """A path's marks come from its directory and its file name only."""
    assert path_marks(TESTS / path) == marks


def test_a_path_outside_the_suite_has_no_marks(tmp_path: Path) -> None:
    """Files pytest reaches outside tests/ (pytester's, say) get no mark."""
    assert path_marks(tmp_path / "servers" / "test_x_sdk.py") == frozenset()


@pytest.mark.parametrize(
    ("markexpr", "out"),
    [
        ("", set()),
        ("not sdk", {"sdk"}),
        ("not sdk and not servers", {"sdk", "servers"}),
        ("slow and not  servers", {"servers"}),
        ("not sdk or servers", set()),
        ("not (sdk and servers)", set()),
        ("not not sdk", set()),
        ("sdk", set()),
    ],
)
def test_ruled_out(markexpr: str, out: set[str]) -> None:
    """Only a plain chain of ``and`` terms rules a mark out before collection."""
    assert ruled_out(markexpr) == out


def test_collected_tests_carry_their_path_marks(request: pytest.FixtureRequest) -> None:
    """The conftest hook has marked the tests of this very session by their paths."""
    items = request.session.items
    assert items, "run inside a collected session"
    for item in items:
        carried = {mark.name for mark in item.iter_markers()} & {"servers", "sdk"}
        assert carried == path_marks(item.path), item.nodeid


# -- what a test outside the marked paths may import ---------------------------------


def _group(groups: dict[str, list[object]], name: str) -> Iterator[str]:
    """The requirement strings of a PEP 735 dependency group, included groups expanded."""
    for entry in groups[name]:
        if isinstance(entry, dict):
            yield from _group(groups, entry["include-group"])
        else:
            yield str(entry)


def _distributions(requirements: list[str]) -> set[str]:
    """Every distribution these requirements install here, dependencies and extras included."""
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(Requirement(text), "") for text in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        for text in metadata.requires(key[0]) or ():
            todo.extend((Requirement(text), wanted) for wanted in ["", *sorted(key[1])])
    return {name for name, _ in seen}


def _allowed_modules() -> set[str]:
    """Top-level modules importable in the run without SDKs and servers."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    base = list(_group(pyproject["dependency-groups"], "tests-base"))
    wanted = _distributions(["hooksig[all]", *base])
    # tomllib is the standard library's from 3.11, imported behind a version check.
    allowed = {"hooksig", "tests", "__future__", "tomllib", *sys.stdlib_module_names}
    # A base requirement that another Python installs (tomli before 3.11) is imported
    # behind the same version check as its marker.
    allowed |= {canonicalize_name(Requirement(text).name).replace("-", "_") for text in base}
    for distribution in metadata.distributions():
        if canonicalize_name(distribution.metadata["Name"]) in wanted:
            allowed |= _top_level_modules(distribution)
    return allowed


def _top_level_modules(distribution: metadata.Distribution) -> set[str]:
    """The modules a distribution installs, from its RECORD: Python 3.10's
    packages_distributions() reads only top_level.txt, which modern wheels leave out."""
    modules = set()
    for file in distribution.files or ():
        top = file.parts[0]
        if len(file.parts) > 1 and top.isidentifier():
            modules.add(top)  # a package directory
        elif top.endswith((".py", ".so")):
            modules.add(top.split(".")[0])  # a single-file module or an extension
    return modules


def _suite_files() -> list[Path]:
    """The suite's Python files (not the Node SDKs' installed packages)."""
    return sorted(path for path in TESTS.rglob("*.py") if "node_modules" not in path.parts)


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, top-level module) of each absolute import in *path*, however deeply nested."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def test_only_marked_tests_import_what_the_plain_run_lacks() -> None:
    """An SDK or a server-only package is imported only under tests/servers/ or in *_sdk.py."""
    allowed = _allowed_modules()
    stray = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in _suite_files()
        if not path_marks(path)
        for line, module in _imports(path)
        if module not in allowed
    ]
    assert not stray, (
        "move these imports into tests/servers/ or a test_<name>_sdk.py file, or add the "
        "package to the tests-base dependency group if every Python can install it:\n"
        + "\n".join(stray)
    )


def test_the_check_sees_an_sdk() -> None:
    """The allowed set leaves out the SDKs, so the check above can fail."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    sdks = {
        canonicalize_name(Requirement(text).name) for text in pyproject["dependency-groups"]["sdks"]
    }
    assert "stripe" in sdks
    assert "stripe" not in _allowed_modules()


def test_nothing_outside_servers_uses_their_helpers() -> None:
    """Server fixtures and helpers stay under tests/servers/, so its mark covers their users."""
    users = [
        str(path.relative_to(ROOT))
        for path in _suite_files()
        if "servers" not in path_marks(path)
        and re.search(r"^\s*(from|import) tests\.servers\b", path.read_text("utf-8"), re.M)
    ]
    assert not users
