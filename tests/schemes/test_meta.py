"""Meta (and its aliases): the contract, and hub.challenge answered only with the verify token."""

from __future__ import annotations

from typing import ClassVar

import pytest

from hooksig import ConfigurationError, Verifier, schemes
from hooksig.scheme.challenge import hub_challenge
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract


class TestMetaContract(SchemeContract):
    """Meta through the contract."""

    scheme = "meta"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


@pytest.mark.parametrize("alias", ["whatsapp", "instagram", "messenger"])
def test_aliases_are_meta(alias: str) -> None:
    """WhatsApp, Instagram and Messenger sign the same way: the same scheme."""
    assert schemes.get(alias) is schemes.get("meta")


def _verifier(token: str = "my-verify-token") -> Verifier:  # noqa: S107 - a test token
    return Verifier(schemes.configure("meta", challenge=hub_challenge(token)), secret=SECRET)


def test_the_subscription_check_is_answered_with_the_right_token_only() -> None:
    """GET hub.mode=subscribe with the verify token: the challenge comes back, as plain text."""
    path = (
        "/hooks/meta?hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1158201444"
    )
    answer = _verifier().challenge(b"", {}, method="GET", path=path)
    assert answer is not None
    assert (answer.status, answer.body) == (200, b"1158201444")
    assert answer.headers["Content-Type"].startswith("text/plain")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("method", "query"),
    [
        ("GET", "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1"),
        ("GET", "hub.mode=subscribe&hub.challenge=1"),
        ("GET", "hub.mode=unsubscribe&hub.verify_token=my-verify-token&hub.challenge=1"),
        ("GET", "hub.mode=subscribe&hub.verify_token=my-verify-token"),
        ("GET", "hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=%00"),
        (
            "GET",
            "hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1&hub.challenge=2",
        ),
        ("GET", "hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=" + "9" * 5000),
        ("POST", "hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1"),
    ],
    ids=[
        "wrong-token",
        "no-token",
        "other-mode",
        "no-challenge",
        "control",
        "twice",
        "too-long",
        "post",
    ],
)
def test_anything_else_is_not_answered(method: str, query: str) -> None:
    """A wrong or missing token, another mode, a hostile challenge, a POST: not answered."""
    assert _verifier().challenge(b"", {}, method=method, path=f"/hooks/meta?{query}") is None


def test_no_challenge_unless_configured() -> None:
    """The built-in scheme answers nothing: opting in takes a verify token."""
    path = "/hooks/meta?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1"
    assert Verifier("meta", secret=SECRET).challenge(b"", {}, method="GET", path=path) is None
    with pytest.raises(ConfigurationError):
        hub_challenge("")


def test_the_check_can_be_given_as_a_full_url() -> None:
    """challenge(url=...) reads the query of the URL given, as verify() would."""
    verifier = Verifier(schemes.configure("meta", challenge=hub_challenge("tok")), secret=SECRET)
    url = "https://example.com/hooks?hub.mode=subscribe&hub.verify_token=tok&hub.challenge=7"
    answer = verifier.challenge(b"", {}, method="GET", url=url)
    assert answer is not None
    assert answer.body == b"7"
