"""Mux through the scheme contract, plus an independent recipe check."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import MissingSignature, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestMux(SchemeContract):
    """Mux: the contract."""

    scheme = "mux"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "body"


def test_recipe_recomputed_independently() -> None:
    """Mux-Signature is t=<unix>,v1=hex(HMAC-SHA256(key, t + "." + body))."""
    digest = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    headers = {"Mux-Signature": f"t={NOW},v1={digest}"}
    assert Verifier("mux", secret=SECRET).verify(BODY, headers, now=NOW).timestamp == NOW


def test_only_v1_is_accepted() -> None:
    """A header offering only another scheme version is refused, never downgraded."""
    digest = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    with pytest.raises(MissingSignature):
        Verifier("mux", secret=SECRET).verify(
            BODY, {"Mux-Signature": f"t={NOW},v0={digest}"}, now=NOW
        )
