"""Built-in providers are declared from public names only, as a third-party one must be."""

from __future__ import annotations

from pathlib import Path

import pytest

import hooksig
import hooksig.scheme
from tests.imports import hooksig_imports, is_private, module_in

PACKAGE = Path(hooksig.__file__).parent
PROVIDERS = sorted((PACKAGE / "schemes").glob("*.py"))


def _private_imports(path: Path, package: Path = PACKAGE) -> list[str]:
    """The private hooksig modules and names the module at *path* imports (a ``_`` part)."""
    return [".".join(name) for _, name in hooksig_imports(path, package) if is_private(name)]


@pytest.mark.parametrize("path", PROVIDERS, ids=lambda path: path.stem)
def test_a_provider_imports_no_private_module(path: Path) -> None:
    """No hooksig._primitives, no hooksig.scheme._x, no relative reach into the package."""
    assert _private_imports(path) == []


def test_the_check_sees_a_private_import(tmp_path: Path) -> None:
    """The check itself finds each way of reaching a private name."""
    module = module_in(
        tmp_path,
        "schemes",
        "from __future__ import annotations\n"
        "from hooksig._primitives import x509\n"
        "from hooksig.scheme import _compiled\n"
        "from ..scheme._form import FormFields\n"
        "import hooksig._version\n"
        "from hooksig.scheme import Headers, certificates\n"
        "from . import github\n",
    )
    assert _private_imports(module, tmp_path / "hooksig") == [
        "hooksig._primitives.x509",
        "hooksig.scheme._compiled",
        "hooksig.scheme._form.FormFields",
        "hooksig._version",
    ]


def test_the_blocks_built_in_providers_use_are_public() -> None:
    """Headers and the certificate functions are reachable from hooksig.scheme."""
    assert hooksig.scheme.Headers is hooksig.Headers
    from hooksig.scheme import certificates

    assert callable(certificates.verify_chain)
    assert "Headers" in hooksig.scheme.__all__
