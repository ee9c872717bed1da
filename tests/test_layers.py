"""
No module reads another layer's private names (docs/architecture.md, "Layers").

import-linter holds the order of the layers; this holds what crosses them.
A layer's private modules and names (a ``_`` part) are its own: another
layer uses its public names, or the shared private layers every layer may
use, ``_primitives`` (bytes-level helpers) and ``_backends`` (the stores'
connections).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import hooksig
from tests.imports import dotted, hooksig_imports, is_private, module_in

PACKAGE = Path(hooksig.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
#: Private, and shared by design: any layer may import them.
SHARED = frozenset({"_primitives", "_backends", "_version"})


def _layer(dotted: list[str]) -> str:
    """The layer a module is in: its package under hooksig, or its own name at the top."""
    return dotted[1] if len(dotted) > 1 else "hooksig"


def cross_layer_private_reads(path: Path, package: Path = PACKAGE) -> list[str]:
    """The private names of another layer that the module at *path* in *package* imports."""
    own = _layer(dotted(path, package))
    reads = []
    for line, name in hooksig_imports(path, package):
        layer = _layer(name)
        if layer == own or layer in SHARED:
            continue
        if is_private(name):
            reads.append(f"{path.relative_to(package.parent)}:{line}: {'.'.join(name)}")
    return reads


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_module_reads_another_layers_private_names(path: Path) -> None:
    """Across layers, only public names and the shared private layers."""
    assert cross_layer_private_reads(path) == []


def test_the_check_sees_each_way_of_reaching_a_private_name(tmp_path: Path) -> None:
    """Relative and absolute imports, a private module and a private name; not the shared layers."""
    module = module_in(
        tmp_path,
        "journal",
        "from ..idempotency import _sqlite_sql\n"
        "from ..idempotency.redis import _scripts\n"
        "from hooksig.scheme._body_fields import BODY_FIELD\n"
        "import hooksig.idempotency._keys\n"
        "from ..idempotency import storage_key\n"
        "from .._primitives.seconds import check_seconds\n"
        "from .._backends.sqlite import Connections\n"
        "from . import _entry\n",
    )
    reads = cross_layer_private_reads(module, tmp_path / "hooksig")
    assert [read.split(": ", 1)[1] for read in reads] == [
        "hooksig.idempotency._sqlite_sql",
        "hooksig.idempotency.redis._scripts",
        "hooksig.scheme._body_fields.BODY_FIELD",
        "hooksig.idempotency._keys",
    ]
