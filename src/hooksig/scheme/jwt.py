"""
Deliveries authenticated by a JWT or JWS: :class:`JwtScheme`, on PyJWT (``hooksig[jwt]``).

Google Pub/Sub, Plaid, Vonage and Apple put a signed token in a header or
in the body.  The well-known ways to get tokens wrong are all closed here:

- the algorithm is the scheme's, never the token's: ``alg: none``, or
  HS256 offered where the provider signs RS256 (the public key used as an
  HMAC secret), are refused before any key is looked at;
- time claims are checked against hooksig's clock and replay window, not
  the system clock PyJWT would read: ``iat`` is the delivery's timestamp
  (the verifier's window bounds it), ``exp`` and ``nbf`` are checked with a
  small leeway;
- ``aud``, ``iss`` and the provider's identity claims (Google's ``email``)
  are compared before any key is fetched, so a token meant for someone else
  costs no request;
- a claim carrying the body's hash (Plaid ``request_body_sha256``, Vonage
  ``payload_hash``) is compared in constant time;
- claims are parsed strictly (a repeated key is refused), and the token's
  size is bounded;
- keys come from a :class:`~hooksig.keysource.KeySource` at the provider's
  fixed address, by key id, refetched at most once a minute for an unknown
  one; or from an ``x5c`` chain verified to a pinned root (Apple).

PyJWT checks the signature (``PyJWS.decode_complete`` with the one
algorithm); everything else is hooksig's.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

from .._primitives import crypto, x509
from .._primitives.compare import bytes_eq
from ..errors import (
    ConfigurationError,
    ExtraNotInstalled,
    InvalidSignature,
    MalformedSignature,
    TimestampOutOfTolerance,
)
from ..keys import Key, KeyRing, SecretLike, hmac_ring
from ..keysource import KeyRequest, KeySource, UrlRule
from ._body_fields import load_json
from .fields import pick
from .formats import check_id
from .handshake import Handshake
from .ids import BodyDigest, BodyField, FirstOf, IdSource
from .protocol import Content, Evidence, ParsedSignature, Request, SchemeInfo

if TYPE_CHECKING:
    from ..delivery import Delivery

__all__ = ["Algorithm", "JwtScheme", "KeyMode", "ParsedToken", "TokenClaim"]

#: The algorithms a scheme may fix.
Algorithm = Literal["RS256", "ES256", "HS256"]
#: Where keys come from: ``secret`` (HMAC), ``jwks`` or ``x509-map`` at a fixed URL,
#: ``kid-post`` (a key API taking the key id, Plaid), ``x5c`` (a chain in the token, Apple).
KeyMode = Literal["secret", "jwks", "x509-map", "kid-post", "x5c"]
#: The longest token read, in characters (Apple's signed payloads run to tens of KB).
MAX_TOKEN = 256 * 1024
#: Seconds of clock skew allowed on ``exp`` and ``nbf``.
LEEWAY = 60.0
#: The key id given to a key derived from ``signing_key=``.
TEST_KID = "hooksig-test"


def _pyjwt() -> ModuleType:
    try:
        import jwt
    except ImportError:  # pragma: no cover - exercised by the no-extras test run
        raise ExtraNotInstalled("jwt", "PyJWT") from None
    return jwt


_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


def _b64url(text: str, what: str) -> bytes:
    """Strict, canonical, unpadded base64url: spare bits set, or padding, is malformed."""
    refused = MalformedSignature(f"the token's {what} is not base64url", reason="bad_token")
    if _BASE64URL.fullmatch(text) is None or len(text) % 4 == 1:
        raise refused
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):  # pragma: no cover - the pattern admits none
        raise refused from None
    if base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii") != text:
        raise refused
    return data


def _segment(text: str, what: str) -> dict[str, Any]:
    try:
        document = load_json(_b64url(text, what))
    except MalformedSignature:
        raise MalformedSignature(f"the token's {what} is not JSON", reason="bad_token") from None
    if not isinstance(document, dict):
        raise MalformedSignature(f"the token's {what} is not an object", reason="bad_token")
    return document


def _number(claims: Mapping[str, Any], name: str, where: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise MalformedSignature(f"claim {name} is not a number", reason="bad_claim", header=where)
    return float(value)


def _claim(claims: Mapping[str, Any], path: str) -> object:
    node: object = claims
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


@dataclass(frozen=True)
class TokenClaim:
    """
    The id in a claim of the verified token: Apple's ``notificationUUID``.

    The token is read from *header* (``Bearer`` stripped where *bearer*) or
    from the JSON body's *field*; its payload is decoded (the verifier has
    checked its signature already).  A claim that is absent or not an id
    gives ``None``.

    .. versionadded:: 0.1
    """

    claim: str
    header: str = "Authorization"
    bearer: bool = True
    field: str | None = None

    def __call__(self, delivery: Delivery) -> str | None:
        """The claim's value, if it is an id."""
        try:
            if self.field is not None:
                token = pick(load_json(delivery.body), self.field) or ""
            else:
                token = delivery.headers.get(self.header, "")
                if self.bearer:
                    token = token.partition(" ")[2]
            value = _claim(_segment(token.split(".")[1], "claims"), self.claim)
            return check_id(value, self.claim, "") if isinstance(value, str) else None
        except (MalformedSignature, IndexError):
            return None

    def describe(self) -> str:
        """``claim `jti` of the token in `Authorization```."""
        where = f"body field `{self.field}`" if self.field else f"`{self.header}`"
        return f"claim `{self.claim}` of the token in {where}"


@dataclass(frozen=True)
class ParsedToken(ParsedSignature):
    """A :class:`~hooksig.ParsedSignature` holding the token and what was read from it."""

    tokens: tuple[str, ...] = ()
    kids: tuple[str | None, ...] = ()
    chains: tuple[tuple[str, ...], ...] = ()
    claims: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True, kw_only=True)
class JwtScheme:
    """
    A provider whose deliveries carry a JWT or JWS, declared as data.

    Args:
        name: registry name.
        algorithm: the one algorithm accepted (:data:`Algorithm`).
        token_header: the header carrying the token.
        bearer: the header value is ``Bearer <token>``.
        token_field: the JSON body field carrying the token instead (Apple).
        key_mode: where the keys come from (:data:`KeyMode`).
        keys_url: the provider's fixed key address (``jwks``, ``x509-map``, ``kid-post``).
        key_rule: the URLs keys may be fetched from; by default exactly *keys_url*'s host.
        audience: the ``aud`` values accepted; with *audience_from_url*, the
            URL the provider called (Google's default) when none is set.
        audience_from_url: take the expected audience from the request URL
            when *audience* is empty.
        issuers: the ``iss`` values accepted; empty accepts none required.
        claims: claims that must hold exactly these values (``email_verified: True``).
        required: claim names that must be present.
        identity: claim names that must be configured with :meth:`configured`
            (``email``) when verifying with the provider's keys.
        body_hash_claim: a claim holding the hex SHA-256 of the raw body.
        body_hash_optional: an absent body-hash claim is allowed for an empty body.
        id_claim: the claim holding the delivery id.
        id_field: the JSON body field holding the delivery id (read after verification).
        timestamp_claim: the claim holding the signed time (``iat``; Apple's ``signedDate``).
        timestamp_unit: ``"s"`` or ``"ms"``.
        test_claims: claims :meth:`sign` writes for *identity* claims not configured.
        settings: friendly names for identity claims, accepted by :meth:`configured`
            (``{"bundle_id": "data.bundleId"}``); an *identity* name is accepted as is.
        tolerance: the replay window applied to ``iat``.
        roots: DER or PEM certificates an ``x5c`` chain must end at.
        chain_oids: per ``x5c`` position, an extension OID the certificate must carry.
        lenient_ca: accept CA certificates whose basic constraints are not
            marked critical.  Only for a provider's *test* CA (Apple's mock
            notifications); real roots follow the Web PKI rules.
        credentials: body fields sent to a ``kid-post`` key API besides the key id.
        challenge: see :attr:`hooksig.Scheme` (unsigned endpoint checks).
        secret_hint: what the key is, for the docs.
        docs_url: the provider's page.
        id_source: where :attr:`hooksig.Delivery.id` comes from when neither
            *id_claim* nor *id_field* gives it (:mod:`hooksig.scheme.ids`).
        evidence: what the scheme is checked against.

    .. versionadded:: 0.1
    """

    name: str
    algorithm: Algorithm
    token_header: str = "Authorization"
    bearer: bool = True
    token_field: str | None = None
    key_mode: KeyMode = "jwks"
    keys_url: str = ""
    key_rule: UrlRule | None = None
    audience: tuple[str, ...] = ()
    audience_from_url: bool = False
    issuers: tuple[str, ...] = ()
    claims: Mapping[str, Any] = field(default_factory=dict)
    required: tuple[str, ...] = ("iat",)
    identity: tuple[str, ...] = ()
    body_hash_claim: str | None = None
    body_hash_optional: bool = False
    id_claim: str | None = None
    id_field: str | None = None
    timestamp_claim: str = "iat"
    timestamp_unit: Literal["s", "ms"] = "s"
    test_claims: Mapping[str, Any] = field(default_factory=dict)
    settings: Mapping[str, str] = field(default_factory=dict)
    tolerance: float | None = 300.0
    roots: tuple[bytes, ...] = ()
    chain_oids: tuple[str | None, ...] = ()
    lenient_ca: bool = False
    credentials: Mapping[str, str] = field(default_factory=dict, repr=False)
    challenge: Any = None
    secret_hint: str = ""
    docs_url: str = ""
    id_source: IdSource | None = None
    evidence: Evidence | None = None

    def __post_init__(self) -> None:
        if self.algorithm not in ("RS256", "ES256", "HS256"):
            raise ConfigurationError("algorithm must be RS256, ES256 or HS256")
        if (self.algorithm == "HS256") != (self.key_mode == "secret"):
            raise ConfigurationError("HS256 and only HS256 takes key_mode='secret'")
        if self.key_mode in ("jwks", "x509-map", "kid-post") and not self.keys_url:
            raise ConfigurationError(f"key_mode {self.key_mode!r} needs keys_url")
        if isinstance(self.audience, str):
            object.__setattr__(self, "audience", (self.audience,))

    @property
    def default_tolerance(self) -> float | None:
        """The window ``iat`` must fall in."""
        return self.tolerance

    @property
    def secret_format(self) -> str | None:
        """``"utf-8"`` for HS256 (a shared secret), else ``None`` (public keys)."""
        return "utf-8" if self.key_mode == "secret" else None

    @property
    def signing_key_type(self) -> str | None:
        """The kind of private key that signs for tests."""
        return {"RS256": "rsa", "ES256": "ecdsa-p256"}.get(self.algorithm)

    @property
    def handshake(self) -> Handshake | None:
        """No provider with a token sends a signed endpoint check."""
        return None

    @property
    def ids(self) -> IdSource:
        """The delivery id's source, the id field or claim, else *id_source* or a body digest."""
        fallback = self.id_source if self.id_source is not None else BodyDigest()
        if self.id_field is not None:
            return FirstOf(BodyField(self.id_field), fallback)
        if self.id_claim is not None:
            claim = TokenClaim(self.id_claim, self.token_header, self.bearer, self.token_field)
            return FirstOf(claim, fallback)
        return fallback

    @property
    def info(self) -> SchemeInfo:
        """What this scheme is, from its declaration."""
        return SchemeInfo(
            name=self.name,
            algorithm=self.algorithm_text,
            construction="jwt",
            encoding="base64url",
            key_kinds=("secret",) if self.key_mode == "secret" else ("public-key",),
            secret_format=self.secret_format,
            signature_headers=(self.signature_header,),
            signature_value="Bearer <JWT>" if self.bearer and not self.token_field else "<JWT>",
            timestamp_unit=None if self.tolerance is None else self.timestamp_unit,
            tolerance=self.tolerance,
            signed_content=self.content_text,
            # The token's audience is the URL called, where no audience is configured.
            signs_url=self.audience_from_url and not self.audience,
            body_shape="json" if self.token_field or self.id_field else "bytes",
            id_source=self.ids,
            challenge=self.challenge is not None,
            docs_url=self.docs_url,
            secret_hint=self.secret_hint,
            evidence=self.evidence,
        )

    @property
    def algorithm_text(self) -> str:
        """The algorithm, in words, for the provider's page."""
        keys = {"secret": "a shared secret", "x5c": "its x5c chain's leaf"}.get(
            self.key_mode, "the provider's keys, fetched by key id"
        )
        return f"JWT {self.algorithm} under {keys}"

    @property
    def content_text(self) -> str:
        """What the token binds, for the provider's page."""
        if self.body_hash_claim is not None:
            return f"the token's claims, with the body's SHA-256 in `{self.body_hash_claim}`"
        if self.token_field is not None:
            return "the token's claims (the notification itself)"
        return "the token's claims (not the body)"

    @property
    def signature_header(self) -> str:
        """The token's header, or ``body.<field>`` where the body carries it."""
        return self.token_header if self.token_field is None else f"body.{self.token_field}"

    def signed_body_part(self, body: bytes) -> object:
        """What of *body* the token covers (see :func:`hooksig.testing.equivalent_bodies`)."""
        if self.token_field is not None:
            try:
                return pick(load_json(body), self.token_field)
            except MalformedSignature:
                return None
        return body if self.body_hash_claim is not None else b""

    @property
    def rule(self) -> UrlRule:
        """The URLs this scheme fetches keys from."""
        if self.key_rule is not None:
            return self.key_rule
        import re
        from urllib.parse import urlsplit

        parts = urlsplit(self.keys_url)
        return UrlRule(host=re.escape(parts.hostname or ""), path=re.escape(parts.path))

    def configured(self, **settings: Any) -> JwtScheme:
        """
        A copy with *settings* applied: identity claims by name (``email=``), or any field.

        Raises:
            ConfigurationError: a name that is neither.
        """
        claims = dict(self.claims)
        changes: dict[str, Any] = {}
        known = {f.name for f in fields(self) if f.init}
        for name, value in settings.items():
            claim = self.settings.get(name) or (name if name in self.identity else None)
            if claim is not None:
                claims[claim] = value
            elif name in known:
                changes[name] = value
            else:
                raise ConfigurationError(f"the {self.name} scheme has no setting {name!r}")
        return replace(self, **{"claims": claims, **changes})

    # -- keys ----------------------------------------------------------------------------

    def load_keys(
        self,
        secrets: Sequence[SecretLike],
        *,
        public_key: object | None = None,
        signing_key: object | None = None,
    ) -> KeyRing:
        """Load the HMAC secret, or where the provider's keys come from; check settings."""
        _pyjwt()
        if self.key_mode == "secret":
            if public_key is not None or signing_key is not None:
                raise ConfigurationError(f"the {self.name} scheme uses a shared secret")
            return hmac_ring(secrets, "utf-8")
        if secrets and (self.key_mode != "kid-post" or signing_key is not None):
            raise ConfigurationError(f"the {self.name} scheme uses public keys, not a secret")
        if signing_key is not None:
            return self._test_ring(signing_key, public_key)
        missing = [name for name in self.identity if name not in self.claims]
        if missing:
            raise ConfigurationError(
                f"the {self.name} scheme needs {', '.join(missing)}: "
                f"hooksig.schemes.configure({self.name!r}, claims={{...}})"
            )
        if self.key_mode == "x5c":
            roots = self._roots(public_key)
            return KeyRing(
                tuple(Key(f"root-{i}", "trust-root", r) for i, r in enumerate(roots)), None
            )
        keys: list[Key] = []
        if self.key_mode == "kid-post":
            if len(secrets) != 1 or not self.credentials.get("client_id"):
                raise ConfigurationError(
                    f"the {self.name} scheme needs secret= (the API secret) and "
                    "credentials={'client_id': ...} to call its key API"
                )
            keys.append(
                Key("api-secret", "api-secret", hmac_ring(secrets, "utf-8").verify_keys[0].material)
            )
        source = public_key if public_key is not None else KeySource()
        if isinstance(source, Mapping):
            source = KeySource(documents=source, fetch=None)
        if not isinstance(source, KeySource):
            raise ConfigurationError(
                "public_key= takes a hooksig.keysource.KeySource or {url: key document}"
            )
        source.preload(self._reader())
        return KeyRing((*keys, Key("source", "key-source", source)), None)

    def _roots(self, given: object | None) -> list[Any]:
        documents: list[bytes] = list(self.roots) if given is None else []
        if given is not None:
            items = given if isinstance(given, (list, tuple)) else [given]
            for item in items:
                if not isinstance(item, (bytes, str)):
                    raise ConfigurationError("public_key= takes root certificates (PEM or DER)")
                documents.append(item.encode() if isinstance(item, str) else item)
        if not documents:
            raise ConfigurationError(f"the {self.name} scheme needs a root certificate")
        try:
            return [c for document in documents for c in x509.load_certificates(document)]
        except ValueError:
            raise ConfigurationError("a root certificate is unreadable") from None

    def _test_ring(self, signing_key: object, public_key: object | None) -> KeyRing:
        """Verify with the public half of *signing_key* (tests, the testing toolkit)."""
        raw = signing_key.encode() if isinstance(signing_key, str) else signing_key
        if not isinstance(raw, bytes):
            raise ConfigurationError("the signing key must be PEM text or bytes")
        if self.algorithm == "ES256":
            private = crypto.ecdsa_p256_private_key(raw)
        else:
            private = crypto.rsa_private_key(raw)
        signer = Key(TEST_KID, "jwt-private", private)
        if self.key_mode != "x5c":
            return KeyRing((Key(TEST_KID, "jwt", private.public_key()),), signer)
        from ._tokens import test_chain

        root, chain = test_chain(private, self.chain_oids)
        keys = [Key("root-0", "trust-root", root), Key("x5c", "x5c-chain", chain)]
        return KeyRing(tuple(keys), signer)

    def _reader(self) -> Any:
        """Read a key document into ``{kid: key}``, as this scheme's key mode serves it."""
        mode = self.key_mode
        jwt = _pyjwt()

        def read(document: bytes) -> Mapping[str, Any]:
            try:
                parsed = json.loads(document)
            except (ValueError, RecursionError):
                parsed = None
            keys: dict[str, Any] = {}
            if mode == "x509-map" and isinstance(parsed, dict):
                for kid, pem in parsed.items():
                    if isinstance(pem, str):
                        keys[kid] = x509.public_key(x509.load_certificates(pem.encode())[0])
                return keys
            if (
                mode == "kid-post"
                and isinstance(parsed, dict)
                and isinstance(parsed.get("key"), dict)
            ):
                parsed = {"keys": [parsed["key"]]}
            if isinstance(parsed, dict) and isinstance(parsed.get("keys"), list):
                for item in parsed["keys"]:
                    if not isinstance(item, dict) or not isinstance(item.get("kid"), str):
                        continue
                    if item.get("expired_at") not in (None, 0):
                        continue  # Plaid marks a retired key with expired_at
                    try:
                        keys[item["kid"]] = jwt.PyJWK(item, self.algorithm).key
                    except jwt.PyJWTError:
                        continue
                return keys
            raise ValueError("not a key document")

        return read

    # -- parse ---------------------------------------------------------------------------

    def _token(self, request: Request) -> tuple[str, str]:
        if self.token_field is not None:
            document = load_json(request.body)
            text = pick(document, self.token_field, signature=True) or ""
            return text, f"body.{self.token_field}"
        value = request.headers.require(self.token_header)
        if self.bearer:
            kind, _, value = value.partition(" ")
            if kind != "Bearer" or not value:
                raise MalformedSignature(
                    f"header {self.token_header} is not a bearer token",
                    reason="bad_token",
                    header=self.token_header,
                )
        return value, self.token_header

    def inspect(
        self, token: str, where: str, request: Request
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """
        Read the token's header and claims, and check everything that needs no key.

        Raises:
            MalformedSignature: not a compact JWS, another algorithm, bad claims.
            InvalidSignature: wrong audience, issuer or identity; expired; the
                body does not match its hash claim.
        """
        if len(token) > MAX_TOKEN or token.count(".") != 2:
            raise MalformedSignature("not a compact JWS", reason="bad_token", header=where)
        head_text, body_text, signature = token.split(".")
        header = _segment(head_text, "header")
        if header.get("alg") != self.algorithm:
            raise MalformedSignature(
                f"the token is not signed with {self.algorithm}",
                reason="wrong_algorithm",
                header=where,
            )
        _b64url(signature, "signature")
        claims = _segment(body_text, "claims")
        self._check_claims(claims, request, where)
        return header, claims

    def _check_claims(self, claims: dict[str, Any], request: Request, where: str) -> None:
        def refuse(what: str, reason: str) -> InvalidSignature:
            return InvalidSignature(f"the token {what}", reason=reason, header=where)

        for name in self.required:
            if name not in claims:
                raise MalformedSignature(
                    f"claim {name} is missing", reason="missing_claim", header=where
                )
        for name in ("exp", "nbf", "iat"):
            _number(claims, name, where)
        audiences = self.audience or (
            (request.url,) if self.audience_from_url and request.url else ()
        )
        if self.audience or self.audience_from_url:
            offered = claims.get("aud")
            offered = offered if isinstance(offered, list) else [offered]
            if not audiences or not any(a in audiences for a in offered if isinstance(a, str)):
                raise refuse("is for another audience", "wrong_audience")
        if self.issuers and claims.get("iss") not in self.issuers:
            raise refuse("is from another issuer", "wrong_issuer")
        self._check_identity(claims, where)
        if self.body_hash_claim is not None:
            self._check_body_hash(claims, request.body, where)

    def _check_identity(self, claims: Mapping[str, Any], where: str) -> None:
        """Every configured claim holds its value (dotted names reach into objects)."""
        for name, expected in self.claims.items():
            if _claim(claims, name) != expected:
                raise InvalidSignature(
                    f"the token's claim {name} does not hold the expected value",
                    reason="wrong_claim",
                    header=where,
                )

    def _check_body_hash(self, claims: Mapping[str, Any], body: bytes, where: str) -> None:
        name = self.body_hash_claim
        assert name is not None  # noqa: S101 - checked by the caller
        offered = claims.get(name)
        if offered is None and self.body_hash_optional and not body:
            return
        if not isinstance(offered, str):
            raise MalformedSignature(
                f"claim {name} is missing", reason="missing_claim", header=where
            )
        expected = hashlib.sha256(body).hexdigest().encode("ascii")
        if not bytes_eq(expected, offered.lower().encode("utf-8", "replace")):
            raise InvalidSignature(
                "the body does not match the token's hash",
                reason="body_hash_mismatch",
                header=where,
            )

    def parse(self, request: Request) -> ParsedToken:
        """Find the token and check it up to its signature (see :meth:`inspect`)."""
        token, where = self._token(request)
        header, claims = self.inspect(token, where, request)
        kid = header.get("kid") if isinstance(header.get("kid"), str) else None
        chain = self._chain(header, where) if self.key_mode == "x5c" else ()
        found = self._id(claims, request, where)
        issued = _number(claims, self.timestamp_claim, where)
        if issued is not None and self.timestamp_unit == "ms":
            issued /= 1000
        return ParsedToken(
            candidates=(("", token.encode("ascii")),),
            timestamp=issued,
            timestamp_text=None if issued is None else str(claims[self.timestamp_claim]),
            id=found,
            id_source=None if found is not None else self.ids,
            header=where,
            tokens=(token,),
            kids=(kid,),
            chains=(chain,),
            claims=(claims,),
        )

    def _body_id(self, body: bytes) -> str | None:
        """The id at ``id_field`` of the JSON body, if any (Google's ``message.messageId``)."""
        assert self.id_field is not None  # noqa: S101 - checked by the caller
        try:
            value = _claim(load_json(body), self.id_field)  # type: ignore[arg-type]
            return check_id(value, f"body.{self.id_field}", "") if isinstance(value, str) else None
        except MalformedSignature:
            return None  # an unsigned convenience: a body without a usable id has none

    def _chain(self, header: Mapping[str, Any], where: str) -> tuple[str, ...]:
        chain = header.get("x5c")
        if not isinstance(chain, list) or not all(isinstance(c, str) for c in chain):
            raise MalformedSignature("the token has no x5c chain", reason="bad_token", header=where)
        if len(chain) != len(self.chain_oids):
            raise MalformedSignature(
                f"the x5c chain is not {len(self.chain_oids)} certificates",
                reason="bad_chain",
                header=where,
            )
        return tuple(chain)

    def _id(self, claims: Mapping[str, Any], request: Request, where: str) -> str | None:
        if self.id_field is not None:
            return self._body_id(request.body)
        if self.id_claim is None:
            return None
        value = claims.get(self.id_claim)
        if value is None:
            return None
        if not isinstance(value, str):
            raise MalformedSignature(
                f"claim {self.id_claim} is not text", reason="bad_claim", header=where
            )
        return check_id(value, where, "")

    # -- keys for this delivery ------------------------------------------------------------

    def check_lifetime(self, parsed: ParsedSignature, now: float | None) -> None:
        """
        Refuse a token past its ``exp`` or before its ``nbf`` (with :data:`LEEWAY`).

        Called once the verifier has judged ``iat`` against its window, and
        before any key is fetched.

        Raises:
            TimestampOutOfTolerance: ``reason="token_expired"`` or ``"token_not_yet_valid"``.
        """
        if now is None or not isinstance(parsed, ParsedToken):
            return
        for claims in parsed.claims:
            expires, not_before = claims.get("exp"), claims.get("nbf")
            refusal = None
            if isinstance(expires, (int, float)) and not now < expires + LEEWAY:
                refusal = ("the token has expired", expires, "token_expired")
            elif isinstance(not_before, (int, float)) and not now >= not_before - LEEWAY:
                refusal = ("the token is not valid yet", not_before, "token_not_yet_valid")
            if refusal is not None:
                message, moment, reason = refusal
                raise TimestampOutOfTolerance(
                    message, timestamp=float(moment), now=now, reason=reason, header=parsed.header
                )

    def resolve_keys(self, parsed: ParsedSignature, request: Request, keys: KeyRing) -> KeyRing:
        """The key each token names: fetched by key id, or its x5c chain verified."""
        self.check_lifetime(parsed, request.now)
        if not isinstance(parsed, ParsedToken):
            return keys
        found: list[Key] = []
        for kid, chain in zip(parsed.kids, parsed.chains, strict=True):
            if self.key_mode == "x5c":
                found.append(self._chain_key(chain, keys, request, parsed.header))
                continue
            source = self._source(keys)
            if source is None:
                return keys
            documents = source.keys(*self._key_request(kid, keys), kid=kid, header=parsed.header)
            found.extend(self._keys_of(documents, kid))
        return KeyRing(tuple(found) or keys.verify_keys, keys.signing_key)

    async def resolve_keys_async(
        self, parsed: ParsedSignature, request: Request, keys: KeyRing
    ) -> KeyRing:
        """:meth:`resolve_keys`, awaiting each fetch."""
        if not isinstance(parsed, ParsedToken) or self.key_mode in ("x5c", "secret"):
            return self.resolve_keys(parsed, request, keys)
        self.check_lifetime(parsed, request.now)
        source = self._source(keys)
        if source is None:
            return keys
        found: list[Key] = []
        for kid in parsed.kids:
            documents = await source.keys_async(
                *self._key_request(kid, keys), kid=kid, header=parsed.header
            )
            found.extend(self._keys_of(documents, kid))
        return KeyRing(tuple(found), keys.signing_key)

    @staticmethod
    def _source(keys: KeyRing) -> KeySource | None:
        found = next((k.material for k in keys.verify_keys if k.kind == "key-source"), None)
        return found if isinstance(found, KeySource) else None

    def _key_request(self, kid: str | None, keys: KeyRing) -> tuple[KeyRequest, UrlRule, Any]:
        if self.key_mode != "kid-post":
            return KeyRequest(self.keys_url), self.rule, self._reader()
        if kid is None:
            raise MalformedSignature("the token names no key id", reason="bad_token")
        secret = next(k.material for k in keys.verify_keys if k.kind == "api-secret")
        assert isinstance(secret, bytes)  # noqa: S101 - loaded as bytes
        body = {**self.credentials, "secret": secret.decode("utf-8"), "key_id": kid}
        request = KeyRequest(
            self.keys_url,
            "POST",
            json.dumps(body).encode("utf-8"),
            (("Content-Type", "application/json"),),
        )
        return request, self.rule, self._reader()

    @staticmethod
    def _keys_of(documents: Mapping[str, Any], kid: str | None) -> list[Key]:
        if kid is not None:
            return [Key(kid, "jwt", documents[kid])]
        return [Key(name, "jwt", key) for name, key in documents.items()]

    def _chain_key(self, chain: Sequence[str], keys: KeyRing, request: Request, where: str) -> Key:
        from ._tokens import verify_x5c

        roots = [k.material for k in keys.verify_keys if k.kind == "trust-root"]
        now = request.now if request.now is not None else 0.0
        key = verify_x5c(chain, roots, self.chain_oids, now, where, lenient_ca=self.lenient_ca)
        return Key("x5c", "jwt", key)

    # -- match and sign -------------------------------------------------------------------

    def signed_contents(self, parsed: ParsedSignature, request: Request) -> Sequence[Content]:
        """The first token's signing input (``header.claims``); :meth:`match` checks every token."""
        if not isinstance(parsed, ParsedToken) or not parsed.tokens:
            return ((b"",),)
        return ((parsed.tokens[0].rpartition(".")[0].encode("ascii"),),)

    def match(self, keys: KeyRing, content: Content, parsed: ParsedSignature) -> str | None:
        """Verify every token with PyJWT, the algorithm fixed; return the key id of the first."""
        if not isinstance(parsed, ParsedToken):
            return None
        jwt = _pyjwt()
        first: str | None = None
        for token, kid in zip(parsed.tokens, parsed.kids, strict=True):
            found = None
            for key in keys.verify_keys:
                if key.kind not in ("jwt", "hmac") or (
                    kid is not None and key.kind == "jwt" and key.key_id not in (kid, "x5c")
                ):
                    continue
                try:
                    jwt.PyJWS().decode_complete(token, key.material, algorithms=[self.algorithm])
                except jwt.PyJWTError:
                    continue
                found = key.key_id
                break
            if found is None:
                return None
            first = first if first is not None else found
        return first

    def sign(
        self, keys: KeyRing, request: Request, *, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        """A token as the provider would send it, for tests."""
        from ._tokens import sign_token

        return sign_token(self, keys, request, timestamp, id)
