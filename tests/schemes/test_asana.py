"""Asana: the contract, and X-Hook-Secret accepted only inside a registration window."""

from __future__ import annotations

from typing import ClassVar

import pytest

from hooksig import ConfigurationError, Verifier, schemes
from hooksig.scheme.challenge import hook_secret
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract


class TestAsanaContract(SchemeContract):
    """Asana through the contract."""

    scheme = "asana"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_the_hook_secret_is_echoed_only_while_registering() -> None:
    """Trust on first use, never silently: the callback decides, and keeps the secret."""
    stored: list[str] = []
    registering = True

    def accept(secret: str) -> bool:
        if registering:
            stored.append(secret)
        return registering

    verifier = Verifier(schemes.configure("asana", challenge=hook_secret(accept)), secret=SECRET)
    answer = verifier.challenge(
        b"", {"X-Hook-Secret": "s3cr3t"}, method="POST", path="/hooks/asana"
    )
    assert answer is not None
    assert answer.status == 200
    assert answer.headers["X-Hook-Secret"] == "s3cr3t"
    assert stored == ["s3cr3t"]
    registering = False
    assert verifier.challenge(b"", {"X-Hook-Secret": "attacker"}, method="POST", path="/") is None
    assert stored == ["s3cr3t"]
    repeated = [("X-Hook-Secret", "a"), ("X-Hook-Secret", "b")]
    registering = True
    assert verifier.challenge(b"", repeated, method="POST", path="/") is None
    assert verifier.challenge(b"", {}, method="POST", path="/") is None
    with pytest.raises(ConfigurationError):
        hook_secret("not callable")  # type: ignore[arg-type]
