"""The URL-signing schemes of issue #14 used without a verifier: no URL is a ConfigurationError."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import hooksig
from hooksig import ConfigurationError
from hooksig.scheme import Request
from hooksig.scheme.fields import form_fields
from hooksig.schemes import azure_event_grid, contentful, mandrill, plivo, sinch

NO_URL = Request(b"a=1", hooksig.Headers(), None, "POST", None)
PARSED: Any = None  # each builder asks for the URL before it reads the signature


@pytest.mark.parametrize(
    "build",
    [
        lambda: mandrill.url_and_fields(PARSED, NO_URL),
        lambda: plivo._url(NO_URL),
        lambda: contentful.canonical_request(PARSED, NO_URL),
        lambda: sinch._path(NO_URL),
        lambda: azure_event_grid._secret(NO_URL, "code"),
    ],
    ids=["mandrill", "plivo", "contentful", "sinch", "azure-event-grid"],
)
def test_no_url_is_a_configuration_error(build: Callable[[], object]) -> None:
    """Called with no URL (a scheme used outside a Verifier), each says how to give one."""
    with pytest.raises(ConfigurationError, match="url="):
        build()


def test_form_fields_prefer_the_parsed_params() -> None:
    """Fields the framework parsed are used as given; the body is not read again."""
    given = {"a": ["2"]}
    request = Request(b"%ff not a form", hooksig.Headers(), None, "POST", given)
    assert form_fields(request) is given


def test_an_rsa_scheme_refuses_another_signing_key() -> None:
    """Paddle Classic signs with RSA: a P-256 signing key is a ConfigurationError."""
    from tests.cli.keys import p256_pair

    with pytest.raises(ConfigurationError, match="not an RSA key"):
        hooksig.Verifier("paddle-classic", signing_key=p256_pair()[0])
