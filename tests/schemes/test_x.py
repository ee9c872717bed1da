"""X (Twitter): the contract, and the CRC answered with a MAC under the consumer secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import ClassVar

from hooksig import Verifier, schemes
from hooksig.scheme.challenge import crc_challenge
from tests.schemes.contract import SchemeContract

CONSUMER_SECRET = "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu"
TOKEN = "9b4507b3-9040-4669-9ca3-6b94edb50553"


class TestXContract(SchemeContract):
    """X through the contract."""

    scheme = "x"
    keys: ClassVar = {"secret": CONSUMER_SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_the_crc_is_answered_with_an_hmac_of_the_token() -> None:
    """GET crc_token=T -> {"response_token": "sha256=" + base64 HMAC-SHA256(secret, T)}."""
    verifier = Verifier(schemes.configure("x", challenge=crc_challenge()), secret=CONSUMER_SECRET)
    answer = verifier.challenge(b"", {}, method="GET", path=f"/hooks/x?crc_token={TOKEN}")
    assert answer is not None
    assert answer.headers["Content-Type"] == "application/json"
    expected = base64.b64encode(
        hmac.digest(CONSUMER_SECRET.encode(), TOKEN.encode(), hashlib.sha256)
    )
    assert json.loads(answer.body) == {"response_token": "sha256=" + expected.decode()}
    # The value computed from Twitter's DevRel gist inputs (third-party, no published output).
    assert (
        json.loads(answer.body)["response_token"]
        == "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8="
    )
    assert verifier.challenge(b"", {}, method="POST", path=f"/hooks/x?crc_token={TOKEN}") is None
    assert verifier.challenge(b"", {}, method="GET", path="/hooks/x") is None
