"""Paddle Billing through the contract and its three vectors (SDK: test_paddle_sdk.py)."""

from __future__ import annotations

from typing import ClassVar

import pytest

from hooksig import MalformedSignature, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import SchemeContract
from tests.vectors import provider_vector

BODY = b'{"event_id": "evt_contract_1", "event_type": "customer.created", "data": {}}'


class TestPaddle(SchemeContract):
    """Paddle Billing: the contract (tolerance 5 s, the event id from the body)."""

    scheme = "paddle"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "body"
    body = BODY


@pytest.mark.parametrize(
    "name", ["Paddle Billing (fixture standard)", "Paddle Billing (fixture special)"]
)
def test_published_fixtures(name: str) -> None:
    """paddle-python-sdk's fixtures verify at their own time, with the event id."""
    vector = provider_vector(name)
    verifier = Verifier("paddle", secret=vector["secret"])
    stamp = int(vector["headers"]["Paddle-Signature"].split(";")[0][3:])
    delivery = verifier.verify(vector["body"].encode(), vector["headers"], now=stamp)
    assert delivery.id is not None
    assert delivery.id.startswith("evt_")


def test_dummy_h1_is_refused_strictly() -> None:
    """The SDK's header with ``h1=dummy`` is malformed here; without it, it verifies."""
    vector = provider_vector("Paddle Billing")
    verifier = Verifier("paddle", secret=vector["secret"])
    body = vector["body"].encode()
    with pytest.raises(MalformedSignature):
        verifier.verify(body, vector["headers"], now=1696195954)
    clean = {"Paddle-Signature": vector["headers"]["Paddle-Signature"].replace("h1=dummy;", "")}
    assert verifier.verify(body, clean, now=1696195954).timestamp == 1696195954


def test_tolerance_is_five_seconds() -> None:
    """Paddle's documented five-second tolerance is the default."""
    verifier = Verifier("paddle", secret=SECRET)
    headers = verifier.sign(BODY, timestamp=NOW)
    assert verifier.verify(BODY, headers, now=NOW + 5)
    with pytest.raises(Exception, match="old"):
        verifier.verify(BODY, headers, now=NOW + 6)
