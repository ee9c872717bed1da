"""hooksig.scheme: the public names of the scheme building blocks, each loaded on first use."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import hooksig
import hooksig.scheme


def test_every_public_name_is_its_module_object() -> None:
    """Each name in __all__ is the object its module defines; the classes are hooksig's."""
    for name in hooksig.scheme.__all__:
        module = importlib.import_module(f"hooksig.scheme.{hooksig.scheme._LAZY[name]}")
        assert getattr(hooksig.scheme, name) is getattr(module, name), name
    assert hooksig.scheme.HmacScheme is hooksig.HmacScheme
    assert hooksig.scheme.Scheme is hooksig.Scheme


def test_dir_lists_every_public_name() -> None:
    """dir(hooksig.scheme) is complete before any name was resolved."""
    assert set(hooksig.scheme.__all__) <= set(dir(hooksig.scheme))


def test_unknown_attribute() -> None:
    """A missing attribute raises AttributeError naming it."""
    with pytest.raises(AttributeError, match="no_such_block"):
        hooksig.scheme.no_such_block  # noqa: B018


def test_a_provider_loads_only_the_blocks_it_uses() -> None:
    """A GitHub verifier loads no public-key, content, handshake or URL module."""
    code = (
        "import hooksig, json, sys; hooksig.Verifier('github', secret='x' * 32);"
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(json.loads(result.stdout))
    for unused in ("asymmetric", "content", "handshake"):
        assert f"hooksig.scheme.{unused}" not in loaded, unused
    assert "hooksig._primitives.crypto" not in loaded
    assert "hooksig.url" not in loaded
