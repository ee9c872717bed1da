"""
Schemes whose delivery is one or more signed units picked out of its fields: :class:`UnitScheme`.

Adyen batches notification items, each signed on its own; AWS SNS signs a
string built from the message's fields with the certificate its
``SigningCertURL`` names; Braintree lists one signature per public key.  A
provider module says how to read its units (a short ``_units`` method) and
how to sign one; this class does the rest, once:

- every unit must verify (Adyen's SDK checks only the first item: a forged
  second item rides along; here it fails the delivery);
- every key is tried against every candidate of a unit, in constant time
  for HMAC;
- a unit may name the certificate that verifies it: the key is resolved
  by :meth:`UnitScheme.resolve_keys` through the provider's
  :class:`~hooksig.keysource.UrlRule` and a :class:`~hooksig.keysource.KeySource`,
  after the verifier has judged the delivery fresh, and its validity dates
  are checked against the verifier's clock.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .._primitives import crypto, x509
from .._primitives.compare import match_key
from .._primitives.encoding import decode
from ..errors import ConfigurationError, InvalidSignature, WebhookError
from ..keys import Key, KeyRing, SecretLike, hmac_ring, load_secret
from ..keysource import KeyRequest, KeySource, UrlRule
from .handshake import Handshake
from .ids import IdSource
from .protocol import BodyShape, Content, Evidence, ParsedSignature, Request, SchemeInfo

__all__ = ["KeyKind", "ParsedUnits", "Unit", "UnitScheme"]

#: ``hmac``: shared secrets.  ``rsa``: a configured public key.
#: ``certificate``: a certificate each unit names by URL, fetched under a rule.
KeyKind = Literal["hmac", "rsa", "certificate"]
#: How a text secret becomes key bytes: its UTF-8 bytes, hex (Adyen), or base64 (Sinch).
UnitSecretFormat = Literal["utf-8", "hex", "base64"]
#: Where a self-issued test certificate lives, for schemes that sign with ``signing_key=``.
TEST_VALIDITY = (0.0, 4_102_444_800.0)  # 1970-01-01 to 2100-01-01


@dataclass(frozen=True)
class Unit:
    """
    One signed unit of a delivery.

    Attributes:
        contents: the bytes the provider may have signed (usually one; Braintree
            signs its payload with or without a final newline).
        signatures: the decoded candidate signatures.
        field: where the signature was read, for errors (``body.Signature``).
        digest: the hash, where a unit says which (SNS signature versions).
        key_url: the certificate URL naming this unit's key.
        key_id: only keys with this id are tried (Sinch's application key).
        signature_keys: per signature, the id of the only key it is tried with
            (Braintree's ``public_key|signature`` pairs).

    .. versionadded:: 0.1
    """

    contents: tuple[bytes, ...]
    signatures: tuple[bytes, ...]
    field: str
    digest: str | None = None
    key_url: str | None = None
    key_id: str | None = None
    signature_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedUnits(ParsedSignature):
    """A :class:`~hooksig.ParsedSignature` that also holds every unit to verify."""

    units: tuple[Unit, ...] = ()


@dataclass(frozen=True, kw_only=True)
class UnitScheme:
    """
    The frame of a provider whose signatures are picked out of the delivery's fields.

    Subclasses implement ``_units(request) -> ParsedUnits`` and
    ``_sign_units(keys, request, timestamp, id) -> dict[str, str]``.

    Args:
        name: registry name.
        key_kind: :data:`KeyKind`.
        algorithm: the digest: ``sha1`` or ``sha256`` (a unit may name its own).
        secret_format: how a text secret becomes HMAC key bytes (``None`` for public keys).
        signature_header: where the signature is (a header, or ``body.``/``form.`` field).
        key_rule: for certificates, the URLs that may be fetched.
        tolerance: the replay window, where the provider signs a time.
        challenge: an answer to an unsigned check, before verification
            (:mod:`hooksig.scheme.challenge`); ``None`` until you configure one.
        secret_hint: what the key is, in the provider's words, for the docs.
        docs_url: the provider's page for its recipe.
        algorithm_text: the algorithm, in words, for the provider's page.
        content_text: what is signed, in words, for the provider's page.
        signature_value: what a signature looks like (``<base64>``), then a note in parentheses.
        timestamp_headers: where the signed time is (a header, or a ``body.`` field).
        timestamp_unit: ``s``, ``ms`` or ``rfc3339``; ``None`` when no time is signed.
        body_shape: what the body is (``json``, ``form``), for the toolkit and the docs.
        signs_url: the signed content includes the URL (Sinch's path): a verifier
            then needs a URL policy (``public_url=``).
        id_source: where :attr:`hooksig.Delivery.id` comes from (:mod:`hooksig.scheme.ids`),
            where the units give none.
        evidence: what the scheme is checked against.

    .. versionadded:: 0.1
    """

    name: str
    key_kind: KeyKind = "hmac"
    algorithm: str = "sha256"
    secret_format: UnitSecretFormat | None = "utf-8"
    key_rule: UrlRule | None = None
    signature_header: str = ""
    tolerance: float | None = None
    challenge: Any = None
    secret_hint: str = ""
    docs_url: str = ""
    algorithm_text: str = ""
    content_text: str = ""
    signature_value: str = "<base64>"
    timestamp_headers: tuple[str, ...] = ()
    timestamp_unit: str | None = None
    body_shape: BodyShape = "json"
    signs_url: bool = False
    id_source: IdSource | None = None
    evidence: Evidence | None = None
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.key_kind not in ("hmac", "rsa", "certificate"):
            raise ConfigurationError("key_kind must be hmac, rsa or certificate")
        if self.algorithm not in ("sha1", "sha256"):
            raise ConfigurationError("algorithm must be sha1 or sha256")
        if self.key_kind == "certificate" and self.key_rule is None:
            raise ConfigurationError("a certificate scheme needs a key_rule")
        if self.key_kind != "hmac":
            object.__setattr__(self, "secret_format", None)

    @property
    def signing_key_type(self) -> str | None:
        """``"rsa"`` (the kind of private key that signs for tests), or ``None`` for secrets."""
        return None if self.key_kind == "hmac" else "rsa"

    def signed_body_part(self, body: bytes) -> object:
        """
        What of *body* the signature covers, for :func:`hooksig.testing.equivalent_bodies`.

        Two bodies with the same part are one delivery to this scheme; ``None``
        when *body* is not one it can read.
        """
        from .._primitives.headers import Headers

        try:
            parsed = self._units(Request(body, Headers(), "https://example.com/"))
        except (WebhookError, ValueError):
            return None
        return tuple((unit.contents, unit.signatures) for unit in parsed.units)

    @property
    def default_tolerance(self) -> float | None:
        """The provider's replay window, or ``None`` when it signs no time."""
        return self.tolerance

    @property
    def handshake(self) -> Handshake | None:
        """Answers a signed endpoint check (:meth:`hooksig.Verifier.handshake`), if any."""
        return None

    @property
    def info(self) -> SchemeInfo:
        """What this scheme is, from its declaration."""
        return SchemeInfo(
            name=self.name,
            algorithm=self.algorithm_text,
            construction="hmac" if self.key_kind == "hmac" else "signature",
            key_kinds=("secret",) if self.key_kind == "hmac" else ("public-key",),
            secret_format=self.secret_format,
            signature_headers=(self.signature_header,),
            signature_value=self.signature_value,
            timestamp_headers=self.timestamp_headers,
            timestamp_unit=self.timestamp_unit,
            tolerance=self.tolerance,
            signed_content=self.content_text,
            signs_url=self.signs_url,
            body_shape=self.body_shape,
            id_source=self.id_source,
            handshake=self.handshake is not None,
            challenge=self.challenge is not None,
            docs_url=self.docs_url,
            secret_hint=self.secret_hint,
            evidence=self.evidence,
        )

    # -- keys ----------------------------------------------------------------------------

    def load_keys(
        self,
        secrets: Sequence[SecretLike],
        *,
        public_key: object | None = None,
        signing_key: object | None = None,
    ) -> KeyRing:
        """Load secrets (HMAC), a public key (RSA), or a key source (certificates)."""
        if self.key_kind == "hmac":
            if public_key is not None or signing_key is not None:
                raise ConfigurationError(f"the {self.name} scheme uses a shared secret, not keys")
            return self._hmac_ring(secrets)
        if secrets:
            raise ConfigurationError(f"the {self.name} scheme uses public keys, not a secret")
        signer = None
        if signing_key is not None:
            raw = signing_key.encode() if isinstance(signing_key, str) else signing_key
            if not isinstance(raw, bytes):
                raise ConfigurationError("the signing key must be PEM or DER text or bytes")
            signer = Key("0", "rsa-private", crypto.rsa_private_key(raw))
        if self.key_kind == "rsa":
            if public_key is None and signer is None:
                raise ConfigurationError(f"the {self.name} scheme needs public_key=")
            if public_key is None:
                assert signer is not None  # noqa: S101 - checked above
                verify = crypto.public_key_of(signer.material)
            else:
                raw = public_key.encode() if isinstance(public_key, str) else public_key
                if not isinstance(raw, bytes):
                    raise ConfigurationError("the public key must be PEM or DER text or bytes")
                verify = crypto.rsa_public_key(raw)
            return KeyRing((Key("0", "rsa", verify),), signer)
        return self._certificate_ring(public_key, signer)

    def _hmac_ring(self, secrets: Sequence[SecretLike]) -> KeyRing:
        if self.secret_format != "hex":
            return self._derive(hmac_ring(secrets, self.secret_format or "utf-8"))
        ring = []
        for item in secrets:
            value: Any = getattr(item, "value", item)
            key_id = getattr(item, "key_id", None)
            if isinstance(value, str):
                try:
                    value = bytes.fromhex(value)
                except ValueError:
                    raise ConfigurationError("the secret is not hex") from None
            from ..keys import Secret

            ring.append(Secret(load_secret(value, "utf-8"), key_id=key_id))
        return self._derive(hmac_ring(ring, "utf-8"))

    def _derive(self, ring: KeyRing) -> KeyRing:
        """Hook: turn the configured secrets into the keys that sign (Braintree hashes them)."""
        return ring

    def _certificate_ring(self, source: object | None, signer: Key | None) -> KeyRing:
        roots: list[Any] = []
        if signer is not None:
            # Signing for tests: the certificate is served by the test source (or by the
            # source given, which must hold it) and its test root is trusted.
            test_source, roots = self._test_certificates(signer.material)
            source = test_source if source is None else source
        if source is None:
            source = KeySource()
        elif isinstance(source, Mapping):
            source = KeySource(documents=source, fetch=None)
        if not isinstance(source, KeySource):
            raise ConfigurationError(
                "public_key= takes a hooksig.keysource.KeySource or {url: certificate}"
            )
        source.preload(self._read_certificates)
        keys = [Key("source", "key-source", source)]
        keys += [Key(f"root-{i}", "trust-root", root) for i, root in enumerate(roots)]
        return KeyRing(tuple(keys), signer)

    def _test_certificates(self, private_key: Any) -> tuple[KeySource, list[Any]]:
        """Hook: a key source serving a certificate for *private_key*, and its trust roots."""
        raise ConfigurationError(f"the {self.name} scheme cannot sign: it has no test certificate")

    @staticmethod
    def _read_certificates(document: bytes) -> Mapping[str, Any]:
        certificates = x509.load_certificates(document)
        return {str(index): certificate for index, certificate in enumerate(certificates)}

    def _check_certificates(self, certificates: Sequence[Any], keys: KeyRing, now: float) -> str:
        """
        Hook: judge the fetched certificates (leaf first); return ``""`` or a refusal reason.

        By default the leaf must be valid at *now*; PayPal also checks its chain.
        """
        return x509.validity_error(certificates[0], now) or ""

    def resolve_keys(self, parsed: ParsedSignature, request: Request, keys: KeyRing) -> KeyRing:
        """Each unit's certificate, fetched under the rule, judged at the verifier's time."""
        source, urls = self._sources(parsed, keys)
        if source is None:
            return keys
        found = [
            self._certificate_key(url, source.keys(*self._key_request(url)), keys, request)
            for url in urls
        ]
        return KeyRing(tuple(found), keys.signing_key)

    async def resolve_keys_async(
        self, parsed: ParsedSignature, request: Request, keys: KeyRing
    ) -> KeyRing:
        """:meth:`resolve_keys`, awaiting each fetch."""
        source, urls = self._sources(parsed, keys)
        if source is None:
            return keys
        found = []
        for url in urls:
            documents = await source.keys_async(*self._key_request(url))
            found.append(self._certificate_key(url, documents, keys, request))
        return KeyRing(tuple(found), keys.signing_key)

    def _sources(
        self, parsed: ParsedSignature, keys: KeyRing
    ) -> tuple[KeySource | None, list[str]]:
        source = next((k.material for k in keys.verify_keys if k.kind == "key-source"), None)
        if not isinstance(source, KeySource):
            return None, []
        units = parsed.units if isinstance(parsed, ParsedUnits) else ()
        return source, list(dict.fromkeys(unit.key_url for unit in units if unit.key_url))

    def _key_request(self, url: str) -> tuple[KeyRequest, UrlRule, Any]:
        assert self.key_rule is not None  # noqa: S101 - checked in __post_init__
        return KeyRequest(url), self.key_rule, self._read_certificates

    def _certificate_key(
        self, url: str, documents: Mapping[str, Any], keys: KeyRing, request: Request
    ) -> Key:
        certificates = [documents[str(i)] for i in range(len(documents))]
        now = request.now if request.now is not None else 0.0
        refusal = self._check_certificates(certificates, keys, now)
        if refusal:
            raise InvalidSignature(f"the signing certificate is refused: {refusal}", reason=refusal)
        try:
            key = crypto.check_rsa_public(x509.public_key(certificates[0]), "certificate key")
        except ConfigurationError:
            raise InvalidSignature(
                "the signing certificate's key is not a strong RSA key", reason="weak_key"
            ) from None
        return Key(url, "rsa", key)

    # -- parse, content, match -----------------------------------------------------------

    def parse(self, request: Request) -> ParsedUnits:
        """Read every signed unit of the delivery, with its timestamp and id."""
        parsed = self._units(request)
        if parsed.id is None and self.id_source is not None:
            # Read from the verified delivery, on first access of its id.
            return replace(parsed, id_source=self.id_source)
        return parsed

    def _units(self, request: Request) -> ParsedUnits:
        raise NotImplementedError

    def signed_contents(self, parsed: ParsedSignature, request: Request) -> Sequence[Content]:
        """The first unit's content (each unit is verified with its own in :meth:`match`)."""
        units = parsed.units if isinstance(parsed, ParsedUnits) else ()
        return ((units[0].contents[0] if units else b"",),)

    def match(self, keys: KeyRing, content: Content, parsed: ParsedSignature) -> str | None:
        """Verify every unit; return the key id that verified the first, or ``None``."""
        units = parsed.units if isinstance(parsed, ParsedUnits) else ()
        first: str | None = None
        failed = not units
        for unit in units:
            found = self._match_unit(keys, unit)
            failed |= found is None
            first = first if first is not None else found
        return None if failed else first

    def _match_unit(self, keys: KeyRing, unit: Unit) -> str | None:
        digest = unit.digest or self.algorithm
        candidates = [
            key for key in keys.verify_keys if unit.key_id is None or key.key_id == unit.key_id
        ]
        if self.key_kind == "hmac":
            found = None
            for content in unit.contents:
                for key in candidates:
                    assert isinstance(key.material, bytes)  # noqa: S101 - an HMAC ring
                    offered = [
                        signature
                        for position, signature in enumerate(unit.signatures)
                        if not unit.signature_keys or unit.signature_keys[position] == key.key_id
                    ]
                    mac = hmac.digest(key.material, content, digest)
                    hit = match_key([(key.key_id, mac)], offered)
                    found = found if found is not None else hit
            return found
        for key in candidates:
            if key.kind != "rsa" or (unit.key_url is not None and key.key_id != unit.key_url):
                continue
            for content in unit.contents:
                for signature in unit.signatures:
                    if crypto.rsa_verify(key.material, signature, content, digest):  # type: ignore[arg-type]
                        return key.key_id
        return None

    # -- signing -------------------------------------------------------------------------

    def sign(
        self, keys: KeyRing, request: Request, *, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        """The fields a provider would send: ``body.*`` names go into the body."""
        if keys.signing_key is None:
            raise ConfigurationError("signing needs a secret or signing_key=")
        return self._sign_units(keys, request, timestamp, id)

    def _sign_units(
        self, keys: KeyRing, request: Request, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        raise NotImplementedError

    def _signature(self, keys: KeyRing, content: bytes, digest: str | None = None) -> bytes:
        """Sign *content* with the ring's signing key."""
        key = keys.signing_key
        assert key is not None  # noqa: S101 - checked in sign()
        if isinstance(key.material, bytes):
            return hmac.digest(key.material, content, digest or self.algorithm)
        return crypto.rsa_sign(key.material, content, digest or self.algorithm)  # type: ignore[arg-type]

    @staticmethod
    def _decode(text: str, encoding: Literal["hex", "base64"], field_name: str) -> bytes:
        return decode(text, encoding, what=f"field {field_name}")


def sha1_key(ring: KeyRing) -> KeyRing:
    """Braintree's key derivation: every secret replaced by its SHA-1 digest."""
    keys = tuple(
        Key(key.key_id, key.kind, hashlib.sha1(key.material).digest())  # noqa: S324 - Braintree's recipe
        if isinstance(key.material, bytes)
        else key
        for key in ring.verify_keys
    )
    signer = ring.signing_key
    if signer is not None and isinstance(signer.material, bytes):
        signer = Key(signer.key_id, signer.kind, hashlib.sha1(signer.material).digest())  # noqa: S324
    return KeyRing(keys, signer)
