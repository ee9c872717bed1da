"""
One webhook endpoint: its options, and the request steps every adapter runs, in order.

Method, admission, body limit, challenge, verification, handshake, claim,
handler, settlement, journal: an adapter reads the request, calls these
steps (:meth:`Endpoint.deliver` takes the middle three in one call), and
sends back what they return.  Each step that ends a request
reports it (:mod:`._events`).

The options (``idempotency``, ``outcomes``, ``key``, ``read_timeout``,
``on_outcome``, and around the delivery ``allowlist``, ``https_only``,
``proxies``, ``rate_limit``, ``journal``: :mod:`._around`) mean the same in
every adapter.  Left :data:`UNSET`, an
option takes the app-wide setting where the adapter has one (Flask's config,
Django's ``HOOKSIG``, a middleware's own arguments), else its default;
``None`` turns it off (no guard, no timeout, no hook, the default table).
"""

from __future__ import annotations

import enum
import logging
import math
import operator
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final, TypeVar

from .._primitives.headers import HeadersInput
from ..delivery import Delivery
from ..errors import (
    ConfigurationError,
    DuplicateDelivery,
    RateLimited,
    RequestRefused,
    StoreUnavailable,
)
from ..gate import Allowlist, Gate, Limiter, Permit, ProxyChain
from ..idempotency import Idempotency, storage_key
from ..journal import Journal
from ..verifier import Verifier
from ._around import AROUND, check_around, gate_of
from ._events import LEVELS, OnOutcome, emit, log
from ._outcomes import DEFAULT_OUTCOMES, Answer, Outcomes, outcome_of

if TYPE_CHECKING:
    from ..scheme.handshake import HandshakeResponse

__all__ = [
    "DEFAULT_TIMEOUT",
    "OPTIONS",
    "UNCOUNTED",
    "UNSET",
    "Endpoint",
    "RoutesOverride",
    "ViewEndpoint",
    "routes_table",
    "settings_options",
]

T = TypeVar("T")

#: The read timeout, in seconds, of an adapter given none anywhere.
DEFAULT_TIMEOUT = 10.0

#: The methods an endpoint challenge may use besides POST (Meta's GET, CloudEvents' OPTIONS).
_CHALLENGE_METHODS = frozenset({"GET", "OPTIONS"})

#: The options every adapter takes, by name.
OPTIONS = ("idempotency", "outcomes", "key", "read_timeout", "on_outcome", *AROUND)


class Unset(enum.Enum):
    """The type of :data:`UNSET`."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


#: An option left to the app-wide setting, else to its default.
UNSET: Final = Unset.UNSET


class HandlerAnswered(Exception):
    """The journal's error of a handler that answered 5xx (or nothing) without raising."""

    def __init__(self, status: int | None) -> None:
        super().__init__("no answer" if status is None else f"status {status}")


#: The permit of a request no gate counts: an adapter takes it without working
#: out the request's origin when the endpoint has no gate.
UNCOUNTED = Permit()


def _journal_failed() -> None:
    # The answer is given and the claim settled: a journal that cannot be
    # reached loses this record, not the delivery (the provider has it).
    log.error("webhook journal unreachable: this delivery was not journaled", exc_info=True)


def _failed(status: int | None, error: BaseException | None) -> bool:
    # Whether the handler failed, so that its claim is released for the retry.
    return error is not None or status is None or status >= 500


def _check(name: str, value: object, label: str) -> object:
    # One rule per option; *label* names where the value came from.
    if value is None:
        return None
    if name in AROUND:
        return check_around(name, value, label)
    if name == "idempotency" and not isinstance(value, Idempotency):
        hint = " (None, not False, runs the handler unguarded)" if value is False else ""
        raise ConfigurationError(f"{label} must be a hooksig.idempotency.Idempotency or None{hint}")
    if name == "outcomes" and not isinstance(value, Outcomes):
        raise ConfigurationError(f"{label} must be a hooksig.integrations.Outcomes or None")
    if name in ("key", "on_outcome") and not callable(value):
        raise ConfigurationError(f"{label} must be a callable or None")
    if name == "read_timeout" and not (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value > 0
        and not math.isnan(value)
    ):
        raise ConfigurationError(f"{label} must be a positive number of seconds or None")
    return float(value) if name == "read_timeout" else value  # type: ignore[arg-type]


def settings_options(raw: Mapping[str, object], label: Callable[[str], str]) -> dict[str, object]:
    """
    Return app-wide settings as options, checked: *raw* maps option names to values.

    An ``outcomes`` given as a mapping becomes an :class:`Outcomes` of those
    fields.  *label* names a setting in error messages
    (``HOOKSIG_READ_TIMEOUT``, ``HOOKSIG["READ_TIMEOUT"]``).

    Raises:
        ConfigurationError: a setting has the wrong type or value.
    """
    options: dict[str, object] = {}
    for name in OPTIONS:
        if name not in raw:
            continue
        value = raw[name]
        if name == "outcomes" and isinstance(value, Mapping):
            try:
                value = Outcomes(**value)
            except TypeError as error:
                raise ConfigurationError(f"{label(name)}: {error}") from None
        options[name] = _check(name, value, label(name))
    return options


class Endpoint:
    """
    One webhook endpoint: what every adapter needs to verify, guard and report a delivery.

    The adapters build one from their arguments; build one yourself to give a
    route of :class:`hooksig.integrations.asgi.WebhookMiddleware` (or the WSGI
    one) options of its own, or to write an adapter for another framework.

    Args:
        verifier: verifies each delivery and sets the body limit.
        idempotency: claims each delivery id around the handler; ``None``
            runs the handler for every authentic delivery, duplicates included.
        outcomes: the status table; ``None`` for the defaults.
        key: returns the idempotency key of a delivery; ``None`` keys on
            ``delivery.scheme`` and ``delivery.id``.
        read_timeout: seconds the whole body may take to arrive; ``None``
            waits as long as the server lets it.  The default is 10.
        on_outcome: called with an :class:`~hooksig.integrations.Event` for
            every answered request; ``None`` for none.
        allowlist: the addresses requests may come from
            (:class:`~hooksig.gate.Allowlist`); others are answered 403
            before the body is read.  ``None`` admits any.
        https_only: answer 403 to a request that did not come over HTTPS
            (or through a trusted proxy that says it did).
        proxies: the proxies you run (:class:`~hooksig.gate.ProxyChain`),
            whose forwarding headers give the client address and scheme;
            ``None`` reads the socket only.
        rate_limit: a :class:`~hooksig.gate.RateLimit` or
            :class:`~hooksig.gate.RedisRateLimit`; over it, 429 with
            ``Retry-After`` before the body is read.
        journal: a :class:`~hooksig.journal.Journal` that keeps each verified
            delivery with the handler's outcome (a dead letter on failure).

    Every option left :data:`UNSET` takes the setting of the middleware the
    endpoint is a route of, else its default.

    Raises:
        ConfigurationError: an argument has the wrong type.

    .. versionadded:: 0.1
    """

    __slots__ = (
        "_challenged",
        "_given",
        "_handshakes",
        "_plain",
        "gate",
        "idempotency",
        "journal",
        "key",
        "limit",
        "on_outcome",
        "outcomes",
        "read_timeout",
        "scheme",
        "verifier",
    )

    idempotency: Idempotency | None
    outcomes: Outcomes
    key: Callable[[Delivery], str] | None
    read_timeout: float | None
    on_outcome: OnOutcome | None
    gate: Gate | None
    journal: Journal | None
    #: Body limit in bytes, taken from the verifier (``max_body_size``).
    limit: int

    def __init__(
        self,
        verifier: Verifier,
        idempotency: Idempotency | Unset | None = UNSET,
        *,
        outcomes: Outcomes | Unset | None = UNSET,
        key: Callable[[Delivery], str] | Unset | None = UNSET,
        read_timeout: float | Unset | None = UNSET,
        on_outcome: OnOutcome | Unset | None = UNSET,
        allowlist: Allowlist | Unset | None = UNSET,
        https_only: bool | Unset | None = UNSET,
        proxies: ProxyChain | Unset | None = UNSET,
        rate_limit: Limiter | Unset | None = UNSET,
        journal: Journal | Unset | None = UNSET,
    ) -> None:
        if not isinstance(verifier, Verifier):
            raise ConfigurationError("verifier must be a hooksig.Verifier")
        given = {
            "idempotency": idempotency,
            "outcomes": outcomes,
            "key": key,
            "read_timeout": read_timeout,
            "on_outcome": on_outcome,
            "allowlist": allowlist,
            "https_only": https_only,
            "proxies": proxies,
            "rate_limit": rate_limit,
            "journal": journal,
        }
        self._given = {n: _check(n, v, n) for n, v in given.items() if v is not UNSET}
        self.verifier = verifier
        self.scheme = verifier.scheme.name
        self.limit = verifier.max_body_size  # fixed for the verifier's life
        self.idempotency = self._given.get("idempotency")  # type: ignore[assignment]
        self.outcomes = self._given.get("outcomes") or DEFAULT_OUTCOMES  # type: ignore[assignment]
        self.key = self._given.get("key")  # type: ignore[assignment]
        self.read_timeout = self._given.get("read_timeout", DEFAULT_TIMEOUT)  # type: ignore[assignment]
        self.on_outcome = self._given.get("on_outcome")  # type: ignore[assignment]
        self.gate = gate_of(self._given)
        self.journal = self._given.get("journal")  # type: ignore[assignment]
        # Worked out once from the scheme: whether a request can be a challenge, and
        # a delivery a handshake.
        scheme = verifier.scheme
        self._challenged = getattr(scheme, "challenge", None) is not None
        self._handshakes = (
            scheme.handshake is not None or getattr(scheme, "handshake_async", None) is not None
        )
        # Verification alone, the same on an event loop: no challenge, no handshake,
        # no URL to join, no key to fetch.  deliver() then makes one call.
        self._plain = not (
            self._challenged
            or self._handshakes
            or verifier.url_policy is not None
            or getattr(scheme, "resolve_keys", None) is not None
            or getattr(scheme, "resolve_keys_async", None) is not None
        )

    def __repr__(self) -> str:
        options = "".join(f", {name}={value!r}" for name, value in self._given.items())
        return f"Endpoint({self.verifier!r}{options})"

    def replace(self, **options: Any) -> Endpoint:
        """
        Return a copy with *options* changed (the others as given to this one).

        .. versionadded:: 0.1
        """
        unknown = set(options) - set(OPTIONS)
        if unknown:
            raise ConfigurationError(f"unknown endpoint options: {sorted(unknown)}")
        return Endpoint(self.verifier, **{**self._given, **options})

    def inherit(self, settings: Mapping[str, object]) -> Endpoint:
        """
        Return this endpoint with each option it left :data:`UNSET` taken from *settings*.

        .. versionadded:: 0.1
        """
        if not settings or settings.keys() <= self._given.keys():
            return self
        merged: dict[str, Any] = {**settings, **self._given}
        return Endpoint(self.verifier, **merged)

    def report(
        self,
        route: str,
        started: float | None,
        outcome: str,
        reason: str | None,
        status: int,
        delivery: Delivery | None = None,
        header: str | None = None,
        client: str | None = None,
    ) -> None:
        """
        Log the outcome of one request and call the ``on_outcome`` hook.

        *started* is the request's ``time.perf_counter()`` at arrival;
        *client* the address a refusal before the body was about.

        .. versionadded:: 0.1
        """
        hook = self.on_outcome
        if hook is None and not log.isEnabledFor(LEVELS.get(outcome, logging.WARNING)):
            return  # the common case under load: nobody listens, nothing to build
        at = time.perf_counter() if started is None else started
        emit(hook, route, self.scheme, delivery, outcome, reason, status, at, header, client)

    def method(self, method: str, *, route: str, started: float | None = None) -> Answer | None:
        """
        Return the answer for a method other than ``POST`` (``HEAD``: 200), or ``None`` to go on.

        Where the scheme has an endpoint challenge, ``GET`` and ``OPTIONS``
        go on too: :meth:`challenge` answers them, or refuses them.

        .. versionadded:: 0.1
        """
        if method == "POST" or (method in _CHALLENGE_METHODS and self._challenged):
            return None
        outcome = "head" if method == "HEAD" else "method_not_allowed"
        answer = self.outcomes.answer(outcome)
        self.report(route, started, outcome, None, answer.status)
        return answer

    def challenge(
        self,
        body: bytes,
        headers: HeadersInput,
        *,
        method: str,
        path: str | Callable[[], str],
        route: str,
        started: float | None = None,
    ) -> Answer | None:
        """
        Return the answer to an unsigned endpoint check, or ``None`` to verify the delivery.

        Call it with the body read and before :meth:`verify`.  It answers a
        check that follows the provider's rule (Meta's ``hub.challenge``,
        Graph's ``validationToken``; see :meth:`hooksig.Verifier.challenge`),
        and refuses any other ``GET`` or ``OPTIONS`` as a method not allowed.
        The handler never runs for either.

        .. versionadded:: 0.1
        """
        if not self._challenged:
            return None
        target = path() if callable(path) else path
        reply = self.verifier.challenge(body, headers, method=method, path=target)
        if reply is None:
            if method == "POST":
                return None
            answer = self.outcomes.answer("method_not_allowed")
            self.report(route, started, "method_not_allowed", None, answer.status)
            return answer
        self.report(route, started, "challenge", None, reply.status)
        return Answer(reply.status, reply.body, tuple(reply.headers.items()))

    def deliver(
        self,
        body: bytes,
        headers: HeadersInput,
        *,
        method: str,
        path: str | Callable[[], str],
        route: str,
        started: float | None = None,
    ) -> Delivery | Answer:
        """
        Take the body read to a new delivery: :meth:`challenge`, :meth:`verify`, :meth:`handshake`.

        Returns the verified delivery for the handler, or the answer to a
        challenge or handshake (already reported).  Raises what
        :meth:`verify` raises: answer it with :meth:`refuse`.  An endpoint
        with none of these steps but verification makes that one call.

        .. versionadded:: 0.1
        """
        if self._plain:
            return self.verifier.verify(body, headers)
        reply, path = self._challenge_first(body, headers, method, path, route, started)
        if reply is not None:
            return reply
        delivery = self.verify(body, headers, path=path)
        return self.handshake(delivery, route=route, started=started) or delivery

    async def deliver_async(
        self,
        body: bytes,
        headers: HeadersInput,
        *,
        method: str,
        path: str | Callable[[], str],
        route: str,
        started: float | None = None,
    ) -> Delivery | Answer:
        """
        :meth:`deliver` for an event loop: a key fetch and a handshake's request are awaited.

        .. versionadded:: 0.1
        """
        if self._plain:
            return self.verifier.verify(body, headers)
        reply, path = self._challenge_first(body, headers, method, path, route, started)
        if reply is not None:
            return reply
        delivery = await self.verify_async(body, headers, path=path)
        return await self.handshake_async(delivery, route=route, started=started) or delivery

    def _challenge_first(
        self,
        body: bytes,
        headers: HeadersInput,
        method: str,
        path: str | Callable[[], str],
        route: str,
        started: float | None,
    ) -> tuple[Answer | None, str | Callable[[], str]]:
        # The challenge's answer, if it is one, and the target to verify by: worked
        # out here once when the challenge reads it, as a public_url reads it again.
        if self._challenged and callable(path):
            path = path()
        reply = self.challenge(
            body, headers, method=method, path=path, route=route, started=started
        )
        return reply, path

    def verify(
        self, body: bytes, headers: HeadersInput, *, path: str | Callable[[], str]
    ) -> Delivery:
        """
        Verify the raw *body* and *headers*; raises what ``Verifier.verify`` raises.

        *path* is the request target as received (path and query string),
        or a function that returns it, called only when the verifier has a
        ``public_url`` to join it to (for schemes that sign the URL).  The
        form fields such schemes sign are read from the raw body.

        .. versionadded:: 0.1
        """
        return self.verifier.verify(body, headers, method="POST", path=self._target(path))

    async def verify_async(
        self, body: bytes, headers: HeadersInput, *, path: str | Callable[[], str]
    ) -> Delivery:
        """
        :meth:`verify` for an event loop: a key fetch is awaited (``Verifier.verify_async``).

        .. versionadded:: 0.1
        """
        target = self._target(path)
        return await self.verifier.verify_async(body, headers, method="POST", path=target)

    def _target(self, path: str | Callable[[], str]) -> str | None:
        # The request target, worked out only where the verifier joins it to its public_url.
        if self.verifier.url_policy is None:
            return None
        return path if isinstance(path, str) else path()

    def refuse(
        self,
        error: BaseException,
        *,
        route: str,
        started: float | None = None,
        delivery: Delivery | None = None,
    ) -> Answer:
        """
        Report *error* and return its answer from this endpoint's outcome table.

        Raises:
            TypeError: *error* is not one the outcome table answers.

        .. versionadded:: 0.1
        """
        outcome, reason = outcome_of(error)
        wait = error.retry_after if isinstance(error, RateLimited) else None
        answer = self.outcomes.answer(outcome, retry_after=wait)
        header = getattr(error, "header", None)
        client = error.client if isinstance(error, RequestRefused) else None
        self.report(route, started, outcome, reason, answer.status, delivery, header, client)
        return answer

    def admit(
        self, peer: str | None, scheme: str, headers: Any, *, route: str, started: float | None
    ) -> Permit | Answer:
        """
        Run the gate before the body is read: the request's permit, or the answer refusing it.

        *peer* is the socket's peer address, *scheme* the connection's
        (``"http"``/``"https"``), *headers* the request headers (a mapping or
        the raw pairs).  Release the permit once the answer is sent.

        .. versionadded:: 0.1
        """
        gate = self.gate
        if gate is None:
            return UNCOUNTED
        try:
            return gate.admit(peer, scheme, headers)
        except (RequestRefused, StoreUnavailable) as error:
            return self.refuse(error, route=route, started=started)

    async def admit_async(
        self, peer: str | None, scheme: str, headers: Any, *, route: str, started: float | None
    ) -> Permit | Answer:
        """
        Asyncio form of :meth:`admit`.

        .. versionadded:: 0.1
        """
        gate = self.gate
        if gate is None:
            return UNCOUNTED
        try:
            return await gate.admit_async(peer, scheme, headers)
        except (RequestRefused, StoreUnavailable) as error:
            return self.refuse(error, route=route, started=started)

    def _entry(
        self, delivery: Delivery, status: int | None, error: BaseException | None
    ) -> dict[str, Any]:
        # What the journal keeps of one handler run: its outcome and the failure.
        failed = error is not None or status is None or status >= 500
        if failed and error is None:
            error = HandlerAnswered(status)
        return {
            "outcome": "failed" if failed else "handled",
            "key": None if self.key is None else self.key(delivery),
            "error": error if failed else None,
            "scheme": self.verifier.scheme,
            "redact": self.verifier.redactions(delivery) if failed else (),
        }

    def _journal(
        self, journal: Journal, delivery: Delivery, status: int | None, error: BaseException | None
    ) -> None:
        try:
            journal.record(delivery, **self._entry(delivery, status, error))
        except StoreUnavailable:
            _journal_failed()

    async def _journal_async(
        self, journal: Journal, delivery: Delivery, status: int | None, error: BaseException | None
    ) -> None:
        try:
            await journal.record_async(delivery, **self._entry(delivery, status, error))
        except StoreUnavailable:
            _journal_failed()

    def handshake(
        self, delivery: Delivery, *, route: str, started: float | None = None
    ) -> Answer | None:
        """
        Return the answer to a provider handshake, or ``None`` for an ordinary delivery.

        *delivery* is the one this endpoint just verified, so nothing unsigned
        is ever answered; the handler does not run for a handshake.

        .. versionadded:: 0.1
        """
        if not self._handshakes:
            return None
        return self._handshake(self.verifier.handshake(delivery), delivery, route, started)

    async def handshake_async(
        self, delivery: Delivery, *, route: str, started: float | None = None
    ) -> Answer | None:
        """
        :meth:`handshake` for an event loop: a handshake that makes a request awaits it.

        .. versionadded:: 0.1
        """
        if not self._handshakes:
            return None
        reply = await self.verifier.handshake_async(delivery)
        return self._handshake(reply, delivery, route, started)

    def _handshake(
        self,
        reply: HandshakeResponse | None,
        delivery: Delivery,
        route: str,
        started: float | None,
    ) -> Answer | None:
        if reply is None:
            return None
        self.report(route, started, "handshake", None, reply.status, delivery)
        return Answer(reply.status, reply.body, tuple(reply.headers.items()))

    def claim(
        self, delivery: Delivery, *, route: str, started: float | None = None
    ) -> tuple[str, str | None] | Answer | None:
        """
        Claim *delivery*: the claim held, ``None`` without a guard, or the answer that stops it.

        The claim held is its storage key and fencing token (``None`` when the
        guard's ``fail_open`` let the handler run unguarded), for :meth:`settle`.

        .. versionadded:: 0.1
        """
        guard = self.idempotency
        if guard is None:
            return None
        key = storage_key(delivery if self.key is None else self.key(delivery))
        try:
            return key, guard.acquire(key)
        except (DuplicateDelivery, StoreUnavailable) as error:
            return self.refuse(error, route=route, started=started, delivery=delivery)

    async def claim_async(
        self, delivery: Delivery, *, route: str, started: float | None = None
    ) -> tuple[str, str | None] | Answer | None:
        """
        Asyncio form of :meth:`claim`.

        .. versionadded:: 0.1
        """
        guard = self.idempotency
        if guard is None:
            return None
        key = storage_key(delivery if self.key is None else self.key(delivery))
        try:
            return key, await guard.acquire_async(key)
        except (DuplicateDelivery, StoreUnavailable) as error:
            return self.refuse(error, route=route, started=started, delivery=delivery)

    def _settled(
        self,
        route: str,
        started: float | None,
        delivery: Delivery,
        status: int | None,
        error: BaseException | None,
        unsettled: BaseException | None,
    ) -> None:
        if error is not None:
            self.report(route, started, "failed", "handler_raised", 500, delivery)
        elif status is None or status >= 500:
            failure = "no_response" if status is None else "server_error"
            self.report(route, started, "failed", failure, status or 500, delivery)
        else:
            reason = None if unsettled is None else outcome_of(unsettled)[1]
            self.report(route, started, "accepted", reason, status, delivery)

    def settle(
        self,
        held: tuple[str, str | None] | None,
        delivery: Delivery,
        status: int | None,
        *,
        route: str,
        started: float | None = None,
        error: BaseException | None = None,
    ) -> None:
        """
        Settle the claim *held* by the handler's answer, and report it.

        *status* is the HTTP status the handler answered (``None``: nothing);
        *error* what it raised.  A 5xx, no answer or an exception releases
        the claim, so the provider's retry runs the handler again; any other
        answer completes it.  If completing fails (the store is down, the
        lease ran out), the answer stands and the report says why.

        .. versionadded:: 0.1
        """
        unsettled: BaseException | None = None
        if held is not None and self.idempotency is not None:
            try:
                self.idempotency.finish(*held, failed=_failed(status, error))
            except (DuplicateDelivery, StoreUnavailable) as failure:
                unsettled = failure  # the answer is given: log it, change nothing
        if self.journal is not None:
            self._journal(self.journal, delivery, status, error)
        self._settled(route, started, delivery, status, error, unsettled)

    async def settle_async(
        self,
        held: tuple[str, str | None] | None,
        delivery: Delivery,
        status: int | None,
        *,
        route: str,
        started: float | None = None,
        error: BaseException | None = None,
    ) -> None:
        """
        Asyncio form of :meth:`settle`.

        .. versionadded:: 0.1
        """
        unsettled: BaseException | None = None
        if held is not None and self.idempotency is not None:
            try:
                await self.idempotency.finish_async(*held, failed=_failed(status, error))
            except (DuplicateDelivery, StoreUnavailable) as failure:
                unsettled = failure  # the answer is given: log it, change nothing
        if self.journal is not None:  # no coroutine made for nothing
            await self._journal_async(self.journal, delivery, status, error)
        self._settled(route, started, delivery, status, error, unsettled)

    def run(
        self,
        delivery: Delivery,
        call: Callable[[], T],
        status: Callable[[T], int | None],
        *,
        route: str,
        started: float | None = None,
    ) -> T | Answer:
        """
        Run *call* under a claim on *delivery*, or return the answer that stops it.

        *status* tells the HTTP status of what *call* returned; :meth:`settle`
        says what that does to the claim.

        .. versionadded:: 0.1
        """
        if self.idempotency is None and self.journal is None:  # nothing to claim or keep
            try:
                result = call()
            except BaseException as error:
                self._settled(route, started, delivery, None, error, None)
                raise
            self._settled(route, started, delivery, status(result), None, None)
            return result
        held = self.claim(delivery, route=route, started=started)
        if isinstance(held, Answer):
            return held
        try:
            result = call()
        except BaseException as error:
            self.settle(held, delivery, None, route=route, started=started, error=error)
            raise
        self.settle(held, delivery, status(result), route=route, started=started)
        return result

    async def run_async(
        self,
        delivery: Delivery,
        call: Callable[[], Awaitable[T]],
        status: Callable[[T], int | None],
        *,
        route: str,
        started: float | None = None,
    ) -> T | Answer:
        """
        Asyncio form of :meth:`run`.

        .. versionadded:: 0.1
        """
        if self.idempotency is None and self.journal is None:  # no await spent on either
            try:
                result = await call()
            except BaseException as error:
                self._settled(route, started, delivery, None, error, None)
                raise
            self._settled(route, started, delivery, status(result), None, None)
            return result
        held = await self.claim_async(delivery, route=route, started=started)
        if isinstance(held, Answer):
            return held
        try:
            result = await call()
        except BaseException as error:
            await self.settle_async(held, delivery, None, route=route, started=started, error=error)
            raise
        await self.settle_async(held, delivery, status(result), route=route, started=started)
        return result


def routes_table(
    routes: Mapping[str, Verifier | Endpoint], options: Mapping[str, object]
) -> dict[str, Endpoint]:
    """
    Return a middleware's routing table as endpoints, each option a route left unset
    taken from the middleware's *options* (those not :data:`UNSET`).

    Raises:
        ConfigurationError: a route or an option has the wrong type.
    """
    given = {name: value for name, value in options.items() if value is not UNSET}
    settings = settings_options(given, lambda name: name)
    table: dict[str, Endpoint] = {}
    for path, route in routes.items():
        endpoint = Endpoint(route) if isinstance(route, Verifier) else route
        if not isinstance(endpoint, Endpoint):
            raise ConfigurationError(f"route {path!r} must be a hooksig.Verifier or an Endpoint")
        table[path] = endpoint.inherit(settings)
    return table


class RoutesOverride:
    """
    A middleware's routing table, and :meth:`override` to swap options in tests.
    """

    routes: dict[str, Endpoint]

    @contextmanager
    def override(self, **options: Any) -> Iterator[None]:
        """
        Give every route *options* for the duration of a ``with`` block: a test guard, say.

        ::

            with app.override(idempotency=Idempotency(MemoryStore())):
                ...

        .. versionadded:: 0.1
        """
        saved = self.routes
        self.routes = {path: endpoint.replace(**options) for path, endpoint in saved.items()}
        try:
            yield
        finally:
            self.routes = saved


class ViewEndpoint:
    """
    The endpoint of one decorated view under the app-wide settings of the moment.

    Flask and Django read their app-wide settings on every request, so that a
    test can swap them; this re-resolves the endpoint only when one of them
    is a different object from the last request's.
    """

    __slots__ = ("_cached", "_endpoint")

    def __init__(self, endpoint: Endpoint) -> None:
        self._endpoint = endpoint  # checks the view's own options when decorating
        self._cached: tuple[tuple[object, ...], Endpoint] | None = None

    def get(
        self,
        values: tuple[object, ...],
        label: Callable[[str], str],
        load: Callable[[str, object], object] | None = None,
    ) -> Endpoint:
        """
        Return the endpoint under the app-wide settings *values* (one per name in
        `OPTIONS`, `UNSET` where the app sets none).

        *load* turns a raw value into the option, given its name (Django's
        dotted paths); it runs only when a setting changed.

        Raises:
            ConfigurationError: a setting has the wrong type or value.
        """
        cached = self._cached
        if cached is not None and (
            cached[0] is values or all(map(operator.is_, cached[0], values))
        ):
            return cached[1]
        raw = {
            name: value if load is None else load(name, value)
            for name, value in zip(OPTIONS, values, strict=True)
            if value is not UNSET
        }
        endpoint = self._endpoint.inherit(settings_options(raw, label))
        self._cached = (values, endpoint)
        return endpoint
