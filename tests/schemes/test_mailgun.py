"""Mailgun through the scheme contract: the signature object travels inside the JSON body."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import pytest

from hooksig import (
    ConfigurationError,
    Delivery,
    InvalidSignature,
    MalformedSignature,
    MissingSignature,
    Verifier,
)
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, BODY_ID, ID, SchemeContract

PREFIX = "body.signature."


def _pairs(headers: Any) -> Iterable[tuple[str, str]]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    for name, value in items:
        text = name.decode("latin-1") if isinstance(name, bytes) else name
        yield text, value.decode("latin-1") if isinstance(value, bytes) else value


def fold(headers: Any, event: bytes) -> bytes:
    """Place the signed fields (as sign() returns them) into a Mailgun body, duplicates kept."""
    fields = [
        f"{json.dumps(name.lower()[len(PREFIX) :])}: {json.dumps(value)}"
        for name, value in _pairs(headers)
        if name.lower().startswith(PREFIX)
    ]
    return b'{"signature": {' + ", ".join(fields).encode() + b'}, "event-data": ' + event + b"}"


def _fields(body: bytes) -> dict[str, str]:
    """The signature object of a Mailgun body, as body.signature.* pseudo-headers."""
    return {PREFIX + name: value for name, value in json.loads(body)["signature"].items()}


class TestMailgun(SchemeContract):
    """Mailgun: the contract, with signed_request()'s fields folded into the body by verify()."""

    scheme = "mailgun"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "signed-header"

    def sign(
        self, verifier: Verifier | None = None, body: bytes | None = None, **kwargs: Any
    ) -> dict[str, str]:
        """signed_request(), its body's signature object given back as pseudo-headers."""
        kwargs.setdefault("timestamp", NOW)
        kwargs.setdefault("id", ID)
        signed, headers = (verifier or self.verifier()).signed_request(
            self.body if body is None else body, **self.request, **kwargs
        )
        return {**headers, **_fields(signed)}

    def verify(
        self,
        headers: Any,
        body: bytes | None = None,
        verifier: Verifier | None = None,
        **kwargs: Any,
    ) -> Delivery:
        """Fold the signature fields into the body; other headers pass through unchanged."""
        event = self.body if body is None else body
        if not isinstance(event, bytes):
            return super().verify(headers, body=event, verifier=verifier, **kwargs)
        return super().verify(headers, body=fold(headers, event), verifier=verifier, **kwargs)

    def signature_headers(self) -> set[str]:
        """The signature covers timestamp and token only, so name it directly."""
        return {PREFIX + "signature"}

    def tamper_signature(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Change the first hex digit of the signature."""
        value = headers[PREFIX + "signature"]
        return {**headers, PREFIX + "signature": ("0" if value[0] != "0" else "1") + value[1:]}

    def tamper_body(self, body: bytes) -> bytes:
        """Change the event data while keeping it JSON."""
        return body.replace(b"1234", b"9999")

    def test_tampered_body(self) -> None:
        """Mailgun does not sign the event data: a changed event still verifies (documented)."""
        delivery = self.verify(self.sign(), body=self.tamper_body(self.body))
        assert delivery.id == BODY_ID

    def test_round_trip(self) -> None:
        """The Delivery is the whole Mailgun body, the event's id as id, and the signed time."""
        headers = self.sign()
        delivery = self.verify(headers)
        assert delivery.body == fold(headers, self.body)
        assert json.loads(delivery.body)["signature"]["token"] == ID
        assert json.loads(delivery.body)["event-data"]["id"] == BODY_ID
        assert (delivery.scheme, delivery.id, delivery.timestamp) == ("mailgun", BODY_ID, NOW)

    def test_round_trip_header_shapes(self) -> None:
        """The fields read the same whatever shape the sign() output had."""
        headers = self.sign()
        for shaped in (
            {name.upper(): value for name, value in headers.items()},
            [(name.encode(), value.encode("latin-1")) for name, value in headers.items()],
        ):
            assert self.verify(shaped).id == BODY_ID


def test_recipe_recomputed_independently() -> None:
    """signature = hex(HMAC-SHA256(signing key, timestamp + token))."""
    token = "a" * 50
    digest = hmac.new(SECRET.encode(), f"{NOW}{token}".encode(), hashlib.sha256).hexdigest()
    body = json.dumps(
        {
            "signature": {"timestamp": str(NOW), "token": token, "signature": digest},
            "event-data": {},
        }
    ).encode()
    delivery = Verifier("mailgun", secret=SECRET).verify(body, {}, now=NOW)
    # No event-data.id: the signed token is the key.
    assert (delivery.id, delivery.timestamp) == (token, NOW)


def test_parent_signature_verifies_with_the_primary_accounts_key() -> None:
    """A subaccount event's parent-signature (same recipe, the parent's key) verifies."""
    token, parent = "b" * 50, "parent-account-signing-key-0123456789"
    content = f"{NOW}{token}".encode()
    body = json.dumps(
        {
            "signature": {
                "timestamp": str(NOW),
                "token": token,
                "signature": hmac.new(SECRET.encode(), content, hashlib.sha256).hexdigest(),
                "parent-signature": hmac.new(parent.encode(), content, hashlib.sha256).hexdigest(),
            },
            "event-data": {},
        }
    ).encode()
    assert Verifier("mailgun", secret=parent).verify(body, {}, now=NOW).id == token
    assert Verifier("mailgun", secret=SECRET).verify(body, {}, now=NOW).id == token
    ring = Verifier("mailgun", secrets=[parent, SECRET])
    assert ring.verify(body, {}, now=NOW).key_id in {"0", "1"}
    with pytest.raises(InvalidSignature):
        Verifier("mailgun", secret="another-signing-key-0123456789ab").verify(body, {}, now=NOW)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"event=delivered", MalformedSignature),
        (b"[]", MissingSignature),
        (b'{"signature": "abc"}', MissingSignature),
        (b'{"signature": {"signature": 12, "timestamp": "1", "token": "t"}}', MalformedSignature),
        (b'{"signature": {"signature": null}}', MissingSignature),
    ],
)
def test_bad_signature_objects(body: bytes, error: type[Exception]) -> None:
    """A body without a well-formed signature object is refused with a hooksig error."""
    with pytest.raises(error):
        Verifier("mailgun", secret=SECRET).verify(body, {}, now=NOW)


def test_signed_request_puts_the_signature_object_in_the_body() -> None:
    """signed_request() returns Mailgun's body, signature object set, and no headers."""
    verifier = Verifier("mailgun", secret=SECRET)
    body, headers = verifier.signed_request(BODY, timestamp=NOW, id="tok")
    document = json.loads(body)
    assert headers == {}
    assert document["data"] == json.loads(BODY)["data"]
    assert sorted(document["signature"]) == ["signature", "timestamp", "token"]
    assert (document["signature"]["timestamp"], document["signature"]["token"]) == (str(NOW), "tok")
    assert verifier.verify(body, headers, now=NOW).id == "tok"


def test_sign_refuses_a_scheme_signed_in_the_body() -> None:
    """sign() returns headers only: for Mailgun it says to use signed_request() instead."""
    with pytest.raises(ConfigurationError, match="signed_request"):
        Verifier("mailgun", secret=SECRET).sign(BODY, timestamp=NOW)


@pytest.mark.parametrize("body", [b"[1, 2]", b"not json", b'{"signature": "a string"}'])
def test_signed_request_needs_a_json_object_body(body: bytes) -> None:
    """The fields go into a JSON object; another body is a ConfigurationError, not a crash."""
    with pytest.raises(ConfigurationError, match="JSON object"):
        Verifier("mailgun", secret=SECRET).signed_request(body, timestamp=NOW)


def test_signed_request_of_a_header_scheme_is_sign() -> None:
    """For a scheme signed in headers, signed_request() is the body unchanged and sign()."""
    verifier = Verifier("github", secret=SECRET)
    assert verifier.signed_request(BODY, id="d-1") == (BODY, verifier.sign(BODY, id="d-1"))
