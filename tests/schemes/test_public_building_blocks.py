"""Built-in providers are declared from public names only, as a third-party one must be."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hooksig
import hooksig.scheme

PROVIDERS = sorted((Path(hooksig.__file__).parent / "schemes").glob("*.py"))


def _private_imports(path: Path) -> list[str]:
    """The hooksig modules and names *path* imports that are private (a ``_`` part)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            imported = [
                ("." * node.level + (node.module or ""), alias.name) for alias in node.names
            ]
        elif isinstance(node, ast.Import):
            imported = [(alias.name, "") for alias in node.names]
        else:
            continue
        for module, name in imported:
            if not module.startswith((".", "hooksig")):
                continue  # the standard library, an extra
            parts = [part for part in module.split(".") if part.startswith("_")]
            if name.startswith("_"):
                parts.append(name)
            if parts:
                found.append(f"{module}: {', '.join(parts)}")
    return found


@pytest.mark.parametrize("path", PROVIDERS, ids=lambda path: path.stem)
def test_a_provider_imports_no_private_module(path: Path) -> None:
    """No hooksig._primitives, no hooksig.scheme._x, no relative reach into the package."""
    assert _private_imports(path) == []


def test_the_check_sees_a_private_import(tmp_path: Path) -> None:
    """The check itself finds each way of reaching a private name."""
    module = tmp_path / "acme.py"
    module.write_text(
        "from __future__ import annotations\n"
        "from hooksig._primitives import x509\n"
        "from hooksig.scheme import _compiled\n"
        "from ..scheme._form import FormFields\n"
        "from hooksig.scheme import Headers, certificates\n"
    )
    assert _private_imports(module) == [
        "hooksig._primitives: _primitives",
        "hooksig.scheme: _compiled",
        "..scheme._form: _form",
    ]


def test_the_blocks_built_in_providers_use_are_public() -> None:
    """Headers and the certificate functions are reachable from hooksig.scheme."""
    assert hooksig.scheme.Headers is hooksig.Headers
    from hooksig.scheme import certificates

    assert callable(certificates.verify_chain)
    assert "Headers" in hooksig.scheme.__all__
