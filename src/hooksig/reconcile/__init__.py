"""
Recovery by polling: fetch the events a receiver missed from the provider's API; handle each once.

Providers stop retrying after a while (Stripe after three days, GitHub
keeps three days of deliveries); an event whose retries ran out while the
receiver was down is gone unless you fetch it.  :class:`Reconciler` lists a
:class:`Source`'s events since a time and runs those the receiver's guard
has never seen through the same handler, each as a
:class:`~hooksig.FetchedEvent`: authenticated by the API call, not by a
signature.  Sources: :class:`StripeSource` (Events API),
:class:`GitHubSource` (hook deliveries API, with redelivery) and
:class:`SvixSource` (message API, with resend and recover).  The HTTP
client is the standard library's.  Run it once with ``hooksig reconcile``,
or on a schedule (see the docs).

.. versionadded:: 0.1
"""

from __future__ import annotations

from ._reconciler import Reconciler as Reconciler
from ._reconciler import Report as Report
from ._source import EventRef as EventRef
from ._source import Source as Source
from .github import GitHubSource as GitHubSource
from .stripe import StripeSource as StripeSource
from .svix import SvixSource as SvixSource

__all__ = [
    "EventRef",
    "GitHubSource",
    "Reconciler",
    "Report",
    "Source",
    "StripeSource",
    "SvixSource",
]

for _obj in (EventRef, GitHubSource, Reconciler, Report, Source, StripeSource, SvixSource):
    _obj.__module__ = __name__
del _obj
