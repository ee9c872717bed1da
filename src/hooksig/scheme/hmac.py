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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .._primitives.compare import credential_digests, match_key, token_digest
from .._primitives.encoding import decode
from ..errors import ConfigurationError, MalformedSignature
from ..keys import (
    CONSTRUCTIONS,
    SECRET_FORMATS,
    Construction,
    KeyedMac,
    KeyRing,
    SecretFormat,
    SecretLike,
    hmac_ring,
)
from ._declared import _TemplateScheme
from .protocol import Content, ParsedSignature, Request, SchemeInfo

if TYPE_CHECKING:
    from .asymmetric import AsymmetricScheme

__all__ = ["Construction", "HmacScheme"]

Algorithm = Literal["sha1", "sha256", "sha512"]
#: The constructions with no signature, where the header carries the secret itself:
#: construction -> (key kind, encoding, what the header value is after any prefix).
_UNSIGNED: dict[str, tuple[str, str, str]] = {
    "token": ("token", "text", "<secret token>"),
    "basic": ("credentials", "base64", "<base64 of user:password>"),
}
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
        id_header: header with the delivery id: one the provider signs
            (``{id}`` in *content*), or your own scheme's unsigned one.
        id_field: dotted path of the delivery id in the JSON body (``"event.id"``),
            read after verification; shorthand for ``id_source=BodyField(...)``.
        id_source: where the delivery id comes from, read after verification
            (:mod:`hooksig.scheme.ids`: headers, body and form fields, fallbacks,
            a digest of the body); it wins over *id_header* as the delivery's id.
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
            otherwise they are alternative spellings of one header.  ``sign()``
            writes the first with the first key and each further name with the
            next key of the ring, when there is one.
        url_variants: the URLs to try for one configured URL (Twilio's
            port, :func:`hooksig.scheme.content.with_and_without_port`).
            With a content function whose content starts with the URL, the
            function runs once and each variant URL is signed before the rest.
        handshake: answers the provider's endpoint check, used by
            :meth:`hooksig.Verifier.handshake` (see :mod:`hooksig.scheme.handshake`).
        challenge: answers an endpoint check the provider sends unsigned,
            before any delivery, used by :meth:`hooksig.Verifier.challenge`
            (see :mod:`hooksig.scheme.challenge`); ``None`` unless you configure one.
        secret_hint: what the secret is, in the provider's words, for the docs.
        body_shape: what bodies look like (``bytes``, ``json``, ``form``, ``text``);
            derived when omitted (``json`` where fields are read from the body).
        evidence: what the scheme is checked against (:class:`~hooksig.scheme.Evidence`).
        alias_evidence: alias -> :class:`~hooksig.scheme.Evidence`, for a registry
            alias checked against its own provider's vector or SDK.
        sent_headers: ``(name, value)`` pairs the provider sends, unsigned and
            always the same, that its SDK needs and ``sign()`` adds (Box's
            ``BOX-SIGNATURE-VERSION: 1``); verification never reads them.

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
        if self.construction not in CONSTRUCTIONS:
            raise ConfigurationError("construction must be hmac, secret-prefix, token or basic")
        if self.secret_format not in SECRET_FORMATS:
            raise ConfigurationError(f"secret_format must be one of {', '.join(SECRET_FORMATS)}")

    def _decode_candidate(self, label: str, text: str) -> bytes:
        if self.construction not in _UNSIGNED or label != self._label:
            return super()._decode_candidate(label, text)
        if not text:
            raise MalformedSignature("the token is empty", reason="empty")
        if self.construction == "basic":
            return credential_digests(decode(text, "base64", what="credentials"))
        return token_digest(text)

    def _candidate_labels(self) -> frozenset[str]:
        # A header may carry the public-key variant's signatures too (v1 and v1a).
        if self.asymmetric is None:
            return frozenset({self._label})
        return frozenset({self._label, self.asymmetric._label})

    def _signature_size(self, label: str) -> int | None:
        if label != self._label and self.asymmetric is not None:
            return self.asymmetric._signature_size(label)
        return None if self.construction in _UNSIGNED else _DIGEST_SIZES[self.algorithm]

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
        return hmac_ring(
            secrets, self.secret_format, algorithm=self.algorithm, construction=self.construction
        )

    def _macs(self, keys: KeyRing) -> tuple[tuple[str, KeyedMac], ...]:
        # A ring from load_keys() is keyed already; one built by hand is keyed here.
        if keys.macs:
            return keys.macs
        return tuple(
            (key_id, KeyedMac(key, self.algorithm, self.construction))
            for key_id, key in keys.hmac_keys()
        )

    def match(self, keys: KeyRing, content: Content, parsed: ParsedSignature) -> str | None:
        """Copy each key's keyed state over the content's pieces; compare with every candidate."""
        if self.asymmetric is not None and keys.hmac_keys() == ():
            return self.asymmetric.match(keys, content, parsed)
        digests = [(key_id, mac.digest(content)) for key_id, mac in self._macs(keys)]
        label = self._label
        return match_key(digests, [sig for kind, sig in parsed.candidates if kind == label])

    def _plan_match(self, keys: KeyRing) -> dict[str, Any] | None:
        # A token is not a MAC, and public keys go through the general route.
        if self.construction in _UNSIGNED or not keys.macs:
            return None
        return {"macs": keys.macs}

    @property
    def info(self) -> SchemeInfo:
        """What this scheme is, derived from its declaration."""
        unsigned = _UNSIGNED.get(self.construction)
        kinds: tuple[Any, ...] = (unsigned[0] if unsigned else "secret",)
        if self.asymmetric is not None:
            kinds += ("public-key",)
        if unsigned is None:
            return self._info(
                algorithm=self.algorithm,
                construction=self.construction,
                key_kinds=kinds,
                secret_format=self.secret_format,
            )
        kind, encoding, value = unsigned
        return self._info(
            algorithm="sha256",  # the digests compared
            construction=self.construction,
            encoding=encoding,
            key_kinds=kinds,
            secret_format=self.secret_format,
            signature_value=self._label + value,
            signed_content=f"nothing: the request carries the {kind}",
            signs_body=False,
        )

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
        if self.construction in _UNSIGNED:
            headers = self._format_headers(b"", request, timestamp, id)
            material = key.material
            if self.construction == "basic":
                material = base64.b64encode(material)
            # The header carries the secret itself, after the declared prefix (Bearer, Basic).
            headers[next(iter(headers))] = self._label + material.decode("latin-1")
            return headers
        content = self.signed_content(parsed, request)
        signature = KeyedMac(key.material, self.algorithm, self.construction).digest([content])
        # Each further signature header carries the next key's (Box's secondary).
        more = (
            [
                KeyedMac(material, self.algorithm, self.construction).digest([content])
                for _, material in keys.hmac_keys()[1:]
            ]
            if self.all_signature_headers
            else []
        )
        return self._format_headers(signature, request, timestamp, id, more)


for _public in (HmacScheme,):
    _public.__module__ = "hooksig"  # its public name, hooksig.HmacScheme
del _public
