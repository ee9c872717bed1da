"""
Vectors published by a provider (its docs or its own SDK's test suite), one file per provider.

Each file under ``tests/vectors/providers/official/`` is a list of entries::

    {"provider": "Mux", "scheme": "mux",
     "source": "<repo>@<commit>:<path> or the docs URL, with the test or section name>",
     "secret": "...", "headers": {...}, "body": "...",
     "now": 1565125718,              # optional: the clock the vector was made at
     "public_url": "https://...",    # optional: for schemes that sign a URL
     "public_key": "..." or {url: certificate},  # optional: a key, or documents served offline
     "settings": {...},              # optional: hooksig.schemes.configure() settings
     "tamper": ["old", "new"],       # optional: the signed bytes to change (default: middle byte)
     "id": "...",                    # optional: the Delivery.id expected
     "valid": true}                  # false: the provider's own negative case

``secret`` may be ``{"value": ..., "key_id": ...}`` for a secret whose key id is signed.

A valid entry must verify exactly as published, and stop verifying when one body
byte changes; an invalid one must be refused with a WebhookError.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

from hooksig import InsecureKeyWarning, Secret, Verifier, WebhookError, schemes
from tests.vectors import VECTORS

OFFICIAL = VECTORS / "providers" / "official"


def _entries() -> list[Any]:
    params = []
    for path in sorted(OFFICIAL.glob("*.json")):
        for index, entry in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            params.append(pytest.param(entry, id=f"{path.stem}-{index}"))
    return params


def _verifier(entry: dict[str, Any]) -> Verifier:
    options: dict[str, Any] = {}
    secret = entry.get("secret")
    if isinstance(secret, dict):  # a secret with its key id (Sinch's application key)
        options["secret"] = Secret(secret["value"], key_id=secret["key_id"])
    elif secret is not None:
        options["secret"] = secret
    if "public_key" in entry:  # a PEM key, or {key URL: document} served offline
        options["public_key"] = entry["public_key"]
    if "public_url" in entry:
        options["public_url"] = entry["public_url"]
    scheme = schemes.configure(entry["scheme"], **_settings(entry))
    with warnings.catch_warnings():
        # Published examples use short demo secrets; the warning is for real ones.
        warnings.simplefilter("ignore", InsecureKeyWarning)
        return Verifier(scheme, **options)


def _settings(entry: dict[str, Any]) -> dict[str, Any]:
    """The scheme's settings (``configure()``); JSON lists become the tuples schemes take."""
    return {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in entry.get("settings", {}).items()
    }


def _tampered(entry: dict[str, Any], body: bytes) -> bytes:
    """The body with one signed byte changed: ``tamper`` names one, else the middle byte."""
    if "tamper" in entry:
        old, new = (part.encode("utf-8") for part in entry["tamper"])
        assert body.count(old) == 1, f"tamper {old!r} must occur once in the body"
        return body.replace(old, new)
    tampered = bytearray(body)
    tampered[len(tampered) // 2] ^= 0x01
    return bytes(tampered)


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
    if "id" in entry:
        assert delivery.id == entry["id"]
    with pytest.raises(WebhookError):
        verifier.verify(_tampered(entry, body), entry["headers"], now=now)


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
