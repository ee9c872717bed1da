"""
The HMAC building block most providers are declared with: :class:`HmacScheme`.

A :class:`~hooksig.Scheme` knows one provider's recipe: which headers carry the
signature, timestamp and id, which exact bytes were signed, and how keys
are read and matched.  :class:`HmacScheme` (and
:class:`~hooksig.AsymmetricScheme`) are that recipe written as data, so a
provider module is a declaration::

    SCHEME = HmacScheme(name="github", signature_header="X-Hub-Signature-256",
                        prefix="sha256=")

Third parties may implement :class:`~hooksig.Scheme` directly; they need not inherit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .._primitives.compare import match_key
from .._primitives.encoding import decode
from ..errors import ConfigurationError, MalformedSignature
from ..keys import SECRET_FORMATS, KeyRing, SecretFormat, SecretLike, hmac_ring
from ._declared import _TemplateScheme
from .protocol import ParsedSignature, Request, Scheme

if TYPE_CHECKING:
    from .asymmetric import AsymmetricScheme

__all__ = ["HmacScheme", "contents", "keyed"]

Algorithm = Literal["sha1", "sha256", "sha512"]
#: How a key and the signed content become the expected signature.
#: ``hmac``: HMAC(key, content).  ``secret-prefix``: a plain hash of key || content
#: (HubSpot v1/v2; weaker, kept for those providers).  ``token``: no signature at all,
#: the header carries the shared secret itself (GitLab ``X-Gitlab-Token``).  ``basic``:
#: no signature either, HTTP Basic credentials (``Authorization: Basic base64(user:password)``)
#: checked against a ``"user:password"`` secret (Postmark, Pipedrive, Chargebee).
Construction = Literal["hmac", "secret-prefix", "token", "basic"]
_CONSTRUCTIONS = ("hmac", "secret-prefix", "token", "basic")
_NO_SIGNATURE = ("token", "basic")
_DIGEST_SIZES: dict[str, int] = {"sha1": 20, "sha256": 32, "sha512": 64}


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
        timestamp_unit: ``"s"``, ``"ms"`` or ``"rfc3339"`` (Twitch, Box).
        id_header: header with the delivery id, if any.
        content: what is signed: a template over ``{timestamp}``, ``{id}``,
            ``{body}``, ``{url}`` and ``{method}``, or a function.
        secret_format: how a ``str`` secret becomes key bytes
            (``"utf-8"``, ``"base64"``, ``"whsec"``, ``"hex"`` or ``"nfkd-utf-8"``).
        tolerance: default replay window in seconds for this scheme.
        asymmetric: the scheme's public-key variant, used when a verifier is
            given ``public_key=`` or ``signing_key=`` (Standard Webhooks ``v1a``).
        construction: ``"hmac"`` (default), ``"secret-prefix"``, ``"token"`` or
            ``"basic"`` (:data:`Construction`); a token, and Basic credentials'
            user and password, are compared through SHA-256 digests, in constant
            time and without revealing their length.
        all_signature_headers: read every name of *signature_header*, each
            carrying candidates (Box's primary and secondary signatures);
            otherwise they are alternative spellings of one header.
        url_variants: the URLs to try for one configured URL (Twilio's
            default port, :func:`hooksig.scheme.content.with_and_without_default_port`).
            With a content function whose content starts with the URL, the
            function runs once and each variant URL is signed before the rest.
        handshake: answers the provider's endpoint check, used by
            :meth:`hooksig.Verifier.handshake` (see :mod:`hooksig.scheme.handshake`).
        challenge: answers an endpoint check the provider sends unsigned,
            before any delivery, used by :meth:`hooksig.Verifier.challenge`
            (see :mod:`hooksig.scheme.challenge`); ``None`` unless you configure one.
        secret_hint: what the secret is, in the provider's words, for the docs.

    A header name starting with ``body.`` names a field of the JSON body
    (Mailgun's ``body.signature.token``, Linear's ``body.webhookTimestamp``).

    .. versionadded:: 0.1
    """

    algorithm: Algorithm = "sha256"
    secret_format: SecretFormat = "utf-8"
    asymmetric: AsymmetricScheme | None = None
    construction: Construction = "hmac"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.algorithm not in _DIGEST_SIZES:
            raise ConfigurationError("algorithm must be sha1, sha256 or sha512")
        if self.construction not in _CONSTRUCTIONS:
            raise ConfigurationError("construction must be hmac, secret-prefix, token or basic")
        if self.secret_format not in SECRET_FORMATS:
            raise ConfigurationError(f"secret_format must be one of {', '.join(SECRET_FORMATS)}")

    def _decode_candidate(self, label: str, text: str) -> bytes:
        if self.construction not in _NO_SIGNATURE or label != self._label:
            return super()._decode_candidate(label, text)
        if not text:
            raise MalformedSignature("the token is empty", reason="empty")
        if self.construction == "basic":
            return _credential_digests(decode(text, "base64", what="credentials"))
        # Header text usually arrives latin-1 decoded from the wire, so its latin-1
        # bytes are the token's UTF-8; text some framework already decoded is re-encoded.
        try:
            raw = text.encode("latin-1")
            raw.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            raw = text.encode("utf-8", "surrogatepass")
        return hashlib.sha256(raw).digest()

    def _digest(self, key: bytes, content: bytes) -> bytes:
        if self.construction == "token":
            return hashlib.sha256(key).digest()
        if self.construction == "basic":
            return _credential_digests(key)
        if self.construction == "secret-prefix":
            return hashlib.new(self.algorithm, key + content).digest()
        return hmac.digest(key, content, self.algorithm)

    def _candidate_labels(self) -> frozenset[str]:
        # A header may carry the public-key variant's signatures too (v1 and v1a).
        if self.asymmetric is None:
            return frozenset({self._label})
        return frozenset({self._label, self.asymmetric._label})

    def _signature_size(self, label: str) -> int | None:
        if label != self._label and self.asymmetric is not None:
            return self.asymmetric._signature_size(label)
        return None if self.construction in _NO_SIGNATURE else _DIGEST_SIZES[self.algorithm]

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
        ring = hmac_ring(secrets, self.secret_format)
        if self.construction == "basic" and any(b":" not in key for _, key in ring.hmac_keys()):
            raise ConfigurationError('a Basic credentials secret is "user:password"')
        return ring

    def match(self, keys: KeyRing, content: bytes, parsed: ParsedSignature) -> str | None:
        """Compute one HMAC per key and compare it with every candidate."""
        if self.asymmetric is not None and keys.hmac_keys() == ():
            return self.asymmetric.match(keys, content, parsed)
        digests = [(key_id, self._digest(key, content)) for key_id, key in keys.hmac_keys()]
        label = self._label
        return match_key(digests, [sig for kind, sig in parsed.candidates if kind == label])

    def _keyed(self, keys: KeyRing) -> tuple[tuple[str, Any], ...] | None:
        # The verifier's fast path: each key's HMAC state, keyed once at construction
        # and copied per delivery.  None where match() would not compute HMACs.
        pairs = keys.hmac_keys()
        if self.construction != "hmac" or (self.asymmetric is not None and pairs == ()):
            return None
        return tuple((key_id, hmac.new(key, digestmod=self.algorithm)) for key_id, key in pairs)

    def _match_keyed(
        self,
        keyed: tuple[tuple[str, Any], ...],
        parts: Sequence[bytes | memoryview],
        parsed: ParsedSignature,
    ) -> str | None:
        # match() over the content in pieces, from the keyed states: the same
        # digests, without joining a copy of the body or re-keying per delivery.
        digests = []
        for key_id, state in keyed:
            mac = state.copy()
            for part in parts:
                mac.update(part)
            digests.append((key_id, mac.digest()))
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
        if self.construction in _NO_SIGNATURE:
            headers = self._format_headers(b"", request, timestamp, id)
            material = key.material
            if self.construction == "basic":
                material = base64.b64encode(material)
            # The header carries the secret itself, after the declared prefix (Bearer, Basic).
            headers[next(iter(headers))] = self._label + material.decode("latin-1")
            return headers
        content = self.signed_content(parsed, request)
        signature = self._digest(key.material, content)
        return self._format_headers(signature, request, timestamp, id)


def _credential_digests(credentials: bytes) -> bytes:
    """SHA-256 of the user and of the password: both compared, in constant time, length hidden."""
    user, colon, password = credentials.partition(b":")
    if not colon:
        raise MalformedSignature("the credentials are not user:password", reason="bad_credentials")
    return hashlib.sha256(user).digest() + hashlib.sha256(password).digest()


def keyed(scheme: Scheme, keys: KeyRing) -> tuple[tuple[str, Any], ...] | None:
    """Each key's HMAC state, keyed once, where HmacScheme's own steps apply."""
    # The fast path hashes the pieces signed_contents() would join, from HMAC
    # states keyed once; it stands in only for HmacScheme's own steps, never
    # for a subclass that overrides them.
    cls: type[Any] = type(scheme)
    if not (
        isinstance(scheme, HmacScheme)
        and cls.match is HmacScheme.match
        and cls._digest is HmacScheme._digest
        and cls.signed_content is HmacScheme.signed_content
        and cls.signed_contents is HmacScheme.signed_contents
    ):
        return None
    return scheme._keyed(keys)


def contents(scheme: Scheme, parsed: ParsedSignature, request: Request) -> Sequence[bytes]:
    """Every content the scheme may have signed, for the general path."""
    # A scheme may offer several contents (Twilio's URL with and without its port).
    several = getattr(scheme, "signed_contents", None)
    if several is not None:
        return several(parsed, request)  # type: ignore[no-any-return]
    return (scheme.signed_content(parsed, request),)


for _public in (HmacScheme,):
    _public.__module__ = "hooksig"  # its public name, hooksig.HmacScheme
del _public
