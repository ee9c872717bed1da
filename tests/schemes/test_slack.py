"""Slack through the scheme contract and its published vector (slack-sdk: test_slack_sdk.py)."""

from __future__ import annotations

from typing import ClassVar

from hooksig import Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract
from tests.vectors import provider_vector


class TestSlack(SchemeContract):
    """Slack: the contract."""

    scheme = "slack"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "derived"


def test_published_vector() -> None:
    """python-slack-sdk's test vector verifies at its own time."""
    vector = provider_vector("Slack")
    verifier = Verifier("slack", secret=vector["secret"])
    delivery = verifier.verify(vector["body"].encode(), vector["headers"], now=1531420618)
    assert delivery.timestamp == 1531420618
