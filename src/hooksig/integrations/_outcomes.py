"""
The one outcome table: which status answers which failure, in every adapter.

An adapter only translates: it hands :class:`~hooksig.integrations.Endpoint`
the raw body and the headers, and turns the :class:`Answer` it gets back into
its framework's response.  The statuses live here, once.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

from ..errors import (
    ConfigurationError,
    DuplicateDelivery,
    InsecureTransport,
    KeyUnavailable,
    PayloadTooLarge,
    RateLimited,
    RequestRefused,
    StoreUnavailable,
    VerificationError,
)
from ._reading import Refused

__all__ = ["ANSWERED", "DEFAULT_OUTCOMES", "Answer", "Outcomes", "outcome_of"]

# The body of each answer: short, and of no help to an attacker.
_TEXT: dict[str, bytes] = {
    "invalid": b"forbidden",
    "too_large": b"payload too large",
    "duplicate": b"already handled",
    "in_progress": b"in progress, retry later",
    "unavailable": b"temporarily unavailable, retry later",
    "bad_request": b"bad request",
    "length_required": b"length required",
    "timeout": b"request timeout",
    "method_not_allowed": b"method not allowed",
    "head": b"",
    "not_allowed": b"forbidden",
    "insecure": b"forbidden",
    "rate_limited": b"too many requests, retry later",
}
_RETRY = frozenset({"in_progress", "unavailable"})
# After these the rest of the body is unread: the connection must not be reused.
_CLOSE = frozenset(
    {"too_large", "timeout", "bad_request", "length_required", "not_allowed", "insecure",
     "rate_limited"}
)  # fmt: skip


class Answer(NamedTuple):
    """
    A framework-neutral response: status, body and headers.

    Attributes:
        close: the request body was left unread, so an adapter that can
            (ASGI) asks the server to close the connection.

    .. versionadded:: 0.1
    """

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]
    close: bool = False


@dataclass(frozen=True, kw_only=True)
class Outcomes:
    """
    The status code each outcome is answered with: one table for every adapter.

    Pass one to any adapter (``outcomes=``) to change an answer everywhere it
    applies; the defaults are the DESIGN's.

    Args:
        invalid: the delivery is not authentic or not fresh.  The answer never
            says why; the log does.
        too_large: the body is over ``Verifier.max_body_size``.
        duplicate: the delivery was already handled: a 2xx, so the provider stops retrying.
        in_progress: another worker is handling it: a non-2xx, so the provider retries later.
        unavailable: the idempotency store cannot be reached, or a key the
            delivery needs cannot be fetched (:class:`~hooksig.KeyUnavailable`):
            a non-2xx, so the provider retries later.
        bad_request: an unreadable ``Content-Length``, or a client that vanished.
        length_required: a chunked body on a WSGI server that does not terminate it.
        timeout: the client stalled while sending the body (ASGI, and WSGI
            where the server lets hooksig time the read).
        method_not_allowed: any method but ``POST`` and ``HEAD`` (and the
            ``GET`` or ``OPTIONS`` of a configured endpoint challenge).
        head: ``HEAD``, which some providers send to check that the URL exists.
        not_allowed: the client address is outside the endpoint's allowlist
            (``allowlist=``); answered before the body is read.
        insecure: the request did not come over HTTPS (``https_only=True``).
        rate_limited: over the endpoint's rate or in-flight limit
            (``rate_limit=``), with ``Retry-After`` from the limiter: the
            provider retries then.
        retry_after: seconds sent in ``Retry-After`` with *in_progress* and
            *unavailable*; ``None`` sends none.

    Raises:
        ConfigurationError: a status is not an HTTP status code.

    .. versionadded:: 0.1
    """

    invalid: int = 403
    too_large: int = 413
    duplicate: int = 200
    in_progress: int = 409
    unavailable: int = 503
    bad_request: int = 400
    length_required: int = 411
    timeout: int = 408
    method_not_allowed: int = 405
    head: int = 200
    not_allowed: int = 403
    insecure: int = 403
    rate_limited: int = 429
    retry_after: int | None = 30

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "retry_after":
                if value is not None and (type(value) is not int or value < 0):
                    raise ConfigurationError("retry_after must be None or whole seconds >= 0")
            elif type(value) is not int or not 100 <= value <= 599:
                raise ConfigurationError(f"{item.name} must be an HTTP status code")

    def answer(self, outcome: str, *, retry_after: int | None = None) -> Answer:
        """
        Return the :class:`Answer` for *outcome* (a field name of this table).

        *retry_after* is the ``Retry-After`` of a *rate_limited* answer: the
        seconds the limiter asks for.

        .. versionadded:: 0.1
        """
        headers = [("Content-Type", "text/plain; charset=utf-8")]
        if outcome in _RETRY and self.retry_after is not None:
            headers.append(("Retry-After", str(self.retry_after)))
        elif retry_after is not None:
            headers.append(("Retry-After", str(retry_after)))
        if outcome == "method_not_allowed":
            headers.append(("Allow", "POST, HEAD"))
        return Answer(getattr(self, outcome), _TEXT[outcome], tuple(headers), outcome in _CLOSE)


DEFAULT_OUTCOMES = Outcomes()


def outcome_of(error: BaseException) -> tuple[str, str]:
    """
    Return ``(outcome, reason code)`` for an error raised while handling a delivery.

    Raises:
        TypeError: *error* is not one the outcome table answers.
    """
    if isinstance(error, (KeyUnavailable, StoreUnavailable)):
        # A key that cannot be fetched leaves authenticity unknown: the retry decides.
        reason = error.reason if isinstance(error, KeyUnavailable) else "store_unavailable"
        return "unavailable", reason
    if isinstance(error, VerificationError):
        return "invalid", error.reason
    if isinstance(error, PayloadTooLarge):
        return "too_large", "body_too_large"
    if isinstance(error, DuplicateDelivery):
        return ("duplicate" if error.state == "done" else "in_progress"), error.state
    if isinstance(error, Refused):
        return error.outcome, error.reason
    if isinstance(error, RequestRefused):
        return _REFUSED.get(type(error), "not_allowed"), error.reason
    raise TypeError(f"no outcome for {type(error).__name__}")


# Refusals before the body is read, by type (SourceNotAllowed: "not_allowed").
_REFUSED = {RateLimited: "rate_limited", InsecureTransport: "insecure"}


#: The errors :meth:`Endpoint.refuse` answers; anything else is a bug and propagates.
ANSWERED = (
    VerificationError,
    PayloadTooLarge,
    DuplicateDelivery,
    StoreUnavailable,
    Refused,
    RequestRefused,
)
