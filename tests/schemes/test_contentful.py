"""
Contentful: a vector made by its own toolkit, the toolkit's path encoding, and the contract.

@contentful/node-apps-toolkit 3.16.1 ``signRequest(secret, {method POST, path
"/api/webhook?x=1&y=a b", headers {Content-Type: application/json, X-Custom: " v "},
body '{"a":1}'}, 1603379941037)`` printed the headers below (run offline by
the issue's research, contentful/node-apps-toolkit@42bf35e; the toolkit's own
tests fix no values).
"""

from __future__ import annotations

from typing import ClassVar

import pytest

from hooksig import (
    InvalidSignature,
    MalformedSignature,
    MissingSignature,
    PerCallUrl,
    TimestampOutOfTolerance,
    Verifier,
)
from hooksig.schemes.contentful import encoded_path
from tests.schemes.contract import SchemeContract

SECRET = "a" * 64
TOOLKIT = {
    "x-contentful-signature": "97a7a5c04ae91de2bac2605c4b01cac30a681f5f20668a0f1b1ec8bd2618e33a",
    "x-contentful-signed-headers": (
        "content-type,x-contentful-signed-headers,x-contentful-timestamp,x-custom"
    ),
    "x-contentful-timestamp": "1603379941037",
    "Content-Type": "application/json",
    "X-Custom": " v ",
}
URL = "https://example.com/api/webhook?x=1&y=a b"


def test_the_toolkits_vector() -> None:
    """The toolkit's signature verifies; changing a signed header or the body does not."""
    verifier = Verifier("contentful", secret=SECRET, public_url=PerCallUrl())
    assert verifier.verify(b'{"a":1}', TOOLKIT, url=URL, now=1603379941.037).timestamp == 1603379941
    with pytest.raises(InvalidSignature):
        verifier.verify(b'{"a":1}', {**TOOLKIT, "X-Custom": "w"}, url=URL, now=1603379941)
    with pytest.raises(TimestampOutOfTolerance):  # the toolkit's 30 seconds
        verifier.verify(b'{"a":1}', TOOLKIT, url=URL, now=1603379972)


def test_the_path_is_encoded_as_the_toolkit_encodes_it() -> None:
    """encodeURI(path + "?" + querystring.escape(query)): the query's escapes are escaped again."""
    assert encoded_path("/api/webhook?x=1&y=a b") == "/api/webhook?x%253D1%2526y%253Da%2520b"
    assert encoded_path("/a b/c") == "/a%20b/c"
    assert encoded_path("/p?q=1?r=2") == "/p?q%253D1"


@pytest.mark.parametrize(
    ("listed", "error"),
    [
        (
            "content-type,x-missing,x-contentful-signed-headers,x-contentful-timestamp",
            MissingSignature,
        ),
        ("Content-Type,x-contentful-signed-headers,x-contentful-timestamp", MalformedSignature),
        (
            "content-type,content-type,x-contentful-signed-headers,x-contentful-timestamp",
            MalformedSignature,
        ),
    ],
    ids=["listed-but-absent", "not-lower-case", "repeated"],
)
def test_the_signed_header_list_is_strict(listed: str, error: type[Exception]) -> None:
    """A listed header that is absent (the toolkit skips it), malformed or repeated: refused."""
    with pytest.raises(error):
        Verifier("contentful", secret=SECRET, public_url=PerCallUrl()).verify(
            b'{"a":1}', {**TOOLKIT, "x-contentful-signed-headers": listed}, url=URL, now=1603379941
        )


class TestContentfulContract(SchemeContract):
    """Contentful through the contract: the signed-header list written by sign()."""

    scheme = "contentful"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "derived"
    options: ClassVar = {"public_url": PerCallUrl()}
    request: ClassVar = {"url": "https://example.com/hooks/contentful?space=1"}
    optional_headers: ClassVar = frozenset()

    def test_missing_headers(self) -> None:
        """Dropping the signature, the list or the timestamp is MissingSignature."""
        headers = self.sign()
        for name in headers:
            with pytest.raises(MissingSignature):
                self.verify({k: v for k, v in headers.items() if k != name})


def test_the_url_is_required() -> None:
    """Contentful signs the path: without url= or public_url= the verifier cannot check it."""
    from hooksig import ConfigurationError

    with pytest.raises(ConfigurationError, match="public_url"):
        Verifier("contentful", secret=SECRET)
    verifier = Verifier("contentful", secret=SECRET, public_url=PerCallUrl())
    with pytest.raises(ConfigurationError, match="url="):
        verifier.verify(b'{"a":1}', TOOLKIT, now=1603379941.037)
