"""Plivo against plivo-python: the V2 published vector and V3 signatures, both ways."""

from __future__ import annotations

import warnings

import pytest
from plivo.utils import validate_signature
from plivo.utils.signature_v3 import validate_v3_signature

from hooksig import InsecureKeyWarning, InvalidSignature, PerCallUrl, Verifier
from tests.conftest import SECRET
from tests.schemes.test_plivo import FORM, URL, _params


def test_the_v2_published_vector() -> None:
    """plivo-python's test vector (tests/resources/test_signature.py) verifies, the nonce as id."""
    headers = {
        "X-Plivo-Signature-V2": "ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc=",
        "X-Plivo-Signature-V2-Nonce": "12345",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyWarning)  # the SDK test's 13-byte token
        verifier = Verifier("plivo-v2", secret="my_auth_token", public_url=PerCallUrl())
    assert verifier.verify(b"", headers, url="https://answer.url").id == "12345"
    assert validate_signature(
        "https://answer.url", "12345", headers["X-Plivo-Signature-V2"], "my_auth_token"
    )
    with pytest.raises(InvalidSignature):
        verifier.verify(
            b"", {**headers, "X-Plivo-Signature-V2-Nonce": "12346"}, url="https://answer.url"
        )


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", URL, FORM),
        ("POST", URL.split("?", maxsplit=1)[0], FORM),
        ("GET", URL, b""),
        ("POST", URL, b""),
    ],
)
def test_the_sdk_accepts_hooksig_v3_signatures(method: str, url: str, body: bytes) -> None:
    """validate_v3_signature accepts what hooksig signs: GET, POST, with or without query, body."""
    headers = Verifier("plivo", secret=SECRET, public_url=PerCallUrl()).sign(
        body, url=url, method=method, id="nonce-1"
    )
    params = _params(body) if method == "POST" else {}
    assert validate_v3_signature(
        method, url, "nonce-1", SECRET, headers["X-Plivo-Signature-V3"], params
    )


def test_hooksig_accepts_v3_signatures_the_sdk_recomputes() -> None:
    """A header holding another signature, then the SDK's own, verifies (the list is searched)."""
    headers = Verifier("plivo", secret=SECRET, public_url=PerCallUrl()).sign(
        FORM, url=URL, id="nonce-2"
    )
    value = headers["X-Plivo-Signature-V3"]
    assert validate_v3_signature("POST", URL, "nonce-2", SECRET, value, _params(FORM))
    listed = {**headers, "X-Plivo-Signature-V3": "A" * 43 + "=," + value}
    assert (
        Verifier("plivo", secret=SECRET, public_url=PerCallUrl()).verify(FORM, listed, url=URL).id
        == "nonce-2"
    )
