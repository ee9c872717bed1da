"""Scheme.info: what a scheme is, as data, derived from a declaration or given by a plugin."""

from __future__ import annotations

import dataclasses

import pytest

import hooksig
from hooksig.scheme import (
    BodyField,
    Evidence,
    HeaderField,
    HmacScheme,
    Pairs,
    Scheme,
    SchemeInfo,
)


def _info(name: str) -> SchemeInfo:
    return hooksig.schemes.get(name).info


def test_every_registered_scheme_describes_itself() -> None:
    """Every name resolves to a Scheme whose info is complete and consistent."""
    for name in hooksig.schemes.names():
        scheme = hooksig.schemes.get(name)
        assert isinstance(scheme, Scheme)
        info = scheme.info
        assert info.name == scheme.name
        assert all((info.algorithm, info.construction, info.signed_content, info.docs_url))
        assert all((info.signature_headers, info.signature_value))
        assert info.key_kinds
        assert info.tolerance == scheme.default_tolerance
        assert (info.timestamp_unit is None) is (info.tolerance is None)
        assert info.handshake is (scheme.handshake is not None)
        assert info.id_source is not None
        assert info.evidence is not None


def test_github() -> None:
    """A plain HMAC declaration, field by field."""
    info = _info("github")
    assert (info.algorithm, info.construction, info.encoding) == ("sha256", "hmac", "hex")
    assert info.signature_headers == ("X-Hub-Signature-256",)
    assert info.signature_value == "sha256=<hex>"
    assert (info.timestamp_unit, info.tolerance, info.timestamp_headers) == (None, None, ())
    assert (info.key_kinds, info.secret_format) == (("secret",), "utf-8")
    assert (info.signs_url, info.body_shape, info.body_fields) == (False, "bytes", ())
    assert info.signed_content == "{body}"
    assert info.evidence is not None
    assert info.evidence.kind == "vector"


@pytest.mark.parametrize(
    ("name", "kinds", "secret_format"),
    [
        ("standard-webhooks", ("secret", "public-key"), "whsec"),
        ("discord", ("public-key",), None),
        ("sendgrid", ("public-key",), None),
        ("gitlab", ("token",), "utf-8"),
        ("stripe", ("secret",), "utf-8"),
    ],
)
def test_key_kinds(name: str, kinds: tuple[str, ...], secret_format: str | None) -> None:
    """What a verifier may be given, and how a secret given as text is read."""
    info = _info(name)
    assert (info.key_kinds, info.secret_format) == (kinds, secret_format)


@pytest.mark.parametrize(
    ("name", "signs_url", "shape"),
    [
        ("twilio", True, "form"),
        ("trello", True, "text"),
        ("square", True, "bytes"),
        ("hubspot", True, "bytes"),
        ("mailgun", False, "json"),
        ("linear", False, "json"),
        ("stripe", False, "bytes"),
    ],
)
def test_url_and_body_shape(name: str, signs_url: bool, shape: str) -> None:
    """Whether the verifier needs public_url=, and what bodies look like."""
    info = _info(name)
    assert (info.signs_url, info.body_shape) == (signs_url, shape)


def test_body_fields_and_timestamps() -> None:
    """Fields read from the body before verification; where the timestamp is and in what unit."""
    mailgun = _info("mailgun")
    assert mailgun.body_fields == (
        "body.signature.signature",
        "body.signature.parent-signature",
        "body.signature.timestamp",
        "body.signature.token",
    )
    assert (_info("linear").timestamp_unit, _info("linear").tolerance) == ("ms", 60)
    assert _info("stripe").signature_value == "t=<unix>,v1=<hex>"
    assert _info("twitch").timestamp_unit == "rfc3339"
    assert _info("sendgrid").signature_value == "<base64> (DER)"


def test_a_declaration_derives_its_info() -> None:
    """A scheme of your own gets info from its fields, id source included."""
    acme = HmacScheme(
        name="acme",
        signature_header="Acme-Signature",
        signature_format=Pairs(timestamp_key="ts", separator=";"),
        version="h1",
        content="{timestamp}:{body}",
        id_header="Acme-Id",
        id_field="data.id",
    )
    info = acme.info
    assert info.signature_value == "ts=<unix>;h1=<hex>"
    assert info.id_source == hooksig.scheme.FirstOf(HeaderField("Acme-Id"), BodyField("data.id"))
    assert info.tolerance == 300.0
    assert info.evidence is None
    only_header = HmacScheme(name="acme", signature_header="X", id_header="X-Id")
    assert only_header.info.id_source == HeaderField("X-Id")
    assert HmacScheme(name="acme", signature_header="X").info.id_source is None


def test_info_is_frozen_data() -> None:
    """SchemeInfo and Evidence are frozen: a tool cannot change what a scheme is."""
    info = _info("github")
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.name = "other"  # type: ignore[misc]
    assert dataclasses.replace(info, name="other").name == "other"
    with pytest.raises(dataclasses.FrozenInstanceError):
        Evidence(kind="none", against="x").kind = "sdk"  # type: ignore[misc]


def test_what_an_id_may_not_hold() -> None:
    """The separators of the signed content, which an id given to sign() may not contain."""
    assert _info("standard-webhooks").id_forbidden == ".."
    assert _info("github").id_forbidden == ""
    assert _info("slack").id_forbidden == "v0::"
