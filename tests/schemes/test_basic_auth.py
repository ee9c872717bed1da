"""HTTP Basic credentials (Postmark, Mailjet, SparkPost, Pipedrive, Chargebee, Brevo), as tokens."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import ClassVar

import pytest

from hooksig import ConfigurationError, InvalidSignature, MalformedSignature, Verifier, schemes
from hooksig._primitives import compare
from tests.schemes.contract import BODY, TokenContract

CREDENTIALS = "hooks-user:correct horse battery staple"


def _basic(text: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(text.encode()).decode()}


class TestBasicAuth(TokenContract):
    """Authorization: Basic base64(user:password), compared part by part."""

    scheme = "basic-auth"
    token_header = "Authorization"
    keys: ClassVar = {"secret": CREDENTIALS}
    other_keys: ClassVar = {"secret": "another-user:another password"}
    signs_timestamp = False
    id_source = "derived"

    def tamper_signature(self, headers: Mapping[str, str]) -> dict[str, str]:
        """The same user with another password of the same length."""
        return _basic("hooks-user:correct horse battery stapl3")

    def test_rotation(self) -> None:
        """With [new, old] credentials both verify, reported by position; new ones sign."""
        new = "hooks-user:a brand new password 0123"
        ring = self.verifier(secrets=[new, CREDENTIALS])
        assert self.verify(_basic(CREDENTIALS), verifier=ring).key_id == "1"
        assert self.verify(_basic(new), verifier=ring).key_id == "0"
        assert ring.sign(BODY) == _basic(new)


@pytest.mark.parametrize(
    "alias", ["postmark", "mailjet", "sparkpost", "pipedrive", "chargebee", "brevo"]
)
def test_providers_are_aliases(alias: str) -> None:
    """Each provider's name is the one basic-auth scheme."""
    assert schemes.get(alias) is schemes.get("basic-auth")
    assert Verifier(alias, secret=CREDENTIALS).verify(BODY, _basic(CREDENTIALS)).key_id == "0"


@pytest.mark.parametrize(
    "sent",
    [
        "hooks-user:wrong",
        "other-user:correct horse battery staple",
        "hooks-user:",
        ":x",
        "hooks-user",
    ],
)
def test_wrong_user_or_password(sent: str) -> None:
    """A wrong user, a wrong password or no colon is refused."""
    with pytest.raises((InvalidSignature, MalformedSignature)):
        Verifier("basic-auth", secret=CREDENTIALS).verify(BODY, _basic(sent))


@pytest.mark.parametrize(
    "value",
    ["Bearer abc", "basic " + base64.b64encode(b"a:b").decode(), "Basic not*base64", "Basic YTpi="],
)
def test_malformed_headers(value: str) -> None:
    """Another scheme, another case or non-canonical base64 is malformed, never accepted."""
    with pytest.raises(MalformedSignature):
        Verifier("basic-auth", secret=CREDENTIALS).verify(BODY, {"Authorization": value})


def test_secret_must_be_user_colon_password() -> None:
    """A secret without a colon cannot be Basic credentials: refused at construction."""
    with pytest.raises(ConfigurationError, match="user:password"):
        Verifier("basic-auth", secret="no-colon-here-0123456789")


def test_user_and_password_are_compared_through_digests(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compare sees two SHA-256 digests each side, whatever the lengths sent."""
    seen: list[tuple[int, int]] = []
    real = compare.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(compare.hmac, "compare_digest", spy)
    with pytest.raises(InvalidSignature):
        Verifier("basic-auth", secret=CREDENTIALS).verify(BODY, _basic("u:p"))
    assert seen == [(64, 64)]


def test_sign_writes_the_basic_header() -> None:
    """sign() gives the header a provider sends."""
    assert Verifier("basic-auth", secret=CREDENTIALS).sign(BODY) == _basic(CREDENTIALS)
