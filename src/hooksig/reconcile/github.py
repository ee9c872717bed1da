"""
GitHub's webhook deliveries API as a reconciliation source, with redelivery.

GitHub keeps each webhook's deliveries of the last three days:
``GET .../hooks/{hook_id}/deliveries`` lists them newest first, paged by the
``Link: <...?cursor=...>; rel="next"`` header; each has the ``guid`` that
the delivery carried as ``X-GitHub-Delivery`` (a redelivery keeps it), and
``GET .../deliveries/{id}`` returns its request headers and payload.
``POST .../deliveries/{id}/attempts`` asks GitHub to deliver it again,
signed, to your endpoint.
https://docs.github.com/en/rest/repos/webhooks#list-deliveries-for-a-repository-webhook
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .._primitives.api import ApiClient
from ..errors import ConfigurationError, ProviderApiError
from ..fetched import FetchedEvent
from ._source import EventRef, as_body, parse_time

__all__ = ["GitHubSource"]

#: The largest page the deliveries API serves.
PAGE = 100
#: The most deliveries one reconciliation reads (GitHub keeps three days of them).
MAX_DELIVERIES = 50_000
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')
_SIGNATURES = frozenset({"x-hub-signature", "x-hub-signature-256"})


class GitHubSource:
    """
    Recover GitHub webhook deliveries of one repository or organization hook.

    Args:
        token: a token that may read the hook (``admin:repo_hook`` /
            *Webhooks: read*, and write to redeliver); from an environment
            variable or a file.
        hook_id: the webhook's id.
        repo: ``owner/name`` of a repository hook; or
        org: the organization of an organization hook.
        api_base: the API's base URL (``https://HOST/api/v3`` for GitHub Enterprise Server).
        scheme: the scheme name your receiver verifies GitHub deliveries with.
        timeout: seconds for each call.

    Raises:
        ConfigurationError: not exactly one of *repo* and *org*, or an unusable argument.

    .. versionadded:: 0.1
    """

    name = "github-hook-deliveries-api"

    def __init__(
        self,
        token: str,
        *,
        hook_id: int,
        repo: str | None = None,
        org: str | None = None,
        api_base: str = "https://api.github.com",
        scheme: str = "github",
        timeout: float = 10.0,
    ) -> None:
        if (repo is None) == (org is None):
            raise ConfigurationError("name the hook's repo (owner/name) or its org, not both")
        if isinstance(hook_id, bool) or not isinstance(hook_id, int) or hook_id < 1:
            raise ConfigurationError("hook_id must be a positive whole number")
        owner = repo if repo is not None else org
        if not isinstance(owner, str) or not re.fullmatch(r"[\w.-]+(/[\w.-]+)?", owner):
            raise ConfigurationError("repo must be owner/name and org a plain name")
        if repo is not None and "/" not in repo:
            raise ConfigurationError("repo must be owner/name")
        base = f"/repos/{repo}" if repo is not None else f"/orgs/{org}"
        self._path = f"{base}/hooks/{hook_id}/deliveries"
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        self._api = ApiClient(api_base, token=token, headers=headers, timeout=timeout)
        self.scheme = scheme

    def __repr__(self) -> str:
        return f"GitHubSource({self._api!r}, {self._path!r})"

    def _listed(self, since: float, until: float | None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        url: str | None = self._api.url(self._path, {"per_page": PAGE})
        while url is not None and len(found) < MAX_DELIVERIES:
            answer = self._api.get(url)
            if not isinstance(answer.data, list):
                raise ProviderApiError(f"GET {self._path}: the answer is not a list")
            for item in answer.data:
                if not (isinstance(item, dict) and isinstance(item.get("guid"), str)):
                    raise ProviderApiError(f"GET {self._path}: an item is not a delivery")
                at = parse_time(item.get("delivered_at"), "delivered_at")
                if at < since:
                    return found  # newest first: the rest is older still
                if until is None or at <= until:
                    found.append({**item, "_at": at})
            match = _NEXT.search(answer.headers.get("link", ""))
            url = match.group(1) if match else None
        return found

    def events(self, since: float, until: float | None = None) -> Iterator[EventRef]:
        """
        Yield one event per delivery GUID delivered from *since* to *until*.

        Its ``ref`` is the GUID's latest delivery, and ``failed`` says that
        no delivery of it in the window was answered 2xx.

        .. versionadded:: 0.1
        """
        latest: dict[str, dict[str, Any]] = {}
        succeeded: set[str] = set()
        for item in self._listed(since, until):
            guid = item["guid"]
            latest.setdefault(guid, item)  # the first seen is the newest
            status = item.get("status_code")
            if isinstance(status, int) and 200 <= status < 300:
                succeeded.add(guid)
        for guid, item in latest.items():
            yield EventRef(guid, str(item["id"]), item["_at"], failed=guid not in succeeded)

    def fetch(self, ref: EventRef) -> FetchedEvent:
        """
        Return one delivery's payload and request headers, its signatures left out.

        .. versionadded:: 0.1
        """
        data = self._api.get(f"{self._path}/{ref.ref}").data
        if not isinstance(data, dict):
            data = {}
        request = data.get("request")
        if not isinstance(request, dict):
            request = {}
        payload = request.get("payload")
        if payload is None or not isinstance(data.get("guid"), str):
            raise ProviderApiError(f"GET {self._path}/{{id}}: the delivery has no payload")
        headers = request.get("headers") or {}
        kept = {
            str(name): str(value)
            for name, value in (headers.items() if isinstance(headers, dict) else ())
            if str(name).lower() not in _SIGNATURES
        }
        return FetchedEvent(
            scheme=self.scheme,
            id=data["guid"],
            body=as_body(payload),
            source=self.name,
            ref=ref.ref,
            created=None if ref.created is None else int(ref.created),
            headers=kept,
        )

    def redeliver(self, ref: EventRef) -> bool:
        """
        Ask GitHub to deliver it again (``POST .../deliveries/{id}/attempts``).

        .. versionadded:: 0.1
        """
        self._api.post(f"{self._path}/{ref.ref}/attempts")
        return True
