"""Plivo: the V2 published vector, V3 against Plivo's SDK (both ways), and the contract for both."""

from __future__ import annotations

import urllib.parse
from typing import ClassVar

import pytest

from hooksig import MissingSignature, PerCallUrl, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

URL = "https://example.com/plivo/answer?a=2&b=1"
FORM = b"CallUUID=abc&From=14155550100&To=14155550199&Digits=1&Digits=0"


def _params(body: bytes) -> dict[str, list[str]]:
    return dict(urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items())


def test_a_missing_nonce_is_missing() -> None:
    """The nonce is signed: without it the delivery is MissingSignature."""
    headers = Verifier("plivo", secret=SECRET, public_url=PerCallUrl()).sign(FORM, url=URL, id="n")
    del headers["X-Plivo-Signature-V3-Nonce"]
    with pytest.raises(MissingSignature):
        Verifier("plivo", secret=SECRET, public_url=PerCallUrl()).verify(FORM, headers, url=URL)


class TestPlivoV3(SchemeContract):
    """Plivo V3 through the contract: the URL, sorted form fields and the nonce (the id)."""

    scheme = "plivo"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "signed-header"
    body = FORM
    options: ClassVar = {"public_url": PerCallUrl()}
    request: ClassVar = {"url": URL}


class TestPlivoV2(SchemeContract):
    """Plivo V2 through the contract: the URL without query and the nonce; no body signed."""

    scheme = "plivo-v2"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "signed-header"
    options: ClassVar = {"public_url": PerCallUrl()}
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

    with pytest.raises(ConfigurationError, match="public_url"):
        Verifier("plivo", secret=SECRET)
    verifier = Verifier("plivo", secret=SECRET, public_url=PerCallUrl())
    signature = "A" * 43 + "="  # the base64 of 32 bytes
    headers = {"X-Plivo-Signature-V3": signature, "X-Plivo-Signature-V3-Nonce": "12345"}
    with pytest.raises(ConfigurationError, match="url="):
        verifier.verify(FORM, headers)
    with pytest.raises(MalformedSignature) as info:
        verifier.verify(FORM, headers, url="http://[::1/answer")
    assert info.value.reason == "bad_url"
