"""
A JSON-over-HTTPS client on the standard library, for calls hooksig makes to a provider's API.

Reconciliation lists events with your API key, and an allowlist refresh
reads a provider's published ranges.  Both go through :class:`ApiClient`:
HTTPS only (plain HTTP only to a loopback address, for tests), a timeout on
every call, no redirects (a redirect could carry the key to another host),
a cap on the answer's size, a bounded retry of 429 and 5xx answers that
honours ``Retry-After``, and errors that name the call and its status but
never the key.
"""

from __future__ import annotations

import ipaddress
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from ..errors import ConfigurationError, ProviderApiError

__all__ = ["Answer", "ApiClient", "check_base_url"]

#: Answers larger than this are refused unread past it.
MAX_BYTES = 16 * 1024 * 1024
#: Statuses worth a retry: the provider is busy or briefly down.
RETRIED = frozenset({429, 500, 502, 503, 504})
#: The longest ``Retry-After`` honoured, in seconds; a longer one fails the call.
MAX_WAIT = 30.0


class Answer(NamedTuple):
    """
    A successful answer: its status, headers (lowercase names) and decoded JSON body.
    """

    status: int
    headers: dict[str, str]
    data: Any


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> urllib.parse.SplitResult:
    """
    Return *url* split, if it is an ``https`` URL (or ``http`` to a loopback host).

    Raises:
        ConfigurationError: any other URL.
    """
    parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
    if parts is None or not parts.hostname or parts.username or parts.password:
        raise ConfigurationError("an API URL must be an absolute https URL without credentials")
    if parts.scheme != "https" and not (parts.scheme == "http" and _loopback(parts.hostname)):
        raise ConfigurationError("an API URL must use https (plain http only to a loopback host)")
    return parts


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx is then raised as an HTTPError, and refused below


_OPENER = urllib.request.build_opener(_NoRedirect)


class ApiClient:
    """
    Calls one provider API: the base URL, the key and the limits every call shares.

    Args:
        base_url: ``https://api.stripe.com`` and the like; paths are joined to it.
        token: sent as ``Authorization: Bearer <token>``; ``None`` sends none.
        headers: sent with every call (``Accept``, an API version).
        timeout: seconds for connecting and for each read.
        retries: further attempts after a 429 or 5xx answer.
        sleep: waits between attempts (injectable for tests).

    Raises:
        ConfigurationError: the URL or an option is unusable.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._base = check_base_url(base_url)
        if token is not None and (not isinstance(token, str) or not token.strip()):
            raise ConfigurationError("the API token is empty")
        if not (isinstance(timeout, int | float) and 0 < timeout <= 600):
            raise ConfigurationError("timeout must be a number of seconds up to 600")
        if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 10:
            raise ConfigurationError("retries must be a whole number from 0 to 10")
        self._token = token
        self._headers = {"Accept": "application/json", "User-Agent": "hooksig", **(headers or {})}
        self._timeout = float(timeout)
        self._retries = retries
        self._sleep = sleep

    def __repr__(self) -> str:
        # Never the token.
        return f"ApiClient({self._base.scheme}://{self._base.netloc})"

    def url(self, path_or_url: str, params: Mapping[str, object] | None = None) -> str:
        """
        Return the absolute URL of *path_or_url* with *params*; refuse one on another host.

        Raises:
            ProviderApiError: an absolute URL (a pagination link) points elsewhere.
        """
        parts = urllib.parse.urlsplit(path_or_url)
        if parts.scheme or parts.netloc:
            if (parts.scheme, parts.netloc) != (self._base.scheme, self._base.netloc):
                raise ProviderApiError("the API pointed to another host; not followed")
            url = path_or_url
        else:
            url = urllib.parse.urlunsplit(
                (self._base.scheme, self._base.netloc, self._base.path.rstrip("/") + path_or_url,
                 "", "")
            )  # fmt: skip
        if params:
            query = urllib.parse.urlencode([(k, str(v)) for k, v in params.items()])
            url += ("&" if "?" in url else "?") + query
        return url

    def get(self, path_or_url: str, params: Mapping[str, object] | None = None) -> Answer:
        """
        ``GET`` a JSON document.

        Raises:
            ProviderApiError: no answer, a non-2xx answer, or one that is not JSON.
        """
        return self.call("GET", self.url(path_or_url, params))

    def post(self, path: str, body: object | None = None) -> Answer:
        """
        ``POST`` a JSON body (or none) and read the JSON answer, if any.

        Raises:
            ProviderApiError: no answer or a non-2xx answer.
        """
        return self.call("POST", self.url(path), body)

    def call(self, method: str, url: str, body: object | None = None) -> Answer:
        """
        Make one call, retrying a 429 or 5xx answer up to ``retries`` times.

        Raises:
            ProviderApiError: as :meth:`get`.
        """
        what = f"{method} {urllib.parse.urlsplit(url).path}"
        data = None if body is None else json.dumps(body).encode()
        for attempt in range(self._retries + 1):
            status, headers, raw = self._once(method, url, data, what)
            if status in RETRIED and attempt < self._retries:
                self._sleep(_wait(headers.get("retry-after"), attempt, what, status))
                continue
            if not 200 <= status < 300:
                raise ProviderApiError(f"{what}: HTTP {status}", status=status)
            return Answer(status, headers, _decoded(raw, what, status))
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self, method: str, url: str, data: bytes | None, what: str
    ) -> tuple[int, dict[str, str], bytes]:
        headers = dict(self._headers)
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token}"
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - checked scheme
        try:
            with _OPENER.open(request, timeout=self._timeout) as response:
                return response.status, _lower(response.headers), _read(response, what)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, _lower(error.headers), b""
        except (urllib.error.URLError, OSError, ValueError) as error:
            # The reason may quote the host; never the token, which is only a header.
            reason = getattr(error, "reason", error)
            raise ProviderApiError(f"{what}: no answer ({type(reason).__name__})") from None


def _lower(headers: Any) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in (headers or {}).items()}


def _read(response: Any, what: str) -> bytes:
    raw: bytes = response.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ProviderApiError(f"{what}: the answer is larger than {MAX_BYTES} bytes")
    return raw


def _decoded(raw: bytes, what: str, status: int) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise ProviderApiError(f"{what}: the answer is not JSON", status=status) from None


def _wait(retry_after: str | None, attempt: int, what: str, status: int) -> float:
    if retry_after is not None and retry_after.isascii() and retry_after.isdigit():
        seconds = float(retry_after)
        if seconds > MAX_WAIT:
            raise ProviderApiError(
                f"{what}: HTTP {status}, retry after {retry_after} s", status=status
            )
        return seconds
    return min(MAX_WAIT, 0.5 * 2.0**attempt)
