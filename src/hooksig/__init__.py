"""
hooksig: verify and sign webhook deliveries from any provider.

    >>> import hooksig
    >>> verifier = hooksig.Verifier("github", secret="It's a Secret to Everybody")
    >>> headers = verifier.sign(b"Hello, World!")
    >>> verifier.verify(b"Hello, World!", headers).key_id
    '0'
"""

from __future__ import annotations

from .errors import (
    ConfigurationError,
    DuplicateDelivery,
    ExtraNotInstalled,
    HooksigWarning,
    InsecureKeyWarning,
    InsecureTransport,
    InvalidSignature,
    KeyUnavailable,
    MalformedPayload,
    MalformedSignature,
    MissingSignature,
    PayloadTooLarge,
    ProviderApiError,
    RateLimited,
    RequestRefused,
    SourceNotAllowed,
    StoreUnavailable,
    TimestampOutOfTolerance,
    VerificationError,
    WebhookError,
)

TYPE_CHECKING = False  # typing is not imported at run time: `import hooksig` stays cheap
if TYPE_CHECKING:
    from typing import Any

    from ._primitives.headers import Headers as Headers
    from .delivery import Delivery as Delivery
    from .fetched import FetchedEvent as FetchedEvent
    from .keys import KeyRing as KeyRing
    from .keys import Secret as Secret
    from .replay import ReplayWindow as ReplayWindow
    from .scheme.asymmetric import AsymmetricScheme as AsymmetricScheme
    from .scheme.formats import Pairs as Pairs
    from .scheme.formats import Plain as Plain
    from .scheme.formats import Versioned as Versioned
    from .scheme.handshake import HandshakeResponse as HandshakeResponse
    from .scheme.hmac import HmacScheme as HmacScheme
    from .scheme.protocol import ParsedSignature as ParsedSignature
    from .scheme.protocol import Request as Request
    from .scheme.protocol import Scheme as Scheme
    from .url import PerCallUrl as PerCallUrl
    from .url import PublicUrl as PublicUrl
    from .url import TrustedProxy as TrustedProxy
    from .url import UrlPolicy as UrlPolicy
    from .verifier import Verifier as Verifier

__all__ = [
    "AsymmetricScheme",
    "ConfigurationError",
    "Delivery",
    "DuplicateDelivery",
    "ExtraNotInstalled",
    "FetchedEvent",
    "HandshakeResponse",
    "Headers",
    "HmacScheme",
    "HooksigWarning",
    "InsecureKeyWarning",
    "InsecureTransport",
    "InvalidSignature",
    "KeyRing",
    "KeyUnavailable",
    "MalformedPayload",
    "MalformedSignature",
    "MissingSignature",
    "Pairs",
    "ParsedSignature",
    "PayloadTooLarge",
    "PerCallUrl",
    "Plain",
    "ProviderApiError",
    "PublicUrl",
    "RateLimited",
    "ReplayWindow",
    "Request",
    "RequestRefused",
    "Scheme",
    "Secret",
    "SourceNotAllowed",
    "StoreUnavailable",
    "TimestampOutOfTolerance",
    "TrustedProxy",
    "UrlPolicy",
    "VerificationError",
    "Verifier",
    "Versioned",
    "WebhookError",
    "schemes",
]

for _error in (
    ConfigurationError,
    DuplicateDelivery,
    ExtraNotInstalled,
    HooksigWarning,
    InsecureKeyWarning,
    InsecureTransport,
    InvalidSignature,
    KeyUnavailable,
    MalformedPayload,
    MalformedSignature,
    MissingSignature,
    PayloadTooLarge,
    ProviderApiError,
    RateLimited,
    RequestRefused,
    SourceNotAllowed,
    StoreUnavailable,
    TimestampOutOfTolerance,
    VerificationError,
    WebhookError,
):
    _error.__module__ = "hooksig"
del _error

#: Public name -> the module defining it, imported on first access.
_LAZY: dict[str, str] = {
    "AsymmetricScheme": "scheme.asymmetric",
    "Delivery": "delivery",
    "FetchedEvent": "fetched",
    "HandshakeResponse": "scheme.handshake",
    "Headers": "_primitives.headers",
    "HmacScheme": "scheme.hmac",
    "KeyRing": "keys",
    "Pairs": "scheme.formats",
    "ParsedSignature": "scheme.protocol",
    "Plain": "scheme.formats",
    "PerCallUrl": "url",
    "PublicUrl": "url",
    "ReplayWindow": "replay",
    "Request": "scheme.protocol",
    "Scheme": "scheme.protocol",
    "Secret": "keys",
    "TrustedProxy": "url",
    "UrlPolicy": "url",
    "Verifier": "verifier",
    "Versioned": "scheme.formats",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        import importlib

        value = getattr(importlib.import_module(f"hooksig.{module}"), name)
        value.__module__ = "hooksig"  # every lazy public name is a class
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("hooksig")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            from ._version import __version__

            return __version__
    if name == "schemes":
        import importlib

        return importlib.import_module("hooksig.schemes")
    raise AttributeError(f"module 'hooksig' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "__version__"})
