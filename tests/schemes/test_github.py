"""GitHub: the scheme contract and the vector from GitHub's documentation."""

from __future__ import annotations

import hashlib
from typing import ClassVar

import pytest

import hooksig
from tests.schemes.contract import SchemeContract
from tests.vectors import provider_vector


class TestGitHub(SchemeContract):
    """GitHub through the scheme contract: body-only HMAC, unsigned X-GitHub-Delivery."""

    scheme = "github"
    keys: ClassVar = {"secret": "It's a Secret to Everybody"}
    signs_timestamp = False
    id_source = "header"


def test_published_vector() -> None:
    """docs.github.com's example verifies, and sign() reproduces it exactly."""
    vector = provider_vector("GitHub")
    verifier = hooksig.Verifier("github", secret=vector["secret"])
    body = vector["body"].encode()
    delivery = verifier.verify(body, vector["headers"])
    assert (delivery.key_id, delivery.timestamp) == ("0", None)
    # The vector sends no X-GitHub-Delivery: the key is derived from the body.
    assert delivery.id == "body:" + hashlib.sha256(body).hexdigest()
    assert verifier.sign(body)["X-Hub-Signature-256"] == vector["expected"]


def test_published_vector_with_another_secret_fails() -> None:
    """The same vector with a different secret is InvalidSignature."""
    vector = provider_vector("GitHub")
    verifier = hooksig.Verifier("github", secret=vector["secret"] + "!")
    with pytest.raises(hooksig.InvalidSignature):
        verifier.verify(vector["body"].encode(), vector["headers"])
