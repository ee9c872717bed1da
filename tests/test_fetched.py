"""FetchedEvent: an event authenticated by an API call, never mistaken for a signed Delivery."""

from __future__ import annotations

import pytest

import hooksig
from hooksig.errors import ConfigurationError, MalformedPayload


def event(**changes: object) -> hooksig.FetchedEvent:
    """A Stripe event as the Events API returns it."""
    fields: dict[str, object] = {
        "scheme": "stripe",
        "id": "evt_1",
        "body": b'{"id":"evt_1"}',
        "source": "stripe-events-api",
        "headers": {"X-Event": "a"},
    }
    fields.update(changes)
    return hooksig.FetchedEvent(**fields)  # type: ignore[arg-type]


def test_it_is_not_a_delivery() -> None:
    """A distinct type, marked authenticated by the API, keyed like a delivery of the same event."""
    fetched = event()
    assert not isinstance(fetched, hooksig.Delivery)
    assert fetched.authenticated_by == "api"
    assert (fetched.scheme, fetched.id, fetched.ref, fetched.created) == (
        "stripe",
        "evt_1",
        None,
        None,
    )
    assert fetched.json() == {"id": "evt_1"}
    assert type(fetched).__module__ == "hooksig"
    assert repr(fetched) == (
        "FetchedEvent(scheme='stripe', id='evt_1', source='stripe-events-api', body=<14 bytes>)"
    )


def test_immutable_and_hashable() -> None:
    """Fields and headers cannot change; equal events hash alike."""
    fetched = event()
    with pytest.raises(AttributeError):
        fetched.id = "evt_2"  # type: ignore[misc]
    with pytest.raises(TypeError):
        fetched.headers["X-Event"] = "b"  # type: ignore[index]
    assert hash(fetched) == hash(event(headers={}))
    assert fetched == event()


@pytest.mark.parametrize("changes", [{"scheme": ""}, {"id": ""}, {"id": 5}, {"body": "text"}])
def test_fields_checked(changes: dict[str, object]) -> None:
    """An empty scheme or id, or a body that is not bytes, is refused."""
    with pytest.raises(ConfigurationError):
        event(**changes)


def test_body_that_is_not_json() -> None:
    """json() on a non-JSON body raises MalformedPayload."""
    with pytest.raises(MalformedPayload):
        event(body=b"\xff").json()
