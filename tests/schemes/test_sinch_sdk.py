"""Sinch against its SDK and the docs' example."""

from __future__ import annotations

import pytest

from hooksig import MalformedSignature
from tests.schemes.test_sinch import APP_KEY, BODY, NOW, PATH, SECRET_B64, _verifier


def test_the_sdk_accepts_hooksig_signatures_under_its_service_label() -> None:
    """validate_authentication_header (service scheme only) accepts what hooksig signs."""
    # Imported here, not at the top: every test worker collects this module, and the
    # SDK takes seconds to import; only the worker that runs the test pays for it.
    from sinch.core.internal.sinch_events.authorization_helpers import (
        validate_authentication_header,
    )

    verifier = _verifier(labels=("service",))
    headers = verifier.sign(BODY, timestamp=NOW, path=PATH)
    assert headers["Authorization"].startswith(f"service {APP_KEY}:")
    assert validate_authentication_header(APP_KEY, SECRET_B64, headers, BODY, PATH, "POST")
    assert not validate_authentication_header(
        APP_KEY, SECRET_B64, headers, BODY + b" ", PATH, "POST"
    )


def test_hooksig_accepts_the_docs_example_under_application() -> None:
    """The docs' example header (label application) verifies; the SDK itself refuses that label."""
    from sinch.core.internal.sinch_events.authorization_helpers import (
        validate_authentication_header,
    )

    headers = {
        "Authorization": f"application {APP_KEY}:Tg6fMyo8mj9pYfWQ9ssbx3Tc1BNC87IEygAfLbJqZb4=",
        "Content-Type": "application/json",
        "X-Timestamp": "2014-09-24T10:59:41Z",
    }
    assert _verifier().verify(BODY, headers, path=PATH, now=NOW + 20).key_id == APP_KEY
    assert not validate_authentication_header(APP_KEY, SECRET_B64, headers, BODY, PATH, "POST")
    verification = {
        **headers,
        "Authorization": headers["Authorization"].replace("application", "Application"),
    }
    with pytest.raises(MalformedSignature):
        _verifier().verify(BODY, verification, path=PATH, now=NOW + 20)
    assert _verifier(labels=("Application",)).verify(BODY, verification, path=PATH, now=NOW + 20)
