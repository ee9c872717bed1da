"""
Inputs a scheme cannot read, answered with its typed refusal or ``None``.

The testing toolkit's strategies reach these too, but they run untraced by
coverage (tests/conftest.py: ``untraced``); these plain tests keep each
refusal under the gate.
"""

from __future__ import annotations

import pytest

import hooksig
from hooksig import Headers, MalformedSignature
from hooksig._primitives import crypto
from hooksig.scheme import Request, SignsBodyPart
from hooksig.scheme.fields import form_fields
from tests.schemes.fetching import RSA_PEM, private


def test_a_form_body_that_is_not_utf8_is_malformed() -> None:
    """Form fields are read from UTF-8 only: other bytes are a bad form, not a crash."""
    with pytest.raises(MalformedSignature) as refused:
        form_fields(Request(b"a=\xff\xfe", Headers()))
    assert refused.value.reason == "bad_form"
    assert form_fields(Request(b"a=1&b=2", Headers())) == {"a": ["1"], "b": ["2"]}


def test_an_rsa_signature_of_the_wrong_length_is_refused_before_the_math() -> None:
    """A signature shorter or longer than the modulus is False, never an exception."""
    key = private(RSA_PEM)
    message = b"signed"
    good = crypto.rsa_sign(key, message, "sha256")
    public = key.public_key()
    assert crypto.rsa_verify(public, good, message, "sha256") is True
    for signature in (b"", good[:-1], good + b"\x00"):
        assert crypto.rsa_verify(public, signature, message, "sha256") is False


@pytest.mark.parametrize("name", ["apple-app-store", "adyen", "microsoft-graph"])
@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe", b"[]"])
def test_a_body_the_scheme_cannot_read_has_no_signed_part(name: str, body: bytes) -> None:
    """``signed_body_part`` of an unreadable body is None: the toolkit treats it as unsigned."""
    scheme = hooksig.schemes.get(name)
    assert isinstance(scheme, SignsBodyPart)
    assert scheme.signed_body_part(body) is None
