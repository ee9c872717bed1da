"""DocuSign Connect: one X-DocuSign-Signature-<n> header per key, from DocuSign's guide."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MissingSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

BODY = b'{"event":"envelope-completed","data":{"envelopeId":"e1"}}'
OTHER = "DocuSignKeyTwo+Looks/Like/Base64="


class TestDocuSign(SchemeContract):
    """DocuSign through the contract: base64 HMAC-SHA256 of the body."""

    scheme = "docusign"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


def _sig(key: str) -> str:
    return base64.b64encode(hmac.new(key.encode(), BODY, hashlib.sha256).digest()).decode()


def test_each_numbered_header_is_checked() -> None:
    """With two keys active DocuSign sends -1 and -2: a verifier with either key accepts."""
    headers = {"X-DocuSign-Signature-1": _sig(OTHER), "X-DocuSign-Signature-2": _sig(SECRET)}
    assert Verifier("docusign", secret=SECRET).verify(BODY, headers).key_id == "0"
    assert Verifier("docusign", secret=OTHER).verify(BODY, headers).key_id == "0"
    with pytest.raises(InvalidSignature):
        Verifier("docusign", secret=SECRET).verify(BODY + b" ", headers)
    # The key is the text shown, not its base64 decoding.
    decoded = base64.b64encode(
        hmac.new(base64.b64decode(OTHER), BODY, hashlib.sha256).digest()
    ).decode()
    with pytest.raises(InvalidSignature):
        Verifier("docusign", secret=OTHER).verify(BODY, {"X-DocuSign-Signature-1": decoded})


def test_a_later_number_alone_still_verifies_and_none_is_missing() -> None:
    """Only -3 present is enough; no numbered header at all is MissingSignature."""
    verifier = Verifier("docusign", secret=SECRET)
    assert verifier.verify(BODY, {"X-DocuSign-Signature-3": _sig(SECRET)}).key_id == "0"
    with pytest.raises(MissingSignature):
        verifier.verify(BODY, {"X-Authorization-Digest": "HMACSHA256"})
