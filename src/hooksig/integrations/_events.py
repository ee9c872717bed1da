"""
What an adapter tells the world about each request: one log record and one :class:`Event`.

Every answer an adapter gives, accepted or not, ends here: a structured
record on the ``hooksig.integrations`` logger and, when configured, a call of
your ``on_outcome`` hook.  Both carry the same facts (endpoint, scheme,
delivery id, outcome, reason, status, duration) and never a secret, a
signature or the body.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..delivery import Delivery

__all__ = ["LEVELS", "Event", "OnOutcome", "emit", "log", "printable_id"]

#: Where every adapter logs; configure the ``"hooksig"`` logger to see it.
log = logging.getLogger("hooksig.integrations")
# A library only emits records; where they go is the application's choice.
logging.getLogger("hooksig").addHandler(logging.NullHandler())

#: The level each outcome is logged at; any other outcome is a WARNING.
LEVELS = {
    "accepted": logging.INFO,
    "handshake": logging.INFO,
    "challenge": logging.INFO,
    "head": logging.INFO,
    "duplicate": logging.INFO,
    "in_progress": logging.INFO,
    "unavailable": logging.ERROR,
    "failed": logging.ERROR,
}


@dataclass(frozen=True, slots=True)
class Event:
    """
    One answered webhook request, as every adapter reports it to ``on_outcome``.

    Attributes:
        endpoint: the route as declared (``"/hooks/github"``, or a template
            such as ``"/hooks/{tenant}"``): a low-cardinality label.
        scheme: the registry name of the endpoint's scheme.
        delivery_id: the verified delivery id when it is short and printable,
            else ``None`` (never anything unverified).
        outcome: ``"accepted"`` (your handler answered below 500 and the claim
            was completed), ``"failed"`` (it raised or answered 5xx and the
            claim was released), ``"handshake"``, ``"challenge"`` (an
            unsigned endpoint check answered), ``"head"``, or a row of
            :class:`~hooksig.integrations.Outcomes`: ``"invalid"``,
            ``"too_large"``, ``"duplicate"``, ``"in_progress"``,
            ``"unavailable"``, ``"bad_request"``, ``"length_required"``,
            ``"timeout"``, ``"method_not_allowed"``, and before the body is
            read ``"not_allowed"``, ``"insecure"``, ``"rate_limited"``.
        reason: a stable code saying why (``"no_match"``, ``"too_old"``,
            ``"done"``, ``"store_unavailable"``, ``"server_error"``...); for
            ``"accepted"``, ``None``, or why the claim could not be completed.
        status: the HTTP status answered; for a handler that raised, 500
            (what the framework answers unless you handle the exception).
        duration: seconds from the start of the request to the answer.

    .. versionadded:: 0.1
    """

    endpoint: str
    scheme: str
    delivery_id: str | None
    outcome: str
    reason: str | None
    status: int
    duration: float


#: The ``on_outcome`` hook: called once per answered request with its :class:`Event`.
OnOutcome = Callable[[Event], object]


def printable_id(delivery: Delivery | None) -> str | None:
    """
    Return the id of *delivery* if it is fit for a log line and a metric, else ``None``.
    """
    if delivery is None:
        return None
    ident = delivery.id
    if ident is not None and not (len(ident) <= 200 and ident.isprintable()):
        return None  # authentic, but not fit for a log line
    return ident


def emit(
    hook: OnOutcome | None,
    endpoint: str,
    scheme: str,
    delivery: Delivery | None,
    outcome: str,
    reason: str | None,
    status: int,
    started: float,
    header: str | None = None,
    client: str | None = None,
) -> None:
    """
    Log one request's outcome and call *hook* with its :class:`Event`.

    The hook runs after the record is written; an exception it raises is
    logged and swallowed, so it can never change the answer.
    """
    level = LEVELS.get(outcome, logging.WARNING)
    logged = log.isEnabledFor(level)
    if hook is None and not logged:
        return  # the common case under load: nothing to build
    ident = printable_id(delivery)
    duration = time.perf_counter() - started
    if logged:
        log.log(
            level,
            "webhook %s %s: %s (%s), status %d",
            endpoint,
            scheme,
            outcome,
            reason,
            status,
            extra={
                "hooksig_endpoint": endpoint,
                "hooksig_scheme": scheme,
                "hooksig_delivery_id": ident,
                "hooksig_outcome": outcome,
                "hooksig_reason": reason,
                "hooksig_header": header,
                "hooksig_client": client,
                "hooksig_status": status,
                "hooksig_duration": duration,
            },
        )
    if hook is not None:  # the Event only for a hook to take it
        try:
            hook(Event(endpoint, scheme, ident, outcome, reason, status, duration))
        except Exception:
            log.exception(
                "webhook %s: the on_outcome hook raised; the answer is unchanged", endpoint
            )
