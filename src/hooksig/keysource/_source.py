"""
:class:`KeySource`: the keys a scheme needs at run time, fetched under a rule and cached.

A scheme asks for a document (a certificate, a key set) by :class:`KeyRequest`
and says how to read it into ``{key id: key}``.  The source checks the URL
against the provider's :class:`UrlRule` first, always, then answers from
documents you gave it, from its cache, or by fetching.  A key id the cached
document does not hold triggers one refetch, at most once per
*refresh_interval*; a fetch that failed is not retried for as long, so forged
deliveries cannot make the receiver hammer the provider.  Nothing here
blocks an event loop when called through :meth:`KeySource.keys_async`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from ..errors import ConfigurationError, InvalidSignature, KeyUnavailable, WebhookError
from ._https import HttpsFetch, KeyRequest
from ._rules import UrlRule

Fetch = Callable[[KeyRequest], bytes]
AsyncFetch = Callable[[KeyRequest], Awaitable[bytes]]
#: Reads a fetched document into ``{key id: key}``; raises ``ValueError`` when unreadable.
Loader = Callable[[bytes], Mapping[str, Any]]

_DEFAULT: Any = object()


def _seconds(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ConfigurationError(f"{name} must be a number of seconds >= 0")
    return float(value)


async def _in_thread(fetch: Fetch, request: KeyRequest) -> bytes:
    """Run a blocking fetch in a worker thread (asyncio is loaded only by async callers)."""
    import asyncio

    return await asyncio.to_thread(fetch, request)


class KeySource:
    """
    Where a scheme's keys come from: documents you give, else a fetch under the provider's rule.

    Pass one as ``public_key=`` to a :class:`~hooksig.Verifier` whose scheme
    fetches keys (``aws-sns``, ``paypal``, ``google-pubsub``, ...).  Without
    one, such a verifier uses ``KeySource()``: the standard-library HTTPS
    fetch, with the defaults below.

    Args:
        fetch: a callable taking a :class:`KeyRequest` and returning the
            document's bytes; :class:`HttpsFetch` by default.  ``None`` never
            fetches: only *documents* are served (an air-gapped deployment).
        fetch_async: the same as a coroutine function, used by
            :meth:`keys_async`; by default *fetch* runs in a worker thread.
        documents: ``{url: document bytes}`` served without fetching; they
            never expire.  Offline keys.
        ttl: seconds a fetched document is used before it is fetched again.
        refresh_interval: the least time, in seconds, between two fetches of
            one document for an unknown key id, or after a failed fetch.
        max_entries: the most documents cached; the oldest go first.
        clock: the cache's clock (monotonic seconds); injected in tests.

    Raises:
        ConfigurationError: an argument of the wrong type.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        *,
        fetch: Fetch | None = _DEFAULT,
        fetch_async: AsyncFetch | None = None,
        documents: Mapping[str, bytes | str] | None = None,
        ttl: float = 3600.0,
        refresh_interval: float = 60.0,
        max_entries: int = 256,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if fetch is _DEFAULT:
            fetch = HttpsFetch()
        if fetch is not None and not callable(fetch):
            raise ConfigurationError("fetch must be a callable taking a KeyRequest, or None")
        if fetch_async is not None and not callable(fetch_async):
            raise ConfigurationError("fetch_async must be a coroutine function")
        if type(max_entries) is not int or max_entries < 1:
            raise ConfigurationError("max_entries must be a positive number")
        self._documents: dict[str, bytes] = {}
        for url, document in (documents or {}).items():
            if not isinstance(url, str) or not isinstance(document, (bytes, str)):
                raise ConfigurationError("documents maps URL strings to bytes")
            self._documents[url] = document.encode() if isinstance(document, str) else document
        self._fetch = fetch
        self._fetch_async = fetch_async
        self.ttl = _seconds(ttl, "ttl")
        self.refresh_interval = _seconds(refresh_interval, "refresh_interval")
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        # cache key -> (keys, monotonic time fetched); failures -> monotonic time failed
        self._cache: OrderedDict[tuple[Any, ...], tuple[Mapping[str, Any], float]] = OrderedDict()
        self._failed: dict[tuple[Any, ...], float] = {}
        self._offline: dict[str, Mapping[str, Any]] = {}

    def __repr__(self) -> str:
        mode = "offline" if self._fetch is None else repr(self._fetch)
        return f"KeySource({mode}, documents={len(self._documents)}, ttl={self.ttl:g})"

    @property
    def offline(self) -> bool:
        """True when this source never fetches."""
        return self._fetch is None and self._fetch_async is None

    def preload(self, load: Loader) -> None:
        """
        Read every offline document now, so that a bad one fails at construction.

        Raises:
            ConfigurationError: a document *load* cannot read.
        """
        for url, document in self._documents.items():
            try:
                load(document)
            except (ValueError, WebhookError):
                raise ConfigurationError(f"the document given for {url} is unreadable") from None

    # -- the two entry points ------------------------------------------------------------

    def keys(
        self,
        request: KeyRequest,
        rule: UrlRule,
        load: Loader,
        *,
        kid: str | None = None,
        header: str | None = None,
    ) -> Mapping[str, Any]:
        """
        Return ``{key id: key}`` read from the document *request* names.

        Raises:
            MalformedSignature: the URL breaks *rule*; nothing is fetched.
            InvalidSignature: *kid* is not in the document, even after a refetch.
            KeyUnavailable: the fetch failed, or recently failed.
        """
        slot = self._slot(request, rule, header)
        found = self._cached(slot, request, load, kid)
        if found is not None:
            return found
        if self._fetch is None:
            raise KeyUnavailable("no document given for this key URL, and fetching is off")
        try:
            document = self._fetch(request)
        except KeyUnavailable:
            self._fail(slot)
            raise
        return self._store(slot, document, load, kid)

    async def keys_async(
        self,
        request: KeyRequest,
        rule: UrlRule,
        load: Loader,
        *,
        kid: str | None = None,
        header: str | None = None,
    ) -> Mapping[str, Any]:
        """:meth:`keys`, awaiting the fetch instead of blocking the event loop."""
        slot = self._slot(request, rule, header)
        found = self._cached(slot, request, load, kid)
        if found is not None:
            return found
        fetch, fetch_async = self._fetch, self._fetch_async
        if fetch is None and fetch_async is None:
            raise KeyUnavailable("no document given for this key URL, and fetching is off")
        try:
            if fetch_async is not None:
                document = await fetch_async(request)
            else:
                assert fetch is not None  # noqa: S101 - checked above
                document = await _in_thread(fetch, request)
        except KeyUnavailable:
            self._fail(slot)
            raise
        return self._store(slot, document, load, kid)

    def visit(self, request: KeyRequest, rule: UrlRule, *, header: str | None = None) -> bytes:
        """
        Send *request* once, under *rule*, uncached (SNS's ``SubscribeURL`` confirmation).

        Raises:
            MalformedSignature: the URL breaks *rule*; nothing is sent.
            KeyUnavailable: fetching is off, or the request failed.
        """
        rule.check(request.url, header)
        if self._fetch is None:
            raise KeyUnavailable("fetching is off: the URL was not visited")
        return self._fetch(request)

    async def visit_async(
        self, request: KeyRequest, rule: UrlRule, *, header: str | None = None
    ) -> bytes:
        """:meth:`visit`, awaiting the request instead of blocking the event loop."""
        rule.check(request.url, header)
        if self._fetch_async is not None:
            return await self._fetch_async(request)
        if self._fetch is None:
            raise KeyUnavailable("fetching is off: the URL was not visited")
        return await _in_thread(self._fetch, request)

    # -- the steps -----------------------------------------------------------------------

    def _slot(self, request: KeyRequest, rule: UrlRule, header: str | None) -> tuple[Any, ...]:
        rule.check(request.url, header)
        return (request.url, request.method, request.body)

    def _cached(
        self, slot: tuple[Any, ...], request: KeyRequest, load: Loader, kid: str | None
    ) -> Mapping[str, Any] | None:
        """The keys from a given or cached document, or None to fetch; raises when rate limited."""
        offline = self._documents.get(request.url)
        if offline is not None:
            read = self._offline.get(request.url)
            if read is None:
                read = self._offline[request.url] = self._read(offline, load)
            return self._known(read, kid)
        now = self._clock()
        with self._lock:
            entry = self._cache.get(slot)
            failed = self._failed.get(slot)
        if failed is not None and now - failed < self.refresh_interval:
            raise KeyUnavailable("the key fetch failed moments ago; not retried yet")
        if entry is None:
            return None
        keys, fetched = entry
        age = now - fetched
        if age < self.ttl:
            if kid is None or kid in keys:
                return keys
            if age < self.refresh_interval:
                return self._known(keys, kid)  # an unknown key id: refetched at most this often
        return None

    def _store(
        self, slot: tuple[Any, ...], document: bytes, load: Loader, kid: str | None
    ) -> Mapping[str, Any]:
        if not isinstance(document, bytes):
            raise KeyUnavailable("the fetch returned something other than bytes")
        keys = self._read(document, load)
        with self._lock:
            self._failed.pop(slot, None)
            self._cache[slot] = (keys, self._clock())
            self._cache.move_to_end(slot)
            while len(self._cache) > self._max:
                self._cache.popitem(last=False)
        return self._known(keys, kid)

    def _fail(self, slot: tuple[Any, ...]) -> None:
        with self._lock:
            self._failed[slot] = self._clock()
            while len(self._failed) > self._max:
                self._failed.pop(next(iter(self._failed)))

    @staticmethod
    def _read(document: bytes, load: Loader) -> Mapping[str, Any]:
        try:
            return load(document)
        except ValueError:
            raise KeyUnavailable(
                "the key document is unreadable", reason="key_unreadable"
            ) from None

    @staticmethod
    def _known(keys: Mapping[str, Any], kid: str | None) -> Mapping[str, Any]:
        if kid is not None and kid not in keys:
            raise InvalidSignature("no key with this key id", reason="unknown_key_id")
        return keys


KeySource.__module__ = "hooksig.keysource"
