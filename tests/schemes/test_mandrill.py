"""Mandrill: recomputed from Mandrill's published recipe (no vector published), and the contract."""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from typing import ClassVar

import pytest

from hooksig import MalformedSignature, PerCallUrl, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract

URL = "https://example.com/mandrill/events?tenant=1"
FORM = urllib.parse.urlencode({"mandrill_events": '[{"event": "send", "_id": "abc"}]'}).encode()


def test_the_recipe_recomputed_independently() -> None:
    """base64(HMAC-SHA1(key, URL + each field name and value, sorted)), computed here."""
    fields = {"mandrill_events": '[{"event": "send", "_id": "abc"}]', "b": "2", "a": "1"}
    body = urllib.parse.urlencode(fields).encode()
    signed = URL + "".join(name + fields[name] for name in sorted(fields))
    signature = base64.b64encode(
        hmac.digest(SECRET.encode(), signed.encode(), hashlib.sha1)
    ).decode()
    assert Verifier("mandrill", secret=SECRET, public_url=PerCallUrl()).verify(
        body, {"X-Mandrill-Signature": signature}, url=URL
    )


def test_a_field_sent_twice_is_refused() -> None:
    """How Mandrill signs a repeated field is unconfirmed: it is refused, not guessed."""
    headers = {"X-Mandrill-Signature": "A" * 27 + "="}
    with pytest.raises(MalformedSignature):
        Verifier("mandrill", secret=SECRET, public_url=PerCallUrl()).verify(
            b"a=1&a=2", headers, url=URL
        )


class TestMandrillContract(SchemeContract):
    """Mandrill through the contract."""

    scheme = "mandrill"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"
    body = FORM
    options: ClassVar = {"public_url": PerCallUrl()}
    request: ClassVar = {"url": URL}


def test_the_url_is_required() -> None:
    """Mandrill signs the URL: a verifier needs public_url=, and PerCallUrl() a url= per call."""
    from hooksig import ConfigurationError

    with pytest.raises(ConfigurationError, match="public_url"):
        Verifier("mandrill", secret=SECRET)
    verifier = Verifier("mandrill", secret=SECRET, public_url=PerCallUrl())
    with pytest.raises(ConfigurationError, match="url="):
        verifier.verify(FORM, {"X-Mandrill-Signature": base64.b64encode(bytes(20)).decode()})
