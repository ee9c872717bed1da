"""HubSpot v3, v2 and v1 through the contract and their vectors (SDK: test_hubspot_sdk.py)."""

from __future__ import annotations

from typing import ClassVar

import pytest

from hooksig import InvalidSignature, PerCallUrl, Verifier
from tests.conftest import SECRET
from tests.schemes.contract import SchemeContract
from tests.vectors import provider_vector

URL = "https://example.com/hooks/hubspot?portal=1"


class TestHubSpotV3(SchemeContract):
    """HubSpot v3: HMAC-SHA256 over method, URI, body and the millisecond timestamp."""

    scheme = "hubspot"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = True
    id_source = "derived"
    options: ClassVar = {"public_url": PerCallUrl()}
    request: ClassVar = {"url": URL, "method": "POST"}


class TestHubSpotV2(SchemeContract):
    """HubSpot v2: plain SHA-256 of secret, method, URI and body."""

    scheme = "hubspot-v2"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"
    options: ClassVar = {"public_url": PerCallUrl()}
    request: ClassVar = {"url": URL, "method": "POST"}


class TestHubSpotV1(SchemeContract):
    """HubSpot v1: plain SHA-256 of secret and body."""

    scheme = "hubspot-v1"
    keys: ClassVar = {"secret": SECRET}
    signs_timestamp = False
    id_source = "derived"


@pytest.mark.filterwarnings("ignore::hooksig.InsecureKeyWarning")
@pytest.mark.parametrize(
    ("name", "scheme"),
    [("HubSpot v1", "hubspot-v1"), ("HubSpot v2", "hubspot-v2"), ("HubSpot v3", "hubspot")],
)
def test_published_vectors(name: str, scheme: str) -> None:
    """hubspot-api-python's vectors verify, each under its configured version only."""
    vector = provider_vector(name)
    verifier = Verifier(scheme, secret=vector["secret"], public_url=PerCallUrl())
    delivery = verifier.verify(
        vector["body"].encode(), vector["headers"], url=vector.get("url"), now=1693657560
    )
    assert delivery.key_id == "0"


def test_version_header_does_not_choose_the_recipe() -> None:
    """A v1 signature labelled v1 fails a verifier configured for v2."""
    vector = provider_vector("HubSpot v1")
    verifier = Verifier("hubspot-v2", secret=vector["secret"], public_url=PerCallUrl())
    with pytest.raises(InvalidSignature):
        verifier.verify(vector["body"].encode(), vector["headers"], url="https://x.example/")


def test_method_is_signed() -> None:
    """v3 signs the HTTP method: a POST signature fails as a PUT."""
    verifier = Verifier("hubspot", secret=SECRET, public_url=PerCallUrl())
    headers = verifier.sign(b"{}", timestamp=1_700_000_000, url=URL, method="POST")
    with pytest.raises(InvalidSignature):
        verifier.verify(b"{}", headers, url=URL, method="PUT", now=1_700_000_000)
