"""
Azure Event Grid: the query secret, and the subscription validation answered only with it.

The validation event is the documented example
(MicrosoftDocs/azure-docs@2179f4c
``articles/event-grid/end-point-validation-event-grid-events-schema.md``).
"""

from __future__ import annotations

import json

import pytest

from hooksig import ConfigurationError, InvalidSignature, MissingSignature, Verifier, schemes
from hooksig.schemes.azure_event_grid import validation

SECRET = "hooksig-grid-secret-0123456789ab"
VALIDATION = [
    {
        "id": "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
        "topic": "/subscriptions/xx/resourceGroups/xx/providers/Microsoft.Storage/"
        "storageAccounts/xx",
        "subject": "",
        "data": {
            "validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
            "validationUrl": "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/myeventsub/validate?id=0000000000-0000-0000-0000-00000000000000&t=2022-10-28T04:23:35.1981776Z&apiVersion=2018-05-01-preview&token=1A1A1A1A",
        },
        "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
        "eventTime": "2022-10-28T04:23:35.1981776Z",
        "metadataVersion": "1",
        "dataVersion": "1",
    }
]
EVENTS = json.dumps(
    [{"id": "e-1", "eventType": "Microsoft.Storage.BlobCreated", "data": {}}]
).encode()


def _verifier(**settings: object) -> Verifier:
    scheme = schemes.configure("azure-event-grid", **settings) if settings else "azure-event-grid"
    return Verifier(
        scheme,
        secrets=[SECRET, "hooksig-grid-old-secret-0123456"],
        public_url="https://example.com",
    )


def test_deliveries_carry_the_secret_in_the_url() -> None:
    """Old and new secrets both verify (rotation); another, or none, is refused."""
    assert _verifier().verify(EVENTS, {}, path=f"/hooks/grid?code={SECRET}").key_id == "0"
    assert (
        _verifier()
        .verify(EVENTS, {}, path="/hooks/grid?code=hooksig-grid-old-secret-0123456")
        .key_id
        == "1"
    )
    with pytest.raises(InvalidSignature):
        _verifier().verify(EVENTS, {}, path="/hooks/grid?code=guess")
    for path in ("/hooks/grid", f"/hooks/grid?code={SECRET}&code={SECRET}", "/hooks/grid?code="):
        with pytest.raises(MissingSignature):
            _verifier().verify(EVENTS, {}, path=path)
    with pytest.raises(ConfigurationError):
        Verifier("azure-event-grid", secret=SECRET).verify(EVENTS, {})
    with pytest.raises(ConfigurationError):
        Verifier("azure-event-grid", public_key="x")


def test_the_validation_event_is_answered_only_with_the_secret() -> None:
    """{"validationResponse": code}, 200, and only when the URL's secret is right."""
    verifier = _verifier(challenge=validation())
    headers = {"aeg-event-type": "SubscriptionValidation", "aeg-subscription-name": "MYSUB"}
    body = json.dumps(VALIDATION).encode()
    answer = verifier.challenge(body, headers, method="POST", path=f"/hooks/grid?code={SECRET}")
    assert answer is not None
    assert answer.status == 200
    assert json.loads(answer.body) == {"validationResponse": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6"}
    for path in ("/hooks/grid?code=guess", "/hooks/grid"):
        assert verifier.challenge(body, headers, method="POST", path=path) is None
    ok = f"/hooks/grid?code={SECRET}"
    assert verifier.challenge(body, {}, method="POST", path=ok) is None  # no aeg-event-type
    assert verifier.challenge(b"[]", headers, method="POST", path=ok) is None
    assert verifier.challenge(b"nope", headers, method="POST", path=ok) is None
    other = [{**VALIDATION[0], "eventType": "Other"}]
    assert verifier.challenge(json.dumps(other).encode(), headers, method="POST", path=ok) is None


def test_only_the_subscriptions_you_created() -> None:
    """Microsoft's advice: check aeg-subscription-name against the subscriptions you created."""
    verifier = _verifier(challenge=validation(subscriptions=("mysub",)))
    body = json.dumps(VALIDATION).encode()
    ok = f"/hooks/grid?code={SECRET}"
    good = {"aeg-event-type": "SubscriptionValidation", "aeg-subscription-name": "MYSUB"}
    assert verifier.challenge(body, good, method="POST", path=ok) is not None
    other = {**good, "aeg-subscription-name": "SOMEONE-ELSES"}
    assert verifier.challenge(body, other, method="POST", path=ok) is None


def test_the_cloudevents_handshake() -> None:
    """OPTIONS with WebHook-Request-Origin: WebHook-Allowed-Origin, given the secret."""
    verifier = _verifier(challenge=validation())
    ok = f"/hooks/grid?code={SECRET}"
    answer = verifier.challenge(
        b"", {"WebHook-Request-Origin": "eventgrid.azure.net"}, method="OPTIONS", path=ok
    )
    assert answer is not None
    assert answer.headers["WebHook-Allowed-Origin"] == "eventgrid.azure.net"
    assert verifier.challenge(b"", {}, method="OPTIONS", path=ok) is None
    assert (
        verifier.challenge(
            b"", {"WebHook-Request-Origin": "x"}, method="OPTIONS", path="/hooks/grid"
        )
        is None
    )


def test_signing_needs_the_secret_and_long_codes_are_not_echoed() -> None:
    """sign() without a secret is a ConfigurationError; an oversized validationCode is no check."""
    from hooksig import KeyRing, Request
    from hooksig._primitives.headers import Headers

    scheme = schemes.get("azure-event-grid")
    with pytest.raises(ConfigurationError):
        scheme.sign(KeyRing((), None), Request(b"", Headers()), timestamp=None, id=None)
    verifier = _verifier(challenge=validation())
    headers = {"aeg-event-type": "SubscriptionValidation"}
    huge = [{**VALIDATION[0], "data": {"validationCode": "c" * 5000}}]
    ok = f"/hooks/grid?code={SECRET}"
    assert verifier.challenge(json.dumps(huge).encode(), headers, method="POST", path=ok) is None
    numeric = [{**VALIDATION[0], "data": {"validationCode": 12}}]
    assert verifier.challenge(json.dumps(numeric).encode(), headers, method="POST", path=ok) is None
