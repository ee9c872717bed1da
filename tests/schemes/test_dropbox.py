"""Dropbox through the scheme contract, plus an independent recomputation of its recipe."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InsecureKeyWarning, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract
from tests.vectors import provider_vector


class TestDropbox(SchemeContract):
    """Dropbox: the contract."""

    scheme = "dropbox"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "random"


def test_recipe_recomputed_independently() -> None:
    """X-Dropbox-Signature is hex(HMAC-SHA256(secret, raw body)), as the catalog says."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    headers = {"X-Dropbox-Signature": "" + digest.hex()}
    delivery = Verifier("dropbox", secret=SECRET).verify(BODY, headers, now=NOW)
    assert delivery.key_id == "0"


def test_third_party_vector() -> None:
    """The hapi-dropbox-webhooks test vector (third-party) verifies."""
    vector = provider_vector("Dropbox (third-party vector)")
    with pytest.warns(InsecureKeyWarning):
        verifier = Verifier("dropbox", secret=vector["secret"])
    assert verifier.verify(vector["body"].encode(), vector["headers"]).key_id == "0"
