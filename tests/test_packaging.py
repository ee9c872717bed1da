"""Packaging: what `import hooksig` loads, the public names, py.typed, and the built wheel."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import hooksig

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = [
    "cryptography",
    "redis",
    "psycopg",
    "flask",
    "django",
    "fastapi",
    "starlette",
    "hypothesis",
]


def _run(code: str, python: str = sys.executable, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, check=False, cwd=cwd, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_import_loads_no_extra_and_no_provider() -> None:
    """`import hooksig` imports no optional dependency, no provider and not the registry."""
    loaded = json.loads(_run("import hooksig, json, sys; print(json.dumps(sorted(sys.modules)))"))
    for extra in EXTRAS:
        assert not [name for name in loaded if name == extra or name.startswith(extra + ".")], extra
    assert "hooksig.schemes" not in loaded
    assert not [name for name in loaded if name.startswith("hooksig.schemes.")]
    assert not [
        name for name in loaded if name.startswith(("hooksig.idempotency", "hooksig.integrations"))
    ]


def test_the_packages_around_the_receiver_load_no_extra() -> None:
    """hooksig.gate, hooksig.journal and hooksig.reconcile import no optional dependency."""
    loaded = json.loads(
        _run(
            "import hooksig.gate, hooksig.journal, hooksig.reconcile, json, sys;"
            "print(json.dumps(sorted(sys.modules)))"
        )
    )
    for extra in EXTRAS:
        assert not [name for name in loaded if name == extra or name.startswith(extra + ".")], extra


def test_a_provider_loads_only_itself() -> None:
    """Asking for one scheme imports its module only, not every provider."""
    loaded = json.loads(
        _run(
            "import hooksig, json, sys; hooksig.schemes.get('github');"
            "print(json.dumps(sorted(sys.modules)))"
        )
    )
    providers = [name for name in loaded if name.startswith("hooksig.schemes.")]
    assert providers == ["hooksig.schemes.github"]
    assert "cryptography" not in loaded


def test_version_is_a_string() -> None:
    """hooksig.__version__ is a non-empty string matching the package metadata."""
    from importlib.metadata import version

    assert isinstance(hooksig.__version__, str)
    assert hooksig.__version__ == version("hooksig")


def test_unknown_attribute() -> None:
    """A missing attribute raises AttributeError naming it."""
    with pytest.raises(AttributeError, match="no_such_name"):
        hooksig.no_such_name  # noqa: B018


def test_public_names() -> None:
    """Every name in __all__ exists; public classes claim __module__ == 'hooksig'."""
    assert sorted(hooksig.__all__) == hooksig.__all__
    for name in hooksig.__all__:
        value = getattr(hooksig, name)
        if isinstance(value, type):
            assert value.__module__ == "hooksig", name
    assert hooksig.schemes.__name__ == "hooksig.schemes"
    assert repr(hooksig.Verifier).startswith("<class 'hooksig.Verifier'")


def test_design_names_are_exported() -> None:
    """The DESIGN.md contract names are all public."""
    for name in (
        "Verifier",
        "Delivery",
        "HmacScheme",
        "AsymmetricScheme",
        "Secret",
        "WebhookError",
        "ConfigurationError",
        "VerificationError",
        "MissingSignature",
        "MalformedSignature",
        "InvalidSignature",
        "TimestampOutOfTolerance",
        "PayloadTooLarge",
        "DuplicateDelivery",
        "StoreUnavailable",
        "schemes",
    ):
        assert name in hooksig.__all__, name


def test_py_typed_is_shipped() -> None:
    """The package carries its py.typed marker."""
    assert (Path(hooksig.__file__).parent / "py.typed").is_file()


@pytest.mark.slow
def test_wheel_builds_and_works_outside_the_tree(tmp_path: Path) -> None:
    """The wheel builds, installs into a clean venv, ships py.typed, and verifies a vector."""
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    [wheel] = dist.glob("hooksig-*.whl")
    env = tmp_path / "venv"
    venv.create(env, with_pip=False, system_site_packages=False)
    python = str(env / "bin" / "python")
    # This interpreter's pip installs into the clean venv: no pip bootstrapped there.
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    vector = (ROOT / "tests/vectors/providers/provider-vectors.json").read_text()
    code = f"""
import json, pathlib, sys
import hooksig
[gh] = [v for v in json.loads({vector!r}) if v["provider"] == "GitHub"]
v = hooksig.Verifier("github", secret=gh["secret"])
d = v.verify(gh["body"].encode(), gh["headers"])
assert d.key_id == "0"
assert v.sign(gh["body"].encode())["X-Hub-Signature-256"] == gh["expected"]
root = pathlib.Path(hooksig.__file__).parent
assert "site-packages" in str(root), root
assert (root / "py.typed").is_file()
from hooksig.gate import Allowlist
assert Allowlist("github").providers[0].retrieved  # the ranges snapshot is package data
assert "cryptography" not in sys.modules
print(hooksig.__version__)
"""
    out = _run(code, python=python, cwd=tmp_path)
    assert out.strip() == hooksig.__version__


def test_source_version_matches_the_metadata() -> None:
    """src/hooksig/_version.py (read by the build backend) matches the installed metadata."""
    from hooksig import _version

    assert _version.__version__ == hooksig.__version__


def test_import_loads_no_submodule_beyond_errors() -> None:
    """`import hooksig` is lazy: public names load their module on first access."""
    loaded = json.loads(
        _run(
            "import json, sys; before = set(sys.modules); import hooksig;"
            "print(json.dumps(sorted(set(sys.modules) - before)))"
        )
    )
    ours = [name for name in loaded if name == "hooksig" or name.startswith("hooksig.")]
    assert ours == ["hooksig", "hooksig.errors"]
    for heavy in ("typing", "dataclasses", "re", "datetime", "urllib.parse", "inspect"):
        assert heavy not in loaded, heavy


def test_dir_lists_every_public_name() -> None:
    """dir(hooksig) is complete before any name was resolved."""
    names = json.loads(_run("import hooksig, json; print(json.dumps(dir(hooksig)))"))
    assert set(hooksig.__all__) <= set(names)
    assert "__version__" in names


def test_dir_lists_every_public_name_in_process() -> None:
    """dir(hooksig) includes every name in __all__ and __version__."""
    import hooksig

    names = set(dir(hooksig))
    assert set(hooksig.__all__) <= names
    assert "__version__" in names
