"""Mollie next-gen webhooks: the contract and a recomputation, with the optional sha256= prefix."""

from __future__ import annotations

import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MalformedSignature, MissingSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

BODY = b'{"resource":"event","id":"event_GvJ8WHrp5BE5HmqkhH4ay","type":"payment-link.paid"}'


class TestMollie(SchemeContract):
    """Mollie through the contract: hex HMAC-SHA256 of the body, the event id in the body."""

    scheme = "mollie"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "body"
    body = BODY
    body_id = "event_GvJ8WHrp5BE5HmqkhH4ay"


def test_prefix_is_optional_but_no_other_label() -> None:
    """sha256=<hex> and <hex> verify; sha1=<hex> is malformed; no header is missing."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    verifier = Verifier("mollie", secret=SECRET)
    for value in (digest, "sha256=" + digest):
        assert verifier.verify(BODY, {"X-Mollie-Signature": value}).key_id == "0"
        with pytest.raises(InvalidSignature):
            verifier.verify(BODY + b" ", {"X-Mollie-Signature": value})
    with pytest.raises(MalformedSignature):
        verifier.verify(BODY, {"X-Mollie-Signature": "sha1=" + digest})
    with pytest.raises(MissingSignature):
        verifier.verify(BODY, {})
