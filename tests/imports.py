"""
Read the hooksig imports of a module: the import rules of `test_layers.py` and
`schemes/test_public_building_blocks.py` both start from this.
"""

from __future__ import annotations

import ast
from pathlib import Path


def dotted(path: Path, package: Path) -> list[str]:
    """``["hooksig", "journal", "sqlite"]`` for the module at ``package/journal/sqlite.py``."""
    parts = ["hooksig", *path.relative_to(package).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def hooksig_imports(path: Path, package: Path) -> list[tuple[int, list[str]]]:
    """
    (line, dotted name) of each hooksig module or name the module at *path* imports.

    *package* is the ``hooksig`` directory *path* is in, which relative
    imports are resolved against; other packages' imports are left out.
    """
    here = dotted(path, package)
    base = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                module = base[: len(base) - node.level + 1]
                module += node.module.split(".") if node.module else []
            elif node.module and node.module.split(".")[0] == "hooksig":
                module = node.module.split(".")
            else:
                continue
            found += [(node.lineno, [*module, alias.name]) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, alias.name.split("."))
                for alias in node.names
                if alias.name.split(".")[0] == "hooksig"
            ]
    return found


def is_private(name: list[str]) -> bool:
    """Whether a dotted hooksig name passes through a private module or is a private name."""
    return any(part.startswith("_") for part in name[1:])


def module_in(root: Path, subpackage: str, text: str) -> Path:
    """
    Write *text* as ``root/hooksig/<subpackage>/acme.py``: a module for a rule's self-test.

    Read it with ``root / "hooksig"`` as the package, so that its relative
    imports resolve as they would inside hooksig.
    """
    directory = root / "hooksig" / subpackage
    directory.mkdir(parents=True)
    module = directory / "acme.py"
    module.write_text(text, encoding="utf-8")
    return module
