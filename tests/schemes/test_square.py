"""Square through the scheme contract and its two published vectors (notification URL + body)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MissingSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract
from tests.vectors import provider_vector

URL = "https://example.com/hooks/square"
BODY = b'{"merchant_id": "M1", "type": "payment.created", "event_id": "evt_contract_1"}'


class TestSquare(SchemeContract):
    """Square: the contract, with the notification URL configured."""

    scheme = "square"
    keys: ClassVar = {"secret": SECRET}
    options: ClassVar = {"public_url": URL}
    signs_timestamp = False
    id_source = "body"
    body = BODY


@pytest.mark.filterwarnings("ignore::hooksig.InsecureKeyWarning")
@pytest.mark.parametrize("name", ["Square", "Square (escaped chars)"])
def test_published_vectors(name: str) -> None:
    """square-python-sdk's vectors verify with the subscription's URL, and fail with another."""
    vector = provider_vector(name)
    verifier = Verifier("square", secret=vector["secret"], public_url=vector["url"])
    assert verifier.verify(vector["body"].encode(), vector["headers"]).key_id == "0"
    with pytest.raises(InvalidSignature):
        verifier.verify(vector["body"].encode(), vector["headers"], url=vector["url"] + "/")


def test_recipe_recomputed_independently() -> None:
    """The signature is base64(HMAC-SHA256(key, notification_url + body))."""
    digest = hmac.new(SECRET.encode(), URL.encode() + BODY, hashlib.sha256).digest()
    headers = {"x-square-hmacsha256-signature": base64.b64encode(digest).decode()}
    delivery = Verifier("square", secret=SECRET, public_url=URL).verify(BODY, headers)
    assert delivery.id == "evt_contract_1"


class TestSquareSha1(SchemeContract):
    """square-sha1: the legacy x-square-signature, opt-in under its own name."""

    scheme = "square-sha1"
    keys: ClassVar = {"secret": SECRET}
    options: ClassVar = {"public_url": URL}
    signs_timestamp = False
    id_source = "body"
    body = BODY


def test_legacy_sha1_recomputed_and_never_read_by_square() -> None:
    """x-square-signature is base64 HMAC-SHA1(key, URL + body); the square scheme ignores it."""
    digest = hmac.new(SECRET.encode(), URL.encode() + BODY, hashlib.sha1).digest()
    headers = {"x-square-signature": base64.b64encode(digest).decode()}
    verifier = Verifier("square-sha1", secret=SECRET, public_url=URL)
    assert verifier.verify(BODY, headers).id == "evt_contract_1"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", headers)
    with pytest.raises(MissingSignature):
        Verifier("square", secret=SECRET, public_url=URL).verify(BODY, headers)
