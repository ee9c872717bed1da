"""
The x5c chain of a JWS (Apple), and tokens made for tests.

:func:`verify_x5c` reads a token's ``x5c`` certificates, ignores the last
one (the root a token carries proves nothing: only the pinned root is
trusted), verifies the rest to the configured roots at the verifier's time,
and checks the provider's marker extension on each.  :func:`sign_token`
makes the token a provider would send, from ``signing_key=``, so that the
contract suite and the testing toolkit can exercise JWT schemes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._primitives import x509
from ..errors import ConfigurationError, InvalidSignature, MalformedSignature
from ..keys import KeyRing
from .protocol import Request

if TYPE_CHECKING:
    from .jwt import JwtScheme

_REGISTERED = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
#: Test certificates are valid from 1970 to 2100.
TEST_VALIDITY = (0.0, 4_102_444_800.0)


def _certificate(text: str, where: str) -> Any:
    try:
        raw = base64.b64decode(text, validate=True)
        return x509.load_certificates(raw)[0]
    except (binascii.Error, ValueError):
        raise MalformedSignature(
            "an x5c certificate is unreadable", reason="bad_chain", header=where
        ) from None


def verify_x5c(
    chain: Sequence[str],
    roots: Sequence[Any],
    oids: Sequence[str | None],
    now: float,
    where: str,
    *,
    lenient_ca: bool = False,
) -> Any:
    """
    Return the leaf's public key once the chain verifies to *roots* at *now*.

    Raises:
        MalformedSignature: a certificate is unreadable.
        InvalidSignature: the chain does not verify, or a marker extension is missing.
    """
    certificates = [_certificate(text, where) for text in chain]
    leaf, intermediates = certificates[0], certificates[1:-1]
    if not x509.verify_chain(leaf, intermediates, roots, now, lenient_ca=lenient_ca):
        raise InvalidSignature(
            "the x5c chain does not lead to a trusted root", reason="untrusted_chain", header=where
        )
    for certificate, oid in zip(certificates, oids, strict=True):
        if oid is not None and not x509.has_extension(certificate, oid):
            raise InvalidSignature(
                "an x5c certificate lacks the provider's marker",
                reason="untrusted_chain",
                header=where,
            )
    return x509.public_key(leaf)


def test_chain(private_key: Any, oids: Sequence[str | None]) -> tuple[Any, tuple[str, ...]]:
    """A root, and the ``x5c`` chain (leaf for *private_key*, intermediates, root) under it."""
    count = len(oids)
    keys = [private_key, *(x509.derived_test_key(private_key, f"ca {i}") for i in range(1, count))]
    names = ["hooksig test leaf", *(f"hooksig test ca {i}" for i in range(1, count))]
    issued: list[Any] = [None] * count
    for position in range(count - 1, -1, -1):
        issuer = min(position + 1, count - 1)
        oid = oids[position]
        issued[position] = x509.issue_certificate(
            keys[position],
            keys[issuer],
            subject=names[position],
            issuer=names[issuer],
            ca=position > 0,
            not_before=TEST_VALIDITY[0],
            not_after=TEST_VALIDITY[1],
            marker_oids=(oid,) if oid else (),
        )
    chain = tuple(base64.b64encode(x509.der(c)).decode("ascii") for c in issued)
    return issued[-1], chain


def _set(claims: dict[str, Any], path: str, value: object) -> None:
    *parents, leaf = path.split(".")
    node = claims
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):  # the body's own value there gives way to the claim
            child = node[part] = {}
        node = child
    node[leaf] = value


def sign_token(
    scheme: JwtScheme, keys: KeyRing, request: Request, timestamp: int | None, id: str | None
) -> dict[str, str]:
    """The header (or ``body.*`` field) with a token *scheme* accepts, signed by the ring."""
    import jwt

    signer = keys.signing_key
    if signer is None:
        raise ConfigurationError("signing needs signing_key= (or a secret for HS256)")
    claims = _claims(scheme, request, int(timestamp or 0), id)
    headers: dict[str, Any] = {}
    if scheme.key_mode == "x5c":
        chain: Any = next(k.material for k in keys.verify_keys if k.kind == "x5c-chain")
        headers["x5c"] = list(chain)
    elif scheme.key_mode != "secret":
        headers["kid"] = signer.key_id
    material: Any = signer.material
    token = jwt.encode(claims, material, algorithm=scheme.algorithm, headers=headers)
    if scheme.token_field is not None:
        if not isinstance(_object(request.body), dict):  # no object to write it into
            return {"body": json.dumps({scheme.token_field: token})}
        return {f"body.{scheme.token_field}": token}
    value = f"Bearer {token}" if scheme.bearer else token
    return {scheme.token_header: value}


def _object(body: bytes) -> object:
    """*body* parsed as JSON, or None when it is not JSON."""
    try:
        return json.loads(body) if body else {}
    except ValueError:
        return None


def _claims(scheme: JwtScheme, request: Request, issued: int, id: str | None) -> dict[str, Any]:
    """The claims of a test token: the provider's, the body's hash, the id, the time."""
    claims: dict[str, Any] = {}
    if scheme.token_field is not None:
        try:
            given = json.loads(request.body) if request.body else {}
        except ValueError:
            given = {}
        if isinstance(given, dict):
            # The body's fields ride in the payload, except JWT's registered claim names.
            claims.update({k: v for k, v in given.items() if k not in _REGISTERED})
    stamp = scheme.timestamp_claim
    claims[stamp] = issued * 1000 if scheme.timestamp_unit == "ms" else issued
    if stamp == "iat":
        claims["exp"] = issued + 3600
    audience = scheme.audience[0] if scheme.audience else request.url
    if scheme.audience or scheme.audience_from_url:
        claims["aud"] = audience
    if scheme.issuers:
        claims["iss"] = scheme.issuers[0]
    for name, value in {**scheme.test_claims, **scheme.claims}.items():
        _set(claims, name, value)
    if scheme.body_hash_claim is not None:
        claims[scheme.body_hash_claim] = hashlib.sha256(request.body).hexdigest()
    if scheme.id_claim is not None:
        claims[scheme.id_claim] = id or str(uuid.uuid4())
    return claims
