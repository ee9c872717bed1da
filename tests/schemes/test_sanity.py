"""Sanity: the contract and a recomputation of the toolkit's recipe (vector: official/)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MalformedSignature, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import SchemeContract


class TestSanity(SchemeContract):
    """Sanity through the contract: t=<ms>,v1=<unpadded base64url>."""

    scheme = "sanity"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "header"


def test_unpadded_base64url_only() -> None:
    """The signature has no padding; a padded or standard-alphabet one is malformed."""
    stamp = f"{NOW}000"
    body = b'{"_id":"doc-1","_type":"post"}'
    digest = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).digest()
    good = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    verifier = Verifier("sanity", secret=SECRET)
    headers = {"sanity-webhook-signature": f"t={stamp},v1={good}"}
    assert verifier.verify(body, headers, now=NOW).timestamp == NOW
    with pytest.raises(InvalidSignature):
        verifier.verify(body + b" ", headers, now=NOW)
    for bad in (good + "=", base64.b64encode(digest).decode()):
        with pytest.raises(MalformedSignature):
            verifier.verify(body, {"sanity-webhook-signature": f"t={stamp},v1={bad}"}, now=NOW)
