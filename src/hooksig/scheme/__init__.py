"""
What a scheme is, and the building blocks providers are declared with.

A provider module is a declaration built from these blocks: an
:class:`HmacScheme` or :class:`AsymmetricScheme` with a signature format
(:class:`Plain`, :class:`Pairs`, :class:`Versioned`, :class:`Listed`,
:class:`Groups`), where its delivery id comes from (:mod:`hooksig.scheme.ids`),
and where the provider needs one, a content builder or URL variants
(:mod:`hooksig.scheme.content`) or a
handshake (:mod:`hooksig.scheme.handshake`).  A provider in another package
is declared the same way, from these public names.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time, as in hooksig/__init__.py
if TYPE_CHECKING:
    from typing import Any

    from .._primitives.compare import bytes_eq as bytes_eq
    from .._primitives.headers import Headers as Headers
    from ._body_fields import BODY_FIELD as BODY_FIELD
    from ._body_fields import place_body_fields as place_body_fields
    from .asymmetric import AsymmetricScheme as AsymmetricScheme
    from .challenge import Challenge as Challenge
    from .challenge import echo_header as echo_header
    from .content import body_then_url as body_then_url
    from .content import low_bytes as low_bytes
    from .content import url_and_sorted_params as url_and_sorted_params
    from .content import with_and_without_port as with_and_without_port
    from .formats import Groups as Groups
    from .formats import Listed as Listed
    from .formats import Pairs as Pairs
    from .formats import Plain as Plain
    from .formats import Versioned as Versioned
    from .formats import numbered_headers as numbered_headers
    from .handshake import HandshakeResponse as HandshakeResponse
    from .handshake import echo_challenge as echo_challenge
    from .handshake import fixed_reply as fixed_reply
    from .handshake import hmac_token as hmac_token
    from .hmac import HmacScheme as HmacScheme
    from .ids import BodyDigest as BodyDigest
    from .ids import BodyField as BodyField
    from .ids import EachItem as EachItem
    from .ids import FirstOf as FirstOf
    from .ids import FormField as FormField
    from .ids import HeaderField as HeaderField
    from .ids import IdSource as IdSource
    from .ids import Joined as Joined
    from .ids import RandomId as RandomId
    from .jwt import JwtScheme as JwtScheme
    from .protocol import AsyncKeyResolver as AsyncKeyResolver
    from .protocol import CompilingScheme as CompilingScheme
    from .protocol import Evidence as Evidence
    from .protocol import KeyResolver as KeyResolver
    from .protocol import NamesSigningKey as NamesSigningKey
    from .protocol import ParsedSignature as ParsedSignature
    from .protocol import Request as Request
    from .protocol import Scheme as Scheme
    from .protocol import SchemeInfo as SchemeInfo
    from .protocol import SignsBodyPart as SignsBodyPart
    from .units import Unit as Unit
    from .units import UnitScheme as UnitScheme
    from .unsigned import Unsigned as Unsigned

__all__ = [
    "BODY_FIELD",
    "AsymmetricScheme",
    "AsyncKeyResolver",
    "BodyDigest",
    "BodyField",
    "Challenge",
    "CompilingScheme",
    "EachItem",
    "Evidence",
    "FirstOf",
    "FormField",
    "Groups",
    "HandshakeResponse",
    "HeaderField",
    "Headers",
    "HmacScheme",
    "IdSource",
    "Joined",
    "JwtScheme",
    "KeyResolver",
    "Listed",
    "NamesSigningKey",
    "Pairs",
    "ParsedSignature",
    "Plain",
    "RandomId",
    "Request",
    "Scheme",
    "SchemeInfo",
    "SignsBodyPart",
    "Unit",
    "UnitScheme",
    "Unsigned",
    "Versioned",
    "body_then_url",
    "bytes_eq",
    "echo_challenge",
    "echo_header",
    "fixed_reply",
    "hmac_token",
    "low_bytes",
    "numbered_headers",
    "place_body_fields",
    "url_and_sorted_params",
    "with_and_without_port",
]

#: Public name -> the module defining it.  A name loads its module on first
#: access, so a verifier loads only the blocks its scheme uses.
_LAZY: dict[str, str] = {
    "BODY_FIELD": "_body_fields",
    "SignsBodyPart": "protocol",
    "NamesSigningKey": "protocol",
    "KeyResolver": "protocol",
    "AsyncKeyResolver": "protocol",
    "AsymmetricScheme": "asymmetric",
    "BodyDigest": "ids",
    "BodyField": "ids",
    "Challenge": "challenge",
    "CompilingScheme": "protocol",
    "EachItem": "ids",
    "Evidence": "protocol",
    "FirstOf": "ids",
    "FormField": "ids",
    "Groups": "formats",
    "HandshakeResponse": "handshake",
    "HeaderField": "ids",
    "Headers": "protocol",
    "HmacScheme": "hmac",
    "IdSource": "ids",
    "Joined": "ids",
    "JwtScheme": "jwt",
    "Listed": "formats",
    "Pairs": "formats",
    "ParsedSignature": "protocol",
    "Plain": "formats",
    "RandomId": "ids",
    "Request": "protocol",
    "Scheme": "protocol",
    "SchemeInfo": "protocol",
    "Unit": "units",
    "UnitScheme": "units",
    "Unsigned": "unsigned",
    "Versioned": "formats",
    "body_then_url": "content",
    "bytes_eq": "content",
    "echo_challenge": "handshake",
    "echo_header": "challenge",
    "fixed_reply": "handshake",
    "hmac_token": "handshake",
    "low_bytes": "content",
    "numbered_headers": "formats",
    "place_body_fields": "_body_fields",
    "url_and_sorted_params": "content",
    "with_and_without_port": "content",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
