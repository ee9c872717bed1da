"""
One webhook endpoint: the request steps every adapter runs, in order.

Method, body limit, challenge, verification, handshake, claim, handler: an
adapter reads the request, calls these steps, and sends back what they return.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar
from urllib.parse import quote

from .._primitives.headers import HeadersInput
from ..delivery import Delivery
from ..errors import ConfigurationError, DuplicateDelivery, StoreUnavailable
from ..idempotency import Idempotency
from ..verifier import Verifier
from ._outcomes import DEFAULT_OUTCOMES, Answer, Outcomes, challenge, handshake, log, refuse

__all__ = ["Endpoint", "asgi_target", "endpoints", "wsgi_target"]

T = TypeVar("T")


#: The methods an endpoint challenge may use besides POST (Meta's GET, CloudEvents' OPTIONS).
_CHALLENGE_METHODS = frozenset({"GET", "OPTIONS"})


def _verified(delivery: Delivery) -> None:
    log.debug(
        "webhook verified",
        extra={"hooksig_scheme": delivery.scheme, "hooksig_key_id": delivery.key_id},
    )


class _Failed(Exception):
    def __init__(self, result: object) -> None:
        self.result = result


class Endpoint:
    """
    One webhook endpoint: what every adapter needs to verify and guard a delivery.

    The adapters build one from their arguments; build one yourself to give a
    route of :class:`hooksig.integrations.asgi.WebhookMiddleware` (or the WSGI
    one) its own guard or outcomes, or to write an adapter for another framework.

    Args:
        verifier: verifies each delivery and sets the body limit.
        idempotency: claims each delivery id around the handler; ``None`` runs
            the handler for every authentic delivery, duplicates included.
        outcomes: the status table; the defaults when ``None``.
        key: returns the idempotency key of a delivery whose scheme has no id;
            by default the guard keys on ``delivery.scheme`` and ``delivery.id``.

    Raises:
        ConfigurationError: an argument has the wrong type.

    .. versionadded:: 0.1
    """

    __slots__ = ("idempotency", "key", "outcomes", "verifier")

    def __init__(
        self,
        verifier: Verifier,
        idempotency: Idempotency | None = None,
        *,
        outcomes: Outcomes | None = None,
        key: Callable[[Delivery], str] | None = None,
    ) -> None:
        if not isinstance(verifier, Verifier):
            raise ConfigurationError("verifier must be a hooksig.Verifier")
        if idempotency is not None and not isinstance(idempotency, Idempotency):
            raise ConfigurationError("idempotency must be a hooksig.idempotency.Idempotency")
        if outcomes is not None and not isinstance(outcomes, Outcomes):
            raise ConfigurationError("outcomes must be a hooksig.integrations.Outcomes")
        if key is not None and not callable(key):
            raise ConfigurationError("key must be a callable taking a Delivery")
        self.verifier = verifier
        self.idempotency = idempotency
        self.outcomes = outcomes if outcomes is not None else DEFAULT_OUTCOMES
        self.key = key

    def __repr__(self) -> str:
        return f"Endpoint({self.verifier!r}, idempotency={self.idempotency!r})"

    @property
    def limit(self) -> int:
        """
        Body limit in bytes, taken from the verifier (``max_body_size``).

        .. versionadded:: 0.1
        """
        return self.verifier.max_body_size

    def method(self, method: str) -> Answer | None:
        """
        Return the answer for a method other than ``POST``, or ``None`` to go on.

        Where the scheme has an endpoint challenge, ``GET`` and ``OPTIONS``
        go on too: :meth:`challenge` answers them, or refuses them.

        .. versionadded:: 0.1
        """
        if method == "POST" or (method in _CHALLENGE_METHODS and self._challenged):
            return None
        return self.outcomes.answer("head" if method == "HEAD" else "method_not_allowed")

    @property
    def _challenged(self) -> bool:
        return getattr(self.verifier.scheme, "challenge", None) is not None

    def challenge(
        self, body: bytes, headers: HeadersInput, *, method: str, path: str
    ) -> Answer | None:
        """
        Return the answer to an unsigned endpoint check, or ``None`` to verify the delivery.

        Call it with the body read and before :meth:`verify`.  It answers a
        check that follows the provider's rule (Meta's ``hub.challenge``,
        Graph's ``validationToken``; see :meth:`hooksig.Verifier.challenge`),
        and refuses any other ``GET`` or ``OPTIONS`` as a method not allowed.

        .. versionadded:: 0.1
        """
        if not self._challenged:
            return None
        answer = challenge(self.verifier, method, body, headers, path)
        if answer is None and method != "POST":
            return self.outcomes.answer("method_not_allowed")
        return answer

    def verify(self, body: bytes, headers: HeadersInput, *, path: str) -> Delivery:
        """
        Verify the raw *body* and *headers*; raises what ``Verifier.verify`` raises.

        *path* is the request target as received (path and query string);
        the verifier joins it to its ``public_url`` for schemes that sign the
        URL.  The form fields such schemes sign are read from the raw body.

        .. versionadded:: 0.1
        """
        delivery = self.verifier.verify(body, headers, method="POST", path=path)
        _verified(delivery)
        return delivery

    async def verify_async(self, body: bytes, headers: HeadersInput, *, path: str) -> Delivery:
        """
        :meth:`verify` for an event loop: a key fetch is awaited (``Verifier.verify_async``).

        .. versionadded:: 0.1
        """
        delivery = await self.verifier.verify_async(body, headers, method="POST", path=path)
        _verified(delivery)
        return delivery

    def refuse(
        self, error: BaseException, *, delivery: Delivery | None = None, path: str | None = None
    ) -> Answer:
        """
        Log *error* and return its answer from this endpoint's outcome table.

        .. versionadded:: 0.1
        """
        return refuse(
            error, self.outcomes, scheme=self.verifier.scheme.name, delivery=delivery, path=path
        )

    def handshake(self, delivery: Delivery) -> Answer | None:
        """
        Return the answer to a provider handshake, or ``None`` for an ordinary delivery.

        .. versionadded:: 0.1
        """
        return handshake(self.verifier, delivery, self.verifier.handshake(delivery))

    async def handshake_async(self, delivery: Delivery) -> Answer | None:
        """
        :meth:`handshake` for an event loop: a handshake that makes a request awaits it.

        .. versionadded:: 0.1
        """
        return handshake(self.verifier, delivery, await self.verifier.handshake_async(delivery))

    def _claim_key(self, delivery: Delivery) -> str | Delivery:
        return delivery if self.key is None else self.key(delivery)

    def run(
        self, delivery: Delivery, call: Callable[[], T], failed: Callable[[T], bool] | None = None
    ) -> T | Answer:
        """
        Run *call* under a claim on *delivery*, or return the answer that stops it.

        When *failed* says the result is a failure (a 5xx), the claim is
        released rather than completed, so the provider's retry runs again.

        .. versionadded:: 0.1
        """
        guard = self.idempotency
        if guard is None:
            return call()
        try:
            with guard.claim(self._claim_key(delivery)):
                result = call()
                if failed is not None and failed(result):
                    raise _Failed(result)
        except _Failed as failure:
            return failure.result  # type: ignore[return-value]  # the T stored above
        except (DuplicateDelivery, StoreUnavailable) as error:
            return self.refuse(error, delivery=delivery)
        return result

    async def run_async(
        self,
        delivery: Delivery,
        call: Callable[[], Awaitable[T]],
        failed: Callable[[T], bool] | None = None,
    ) -> T | Answer:
        """
        Asyncio form of :meth:`run`.

        .. versionadded:: 0.1
        """
        guard = self.idempotency
        if guard is None:
            return await call()
        try:
            async with guard.claim_async(self._claim_key(delivery)):
                result = await call()
                if failed is not None and failed(result):
                    raise _Failed(result)
        except _Failed as failure:
            return failure.result  # type: ignore[return-value]  # the T stored above
        except (DuplicateDelivery, StoreUnavailable) as error:
            return self.refuse(error, delivery=delivery)
        return result


def endpoints(
    routes: Mapping[str, Verifier | Endpoint],
    idempotency: Idempotency | None,
    outcomes: Outcomes | None,
) -> dict[str, Endpoint]:
    """
    Return the routing table as endpoints: a bare verifier gets the shared guard and outcomes.

    .. versionadded:: 0.1
    """
    return {
        path: route
        if isinstance(route, Endpoint)
        else Endpoint(route, idempotency, outcomes=outcomes)
        for path, route in routes.items()
    }


def wsgi_target(environ: Mapping[str, object]) -> str:
    """
    Return the request target (path and query) of a WSGI request, as close to the wire as known.

    Servers that keep the raw target (gunicorn ``RAW_URI``, uWSGI
    ``REQUEST_URI``) are trusted for it; otherwise the decoded path is
    percent-encoded again.
    """
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if isinstance(raw, str) and raw.startswith("/"):
        return raw
    path = f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"
    target = quote(path.encode("latin-1", "replace"), safe="/:@!$&'()*+,;=-._~%")
    query = environ.get("QUERY_STRING")
    return f"{target}?{query}" if query else target


def asgi_target(scope: Mapping[str, object]) -> str:
    """
    Return the request target (path and query) of an ASGI request: ``raw_path`` when sent.
    """
    raw = scope.get("raw_path")
    path = str(scope.get("path", "/"))
    target = (
        raw.decode("latin-1")
        if isinstance(raw, bytes) and raw
        else quote(path.encode("utf-8"), safe="/:@!$&'()*+,;=-._~%")
    )
    query = scope.get("query_string")
    if isinstance(query, bytes):
        query = query.decode("latin-1")
    # Django's AsyncClient gives a str, as Django itself accepts.
    return f"{target}?{query}" if isinstance(query, str) and query else target
