"""Grafana alerting: both variants through the contract, recomputed from Grafana's hmac.go."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.contract import SchemeContract

BODY = (
    b'{"receiver":"hooks","status":"firing",'
    b'"alerts":[{"status":"firing","labels":{"alertname":"x"}}]}'
)


class TestGrafana(SchemeContract):
    """grafana: the body alone."""

    scheme = "grafana"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


class TestGrafanaTimestamped(SchemeContract):
    """grafana-timestamped: <unix seconds>:<body>, with X-Grafana-Alerting-Timestamp."""

    scheme = "grafana-timestamped"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "derived"


def test_recipes_recomputed_independently() -> None:
    """Lowercase hex HMAC-SHA256 of the body, or of "<ts>:<body>" with the timestamp header."""
    plain = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    headers = {"X-Grafana-Alerting-Signature": plain}
    assert Verifier("grafana", secret=SECRET).verify(BODY, headers).key_id == "0"
    stamped = hmac.new(SECRET.encode(), f"{NOW}:".encode() + BODY, hashlib.sha256).hexdigest()
    headers = {"X-Grafana-Alerting-Signature": stamped, "X-Grafana-Alerting-Timestamp": str(NOW)}
    verifier = Verifier("grafana-timestamped", secret=SECRET)
    assert verifier.verify(BODY, headers, now=NOW).timestamp == NOW
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", headers, now=NOW)
