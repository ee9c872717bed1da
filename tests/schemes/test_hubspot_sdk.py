"""HubSpot against hubspot-api-client's Signature, both ways."""

from __future__ import annotations

import time

import pytest
from hubspot.utils.signature import Signature

from hooksig import PerCallUrl, Verifier
from tests.conftest import SECRET
from tests.schemes.test_hubspot import URL


@pytest.mark.parametrize("version", ["v1", "v2", "v3"])
def test_hubspot_sdk_accepts_hooksig_signatures(version: str) -> None:
    """hubspot's Signature.is_valid accepts what hooksig signs, in each version."""
    scheme = {"v1": "hubspot-v1", "v2": "hubspot-v2", "v3": "hubspot"}[version]
    now = int(time.time())
    body = '{"objectId": 1, "name": "caf\u00e9"}'
    headers = Verifier(scheme, secret=SECRET, public_url=PerCallUrl()).sign(
        body.encode(), timestamp=now, url=URL
    )
    signature = headers.get("X-HubSpot-Signature-v3") or headers["X-HubSpot-Signature"]
    # The version the SDK is told is the one HubSpot sends (v1, v2), as sign() sends it.
    sent_version = headers.get("X-HubSpot-Signature-Version", "v3")
    assert sent_version == version
    assert Signature.is_valid(
        signature=signature,
        client_secret=SECRET,
        request_body=body,
        http_uri=URL,
        http_method="POST",
        signature_version=sent_version,
        timestamp=headers.get("X-HubSpot-Request-Timestamp"),
    )


@pytest.mark.parametrize("version", ["v1", "v2", "v3"])
def test_hooksig_accepts_hubspot_sdk_signatures(version: str) -> None:
    """Signatures from hubspot's Signature.get_signature verify with hooksig."""
    scheme = {"v1": "hubspot-v1", "v2": "hubspot-v2", "v3": "hubspot"}[version]
    timestamp = str(int(time.time()) * 1000)
    body = '{"objectId": 1, "name": "caf\u00e9"}'
    signature = Signature.get_signature(SECRET, body, version, URL, "POST", timestamp)
    name = "X-HubSpot-Signature-v3" if version == "v3" else "X-HubSpot-Signature"
    headers = {name: signature, "X-HubSpot-Request-Timestamp": timestamp}
    assert (
        Verifier(scheme, secret=SECRET, public_url=PerCallUrl())
        .verify(body.encode(), headers, url=URL)
        .key_id
        == "0"
    )
