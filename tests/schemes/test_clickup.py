"""ClickUp: the scheme contract and a recomputation from ClickUp's signature docs."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

BODY = b'{"webhook_id":"7689a169","event":"taskCreated","task_id":"1vj37mc","history_items":[]}'


class TestClickUp(SchemeContract):
    """ClickUp through the scheme contract: hex HMAC-SHA256 of the body, no timestamp, no id."""

    scheme = "clickup"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """X-Signature is hex HMAC-SHA256(webhook secret, body)."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    verifier = Verifier("clickup", secret=SECRET)
    assert verifier.verify(BODY, {"X-Signature": digest}).key_id == "0"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", {"X-Signature": digest})
