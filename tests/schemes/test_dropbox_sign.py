"""Dropbox Sign against its SDK (both ways), multipart bodies, and what the hash does not cover."""

from __future__ import annotations

import json

import pytest

from hooksig import InvalidSignature, MalformedSignature, Verifier
from hooksig.schemes.dropbox_sign import REPLY
from tests.schemes.fetching import dumps

API_KEY = "324e3b0840f065eb51f3fd63231d0d33daa35d4ed10d27718839e81737065782"
EVENT = {"event_time": "1348177752", "event_type": "signature_request_sent", "event_metadata": {}}


def _signed() -> bytes:
    verifier = Verifier("dropbox-sign", secret=API_KEY)
    body = dumps({"event": EVENT, "signature_request": {"signature_request_id": "sr-1"}})
    folded, _ = verifier.signed_request(body, timestamp=1348177752)
    return folded


def test_the_hash_covers_only_time_and_type() -> None:
    """Dropbox Sign's design: the signature request in the body is not covered (fetch it by id)."""
    document = json.loads(_signed())
    document["signature_request"]["signature_request_id"] = "sr-forged"
    assert Verifier("dropbox-sign", secret=API_KEY).verify(dumps(document), {})
    document["event"]["event_type"] = "signature_request_signed"
    with pytest.raises(InvalidSignature):
        Verifier("dropbox-sign", secret=API_KEY).verify(dumps(document), {})


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="other"\r\n\r\n{}\r\n--x--\r\n',
        ),
        ("multipart/form-data; boundary=x", b"not multipart"),
        (
            "application/json",
            b'{"event": {"event_time": "01", "event_type": "x", "event_hash": "00"}}',
        ),
    ],
    ids=["no-json-field", "not-multipart", "bad-time"],
)
def test_malformed_callbacks(content_type: str, body: bytes) -> None:
    """No json field, a broken multipart body, a non-canonical time: typed errors."""
    with pytest.raises(MalformedSignature):
        Verifier("dropbox-sign", secret=API_KEY).verify(body, {"Content-Type": content_type})


def test_the_expected_reply() -> None:
    """Dropbox Sign expects this exact reply body."""
    assert REPLY == b"Hello API Event Received"


def test_signing_for_tests_takes_any_body() -> None:
    """A body that is not JSON signs as a callback_test event, and verifies."""
    verifier = Verifier("dropbox-sign", secret=API_KEY)
    body, headers = verifier.signed_request(b"not json", timestamp=1348177752)
    assert json.loads(body)["event"]["event_type"] == "callback_test"
    assert verifier.verify(body, headers).key_id == "0"
