"""
The building block for public-key providers: :class:`AsymmetricScheme`.

The provider signs with a private key and you verify with its public key,
so there is no secret to protect on your side and no constant-time
requirement; the risks are weak or malformed keys and malleable
signatures, which :mod:`hooksig._primitives.crypto` refuses.  Three algorithms:
Ed25519 (Discord, Standard Webhooks ``v1a``, Telnyx), ECDSA P-256 with SHA-256
(SendGrid), its signatures in DER or raw ``r || s`` as the provider sends them,
and RSA PKCS #1 v1.5 with SHA-256 (Wise), or with SHA-1 where a provider
still signs that way and its scheme names ``rsa-sha1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .._primitives import crypto
from .._primitives.crypto import EcdsaEncoding
from .._primitives.encoding import Encoding, decode
from ..errors import ConfigurationError, MalformedSignature
from ..keys import Key, KeyRing, SecretLike
from ._declared import _TemplateScheme
from .protocol import Content, ParsedSignature, Request, SchemeInfo

#: How a public or signing key given as text is read.
#: ``hex`` and ``base64`` are the raw key; ``whpk``/``whsk`` are Standard
#: Webhooks' ``whpk_``/``whsk_`` prefixed base64 (a ``whsk_`` key is seed || public key).
#: ``pem`` (ECDSA) is PEM text, or the base64 of the DER key without the armour (SendGrid).
KeyFormat = Literal["hex", "base64", "whpk", "whsk", "pem"]


def _key_bytes(value: object, key_format: KeyFormat, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        raise ConfigurationError(f"the {what} must be str or bytes")
    text = value
    if key_format == "pem":
        if text.lstrip().startswith("-----BEGIN"):
            return text.encode("ascii", "replace")
        text = "".join(text.split())  # base64 DER, as SendGrid shows it, maybe wrapped
    prefix = {"whpk": "whpk_", "whsk": "whsk_"}.get(key_format)
    if prefix is not None:
        if not text.startswith(prefix):
            raise ConfigurationError(f"the {what} must start with {prefix}")
        text = text[len(prefix) :]
    encoding: Encoding = "hex" if key_format == "hex" else "base64"
    try:
        return decode(text, encoding, what=what)
    except MalformedSignature:
        raise ConfigurationError(f"the {what} is not valid {encoding}") from None


@dataclass(frozen=True, kw_only=True)
class AsymmetricScheme(_TemplateScheme):
    """
    A provider that signs with Ed25519 or ECDSA P-256, declared as data.

    Takes the same header, format and content arguments as
    :class:`~hooksig.HmacScheme`, plus:

    Args:
        algorithm: ``"ed25519"``, ``"ecdsa-p256"`` (ECDSA with SHA-256),
            ``"rsa-sha256"`` or ``"rsa-sha1"`` (RSA PKCS #1 v1.5).
        ecdsa_encoding: ``"der"`` or ``"raw"`` (``r || s``): how the provider
            serialises ECDSA signatures; never taken from the request.
        public_key_format: how a ``str`` public key is read (:data:`KeyFormat`).
        signing_key_format: how a ``str`` signing key is read.

    Raises:
        ConfigurationError: at construction, a key of the wrong type, curve or size.

    .. versionadded:: 0.1
    """

    algorithm: Literal["ed25519", "ecdsa-p256", "rsa-sha256", "rsa-sha1"] = "ed25519"
    ecdsa_encoding: EcdsaEncoding = "der"
    public_key_format: KeyFormat = "hex"
    signing_key_format: KeyFormat = "hex"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.algorithm not in ("ed25519", "ecdsa-p256", "rsa-sha256", "rsa-sha1"):
            raise ConfigurationError(
                "algorithm must be ed25519, ecdsa-p256, rsa-sha256 or rsa-sha1"
            )
        if self.ecdsa_encoding not in ("der", "raw"):
            raise ConfigurationError("ecdsa_encoding must be der or raw")

    def _signature_size(self, label: str) -> int | None:
        if self.algorithm.startswith("rsa"):
            return None  # the modulus's length, checked when verifying
        if self.algorithm == "ecdsa-p256":
            # DER length varies with the integers (at most 72 bytes for P-256).
            return 64 if self.ecdsa_encoding == "raw" else None
        return 64

    def load_keys(
        self,
        secrets: Sequence[SecretLike],
        *,
        public_key: object | None = None,
        signing_key: object | None = None,
    ) -> KeyRing:
        """Load the public key that verifies and the private key that signs."""
        if secrets:
            raise ConfigurationError(f"the {self.name} scheme uses public keys, not a secret")
        if self.algorithm == "ecdsa-p256":
            return self._ecdsa_keys(public_key, signing_key)
        if self.algorithm.startswith("rsa"):
            return self._rsa_keys(public_key, signing_key)
        keys: list[Key] = []
        signer: Key | None = None
        if signing_key is not None:
            raw = _key_bytes(signing_key, self.signing_key_format, "signing key")
            if len(raw) not in (32, 64):
                raise ConfigurationError("an Ed25519 signing key is a 32-byte seed (+ public key)")
            private = crypto.ed25519_private_key(raw[:32])
            derived = crypto.ed25519_public_bytes(private)
            if len(raw) == 64 and raw[32:] != derived:
                raise ConfigurationError("the signing key's public half does not match its seed")
            signer = Key("0", "ed25519-private", private)
            if public_key is None:
                keys.append(Key("0", "ed25519", crypto.ed25519_public_key(derived)))
        if public_key is not None:
            raw = _key_bytes(public_key, self.public_key_format, "public key")
            keys.append(Key("0", "ed25519", crypto.ed25519_public_key(raw)))
        if not keys:
            raise ConfigurationError(f"the {self.name} scheme needs public_key= or signing_key=")
        return KeyRing(tuple(keys), signer)

    def _ecdsa_keys(self, public_key: object | None, signing_key: object | None) -> KeyRing:
        """Load the P-256 public key and signing key."""
        signer: Key | None = None
        keys: list[Key] = []
        if signing_key is not None:
            raw = _key_bytes(signing_key, self.signing_key_format, "signing key")
            private = crypto.ecdsa_p256_private_key(raw)
            signer = Key("0", "ecdsa-p256-private", private)
            if public_key is None:
                keys.append(Key("0", "ecdsa-p256", crypto.ecdsa_p256_public_of(private)))
        if public_key is not None:
            raw = _key_bytes(public_key, self.public_key_format, "public key")
            keys.append(Key("0", "ecdsa-p256", crypto.ecdsa_p256_public_key(raw)))
        if not keys:
            raise ConfigurationError(f"the {self.name} scheme needs public_key= or signing_key=")
        return KeyRing(tuple(keys), signer)

    def _rsa_keys(self, public_key: object | None, signing_key: object | None) -> KeyRing:
        """Load the RSA public key and signing key (PEM, or base64 DER for ``pem``)."""
        signer: Key | None = None
        keys: list[Key] = []
        if signing_key is not None:
            raw = _key_bytes(signing_key, self.signing_key_format, "signing key")
            signer = Key("0", "rsa-private", crypto.rsa_private_key(raw))
            if public_key is None:
                keys.append(Key("0", "rsa", crypto.public_key_of(signer.material)))
        if public_key is not None:
            raw = _key_bytes(public_key, self.public_key_format, "public key")
            keys.append(Key("0", "rsa", crypto.rsa_public_key(raw)))
        if not keys:
            raise ConfigurationError(f"the {self.name} scheme needs public_key= or signing_key=")
        return KeyRing(tuple(keys), signer)

    def _digest(self) -> crypto.RsaHash:
        return "sha1" if self.algorithm == "rsa-sha1" else "sha256"

    def _verify_one(self, key: object, signature: bytes, content: bytes) -> bool:
        """Verify one candidate with one key, with the configured algorithm."""
        if self.algorithm.startswith("rsa"):
            return crypto.rsa_verify(key, signature, content, self._digest())
        if self.algorithm == "ecdsa-p256":
            return crypto.ecdsa_p256_verify(key, signature, content, self.ecdsa_encoding)
        return crypto.ed25519_verify(key, signature, content)

    def match(self, keys: KeyRing, content: Content, parsed: ParsedSignature) -> str | None:
        """Verify every candidate with every public key; no secret, so no timing concern."""
        found: str | None = None
        signatures = [sig for label, sig in parsed.candidates if label == self._label]
        message = b"".join(content)  # the signature algorithms take the message whole
        for key in keys.verify_keys:
            for signature in signatures:
                if self._verify_one(key.material, signature, message) and found is None:
                    found = key.key_id
        return found

    def _plan_match(self, keys: KeyRing) -> dict[str, Any] | None:
        if not keys.verify_keys:
            return None
        public = tuple((key.key_id, key.material) for key in keys.verify_keys)
        return {"public_keys": public, "verify_one": self._verify_one}

    def _signature_value(self) -> str:
        value = super()._signature_value()
        return (
            f"{value} ({self.ecdsa_encoding.upper()})" if self.algorithm == "ecdsa-p256" else value
        )

    @property
    def info(self) -> SchemeInfo:
        """What this scheme is, derived from its declaration."""
        return self._info(
            algorithm=self.algorithm,
            construction="signature",
            key_kinds=("public-key",),
            secret_format=None,
        )

    def sign(
        self, keys: KeyRing, request: Request, *, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        """Sign with the private key and format the provider's headers."""
        if keys.signing_key is None:
            raise ConfigurationError("signing needs signing_key=")
        parsed, timestamp, id = self._signing_fields(request, timestamp, id)
        content = self.signed_content(parsed, request)
        if self.algorithm.startswith("rsa"):
            signature = crypto.rsa_sign(keys.signing_key.material, content, self._digest())
        elif self.algorithm == "ecdsa-p256":
            signature = crypto.ecdsa_p256_sign(
                keys.signing_key.material, content, self.ecdsa_encoding
            )
        else:
            signature = crypto.ed25519_sign(keys.signing_key.material, content)
        return self._format_headers(signature, request, timestamp, id)


for _public in (AsymmetricScheme,):
    _public.__module__ = "hooksig"  # its public name, hooksig.AsymmetricScheme
del _public
