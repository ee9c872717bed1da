"""Braintree against its SDK (both ways, offline), and its bt_challenge answered by hooksig."""

from __future__ import annotations

import urllib.parse

import pytest

from hooksig import MalformedSignature, MissingSignature, Secret, Verifier, schemes

PUBLIC, PRIVATE = "integration_public_key", "integration_private_key"


def _verifier(**settings: object) -> Verifier:
    scheme = schemes.configure("braintree", **settings) if settings else "braintree"
    return Verifier(scheme, secret=Secret(PRIVATE, key_id=PUBLIC))


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"bt_payload": "abc="}, MissingSignature),
        ({"bt_payload": "ab c", "bt_signature": f"{PUBLIC}|{'0' * 40}"}, MalformedSignature),
        ({"bt_payload": "abc=", "bt_signature": "no-pipe"}, MalformedSignature),
        ({"bt_signature": f"{PUBLIC}|{'0' * 40}"}, MalformedSignature),
    ],
    ids=["no-signature", "bad-payload", "bad-pair", "no-payload"],
)
def test_malformed_forms(fields: dict[str, str], error: type[Exception]) -> None:
    """Missing or malformed fields are typed errors."""
    with pytest.raises(error):
        _verifier().verify(urllib.parse.urlencode(fields).encode(), {})


def test_signing_for_tests_takes_any_body() -> None:
    """A body that is not a form signs as an empty payload, and verifies."""
    verifier = _verifier()
    body, headers = verifier.signed_request(b"%ff not a form")
    assert verifier.verify(body, headers).key_id == PUBLIC
