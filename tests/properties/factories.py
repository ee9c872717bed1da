"""
How to build a working Verifier for each registered scheme name.

Most schemes take any shared secret, so they need no entry: they fall back
to :data:`GENERIC`.  A scheme that needs something else (a base64 secret, a
key pair, a body-borne signature) gets an entry in :data:`FACTORIES`.  A
scheme that can be built neither way fails loudly, naming this file, so a
new provider cannot slip past the property tests.

What a scheme's bodies look like (Twilio's forms, Trello's text, Linear's
JSON) and when two bodies sign the same is the testing toolkit's knowledge:
:func:`hooksig.testing.strategies.bodies` and
:func:`hooksig.testing.equivalent_bodies`.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import strategies as st

import hooksig
from hooksig.testing import equivalent_bodies
from hooksig.testing._keys import _rsa_private_key
from hooksig.testing.strategies import bodies

T = TypeVar("T")

NOW = 1_700_000_000
ID = "msg_property_1"
PATH = "/hooks/provider?tenant=1"
URL = "https://example.com" + PATH
GENERIC_SECRET = "hooksig-property-secret-0123456789"
WHSEC = "whsec_" + base64.b64encode(b"hooksig-property-secret-32bytes!").decode()
ED25519_SEED = bytes(range(1, 33))
_P256 = ec.derive_private_key(0x1F2E3D4C5B6A79880123456789ABCDEF, ec.SECP256R1())
P256_PEM = _P256.private_bytes(
    serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8,
    serialization.NoEncryption(),
).decode()


@dataclass(frozen=True)
class Factory:
    """Verifier kwargs for one scheme, and what its deliveries look like."""

    keys: Mapping[str, Any]
    #: sign()/verify() keyword arguments; the URL is harmless to schemes that do not sign it.
    request: Mapping[str, Any] = field(default_factory=lambda: {"url": URL})
    #: False where the signature travels inside the body (Mailgun): no header round trip.
    signs_headers: bool = True
    #: The headers carrying the signature, where they do not change with the body (a token).
    signature_headers: tuple[str, ...] = ()
    #: The registry name, filled in by :func:`factories`.
    name: str = ""

    @property
    def bodies(self) -> st.SearchStrategy[bytes]:
        """Bodies this scheme can sign (the toolkit's: forms for Twilio, text for Trello, ...)."""
        return bodies(self.name, timestamp=NOW)

    def same_body(self, one: bytes, two: bytes) -> bool:
        """Whether two bodies are one delivery to the scheme (Twilio's form, GitLab's token)."""
        return equivalent_bodies(self.name, one, two)


GENERIC = Factory({"secret": GENERIC_SECRET})
_STANDARD = [Factory({"secret": WHSEC}), Factory({"signing_key": ED25519_SEED})]
#: The toolkit's RSA test key (generating RSA keys per example would be slow).
RSA_PEM = _rsa_private_key()
_BODY_BORNE = {"signs_headers": False}

#: The default factory by the scheme's secret format, where text would not read as a key.
_BY_FORMAT: dict[str, Factory] = {
    "base64": Factory({"secret": base64.b64encode(GENERIC_SECRET.encode()).decode()}),
    "hex": Factory({"secret": GENERIC_SECRET.encode().hex()}),
    "whsec": Factory({"secret": WHSEC}),
}

FACTORIES: dict[str, list[Factory]] = {
    "standard-webhooks": _STANDARD,
    "svix": _STANDARD,
    "clerk": _STANDARD,
    "resend": _STANDARD,
    "discord": [Factory({"signing_key": ED25519_SEED})],
    "sendgrid": [Factory({"signing_key": P256_PEM})],
    "basic-auth": [Factory({"secret": "hooksig-user:" + GENERIC_SECRET})],
    # Issue #14: keys fetched at run time are derived from signing_key= in tests.
    "aws-sns": [Factory({"signing_key": RSA_PEM}, **_BODY_BORNE)],
    "paypal": [Factory({"signing_key": RSA_PEM})],
    "paddle-classic": [Factory({"signing_key": RSA_PEM}, **_BODY_BORNE)],
    "wise": [Factory({"signing_key": RSA_PEM})],
    # The token does not bind the body, so it does not change with it: name it.
    "google-pubsub": [Factory({"signing_key": RSA_PEM}, signature_headers=("Authorization",))],
    "plivo-v2": [Factory({"secret": GENERIC_SECRET}, signature_headers=("X-Plivo-Signature-V2",))],
    "apple-app-store": [Factory({"signing_key": P256_PEM}, **_BODY_BORNE)],
    "plaid": [Factory({"signing_key": P256_PEM})],
    "telnyx": [Factory({"signing_key": ED25519_SEED})],
    "adyen": [Factory({"secret": GENERIC_SECRET.encode().hex()}, **_BODY_BORNE)],
    "sinch": [Factory({"secret": base64.b64encode(GENERIC_SECRET.encode()).decode()})],
    "dropbox-sign": [Factory({"secret": GENERIC_SECRET}, **_BODY_BORNE)],
    "braintree": [Factory({"secret": GENERIC_SECRET}, **_BODY_BORNE)],
    "microsoft-graph": [Factory({"secret": GENERIC_SECRET}, **_BODY_BORNE)],
    # The secret travels in the URL's query (sign() says ``query.code``): see _verify().
    "azure-event-grid": [
        Factory(
            {"secret": GENERIC_SECRET},
            request={"url": f"{URL}&code={GENERIC_SECRET}"},
            signature_headers=("query.code",),
        )
    ],
}


def factories(name: str) -> list[Factory]:
    """The factories for *name*: its FACTORIES entry, or the generic secret."""
    scheme = hooksig.schemes.get(name)
    default = _BY_FORMAT.get(getattr(scheme, "secret_format", "utf-8"), GENERIC)
    made = [replace(factory, name=name) for factory in FACTORIES.get(name, [default])]
    header = getattr(scheme, "signature_header", "")
    if (header if isinstance(header, str) else header[0]).startswith("body."):
        # The signature (or token) travels in the body: no header round trip (Mailgun, Figma).
        made = [replace(factory, signs_headers=False) for factory in made]
    if getattr(scheme, "construction", "hmac") not in ("token", "basic"):
        return made
    # A token does not change with the body: the header that carries it is named here.
    names = (header,) if isinstance(header, str) else tuple(header)
    return [replace(factory, signature_headers=names[:1]) for factory in made]


#: (kind, factory id) -> (factory, what was made): see once().
_MADE: dict[tuple[object, int], tuple[Factory, Any]] = {}


def once(kind: object, factory: Factory, make: Callable[[], T]) -> T:
    """
    *make()*'s result for *kind* (a verifier, a toolkit strategy) and *factory*, made on first use.

    A verifier keeps nothing a delivery changes (a fetched key is cached and answers
    the same), and building one (a certificate chain, an RSA key) can cost more than
    the Hypothesis example that uses it: the tests make it once, not per example.
    """
    kept = _MADE.get((kind, id(factory)))
    if kept is None or kept[0] is not factory:
        kept = _MADE[kind, id(factory)] = (factory, make())
    made: T = kept[1]
    return made


def build(name: str, factory: Factory) -> hooksig.Verifier:
    """The verifier for *name*, built once per factory; fails loudly when the table lacks it."""
    return once((build, name), factory, lambda: _new(name, factory))


def _new(name: str, factory: Factory) -> hooksig.Verifier:
    try:
        # The URL is given per call (request's url=): say so where the scheme signs it.
        per_call = hooksig.schemes.get(name).info.signs_url
        url = {"public_url": hooksig.PerCallUrl()} if per_call else {}
        return hooksig.Verifier(name, clock=lambda: float(NOW), **url, **factory.keys)
    except hooksig.ConfigurationError as exc:
        pytest.fail(
            f"scheme {name!r} cannot be built with {sorted(factory.keys)} ({exc}); "
            "add it to FACTORIES in tests/properties/factories.py"
        )


def canonical_names() -> list[str]:
    """Every scheme the registry lists, once: aliases resolve to a scheme listed already."""
    return sorted({hooksig.schemes.get(name).name for name in hooksig.schemes.names()})


def cases() -> list[Any]:
    """One pytest param per (scheme name, factory), for every scheme the registry lists."""
    return [
        pytest.param(name, factory, id=f"{name}-{index}")
        for name in canonical_names()
        for index, factory in enumerate(factories(name))
    ]
