"""
Stripe's Events API as a reconciliation source.

Stripe retries a failed delivery for up to three days; after that the event
is gone unless you fetch it.  ``GET /v1/events`` lists the events of the
last 30 days, newest first, filtered with ``created[gte]``/``created[lte]``
and paged with ``starting_after``; each is the same object a webhook body
carries.  Stripe's API offers no redelivery (the Dashboard and the Stripe
CLI resend), so missed events are handled locally.
https://docs.stripe.com/api/events/list
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .._primitives.api import ApiClient
from ..errors import ProviderApiError
from ..fetched import FetchedEvent
from ._source import EventRef, as_body

__all__ = ["StripeSource"]

#: The largest page ``GET /v1/events`` serves.
PAGE = 100


class StripeSource:
    """
    Recover Stripe events from the Events API.

    Args:
        api_key: a secret or restricted key that may read events (``rk_...`` with
            *Events: read* is enough); pass it from an environment variable or a file.
        api_base: the API's base URL.
        scheme: the scheme name your receiver verifies Stripe deliveries with.
        types: only these event types (``["invoice.paid"]``); all by default.
        account: a connected account id, sent as ``Stripe-Account``.
        timeout: seconds for each call.

    Raises:
        ConfigurationError: the key or the URL is unusable.

    .. versionadded:: 0.1
    """

    name = "stripe-events-api"

    def __init__(
        self,
        api_key: str,
        *,
        api_base: str = "https://api.stripe.com",
        scheme: str = "stripe",
        types: Sequence[str] = (),
        account: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        headers = {} if account is None else {"Stripe-Account": account}
        self._api = ApiClient(api_base, token=api_key, headers=headers, timeout=timeout)
        self.scheme = scheme
        self._types = tuple(types)

    def __repr__(self) -> str:
        return f"StripeSource({self._api!r})"

    def _event(self, data: Any) -> FetchedEvent:
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise ProviderApiError("GET /v1/events: an item is not an event")
        created = data.get("created")
        return FetchedEvent(
            scheme=self.scheme,
            id=data["id"],
            body=as_body(data),
            source=self.name,
            created=created if isinstance(created, int) else None,
        )

    def events(self, since: float, until: float | None = None) -> Iterator[EventRef]:
        """
        Yield the events created from *since* to *until*, newest first, page by page.

        .. versionadded:: 0.1
        """
        params: dict[str, object] = {"limit": PAGE, "created[gte]": int(since)}
        if until is not None:
            params["created[lte]"] = int(until)
        for position, kind in enumerate(self._types):
            params[f"types[{position}]"] = kind
        while True:
            page = self._api.get("/v1/events", params).data
            items = page.get("data") if isinstance(page, dict) else None
            if not isinstance(items, list):
                raise ProviderApiError("GET /v1/events: the answer is not a list")
            for item in items:
                event = self._event(item)
                yield EventRef(event.id, event.id, event.created, event)
            if not (page.get("has_more") and items):
                return
            params["starting_after"] = items[-1]["id"]

    def fetch(self, ref: EventRef) -> FetchedEvent:
        """
        Return one event (``GET /v1/events/{id}``).

        .. versionadded:: 0.1
        """
        return self._event(self._api.get(f"/v1/events/{ref.ref}").data)

    def redeliver(self, ref: EventRef) -> bool:
        """
        Return ``False``: Stripe's API cannot resend an event.

        .. versionadded:: 0.1
        """
        return False
