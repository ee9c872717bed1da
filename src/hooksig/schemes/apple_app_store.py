"""
Apple App Store Server Notifications V2: an ES256 JWS whose x5c chain is pinned to Apple's root.

Sources: https://developer.apple.com/documentation/appstoreservernotifications/responsebodyv2
and Apple's own verifier, apple/app-store-server-library-python@8b5ccdc
(``appstoreserverlibrary/signed_data_verifier.py``).

Recipe: the body is ``{"signedPayload": "<JWS>"}``.  The JWS header must say
``alg: ES256`` and carry ``x5c``, exactly three certificates: the leaf and
the intermediate must chain to **Apple Root CA - G3** (pinned here, SHA-256
``63343ABF B89A6A03 EBB57E9B 3F5FA7BE 7C4F5C75 6F3017B3 A8C488C3 653E9179``, from
https://www.apple.com/certificateauthority/), at the verifier's time; the third
certificate the token carries is ignored, never trusted.  The leaf must carry
the extension 1.2.840.113635.100.6.11.1 and the intermediate
1.2.840.113635.100.6.2.1.  The leaf's key verifies the JWS.  Then the
notification's ``data`` (or ``summary``, ``appData``, ``externalPurchaseToken``)
must name your ``bundleId`` and ``environment`` (and, in production, your
``appAppleId``).  Apple's optional online revocation check (OCSP) is not made:
nothing is fetched.

``signedDate`` (milliseconds) is ``Delivery.timestamp``.  Apple retries for up
to 72 hours and documents no freshness window (UNCONFIRMED whether a retry
is signed anew), so none is applied: ``notificationUUID``, ``Delivery.id``, is
the key Apple gives "to identify, and ignore, duplicate notifications".
The nested ``signedTransactionInfo`` and ``signedRenewalInfo`` are JWS of the
same kind; verify them with the same verifier if you use them.

Configure it::

    scheme = hooksig.schemes.configure(
        "apple-app-store", bundle_id="com.example.app", environment="Production",
        app_apple_id=1234567890)
"""

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hooksig.errors import InvalidSignature
from hooksig.scheme import Evidence
from hooksig.scheme.jwt import JwtScheme

#: Apple Root CA - G3 (DER), from https://www.apple.com/certificateauthority/.
APPLE_ROOT_CA_G3 = base64.b64decode(
    "MIICQzCCAcmgAwIBAgIILcX8iNLFS5UwCgYIKoZIzj0EAwMwZzEbMBkGA1UEAwwSQXBwbGUgUm9vdCBDQSAtIEczMSYwJAYDVQQLDB1BcHBsZSBDZXJ0aWZpY2F0aW9uIEF1dGhvcml0eTETMBEGA1UECgwKQXBwbGUgSW5jLjELMAkGA1UEBhMCVVMwHhcNMTQwNDMwMTgxOTA2WhcNMzkwNDMwMTgxOTA2WjBnMRswGQYDVQQDDBJBcHBsZSBSb290IENBIC0gRzMxJjAkBgNVBAsMHUFwcGxlIENlcnRpZmljYXRpb24gQXV0aG9yaXR5MRMwEQYDVQQKDApBcHBsZSBJbmMuMQswCQYDVQQGEwJVUzB2MBAGByqGSM49AgEGBSuBBAAiA2IABJjpLz1AcqTtkyJygRMc3RCV8cWjTnHcFBbZDuWmBSp3ZHtfTjjTuxxEtX/1H7YyYl3J6YRbTzBPEVoA/VhYDKX1DyxNB0cTddqXl5dvMVztK517IDvYuVTZXpmkOlEKMaNCMEAwHQYDVR0OBBYEFLuw3qFYM4iapIqZ3r6966/ayySrMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMDA2gAMGUCMQCD6cHEFl4aXTQY2e3v9GwOAEZLuN+yRhHFD/3meoyhpmvOwgPUnPWTxnS4at+qIxUCMG1mihDK1A3UT82NQz60imOlM27jbdoXt2QfyFMm+YhidDkLF1vLUagM6BgD56KyKA=="
)
_CONTAINERS = ("data", "summary", "appData", "externalPurchaseToken")


def _container(claims: Mapping[str, Any]) -> Mapping[str, Any]:
    for name in _CONTAINERS:
        found = claims.get(name)
        if isinstance(found, dict):
            if name == "externalPurchaseToken" and "environment" not in found:
                purchase = str(found.get("externalPurchaseId", ""))
                found = {
                    **found,
                    "environment": "Sandbox" if purchase.startswith("SANDBOX") else "Production",
                }
            return found
    return {}


@dataclass(frozen=True, kw_only=True)
class AppleScheme(JwtScheme):
    """Apple's notifications: the app's identity is in whichever container the type uses."""

    def _check_identity(self, claims: Mapping[str, Any], where: str) -> None:
        container = _container(claims)
        production = self.claims.get("data.environment") == "Production"
        for name in ("bundleId", "environment", "appAppleId"):
            expected = self.claims.get(f"data.{name}")
            if expected is None or (name == "appAppleId" and not production):
                continue
            if container.get(name) != expected:
                raise InvalidSignature(
                    f"the notification is for another {name}", reason="wrong_claim", header=where
                )


#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import hooksig

scheme = hooksig.schemes.configure(
    "apple-app-store",
    bundle_id="com.example.app",
    environment="Production",
    app_apple_id=1234567890,
)
verifier = hooksig.Verifier(scheme)  # the x5c chain must lead to the pinned Apple Root CA - G3
"""

SCHEME = AppleScheme(
    name="apple-app-store",
    algorithm="ES256",
    token_field="signedPayload",
    key_mode="x5c",
    roots=(APPLE_ROOT_CA_G3,),
    chain_oids=("1.2.840.113635.100.6.11.1", "1.2.840.113635.100.6.2.1", None),
    required=("signedDate", "notificationUUID"),
    timestamp_claim="signedDate",
    timestamp_unit="ms",
    id_claim="notificationUUID",
    identity=("data.bundleId", "data.environment"),
    settings={
        "bundle_id": "data.bundleId",
        "environment": "data.environment",
        "app_apple_id": "data.appAppleId",
    },
    test_claims={"data.bundleId": "com.example", "data.environment": "Sandbox"},
    tolerance=None,
    secret_hint="none: the chain is in the payload; configure bundle_id= and environment=",
    docs_url="https://developer.apple.com/documentation/appstoreservernotifications/responsebodyv2",
    evidence=Evidence(
        kind="vector",
        against=(
            "the mock notifications of Apple's app-store-server-library tests (signed "
            "under Apple's test CA), and Apple's real certificate chain verified to the "
            "pinned Apple Root CA - G3"
        ),
        tests=(
            "tests/vectors/providers/official/apple-app-store.json",
            "tests/schemes/test_apple_app_store.py",
        ),
    ),
)
