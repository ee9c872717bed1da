"""Sinch against its SDK (``service`` label, both ways), labels as configuration, the contract."""

from __future__ import annotations

import base64
from typing import Any, ClassVar

import pytest

from hooksig import InvalidSignature, PerCallUrl, Secret, Verifier, schemes
from tests.schemes.contract import SchemeContract

APP_KEY = "669E367E-6BBA-48AB-AF15-266871C28135"
SECRET_B64 = "BeIukql3pTKJ8RGL5zo0DA=="
PATH = "/sinch/callback/ace"
BODY = (
    b'{"event":"ace","callid":"822aa4b7-05b4-4d83-87c7-1f835ee0b6f6_257",'
    b'"timestamp":"2014-09-24T10:59:41Z","version":1}'
)
NOW = 1411556381


def _verifier(**settings: Any) -> Verifier:
    scheme = schemes.configure("sinch", **settings) if settings else "sinch"
    return Verifier(
        scheme, secret=Secret(SECRET_B64, key_id=APP_KEY), public_url="https://callbacks.example"
    )


def test_a_key_not_configured_is_refused() -> None:
    """The header's application key must name a configured secret."""
    headers = _verifier().sign(BODY, timestamp=NOW, path=PATH)
    other = {**headers, "Authorization": headers["Authorization"].replace(APP_KEY, "OTHER-KEY")}
    with pytest.raises(InvalidSignature):
        _verifier().verify(BODY, other, path=PATH, now=NOW)


class TestSinchContract(SchemeContract):
    """Sinch through the contract (key id "0": a plain secret)."""

    scheme = "sinch"
    keys: ClassVar = {"secret": base64.b64encode(b"hooksig-sinch-secret-0123456789ab").decode()}
    other_keys: ClassVar = {
        "secret": base64.b64encode(b"hooksig-other-secret-0123456789ab").decode()
    }
    signs_timestamp = True
    id_source = "derived"
    options: ClassVar = {"public_url": "https://callbacks.example"}
    request: ClassVar = {"path": PATH}

    def test_rotation(self) -> None:
        """The header names its key: with two applications' secrets, each verifies its own."""
        old = Secret(self.keys["secret"], key_id="old-app")
        new = Secret(self.other_keys["secret"], key_id="new-app")
        signed_by_old = self.sign(self.verifier(secrets=[old]))
        assert (
            self.verify(signed_by_old, verifier=self.verifier(secrets=[new, old])).key_id
            == "old-app"
        )
        with pytest.raises(InvalidSignature):
            self.verify(signed_by_old, verifier=self.verifier(secrets=[new]))


def test_the_url_is_required() -> None:
    """Sinch signs the path: without url= or public_url= the verifier cannot check it."""
    from hooksig import ConfigurationError

    with pytest.raises(ConfigurationError, match="public_url"):
        Verifier("sinch", secret=Secret(SECRET_B64, key_id=APP_KEY))
    verifier = Verifier("sinch", secret=Secret(SECRET_B64, key_id=APP_KEY), public_url=PerCallUrl())
    with pytest.raises(ConfigurationError, match="url="):
        verifier.verify(
            BODY,
            {
                "Authorization": f"application {APP_KEY}:{base64.b64encode(bytes(32)).decode()}",
                "x-timestamp": "2014-09-24T10:59:41Z",
                "Content-Type": "application/json",
            },
            now=NOW,
        )
