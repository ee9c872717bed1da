"""
Step 2: what a scheme is, and the HMAC building block most providers need.

A :class:`Scheme` knows one provider's recipe: which headers carry the
signature, timestamp and id, which exact bytes were signed, and how keys
are read and matched.  :class:`HmacScheme` (and
:class:`~hooksig.AsymmetricScheme`) are that recipe written as data, so a
provider module is a declaration::

    SCHEME = HmacScheme(name="github", signature_header="X-Hub-Signature-256",
                        prefix="sha256=")

Third parties may implement :class:`Scheme` directly; they need not inherit.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from ._compare import match_key
from ._formats import Pairs, Plain, Versioned
from ._template import ParsedSignature, Request, _TemplateScheme
from .errors import ConfigurationError
from .keys import KeyRing, SecretFormat, SecretLike, hmac_ring

if TYPE_CHECKING:
    from ._asymmetric import AsymmetricScheme

__all__ = ["HmacScheme", "Pairs", "ParsedSignature", "Plain", "Request", "Scheme", "Versioned"]

Algorithm = Literal["sha1", "sha256", "sha512"]
_DIGEST_SIZES: dict[str, int] = {"sha1": 20, "sha256": 32, "sha512": 64}


@runtime_checkable
class Scheme(Protocol):
    """
    One provider's signing recipe: the extension point of hooksig.

    A :class:`~hooksig.Verifier` calls, in order, :meth:`load_keys` once,
    then :meth:`parse`, :meth:`signed_content` and :meth:`match` for each
    delivery; it applies the replay window itself.  Every method raises
    only :class:`~hooksig.WebhookError` subclasses.

    .. versionadded:: 0.1
    """

    #: Registry name, lowercase and hyphenated (``"stripe"``).
    name: str
    #: Default replay window in seconds, or ``None`` when nothing is timestamped.
    default_tolerance: float | None

    def load_keys(
        self,
        secrets: Sequence[SecretLike],
        *,
        public_key: object | None = None,
        signing_key: object | None = None,
    ) -> KeyRing:
        """Check and load keys once, at construction; raise ``ConfigurationError``."""
        ...

    def parse(self, request: Request) -> ParsedSignature:
        """Read signatures, timestamp and id; raise ``MissingSignature``/``MalformedSignature``."""
        ...

    def signed_content(self, parsed: ParsedSignature, request: Request) -> bytes:
        """Return the exact bytes the provider signed."""
        ...

    def match(self, keys: KeyRing, content: bytes, parsed: ParsedSignature) -> str | None:
        """Try every key against every candidate; return the matching key id or ``None``."""
        ...

    def sign(
        self, keys: KeyRing, request: Request, *, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        """Return the headers the provider would send with ``request.body``."""
        ...


@dataclass(frozen=True, kw_only=True)
class HmacScheme(_TemplateScheme):
    """
    A provider that signs with HMAC, declared as data.

    Args:
        name: registry name, lowercase and hyphenated.
        signature_header: the header (or alternative names) with the signature.
        algorithm: ``"sha1"``, ``"sha256"`` or ``"sha512"``; never taken from the request.
        encoding: ``"hex"`` (lowercase), ``"base64"`` or ``"base64url"``.
        prefix: fixed text before a :class:`~hooksig.Plain` signature (``"sha256="``).
        signature_format: :class:`Plain` (default), :class:`Pairs` or :class:`Versioned`.
        version: the label of accepted signatures in ``Pairs``/``Versioned`` headers.
        timestamp_header: header with the signed Unix time, if any.
        timestamp_unit: ``"s"`` or ``"ms"``.
        id_header: header with the delivery id, if any.
        content: what is signed: a template over ``{timestamp}``, ``{id}``,
            ``{body}``, ``{url}`` and ``{method}``, or a function.
        secret_format: how a ``str`` secret becomes key bytes (``"utf-8"``, ``"base64"`` or ``"whsec"``).
        tolerance: default replay window in seconds for this scheme.
        asymmetric: the scheme's public-key variant, used when a verifier is
            given ``public_key=`` or ``signing_key=`` (Standard Webhooks ``v1a``).

    .. versionadded:: 0.1
    """

    algorithm: Algorithm = "sha256"
    secret_format: SecretFormat = "utf-8"
    asymmetric: AsymmetricScheme | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.algorithm not in _DIGEST_SIZES:
            raise ConfigurationError("algorithm must be sha1, sha256 or sha512")

    def _candidate_labels(self) -> frozenset[str]:
        # A header may carry the public-key variant's signatures too (v1 and v1a).
        if self.asymmetric is None:
            return frozenset({self._label})
        return frozenset({self._label, self.asymmetric._label})

    def _signature_size(self, label: str) -> int | None:
        if label != self._label and self.asymmetric is not None:
            return self.asymmetric._signature_size(label)
        return _DIGEST_SIZES[self.algorithm]

    def load_keys(
        self,
        secrets: Sequence[SecretLike],
        *,
        public_key: object | None = None,
        signing_key: object | None = None,
    ) -> KeyRing:
        """Read secrets in this scheme's format, or public keys via ``asymmetric``."""
        if public_key is not None or signing_key is not None:
            if self.asymmetric is None:
                raise ConfigurationError(f"the {self.name} scheme uses a shared secret, not keys")
            if secrets:
                raise ConfigurationError("pass either a secret or public/signing keys, not both")
            return self.asymmetric.load_keys((), public_key=public_key, signing_key=signing_key)
        return hmac_ring(secrets, self.secret_format)

    def match(self, keys: KeyRing, content: bytes, parsed: ParsedSignature) -> str | None:
        """Compute one HMAC per key and compare it with every candidate."""
        if self.asymmetric is not None and keys.hmac_keys() == ():
            return self.asymmetric.match(keys, content, parsed)
        digests = [
            (key_id, hmac.digest(key, content, self.algorithm)) for key_id, key in keys.hmac_keys()
        ]
        label = self._label
        return match_key(digests, [sig for kind, sig in parsed.candidates if kind == label])

    def sign(
        self, keys: KeyRing, request: Request, *, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        """Sign ``request.body`` with the ring's first key and format the headers."""
        if self.asymmetric is not None and keys.hmac_keys() == ():
            return self.asymmetric.sign(keys, request, timestamp=timestamp, id=id)
        key = keys.signing_key
        if key is None or not isinstance(key.material, bytes):
            raise ConfigurationError("no secret to sign with")
        parsed, timestamp, id = self._signing_fields(request, timestamp, id)
        content = self.signed_content(parsed, request)
        signature = hmac.digest(key.material, content, self.algorithm)
        return self._format_headers(signature, request, timestamp, id)
