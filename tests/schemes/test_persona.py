"""Persona: the contract, a recomputation from Persona's docs, and rotation's groups."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MalformedSignature, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import SchemeContract

BODY = b'{"data":{"type":"event","id":"evt_persona_1","attributes":{"name":"inquiry.completed"}}}'
OLD = "wbhsec_old-persona-secret-0123456"


class TestPersona(SchemeContract):
    """Persona through the contract: t=<s>,v1=<hex>, the event id in data.id."""

    scheme = "persona"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "body"
    body = BODY
    body_id = "evt_persona_1"


def _group(secret: str, stamp: int, body: bytes = BODY) -> str:
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def test_rotation_sends_two_groups() -> None:
    """Two space-separated groups: either secret verifies."""
    header = f"{_group(OLD, NOW)} {_group(SECRET, NOW)}"
    for secret in (SECRET, OLD):
        delivery = Verifier("persona", secret=secret).verify(
            BODY, {"Persona-Signature": header}, now=NOW
        )
        assert (delivery.timestamp, delivery.id) == (NOW, "evt_persona_1")
    with pytest.raises(InvalidSignature):
        Verifier("persona", secret=SECRET).verify(
            BODY + b" ", {"Persona-Signature": header}, now=NOW
        )


def test_groups_with_different_timestamps_are_refused() -> None:
    """One timestamp is checked: groups that disagree are malformed, never half-checked."""
    header = f"{_group(OLD, NOW - 1000)} {_group(SECRET, NOW)}"
    with pytest.raises(MalformedSignature):
        Verifier("persona", secret=SECRET).verify(BODY, {"Persona-Signature": header}, now=NOW)
