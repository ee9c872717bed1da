"""Cloudflare Notifications: the cf-webhook-auth secret through the token contract."""

from __future__ import annotations

from typing import ClassVar

import pytest

from hooksig import InvalidSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import BODY, TokenContract


class TestCloudflare(TokenContract):
    """Cloudflare cf-webhook-auth: a shared secret, no id, no timestamp."""

    scheme = "cloudflare"
    token_header = "cf-webhook-auth"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_header_carries_the_secret() -> None:
    """cf-webhook-auth must equal the configured secret exactly."""
    verifier = Verifier("cloudflare", secret=SECRET)
    assert verifier.verify(BODY, {"cf-webhook-auth": SECRET}).key_id == "0"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY, {"cf-webhook-auth": SECRET + " "})
