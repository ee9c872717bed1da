"""
Recovery by polling: run the events the guard has never seen through the same handler.

A receiver that was down past a provider's retries has missed events for
good, unless it asks.  The reconciler lists the provider's events since a
time and claims each one in the receiver's own idempotency guard: an event
the receiver handled is a duplicate and is skipped; one it never saw runs
the handler, as a :class:`~hooksig.FetchedEvent`, under the same claim a
signed delivery would take, so the two can never both run it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from .._primitives.redact import describe
from ..errors import ConfigurationError, DuplicateDelivery, ProviderApiError, StoreUnavailable
from ..fetched import FetchedEvent
from ..idempotency import Idempotency, storage_key
from ..journal import Journal
from ._source import EventRef, Source

__all__ = ["Reconciler", "Report"]

_log = logging.getLogger("hooksig.reconcile")


class _Redelivered(Exception):
    """Leaves the claim released: the provider's new delivery will take it."""


@dataclass
class Report:
    """
    What one reconciliation did.

    Attributes:
        listed: events the provider listed in the window.
        handled: ids of the events the handler ran for, and returned.
        seen: events the receiver (or an earlier run) had already handled.
        in_progress: events being handled elsewhere right now.
        redelivered: ids of the events the provider was asked to deliver again.
        failed: ``(id, "Type: message")`` of the events whose handler raised
            (or whose fetch failed); their claims are released, so the next
            run tries them again.

    .. versionadded:: 0.1
    """

    listed: int = 0
    handled: list[str] = field(default_factory=list)
    seen: int = 0
    in_progress: int = 0
    redelivered: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """
        Return the report as a JSON-ready dict.

        .. versionadded:: 0.1
        """
        return {
            "listed": self.listed,
            "handled": list(self.handled),
            "seen": self.seen,
            "in_progress": self.in_progress,
            "redelivered": list(self.redelivered),
            "failed": [{"id": ident, "error": error} for ident, error in self.failed],
        }


class Reconciler:
    """
    Run the events a receiver missed through its handler, at most once each.

    ::

        reconciler = Reconciler(StripeSource(os.environ["STRIPE_API_KEY"]), handle, guard)
        report = reconciler.run(since=time.time() - 3 * 24 * 3600)

    Args:
        source: the provider's API (:class:`StripeSource`, :class:`GitHubSource`,
            :class:`SvixSource`, or a :class:`Source` of your own).
        handler: the receiver's handler; it gets a :class:`~hooksig.FetchedEvent`.
        idempotency: the receiver's guard, on the store the receiver uses.
        journal: a journal that keeps each run's outcome, as the receiver's does.
        key: the idempotency key of an event, if the receiver's adapter uses
            a ``key=`` of its own; by default ``"{scheme}:{id}"``, as the guard's.
        max_events: the most events one run lists.

    Raises:
        ConfigurationError: an argument has the wrong type.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        source: Source,
        handler: Callable[[FetchedEvent], Any],
        idempotency: Idempotency,
        *,
        journal: Journal | None = None,
        key: Callable[[FetchedEvent], str] | None = None,
        max_events: int = 100_000,
    ) -> None:
        if not isinstance(source, Source):
            raise ConfigurationError("source must implement hooksig.reconcile.Source")
        if not callable(handler):
            raise ConfigurationError("handler must be callable")
        if not isinstance(idempotency, Idempotency):
            raise ConfigurationError("idempotency must be the receiver's Idempotency guard")
        if journal is not None and not isinstance(journal, Journal):
            raise ConfigurationError("journal must be a hooksig.journal.Journal")
        if isinstance(max_events, bool) or not isinstance(max_events, int) or max_events < 1:
            raise ConfigurationError("max_events must be a positive whole number")
        self.source = source
        self.handler = handler
        self.idempotency = idempotency
        self.journal = journal
        self._key = key
        self._max = max_events

    def run(
        self,
        since: float,
        until: float | None = None,
        *,
        redeliver: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> Report:
        """
        Reconcile the events created from *since* to *until* (Unix seconds).

        Each unseen event runs the handler here; with *redeliver*, a source
        that can (GitHub, Svix with an endpoint) is asked to deliver it again
        instead, signed, to your endpoint.

        Raises:
            ProviderApiError: the listing failed (events already handled stay handled).
            StoreUnavailable: the guard's store cannot be reached.

        .. versionadded:: 0.1
        """
        if not since < (clock() if until is None else until):
            raise ConfigurationError("since must be before until (and before now)")
        report = Report()
        for ref in self.source.events(since, until):
            report.listed += 1
            if report.listed > self._max:
                _log.warning("reconciliation stopped after max_events=%d events", self._max)
                report.listed -= 1
                break
            self._one(ref, redeliver, report)
        return report

    def _one(self, ref: EventRef, redeliver: bool, report: Report) -> None:
        event = ref.event
        key: str | None = None
        try:
            if self._key is None:
                key = storage_key(SimpleNamespace(scheme=self.source.scheme, id=ref.id))
            else:
                event = event or self.source.fetch(ref)
                key = self._key(event)
            with self.idempotency.claim(key):
                if redeliver and self.source.redeliver(ref):
                    raise _Redelivered
                event = event or self.source.fetch(ref)
                self.handler(event)
        except DuplicateDelivery as duplicate:
            if duplicate.state == "done":
                report.seen += 1
            else:
                report.in_progress += 1
            return
        except _Redelivered:
            report.redelivered.append(ref.id)
            return
        except ProviderApiError as error:  # this event's fetch or redelivery: try the next
            report.failed.append((ref.id, describe(error)))
            return
        except StoreUnavailable:
            raise
        except Exception as error:  # the handler's: its claim is released
            report.failed.append((ref.id, describe(error)))
            if self.journal is not None and event is not None:
                self.journal.record(event, outcome="failed", key=key, error=error)
            return
        report.handled.append(ref.id)
        if self.journal is not None:
            self.journal.record(event, outcome="handled", key=key)
