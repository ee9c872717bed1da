"""hooksig.errors: one tree, attributes for details, no secrets in messages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hooksig
from hooksig import errors

LEAVES = [
    (hooksig.MissingSignature, "missing_header"),
    (hooksig.MalformedSignature, "malformed"),
    (hooksig.InvalidSignature, "no_match"),
]


def test_tree_matches_the_design() -> None:
    """Every error class sits where DESIGN.md puts it."""
    assert issubclass(hooksig.ConfigurationError, hooksig.WebhookError)
    assert issubclass(hooksig.ConfigurationError, ValueError)
    assert issubclass(hooksig.VerificationError, hooksig.WebhookError)
    for leaf in (
        hooksig.MissingSignature,
        hooksig.MalformedSignature,
        hooksig.InvalidSignature,
        hooksig.TimestampOutOfTolerance,
    ):
        assert issubclass(leaf, hooksig.VerificationError)
    for other in (
        hooksig.PayloadTooLarge,
        hooksig.DuplicateDelivery,
        hooksig.StoreUnavailable,
        hooksig.MalformedPayload,
    ):
        assert issubclass(other, hooksig.WebhookError)
        assert not issubclass(other, hooksig.VerificationError)
    assert issubclass(hooksig.MalformedPayload, ValueError)


def test_every_public_error_is_in_errors_all() -> None:
    """errors.__all__ lists exactly the classes the module defines."""
    defined = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, (Exception, Warning))
    }
    assert defined == set(errors.__all__)


@pytest.mark.parametrize(("cls", "reason"), LEAVES)
def test_default_reason_per_leaf(cls: type[hooksig.VerificationError], reason: str) -> None:
    """Each leaf carries its own default reason code and no header or scheme."""
    exc = cls("header X is bad")
    assert exc.reason == reason
    assert exc.header is None
    assert exc.scheme is None
    assert str(exc) == "header X is bad"


def test_verification_error_keeps_attributes() -> None:
    """reason, header and scheme given at construction are kept."""
    exc = hooksig.VerificationError("bad", reason="bad_hex", header="X-Sig", scheme="acme")
    assert (exc.reason, exc.header, exc.scheme) == ("bad_hex", "X-Sig", "acme")
    assert hooksig.VerificationError("bad").reason == "verification_failed"


def test_timestamp_out_of_tolerance_attributes() -> None:
    """TimestampOutOfTolerance carries the timestamp, now and the default reason."""
    exc = hooksig.TimestampOutOfTolerance("old", timestamp=1.0, now=500.0, header="t")
    assert (exc.timestamp, exc.now, exc.reason, exc.header) == (1.0, 500.0, "stale", "t")


def test_extra_not_installed_is_config_and_import_error() -> None:
    """A missing extra is a ConfigurationError and an ImportError with the install hint."""
    exc = hooksig.ExtraNotInstalled("crypto", "cryptography")
    assert isinstance(exc, hooksig.ConfigurationError)
    assert isinstance(exc, ImportError)
    assert (exc.extra, exc.package) == ("crypto", "cryptography")
    assert 'pip install "hooksig[crypto]"' in str(exc)


def test_payload_too_large_limit() -> None:
    """PayloadTooLarge names its limit."""
    exc = hooksig.PayloadTooLarge(1024)
    assert exc.limit == 1024
    assert "1024" in str(exc)


@pytest.mark.parametrize(("state", "words"), [("done", "done"), ("in_progress", "in progress")])
def test_duplicate_delivery_state(state: str, words: str) -> None:
    """DuplicateDelivery keeps its state and key and reads naturally."""
    exc = hooksig.DuplicateDelivery(state, key="evt_1")
    assert (exc.state, exc.key) == (state, "evt_1")
    assert str(exc) == f"delivery already {words}"
    assert hooksig.DuplicateDelivery("done").key is None


def test_warnings_tree() -> None:
    """InsecureKeyWarning is a HooksigWarning, itself a UserWarning."""
    assert issubclass(hooksig.InsecureKeyWarning, hooksig.HooksigWarning)
    assert issubclass(hooksig.HooksigWarning, UserWarning)


def test_errors_module_imports_nothing_from_hooksig() -> None:
    """errors.py imports no other hooksig module, so it can never cause an import loop."""
    tree = ast.parse(Path(errors.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.level or "hooksig" in (node.module or ""))
    ]
    imported += [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith("hooksig")
    ]
    assert imported == []


def test_messages_never_echo_the_secret_or_signature(secret: str) -> None:
    """A failed verification's message holds neither the secret, nor the expected or sent MAC."""
    verifier = hooksig.Verifier("github", secret=secret)
    good = verifier.sign(b"payload")["X-Hub-Signature-256"]
    sent = "sha256=" + "ab" * 32
    with pytest.raises(hooksig.InvalidSignature) as info:
        verifier.verify(b"payload", {"X-Hub-Signature-256": sent})
    text = str(info.value) + repr(info.value.args)
    assert secret not in text
    assert good.removeprefix("sha256=") not in text
    assert "ab" * 32 not in text
