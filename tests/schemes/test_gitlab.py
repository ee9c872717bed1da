"""GitLab: the plain token (constant-time) and the signed webhook-* format, through the contract."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import (
    ConfigurationError,
    HmacScheme,
    InvalidSignature,
    MalformedSignature,
    MissingSignature,
    Verifier,
)
from hooksig._primitives import compare
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract, TokenContract

SIGNING_KEY = bytes(range(24))
SIGNING_TOKEN = "whsec_" + base64.b64encode(SIGNING_KEY).decode()


class TestGitLabToken(TokenContract):
    """GitLab X-Gitlab-Token: a shared token, not a signature of the body."""

    scheme = "gitlab"
    token_header = "X-Gitlab-Token"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "header"


class TestGitLabSigned(SchemeContract):
    """GitLab's signing token: Standard Webhooks style webhook-* headers."""

    scheme = "gitlab-signed"
    keys: ClassVar = {"secret": SIGNING_TOKEN}
    signs_timestamp = True
    id_source = "signed-header"


def test_token_is_the_header_value() -> None:
    """X-Gitlab-Token carries the secret token itself."""
    verifier = Verifier("gitlab", secret=SECRET)
    assert verifier.sign(BODY)["X-Gitlab-Token"] == SECRET
    assert verifier.verify(BODY, {"X-Gitlab-Token": SECRET}).key_id == "0"
    for wrong in (SECRET[:-1], SECRET + "x", SECRET.upper(), "x"):
        with pytest.raises(InvalidSignature):
            verifier.verify(BODY, {"X-Gitlab-Token": wrong})
    with pytest.raises(MissingSignature):
        verifier.verify(BODY, {"X-Gitlab-Token": ""})


def test_an_empty_token_after_a_prefix_is_malformed() -> None:
    """A token scheme with a prefix refuses a header that holds the prefix alone."""
    bearer = HmacScheme(
        name="bearer", signature_header="Authorization", prefix="Bearer ", construction="token"
    )
    verifier = Verifier(bearer, secret=SECRET)
    assert verifier.verify(BODY, {"Authorization": f"Bearer {SECRET}"}).key_id == "0"
    with pytest.raises(MalformedSignature) as info:
        verifier.verify(BODY, {"Authorization": "Bearer "})
    assert info.value.reason == "empty"


def test_token_is_compared_through_digests_in_constant_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The compare sees equal-length SHA-256 digests, never the token or its length."""
    seen: list[tuple[int, int]] = []
    real = compare.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(compare.hmac, "compare_digest", spy)
    verifier = Verifier("gitlab", secret=SECRET)
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY, {"X-Gitlab-Token": "short"})
    assert seen == [(32, 32)]


def test_non_ascii_token() -> None:
    """A UTF-8 token verifies whether the framework gave latin-1 or decoded text."""
    token = "t\u00f6ken-with-umlaut-0123456789abcdef"
    verifier = Verifier("gitlab", secret=token)
    wire = token.encode("utf-8").decode("latin-1")
    assert verifier.verify(BODY, {"X-Gitlab-Token": wire}).key_id == "0"
    assert verifier.verify(BODY, [(b"X-Gitlab-Token", token.encode())]).key_id == "0"
    assert verifier.verify(BODY, {"X-Gitlab-Token": token}).key_id == "0"


def test_signed_recipe_recomputed_independently() -> None:
    """webhook-signature is v1,base64(HMAC-SHA256(key, id.ts.body)), key base64-decoded."""
    digest = hmac.new(SIGNING_KEY, f"msg_1.{NOW}.".encode() + BODY, hashlib.sha256).digest()
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(NOW),
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }
    assert (
        Verifier("gitlab-signed", secret=SIGNING_TOKEN).verify(BODY, headers, now=NOW).id == "msg_1"
    )


def test_signing_token_that_is_not_base64_says_so() -> None:
    """A token that is not base64 is refused at construction; bytes are used raw."""
    with pytest.raises(ConfigurationError, match="base64"):
        Verifier("gitlab-signed", secret="not base64 at all!")
    assert Verifier("gitlab-signed", secret=b"raw-token-bytes-0123456789abcdef")
