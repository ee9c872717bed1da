"""WooCommerce through the scheme contract, its recipe, and WooCommerce core's own fixture."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import ClassVar

import pytest

from hooksig import ConfigurationError, Headers, KeyRing, Request, Verifier
from hooksig.keys import Key
from hooksig.schemes.woocommerce import SCHEME
from tests.conftest import NOW, SECRET
from tests.schemes.contract import BODY, SchemeContract


class TestWoocommerce(SchemeContract):
    """WooCommerce: the contract."""

    scheme = "woocommerce"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


def test_recipe_recomputed_independently() -> None:
    """X-WC-Webhook-Signature is base64(HMAC-SHA256(secret, raw body)), as the catalog says."""
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()
    headers = {"X-WC-Webhook-Signature": "" + base64.b64encode(digest).decode()}
    delivery = Verifier("woocommerce", secret=SECRET).verify(BODY, headers, now=NOW)
    assert delivery.key_id == "0"


#: WooCommerce core's own fixture: ``WC_Tests_CRUD_Webhooks::test_generate_signature``
#: (woocommerce/woocommerce@6147c5e685a97beb873ac2548044cf04d2a48a66:
#: plugins/woocommerce/tests/legacy/unit-tests/webhooks/crud.php) signs the payload
#: ``secret`` with a new WC_Webhook, whose secret defaults to the empty string.
WC_CORE_BODY = b"secret"
WC_CORE_SIGNATURE = "GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs="


def _empty_key_ring() -> KeyRing:
    key = Key("0", "hmac", b"")
    return KeyRing((key,), key)


def test_woocommerce_core_fixture_matches_the_scheme() -> None:
    """
    The scheme reproduces WooCommerce core's generate_signature fixture, and only for its body.

    The fixture's key is empty, which a Verifier refuses, so the ring is built by hand
    and the scheme's own parse, signed_contents, match and sign steps are run on it.
    """
    ring = _empty_key_ring()
    request = Request(
        body=WC_CORE_BODY, headers=Headers({"X-WC-Webhook-Signature": WC_CORE_SIGNATURE})
    )
    parsed = SCHEME.parse(request)
    assert SCHEME.match(ring, SCHEME.signed_contents(parsed, request)[0], parsed) == "0"
    tampered = Request(body=b"secreT", headers=request.headers)
    assert SCHEME.match(ring, SCHEME.signed_contents(parsed, tampered)[0], parsed) is None
    signed = SCHEME.sign(
        ring, Request(body=WC_CORE_BODY, headers=Headers({})), timestamp=None, id="1"
    )
    assert signed["X-WC-Webhook-Signature"] == WC_CORE_SIGNATURE


def test_empty_secret_is_refused() -> None:
    """A webhook saved without a secret signs with an empty key; hooksig will not verify that."""
    with pytest.raises(ConfigurationError):
        Verifier("woocommerce", secret="")
