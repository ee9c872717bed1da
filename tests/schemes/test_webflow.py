"""Webflow: the scheme contract and a recomputation from Webflow's SDK (verifySignature)."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, TimestampOutOfTolerance, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import SchemeContract

BODY = b'{"triggerType":"form_submission","payload":{"name":"Contact","data":{"email":"a@b.c"}}}'


class TestWebflow(SchemeContract):
    """Webflow through the scheme contract: <ms>:<body>, five minutes either way."""

    scheme = "webflow"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """x-webflow-signature is hex HMAC-SHA256(client secret, "<ms>:<body>")."""
    stamp = f"{NOW}123"
    digest = hmac.new(SECRET.encode(), f"{stamp}:".encode() + BODY, hashlib.sha256).hexdigest()
    headers = {"x-webflow-timestamp": stamp, "x-webflow-signature": digest}
    verifier = Verifier("webflow", secret=SECRET)
    assert verifier.verify(BODY, headers, now=NOW).timestamp == NOW
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", headers, now=NOW)
    with pytest.raises(TimestampOutOfTolerance):
        verifier.verify(BODY, headers, now=NOW + 301)
