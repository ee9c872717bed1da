"""
Secrets and keys, each scheme's secret format, and rotation.

A provider hands you a secret as text, and each provider means something
different by it: Stripe's ``whsec_...`` string *is* the HMAC key, while a
Standard Webhooks ``whsec_...`` string is base64 that decodes to the key.
Schemes name their format (:data:`SecretFormat`); this module turns what
you pass into key bytes, checks it once at construction, and keeps it out
of every ``repr``.

Rotation is a list: every key verifies, the first one signs.  Each HMAC
key is keyed once, when the ring is built (:class:`KeyedMac`), and every
delivery copies its state.
"""

from __future__ import annotations

import hashlib
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, Union

from ._primitives.compare import credential_digests
from ._primitives.encoding import decode
from .errors import ConfigurationError, InsecureKeyWarning, MalformedSignature

#: How a scheme reads a secret given as text.
#: ``utf-8``: the text's bytes are the key.  ``base64``: strict base64 of the key.
#: ``whsec``: an optional ``whsec_`` prefix (itself after an optional ``v1,``, as
#: Supabase shows it), then base64 (Standard Webhooks).  ``hex``: lowercase or
#: uppercase hex of the key (Dixa).  ``nfkd-utf-8``: the text normalised to Unicode
#: NFKD, then its UTF-8 bytes (EasyPost).
SecretFormat = Literal["utf-8", "base64", "whsec", "hex", "nfkd-utf-8"]
SECRET_FORMATS: tuple[SecretFormat, ...] = ("utf-8", "base64", "whsec", "hex", "nfkd-utf-8")

#: How a key and the signed content become the expected signature.
#: ``hmac``: HMAC(key, content).  ``secret-prefix``: a plain hash of key || content
#: (HubSpot v1/v2; weaker, kept for those providers).  ``token``: no signature at all,
#: the header carries the shared secret itself (GitLab ``X-Gitlab-Token``), compared
#: through SHA-256 digests so that neither its bytes nor its length leak.  ``basic``:
#: no signature either, HTTP Basic credentials (``Authorization: Basic base64(user:password)``)
#: checked against a ``"user:password"`` secret (Postmark, Pipedrive, Chargebee).
Construction = Literal["hmac", "secret-prefix", "token", "basic"]
CONSTRUCTIONS: tuple[Construction, ...] = ("hmac", "secret-prefix", "token", "basic")

#: Shorter HMAC keys than this are accepted with an :class:`InsecureKeyWarning`.
MIN_SECRET_BYTES = 16
#: ASCII whitespace: a secret made only of these is refused as empty.
ASCII_WHITESPACE = " \t\n\r\x0b\x0c"

# RFC 2104's inner and outer pads, as byte translation tables.
_IPAD = bytes(byte ^ 0x36 for byte in range(256))
_OPAD = bytes(byte ^ 0x5C for byte in range(256))


class Secret:
    """
    A shared secret with an optional key id, redacted in ``repr`` and ``str``.

    Args:
        value: the secret as the provider shows it (``str``), or the raw key (``bytes``).
        key_id: a name reported as ``Delivery.key_id`` when this
            secret verifies a delivery; defaults to the secret's position.

    .. versionadded:: 0.1
    """

    __slots__ = ("key_id", "value")

    def __init__(self, value: str | bytes, *, key_id: str | None = None) -> None:
        if not isinstance(value, (str, bytes)):
            raise ConfigurationError("a secret must be str or bytes")
        self.value = value
        self.key_id = key_id

    def __repr__(self) -> str:
        return f"Secret(key_id={self.key_id!r}, value=<redacted>)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and (self.value, self.key_id) == (
            other.value,
            other.key_id,
        )

    def __hash__(self) -> int:
        return hash((Secret, self.key_id))


SecretLike = Union[str, bytes, Secret]  # noqa: UP007 - a runtime alias


@dataclass(frozen=True, repr=False)
class Key:
    """
    One key of a :class:`KeyRing`: its id, its algorithm family and its material.

    ``material`` is ``bytes`` for HMAC and a backend key object for
    public-key schemes.

    .. versionadded:: 0.1
    """

    key_id: str
    kind: str
    material: object

    def __repr__(self) -> str:
        return f"Key(key_id={self.key_id!r}, kind={self.kind!r}, material=<redacted>)"


class HashState(Protocol):
    """The part of a ``hashlib`` object a :class:`KeyedMac` uses."""

    def copy(self) -> HashState:
        """A copy to update."""
        ...

    def update(self, data: bytes | memoryview, /) -> None:
        """Add *data* to the message."""
        ...

    def digest(self) -> bytes:
        """The hash of the message so far."""
        ...


class KeyedMac:
    """
    One key's signature function, keyed once: each message copies the keyed state.

    For ``hmac`` this is RFC 2104 with the inner and outer hash states of the
    padded key computed at construction, which is what ``hmac.new()``
    does for every message; for ``secret-prefix`` the state after the key;
    a ``token`` is the SHA-256 of the key, whatever the message, and ``basic``
    the SHA-256 of the user and of the password in the key.  The
    states are ``hashlib`` objects, copied, never updated in place.

    Args:
        key: the key bytes.
        algorithm: ``"sha1"``, ``"sha256"`` or ``"sha512"``.
        construction: see :data:`Construction`.

    .. versionadded:: 0.1
    """

    __slots__ = ("_fixed", "inner", "outer")

    def __init__(self, key: bytes, algorithm: str, construction: Construction = "hmac") -> None:
        #: The keyed inner hash (``hmac``, ``secret-prefix``); copy it, then add the message.
        self.inner: HashState | None = None
        #: The keyed outer hash (``hmac``); copy it, then add the inner digest.
        self.outer: HashState | None = None
        self._fixed = b""
        if construction == "token":
            self._fixed = hashlib.sha256(key).digest()
        elif construction == "basic":
            self._fixed = credential_digests(key)
        elif construction == "secret-prefix":
            self.inner = hashlib.new(algorithm, key)
        else:
            block = hashlib.new(algorithm).block_size
            if len(key) > block:
                key = hashlib.new(algorithm, key).digest()
            key = key.ljust(block, b"\0")
            self.inner = hashlib.new(algorithm, key.translate(_IPAD))
            self.outer = hashlib.new(algorithm, key.translate(_OPAD))

    def digest(self, pieces: Iterable[bytes | memoryview]) -> bytes:
        """The signature of the message made of *pieces*, hashed in turn, never joined."""
        inner = self.inner
        if inner is None:
            return self._fixed
        mac = inner.copy()
        for piece in pieces:
            mac.update(piece)
        if self.outer is None:
            return mac.digest()
        outer = self.outer.copy()
        outer.update(mac.digest())
        return outer.digest()

    def __repr__(self) -> str:
        return "KeyedMac(<redacted>)"


@dataclass(frozen=True, repr=False)
class KeyRing:
    """
    The keys a verifier tries (all of them) and signs with (the first signing key).

    Attributes:
        verify_keys: every key, in order.
        signing_key: the key :meth:`hooksig.Verifier.sign` uses, if any.
        macs: ``(key_id, KeyedMac)`` for each HMAC key, keyed once, in order.

    .. versionadded:: 0.1
    """

    verify_keys: tuple[Key, ...]
    signing_key: Key | None
    macs: tuple[tuple[str, KeyedMac], ...] = ()

    def __repr__(self) -> str:
        ids = [key.key_id for key in self.verify_keys]
        return f"KeyRing(key_ids={ids!r})"

    def hmac_keys(self) -> tuple[tuple[str, bytes], ...]:
        """The ``(key_id, key bytes)`` pairs of the HMAC keys, in order."""
        return tuple(
            (key.key_id, key.material)
            for key in self.verify_keys
            if key.kind == "hmac" and isinstance(key.material, bytes)
        )


def load_secret(value: str | bytes, secret_format: SecretFormat) -> bytes:
    """
    Turn a provider secret into HMAC key bytes according to *secret_format*.

    ``bytes`` are always taken as the raw key.  A secret that is empty once
    ASCII whitespace is stripped (``"\\n"``, ``b" "``) is refused: it is what
    an unset variable or an empty secrets file gives, and anyone could sign
    with it.

    Raises:
        ConfigurationError: the secret is empty or blank, or not in the format.
    """
    if isinstance(value, bytes):
        blank = not value.strip(ASCII_WHITESPACE.encode("ascii"))
    else:
        blank = not value.strip(ASCII_WHITESPACE)
    if blank:
        raise ConfigurationError(
            "the secret is empty or only whitespace: check the variable or file it comes from"
        )
    if isinstance(value, bytes):
        key = value
    elif secret_format == "utf-8":
        key = value.encode("utf-8")
    elif secret_format == "nfkd-utf-8":
        # "é" typed as one code point or as e + accent is one key (EasyPost's rule).
        key = unicodedata.normalize("NFKD", value).encode("utf-8")
    elif secret_format == "hex":
        try:
            key = decode(value.lower(), "hex", what="secret")
        except MalformedSignature:
            raise ConfigurationError("the secret is not valid hex (the 'hex' format)") from None
    else:
        text = value
        if secret_format == "whsec":
            # Supabase shows its secrets as v1,whsec_<base64>: v1 is the only version
            # signed with a shared secret (v1a secrets are key pairs, refused below).
            text = text.removeprefix("v1,").removeprefix("whsec_")
            # Standard Webhooks secrets are often shown without base64 padding.
            text += "=" * (-len(text) % 4)
        try:
            key = decode(text, "base64", what="secret")
        except MalformedSignature:
            raise ConfigurationError(
                f"the secret is not valid base64 (the {secret_format!r} format)"
            ) from None
    return key  # never empty: blank text is refused above, and base64 of nothing too


def hmac_ring(
    secrets: Sequence[SecretLike],
    secret_format: SecretFormat,
    *,
    algorithm: str = "sha256",
    construction: Construction = "hmac",
) -> KeyRing:
    """
    Build a ring of HMAC keys: every secret verifies, the first one signs.

    Each key is keyed once here, for *algorithm* and *construction*
    (:attr:`KeyRing.macs`).

    Raises:
        ConfigurationError: no secret, an empty secret, a badly encoded one,
            or Basic credentials (*construction* ``"basic"``) without a ``:``.

    Warns:
        InsecureKeyWarning: a key is shorter than :data:`MIN_SECRET_BYTES`.
    """
    if not secrets:
        raise ConfigurationError("this scheme needs a secret")
    keys: list[Key] = []
    macs: list[tuple[str, KeyedMac]] = []
    for position, item in enumerate(secrets):
        secret = item if isinstance(item, Secret) else Secret(item)
        material = load_secret(secret.value, secret_format)
        if len(material) < MIN_SECRET_BYTES:
            warnings.warn(
                f"secret {position} is {len(material)} bytes; use at least {MIN_SECRET_BYTES}",
                InsecureKeyWarning,
                stacklevel=4,
            )
        if construction == "basic" and b":" not in material:
            raise ConfigurationError('a Basic credentials secret is "user:password"')
        key_id = secret.key_id if secret.key_id is not None else str(position)
        keys.append(Key(key_id, "hmac", material))
        macs.append((key_id, KeyedMac(material, algorithm, construction)))
    if len({key.key_id for key in keys}) != len(keys):
        raise ConfigurationError("two secrets share a key id")
    return KeyRing(tuple(keys), keys[0], tuple(macs))


for _public in (
    KeyRing,
    KeyedMac,
    Secret,
):
    _public.__module__ = "hooksig"  # its public name, hooksig.KeyRing
del _public
