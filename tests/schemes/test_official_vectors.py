"""
Vectors published by a provider (its docs or its own SDK's test suite), one file per provider.

Each file under ``tests/vectors/providers/official/`` is a list of entries::

    {"provider": "Mux", "scheme": "mux",
     "source": "<repo>@<commit>:<path> or the docs URL, with the test or section name>",
     "secret": "...", "headers": {...}, "body": "...",
     "now": 1565125718,              # optional: the clock the vector was made at
     "public_url": "https://...",    # optional: for schemes that sign a URL
     "valid": true}                  # false: the provider's own negative case

A valid entry must verify exactly as published, and stop verifying when one body
byte changes; an invalid one must be refused with a WebhookError.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

from hooksig import InsecureKeyWarning, Verifier, WebhookError
from tests.vectors import VECTORS

OFFICIAL = VECTORS / "providers" / "official"


def _entries() -> list[Any]:
    params = []
    for path in sorted(OFFICIAL.glob("*.json")):
        for index, entry in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            params.append(pytest.param(entry, id=f"{path.stem}-{index}"))
    return params


def _verifier(entry: dict[str, Any]) -> Verifier:
    options: dict[str, Any] = {"secret": entry["secret"]}
    if "public_url" in entry:
        options["public_url"] = entry["public_url"]
    with warnings.catch_warnings():
        # Published examples use short demo secrets; the warning is for real ones.
        warnings.simplefilter("ignore", InsecureKeyWarning)
        return Verifier(entry["scheme"], **options)


def _body(entry: dict[str, Any]) -> bytes:
    body: str = entry["body"]
    return body.encode(entry.get("body_encoding", "utf-8"))


@pytest.mark.parametrize("entry", _entries())
def test_official_vector(entry: dict[str, Any]) -> None:
    """The provider's own example verifies as published, and only as published."""
    verifier = _verifier(entry)
    now = entry.get("now")
    body = _body(entry)
    if not entry.get("valid", True):
        with pytest.raises(WebhookError):
            verifier.verify(body, entry["headers"], now=now)
        return
    delivery = verifier.verify(body, entry["headers"], now=now)
    assert delivery.body == body
    tampered = bytearray(body)
    tampered[len(tampered) // 2] ^= 0x01
    with pytest.raises(WebhookError):
        verifier.verify(bytes(tampered), entry["headers"], now=now)


def test_every_official_file_names_its_source_and_scheme() -> None:
    """An entry without provenance is not a published vector."""
    files = sorted(OFFICIAL.glob("*.json"))
    assert files, "tests/vectors/providers/official/ holds no vector file"
    for path in files:
        entries = json.loads(path.read_text(encoding="utf-8"))
        assert entries, f"{path.name} is empty"
        for entry in entries:
            assert entry["source"].strip(), path.name
            assert entry["scheme"] == path.stem, f"{path.name}: scheme {entry['scheme']!r}"
