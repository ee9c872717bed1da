"""Figma: the passcode in the JSON body, compared in constant time; the body is not signed."""

from __future__ import annotations

import json

import pytest

from hooksig import InvalidSignature, MalformedSignature, MissingSignature, Verifier

PASSCODE = "figma-passcode-0123456789abcdef"


def _event(passcode: object, **extra: object) -> bytes:
    return json.dumps({"event_type": "FILE_UPDATE", "passcode": passcode, **extra}).encode()


def test_passcode_in_the_body_verifies() -> None:
    """The body's passcode equals the configured one: verified; another one: refused."""
    verifier = Verifier("figma", secret=PASSCODE)
    assert verifier.verify(_event(PASSCODE, webhook_id="1"), {}).key_id == "0"
    with pytest.raises(InvalidSignature):
        verifier.verify(_event(PASSCODE + "x"), {})
    with pytest.raises(InvalidSignature):
        Verifier("figma", secret="another-passcode-0123456789").verify(_event(PASSCODE), {})


def test_missing_or_malformed_passcode() -> None:
    """No passcode is MissingSignature; a non-string or a body that is not JSON is malformed."""
    verifier = Verifier("figma", secret=PASSCODE)
    with pytest.raises(MissingSignature):
        verifier.verify(json.dumps({"event_type": "PING"}).encode(), {})
    for body in (_event(["a"]), b"not json", b'{"passcode": "a", "passcode": "b"}'):
        with pytest.raises(MalformedSignature):
            verifier.verify(body, {})
    with pytest.raises(InvalidSignature):
        verifier.verify(_event(12345), {})  # a number is read as its text, and does not match


def test_a_changed_body_with_the_passcode_still_verifies() -> None:
    """The documented weakness: the passcode authenticates the sender, not the body."""
    verifier = Verifier("figma", secret=PASSCODE)
    assert verifier.verify(_event(PASSCODE, file_key="other"), {}).key_id == "0"
