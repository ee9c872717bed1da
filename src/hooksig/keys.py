"""
Secrets and keys, each scheme's secret format, and rotation.

A provider hands you a secret as text, and each provider means something
different by it: Stripe's ``whsec_...`` string *is* the HMAC key, while a
Standard Webhooks ``whsec_...`` string is base64 that decodes to the key.
Schemes name their format (:data:`SecretFormat`); this module turns what
you pass into key bytes, checks it once at construction, and keeps it out
of every ``repr``.

Rotation is a list: every key verifies, the first one signs.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Union

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

#: Shorter HMAC keys than this are accepted with an :class:`InsecureKeyWarning`.
MIN_SECRET_BYTES = 16


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


@dataclass(frozen=True, repr=False)
class KeyRing:
    """
    The keys a verifier tries (all of them) and signs with (the first signing key).

    .. versionadded:: 0.1
    """

    verify_keys: tuple[Key, ...]
    signing_key: Key | None

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

    ``bytes`` are always taken as the raw key.

    Raises:
        ConfigurationError: the secret is empty or not in the format.
    """
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
    if not key:
        raise ConfigurationError("the secret is empty")
    return key


def hmac_ring(secrets: Sequence[SecretLike], secret_format: SecretFormat) -> KeyRing:
    """
    Build a ring of HMAC keys: every secret verifies, the first one signs.

    Raises:
        ConfigurationError: no secret, an empty secret, or a badly encoded one.

    Warns:
        InsecureKeyWarning: a key is shorter than :data:`MIN_SECRET_BYTES`.
    """
    if not secrets:
        raise ConfigurationError("this scheme needs a secret")
    keys: list[Key] = []
    for position, item in enumerate(secrets):
        secret = item if isinstance(item, Secret) else Secret(item)
        material = load_secret(secret.value, secret_format)
        if len(material) < MIN_SECRET_BYTES:
            warnings.warn(
                f"secret {position} is {len(material)} bytes; use at least {MIN_SECRET_BYTES}",
                InsecureKeyWarning,
                stacklevel=4,
            )
        key_id = secret.key_id if secret.key_id is not None else str(position)
        keys.append(Key(key_id, "hmac", material))
    if len({key.key_id for key in keys}) != len(keys):
        raise ConfigurationError("two secrets share a key id")
    return KeyRing(tuple(keys), keys[0])


for _public in (
    KeyRing,
    Secret,
):
    _public.__module__ = "hooksig"  # its public name, hooksig.KeyRing
del _public
