"""WorkOS against the workos SDK's verify_header, both ways."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest

from hooksig import InvalidSignature, TimestampOutOfTolerance, Verifier
from tests.conftest import NOW, SECRET
from tests.schemes.test_workos import BODY


def _sdk(body: bytes, header: str, now: int) -> None:
    # Imported here, not at the top: every test worker collects this module, and the
    # SDK takes a second to import; only the worker that runs the test pays for it.
    from workos.webhooks._verification import verify_header

    real = time.time
    time.time = lambda: float(now)  # verify_header reads time.time() itself
    try:
        verify_header(event_body=body, event_signature=header, secret=SECRET)
    finally:
        time.time = real


def test_sdk_accepts_hooksig_signatures_and_refuses_tampering() -> None:
    """verify_header accepts what hooksig signs, and refuses a changed body."""
    header = Verifier("workos", secret=SECRET).sign(BODY, timestamp=NOW)["WorkOS-Signature"]
    _sdk(BODY, header, NOW)
    with pytest.raises(ValueError, match="Signature hash does not match"):
        _sdk(BODY + b" ", header, NOW)


def test_hooksig_accepts_what_the_sdk_accepts_within_its_window() -> None:
    """A header the SDK accepts verifies with hooksig; both refuse it 181 s later."""
    t = f"{NOW}000"
    digest = hmac.new(SECRET.encode(), f"{t}.".encode() + BODY, hashlib.sha256).hexdigest()
    header = f"t={t}, v1={digest}"
    _sdk(BODY, header, NOW + 180)
    verifier = Verifier("workos", secret=SECRET)
    assert verifier.verify(BODY, {"WorkOS-Signature": header}, now=NOW + 180).key_id == "0"
    with pytest.raises(ValueError, match="tolerance"):
        _sdk(BODY, header, NOW + 181)
    with pytest.raises(TimestampOutOfTolerance):
        verifier.verify(BODY, {"WorkOS-Signature": header}, now=NOW + 181)
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY + b" ", {"WorkOS-Signature": header}, now=NOW)
