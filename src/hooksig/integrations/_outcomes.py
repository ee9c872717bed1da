"""
The one outcome table, and the request steps every framework adapter shares.

An adapter only translates: it hands :class:`Endpoint` the raw body and the
headers, and turns the :class:`Answer` it gets back into its framework's
response.  Which status answers which failure, what the log records, and how
a claim wraps the handler are decided here, once, for every adapter.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, NamedTuple

from .._primitives.headers import HeadersInput
from ..delivery import Delivery
from ..errors import (
    ConfigurationError,
    DuplicateDelivery,
    KeyUnavailable,
    PayloadTooLarge,
    StoreUnavailable,
    VerificationError,
)
from ..verifier import Verifier

if TYPE_CHECKING:
    from ..scheme.handshake import HandshakeResponse
from ._reading import Refused

__all__ = [
    "ANSWERED",
    "Answer",
    "Outcomes",
    "challenge",
    "handshake",
    "log",
    "outcome_of",
    "refuse",
]

#: Where every adapter logs; configure the ``"hooksig"`` logger to see it.
log = logging.getLogger("hooksig.integrations")
# A library only emits records; where they go is the application's choice.
logging.getLogger("hooksig").addHandler(logging.NullHandler())

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
}
_LEVELS = {"duplicate": logging.INFO, "in_progress": logging.INFO, "unavailable": logging.ERROR}
_RETRY = frozenset({"in_progress", "unavailable"})
# After these the rest of the body is unread: the connection must not be reused.
_CLOSE = frozenset({"too_large", "timeout", "bad_request", "length_required"})


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
    retry_after: int | None = 30

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "retry_after":
                if value is not None and (type(value) is not int or value < 0):
                    raise ConfigurationError("retry_after must be None or whole seconds >= 0")
            elif type(value) is not int or not 100 <= value <= 599:
                raise ConfigurationError(f"{item.name} must be an HTTP status code")

    def answer(self, outcome: str) -> Answer:
        """
        Return the :class:`Answer` for *outcome* (a field name of this table).

        .. versionadded:: 0.1
        """
        headers = [("Content-Type", "text/plain; charset=utf-8")]
        if outcome in _RETRY and self.retry_after is not None:
            headers.append(("Retry-After", str(self.retry_after)))
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
    if isinstance(error, KeyUnavailable):
        return "unavailable", error.reason  # authenticity unknown yet: the retry decides
    if isinstance(error, VerificationError):
        return "invalid", error.reason
    if isinstance(error, PayloadTooLarge):
        return "too_large", "body_too_large"
    if isinstance(error, DuplicateDelivery):
        return ("duplicate" if error.state == "done" else "in_progress"), error.state
    if isinstance(error, StoreUnavailable):
        return "unavailable", "store_unavailable"
    if isinstance(error, Refused):
        return error.outcome, error.reason
    raise TypeError(f"no outcome for {type(error).__name__}")


#: The errors :meth:`Endpoint.refuse` answers; anything else is a bug and propagates.
ANSWERED = (VerificationError, PayloadTooLarge, DuplicateDelivery, StoreUnavailable, Refused)


def refuse(
    error: BaseException,
    outcomes: Outcomes,
    *,
    scheme: str,
    delivery: Delivery | None = None,
    path: str | None = None,
) -> Answer:
    """
    Log *error* as a structured record and return its :class:`Answer`.

    The record's extra fields (``hooksig_outcome``, ``hooksig_reason``,
    ``hooksig_scheme``, ``hooksig_header``, ``hooksig_status``,
    ``hooksig_path``, ``hooksig_delivery_id``) never hold the secret, a
    signature or the body; the answer says nothing that helps an attacker.
    """
    outcome, reason = outcome_of(error)
    answer = outcomes.answer(outcome)
    ident = None if delivery is None else delivery.id
    if ident is not None and not (len(ident) <= 200 and ident.isprintable()):
        ident = None  # authentic, but not fit for a log line
    log.log(
        _LEVELS.get(outcome, logging.WARNING),
        "webhook %s: %s (%s, status %d)",
        "duplicate" if outcome in ("duplicate", "in_progress") else "refused",
        outcome,
        reason,
        answer.status,
        extra={
            "hooksig_outcome": outcome,
            "hooksig_reason": reason,
            "hooksig_scheme": getattr(error, "scheme", None) or scheme,
            "hooksig_header": getattr(error, "header", None),
            "hooksig_status": answer.status,
            "hooksig_path": path,
            "hooksig_delivery_id": ident,
        },
    )
    return answer


# ---------------------------------------------------------------------------
# Provider handshakes (Slack url_verification, Discord PING, Zoom, Twitch):
# every adapter calls this one function, after verification and before the
# claim; the recipe itself belongs to the scheme (Verifier.handshake).
# ---------------------------------------------------------------------------
def handshake(
    verifier: Verifier, delivery: Delivery, reply: HandshakeResponse | None
) -> Answer | None:
    """
    Return the answer to a provider handshake, or ``None`` for an ordinary delivery.

    *reply* is what :meth:`hooksig.Verifier.handshake` (or its async form)
    returned for *delivery*, the delivery *verifier* just verified, so
    nothing unsigned is ever answered; the handler does not run for a handshake.

    .. versionadded:: 0.1
    """
    if reply is None:
        return None
    log.info(
        "webhook handshake answered",
        extra={"hooksig_outcome": "handshake", "hooksig_scheme": delivery.scheme},
    )
    return Answer(reply.status, reply.body, tuple(reply.headers.items()))


def challenge(
    verifier: Verifier, method: str, body: bytes, headers: HeadersInput, path: str
) -> Answer | None:
    """
    Return the answer to an unsigned endpoint check, or ``None`` to verify as usual.

    Called with the request as read, before verification: the scheme's
    challenge (:meth:`hooksig.Verifier.challenge`) answers only under its
    provider's rule; the handler never runs for a challenge.

    .. versionadded:: 0.1
    """
    reply = verifier.challenge(body, headers, method=method, path=path)
    if reply is None:
        return None
    log.info(
        "webhook challenge answered",
        extra={"hooksig_outcome": "challenge", "hooksig_scheme": verifier.scheme.name},
    )
    return Answer(reply.status, reply.body, tuple(reply.headers.items()))
