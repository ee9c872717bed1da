"""
Keys obtained at run time: a :class:`KeySource`, the :class:`UrlRule` it fetches under.

Some providers sign with keys you do not configure: a certificate whose URL
comes with the delivery (AWS SNS, PayPal), a key set at a fixed address
(Google, Microsoft), a key API (Plaid).  Their schemes ask a
:class:`KeySource` for the keys.  It refuses any URL that breaks the
provider's rule before a request leaves, fetches with the standard library
(HTTPS only, no redirects, a deadline, a size cap) or with the callable you
give it, and caches what it read.  Give it ``documents=`` and ``fetch=None``
to run with no network at all.

.. versionadded:: 0.1
"""

from __future__ import annotations

from ._https import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, HttpsFetch, KeyRequest
from ._rules import UrlRule
from ._source import AsyncFetch, Fetch, KeySource, Loader

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "AsyncFetch",
    "Fetch",
    "HttpsFetch",
    "KeyRequest",
    "KeySource",
    "Loader",
    "UrlRule",
]
