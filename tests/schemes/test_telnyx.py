"""Telnyx against its SDK (both ways), and the contract."""

from __future__ import annotations

import base64
from typing import ClassVar

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.schemes.contract import SchemeContract

_PRIVATE = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
SEED = base64.b64encode(bytes(range(32))).decode()
PUBLIC = base64.b64encode(
    _PRIVATE.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
).decode()
OTHER_SEED = base64.b64encode(bytes(range(1, 33))).decode()
BODY = b'{"data": {"event_type": "message.received", "id": "ev-1"}}'


class TestTelnyxContract(SchemeContract):
    """Telnyx through the contract."""

    scheme = "telnyx"
    keys: ClassVar = {"signing_key": SEED}
    other_keys: ClassVar = {"signing_key": OTHER_SEED}
    signs_timestamp = True
    id_source = "derived"
