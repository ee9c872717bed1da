"""Trello through the scheme contract, with its 8-bit ("binary string") quirk."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MalformedSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract
from tests.vectors import provider_vector

CALLBACK = "https://example.com/hooks/trello"


def _units(text: str) -> list[int]:
    # UTF-16 code units, computed by hand: astral characters become a surrogate pair.
    units = []
    for char in text:
        point = ord(char)
        if point > 0xFFFF:
            point -= 0x10000
            units += [0xD800 + (point >> 10), 0xDC00 + (point & 0x3FF)]
        else:
            units.append(point)
    return units


def _expected(body: bytes, url: str = CALLBACK) -> str:
    # Trello (Node's "binary" encoding) keeps the low 8 bits of each UTF-16 code unit.
    binary = bytes(unit & 0xFF for unit in _units(body.decode("utf-8") + url))
    digest = hmac.new(SECRET.encode(), binary, hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class TestTrello(SchemeContract):
    """Trello: the contract, the callback URL configured."""

    scheme = "trello"
    keys: ClassVar = {"secret": SECRET}
    options: ClassVar = {"public_url": CALLBACK}
    signs_timestamp = False
    id_source = "derived"


def test_ascii_recipe() -> None:
    """For ASCII, the content is simply body + callback URL."""
    body = b'{"action": {"type": "updateCard"}}'
    digest = hmac.new(SECRET.encode(), body + CALLBACK.encode(), hashlib.sha1).digest()
    headers = {"X-Trello-Webhook": base64.b64encode(digest).decode()}
    assert _expected(body) == headers["X-Trello-Webhook"]
    assert Verifier("trello", secret=SECRET, public_url=CALLBACK).verify(body, headers)


@pytest.mark.parametrize(
    "text", ["en\u2013dash", "caf\u00e9", "emoji \U0001f600", "\u4e2d\u6587", "\u0113"]
)
def test_non_ascii_bodies_are_signed_as_8_bit_strings(text: str) -> None:
    """U+2013 is signed as 0x13, an astral character as its two surrogates' low bytes."""
    body = f'{{"name": "{text}"}}'.encode()
    headers = {"X-Trello-Webhook": _expected(body)}
    verifier = Verifier("trello", secret=SECRET, public_url=CALLBACK)
    assert verifier.verify(body, headers).key_id == "0"
    utf8 = hmac.new(SECRET.encode(), body + CALLBACK.encode(), hashlib.sha1).digest()
    with pytest.raises(InvalidSignature):
        verifier.verify(body, {"X-Trello-Webhook": base64.b64encode(utf8).decode()})


def test_dash_becomes_byte_0x13() -> None:
    """The docs' own example: U+2013 is hashed as the byte 0x13."""
    body = '"\u2013"'.encode()
    digest = hmac.new(SECRET.encode(), b'"\x13"' + CALLBACK.encode(), hashlib.sha1).digest()
    headers = {"X-Trello-Webhook": base64.b64encode(digest).decode()}
    assert Verifier("trello", secret=SECRET, public_url=CALLBACK).verify(body, headers)


def test_body_that_is_not_utf8_is_malformed() -> None:
    """Trello's bodies are JSON text; invalid UTF-8 cannot be mapped and is refused."""
    with pytest.raises(MalformedSignature):
        Verifier("trello", secret=SECRET, public_url=CALLBACK).verify(
            b"\xff\xfe", {"X-Trello-Webhook": "A" * 27 + "="}
        )


@pytest.mark.filterwarnings("ignore::hooksig.InsecureKeyWarning")
def test_third_party_readme_example_is_not_a_vector() -> None:
    """The verify-trello-webhook README value (27 characters) is not a full signature."""
    vector = provider_vector("Trello (third-party README example)")
    verifier = Verifier("trello", secret=vector["secret"], public_url=vector["url"])
    with pytest.raises(MalformedSignature):
        verifier.verify(vector["body"].encode(), vector["headers"])
    computed = {"X-Trello-Webhook": vector["computed"]}
    assert verifier.verify(vector["body"].encode(), computed).key_id == "0"
