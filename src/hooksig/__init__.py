"""
hooksig: verify and sign webhook deliveries from any provider.

    >>> import hooksig
    >>> verifier = hooksig.Verifier("github", secret="It's a Secret to Everybody")
    >>> headers = verifier.sign(b"Hello, World!")
    >>> verifier.verify(b"Hello, World!", headers).key_id
    '0'
"""

from __future__ import annotations

from typing import Any

from ._asymmetric import AsymmetricScheme as AsymmetricScheme
from ._formats import Pairs as Pairs
from ._formats import Plain as Plain
from ._formats import Versioned as Versioned
from ._handshake import HandshakeResponse as HandshakeResponse
from ._headers import Headers as Headers
from ._url import PublicUrl as PublicUrl
from ._url import TrustedProxy as TrustedProxy
from ._url import UrlPolicy as UrlPolicy
from .delivery import Delivery as Delivery
from .errors import ConfigurationError as ConfigurationError
from .errors import DuplicateDelivery as DuplicateDelivery
from .errors import ExtraNotInstalled as ExtraNotInstalled
from .errors import HooksigWarning as HooksigWarning
from .errors import InsecureKeyWarning as InsecureKeyWarning
from .errors import InvalidSignature as InvalidSignature
from .errors import MalformedPayload as MalformedPayload
from .errors import MalformedSignature as MalformedSignature
from .errors import MissingSignature as MissingSignature
from .errors import PayloadTooLarge as PayloadTooLarge
from .errors import StoreUnavailable as StoreUnavailable
from .errors import TimestampOutOfTolerance as TimestampOutOfTolerance
from .errors import VerificationError as VerificationError
from .errors import WebhookError as WebhookError
from .keys import KeyRing as KeyRing
from .keys import Secret as Secret
from .replay import ReplayWindow as ReplayWindow
from .scheme import HmacScheme as HmacScheme
from .scheme import ParsedSignature as ParsedSignature
from .scheme import Request as Request
from .scheme import Scheme as Scheme
from .verifier import Verifier as Verifier

__all__ = [
    "AsymmetricScheme",
    "ConfigurationError",
    "Delivery",
    "DuplicateDelivery",
    "ExtraNotInstalled",
    "HandshakeResponse",
    "Headers",
    "HmacScheme",
    "HooksigWarning",
    "InsecureKeyWarning",
    "InvalidSignature",
    "KeyRing",
    "MalformedPayload",
    "MalformedSignature",
    "MissingSignature",
    "Pairs",
    "ParsedSignature",
    "PayloadTooLarge",
    "Plain",
    "PublicUrl",
    "ReplayWindow",
    "Request",
    "Scheme",
    "Secret",
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

for _name in __all__:
    _obj = globals().get(_name)
    if isinstance(_obj, type):
        _obj.__module__ = "hooksig"
del _name, _obj


def __getattr__(name: str) -> Any:
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
