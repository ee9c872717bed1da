"""Plivo: the V2 published vector, V3 against Plivo's SDK (both ways), and the contract for both."""

from __future__ import annotations

import urllib.parse
import warnings
from typing import ClassVar

import pytest
from plivo.utils import validate_signature
from plivo.utils.signature_v3 import validate_v3_signature

from hooksig import InsecureKeyWarning, InvalidSignature, MissingSignature, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

URL = "https://example.com/plivo/answer?a=2&b=1"
FORM = b"CallUUID=abc&From=14155550100&To=14155550199&Digits=1&Digits=0"


def test_the_v2_published_vector() -> None:
    """plivo-python's test vector (tests/resources/test_signature.py) verifies, the nonce as id."""
    headers = {
        "X-Plivo-Signature-V2": "ehV3IKhLysWBxC1sy8INm0qGoQYdYsHwuoKjsX7FsXc=",
        "X-Plivo-Signature-V2-Nonce": "12345",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyWarning)  # the SDK test's 13-byte token
        verifier = Verifier("plivo-v2", secret="my_auth_token")
    assert verifier.verify(b"", headers, url="https://answer.url").id == "12345"
    assert validate_signature(
        "https://answer.url", "12345", headers["X-Plivo-Signature-V2"], "my_auth_token"
    )
    with pytest.raises(InvalidSignature):
        verifier.verify(
            b"", {**headers, "X-Plivo-Signature-V2-Nonce": "12346"}, url="https://answer.url"
        )


def _params(body: bytes) -> dict[str, list[str]]:
    return dict(urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items())


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
    headers = Verifier("plivo", secret=SECRET).sign(body, url=url, method=method, id="nonce-1")
    params = _params(body) if method == "POST" else {}
    assert validate_v3_signature(
        method, url, "nonce-1", SECRET, headers["X-Plivo-Signature-V3"], params
    )


def test_hooksig_accepts_v3_signatures_the_sdk_recomputes() -> None:
    """A header holding another signature, then the SDK's own, verifies (the list is searched)."""
    headers = Verifier("plivo", secret=SECRET).sign(FORM, url=URL, id="nonce-2")
    value = headers["X-Plivo-Signature-V3"]
    assert validate_v3_signature("POST", URL, "nonce-2", SECRET, value, _params(FORM))
    listed = {**headers, "X-Plivo-Signature-V3": "A" * 43 + "=," + value}
    assert Verifier("plivo", secret=SECRET).verify(FORM, listed, url=URL).id == "nonce-2"


def test_a_missing_nonce_is_missing() -> None:
    """The nonce is signed: without it the delivery is MissingSignature."""
    headers = Verifier("plivo", secret=SECRET).sign(FORM, url=URL, id="n")
    del headers["X-Plivo-Signature-V3-Nonce"]
    with pytest.raises(MissingSignature):
        Verifier("plivo", secret=SECRET).verify(FORM, headers, url=URL)


class TestPlivoV3(SchemeContract):
    """Plivo V3 through the contract: the URL, sorted form fields and the nonce (the id)."""

    scheme = "plivo"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "signed-header"
    body = FORM
    request: ClassVar = {"url": URL}


class TestPlivoV2(SchemeContract):
    """Plivo V2 through the contract: the URL without query and the nonce; no body signed."""

    scheme = "plivo-v2"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "signed-header"
    request: ClassVar = {"url": URL}

    def signature_headers(self) -> set[str]:
        """The signature does not change with the body."""
        return {"X-Plivo-Signature-V2"}

    def tamper_signature(self, headers: dict[str, str]) -> dict[str, str]:
        """Replace the first base64 character."""
        value = headers["X-Plivo-Signature-V2"]
        return {**headers, "X-Plivo-Signature-V2": ("B" if value[0] == "A" else "A") + value[1:]}

    def test_tampered_body(self) -> None:
        """V2 signs no body (Plivo's design): a changed body still verifies."""
        assert self.verify(self.sign(), body=self.tamper_body(self.body)).id == "msg_contract_1"


def test_the_url_is_required_and_must_parse() -> None:
    """Plivo signs the URL: none is a ConfigurationError, a broken one a MalformedSignature."""
    from hooksig import ConfigurationError, MalformedSignature

    verifier = Verifier("plivo", secret=SECRET)
    signature = "A" * 43 + "="  # the base64 of 32 bytes
    headers = {"X-Plivo-Signature-V3": signature, "X-Plivo-Signature-V3-Nonce": "12345"}
    with pytest.raises(ConfigurationError, match="URL"):
        verifier.verify(FORM, headers)
    with pytest.raises(MalformedSignature) as info:
        verifier.verify(FORM, headers, url="http://[::1/answer")
    assert info.value.reason == "bad_url"
