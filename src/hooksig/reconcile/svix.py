"""
Svix's message API as a reconciliation source, for Standard Webhooks sent through Svix.

``GET /api/v1/app/{app_id}/msg`` lists an application's messages, newest
first, filtered with ``after``/``before`` (ISO 8601) and paged with the
``iterator`` of the previous page until ``done``; with ``with_content=true``
each carries its ``payload``, the body its webhook had, and its ``id`` is
the ``webhook-id`` (``svix-id``) header.  ``.../msg/{id}/endpoint/{endpoint_id}/resend``
sends one message again, and ``.../endpoint/{endpoint_id}/recover`` every
failed one since a time.  The API host follows the token's region suffix.
https://api.svix.com/docs#tag/Message/operation/v1.message.list
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .._primitives.api import ApiClient
from ..errors import ConfigurationError, ProviderApiError
from ..fetched import FetchedEvent
from ._source import EventRef, as_body, iso_time, parse_time

__all__ = ["SvixSource"]

#: Messages asked for per page.
PAGE = 100
#: The most pages one reconciliation reads.
MAX_PAGES = 1000
#: The API host of each region, chosen by the token's suffix (``.eu``).
REGIONS = {
    "us": "https://api.us.svix.com",
    "eu": "https://api.eu.svix.com",
    "in": "https://api.in.svix.com",
    "ca": "https://api.ca.svix.com",
    "au": "https://api.au.svix.com",
}


class SvixSource:
    """
    Recover the messages of one Svix application.

    Args:
        token: a Svix API token; from an environment variable or a file.
        app_id: the application (``app_...`` or your uid).
        endpoint_id: your endpoint at Svix, to resend to; without it,
            messages are handled locally.
        server_url: the API's base URL; by default the token's region's.
        scheme: the scheme name your receiver verifies these deliveries with.
        timeout: seconds for each call.

    Raises:
        ConfigurationError: an argument is unusable.

    .. versionadded:: 0.1
    """

    name = "svix-message-api"

    def __init__(
        self,
        token: str,
        *,
        app_id: str,
        endpoint_id: str | None = None,
        server_url: str | None = None,
        scheme: str = "standard-webhooks",
        timeout: float = 10.0,
    ) -> None:
        if not (isinstance(app_id, str) and app_id.replace("_", "").replace("-", "").isalnum()):
            raise ConfigurationError("app_id must be an application id or uid")
        if endpoint_id is not None and not endpoint_id.replace("_", "").isalnum():
            raise ConfigurationError("endpoint_id must be an endpoint id")
        region = token.rsplit(".", 1)[-1] if isinstance(token, str) and "." in token else ""
        base = server_url or REGIONS.get(region, "https://api.svix.com")
        self._api = ApiClient(base, token=token, timeout=timeout)
        self._app = f"/api/v1/app/{app_id}"
        self._endpoint = endpoint_id
        self.scheme = scheme

    def __repr__(self) -> str:
        return f"SvixSource({self._api!r}, {self._app!r})"

    def _event(self, data: Any) -> FetchedEvent:
        if not (isinstance(data, dict) and isinstance(data.get("id"), str) and "payload" in data):
            raise ProviderApiError(f"GET {self._app}/msg: an item is not a message with content")
        return FetchedEvent(
            scheme=self.scheme,
            id=data["id"],
            body=as_body(data["payload"]),
            source=self.name,
            created=int(parse_time(data.get("timestamp"), "timestamp")),
        )

    def events(self, since: float, until: float | None = None) -> Iterator[EventRef]:
        """
        Yield the messages created from *since* to *until*, page by page.

        .. versionadded:: 0.1
        """
        params: dict[str, object] = {
            "limit": PAGE,
            "with_content": "true",
            "after": iso_time(since),
        }
        if until is not None:
            params["before"] = iso_time(until)
        for _ in range(MAX_PAGES):
            page = self._api.get(f"{self._app}/msg", params).data
            items = page.get("data") if isinstance(page, dict) else None
            if not isinstance(items, list):
                raise ProviderApiError(f"GET {self._app}/msg: the answer is not a list")
            for item in items:
                event = self._event(item)
                yield EventRef(event.id, event.id, event.created, event)
            if page.get("done") or not page.get("iterator"):
                return
            params["iterator"] = page["iterator"]

    def fetch(self, ref: EventRef) -> FetchedEvent:
        """
        Return one message with its payload.

        .. versionadded:: 0.1
        """
        return self._event(
            self._api.get(f"{self._app}/msg/{ref.ref}", {"with_content": "true"}).data
        )

    def redeliver(self, ref: EventRef) -> bool:
        """
        Resend one message to *endpoint_id*; ``False`` when none was given.

        .. versionadded:: 0.1
        """
        if self._endpoint is None:
            return False
        self._api.post(f"{self._app}/msg/{ref.ref}/endpoint/{self._endpoint}/resend")
        return True

    def recover(self, since: float, until: float | None = None) -> dict[str, Any]:
        """
        Ask Svix to resend every message that failed to reach *endpoint_id* since *since*.

        Returns:
            The background task Svix started (``id``, ``status``, ``task``).

        Raises:
            ConfigurationError: no *endpoint_id* was given.
            ProviderApiError: the call failed.

        .. versionadded:: 0.1
        """
        if self._endpoint is None:
            raise ConfigurationError("recover() needs the endpoint_id to resend to")
        body = {"since": iso_time(since)}
        if until is not None:
            body["until"] = iso_time(until)
        task = self._api.post(f"{self._app}/endpoint/{self._endpoint}/recover", body).data
        if not isinstance(task, dict):
            raise ProviderApiError("the recover answer is not a task")
        return task
