"""
The hooksig pytest plugin: ``hooksig_*`` fixtures for testing your webhook handlers.

pytest loads it on its own once hooksig is installed (through the
``pytest11`` entry point), so there is nothing to configure; turn it off
with ``-p no:hooksig``.  The fixtures:

``hooksig_clock``
    A :class:`~hooksig.testing.FrozenClock`, frozen at the current second:
    ``Verifier(clock=hooksig_clock)``, then ``hooksig_clock.advance(301)``.
``hooksig_signer``
    A factory: ``hooksig_signer("stripe", secret=...)`` returns a
    :class:`~hooksig.testing.Signer` whose timestamps come from ``hooksig_clock``.
``hooksig_store``
    A fresh :class:`~hooksig.idempotency.MemoryStore` on ``hooksig_clock``,
    so leases and retention expire only when you advance the clock.
``hooksig_guard``
    An :class:`~hooksig.idempotency.Idempotency` guard on ``hooksig_store``.
``hooksig_client``
    A factory: ``hooksig_client(app)`` returns a
    :class:`~hooksig.testing.WebhookClient` that posts signed deliveries to a
    Flask, Django, FastAPI, Starlette, ASGI or WSGI application.

::

    def test_paid_invoice(hooksig_client):
        response = hooksig_client(app).send("stripe", {"type": "invoice.paid"}, path="/hooks")
        assert response.status_code == 200

Loading the plugin imports neither Hypothesis nor any web framework: each
framework is imported when the client first meets one of its applications.

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

import pytest

from ..idempotency import Idempotency, MemoryStore
from ..keys import SecretLike
from ..verifier import Verifier
from ._client import WebhookClient
from ._clock import FrozenClock
from ._signing import Signer

__all__ = [
    "ClientFactory",
    "SignerFactory",
    "hooksig_client",
    "hooksig_clock",
    "hooksig_guard",
    "hooksig_signer",
    "hooksig_store",
]


class SignerFactory(Protocol):
    """
    The type of the ``hooksig_signer`` fixture, for annotating your tests.

    .. versionadded:: 0.1
    """

    def __call__(
        self,
        scheme: str,
        *,
        secret: SecretLike | None = ...,
        signing_key: object | None = ...,
        verifier: Verifier | None = ...,
        url: str | None = ...,
        **options: Any,
    ) -> Signer:
        """
        Return a :class:`~hooksig.testing.Signer` for *scheme* on the test's clock.

        The arguments are those of :class:`~hooksig.testing.Signer`; the
        clock is ``hooksig_clock`` unless you pass a *verifier* (whose own
        clock then counts) or ``clock=``.
        """


class ClientFactory(Protocol):
    """
    The type of the ``hooksig_client`` fixture, for annotating your tests.

    .. versionadded:: 0.1
    """

    def __call__(self, app: object) -> WebhookClient:
        """Return a :class:`~hooksig.testing.WebhookClient` for *app*, closed after the test."""


@pytest.fixture
def hooksig_clock() -> FrozenClock:
    """
    A clock frozen at the current second; ``.now``, ``.advance(seconds)``, and callable.

    Pass it as ``Verifier(clock=hooksig_clock)``: deliveries stamped by
    ``hooksig_signer`` are then fresh until you advance it past the tolerance.

    .. versionadded:: 0.1
    """
    return FrozenClock()


@pytest.fixture
def hooksig_signer(hooksig_clock: FrozenClock) -> SignerFactory:
    """
    Make a :class:`~hooksig.testing.Signer`: ``hooksig_signer("github", secret=...)``.

    Its timestamps come from ``hooksig_clock``; its ``.verifier`` signs and
    verifies on that clock.

    .. versionadded:: 0.1
    """

    def make(scheme: str, **kwargs: Any) -> Signer:
        """A Signer for *scheme* on the test's clock, unless a verifier is given."""
        if kwargs.get("verifier") is None:
            kwargs.setdefault("clock", hooksig_clock)
        return Signer(scheme, **kwargs)

    return make


@pytest.fixture
def hooksig_store(hooksig_clock: FrozenClock) -> MemoryStore:
    """
    A fresh in-memory idempotency store whose leases follow ``hooksig_clock``.

    .. versionadded:: 0.1
    """
    return MemoryStore(clock=hooksig_clock)


@pytest.fixture
def hooksig_guard(hooksig_store: MemoryStore) -> Idempotency:
    """
    An idempotency guard on ``hooksig_store``, with the default lease and retention.

    .. versionadded:: 0.1
    """
    return Idempotency(hooksig_store)


@pytest.fixture
def hooksig_client(hooksig_signer: SignerFactory) -> Iterator[ClientFactory]:
    """
    Make a :class:`~hooksig.testing.WebhookClient` for an application: ``hooksig_client(app)``.

    ``.send(scheme, body, path=...)`` signs with ``hooksig_signer`` (so on
    ``hooksig_clock``) and posts; ``.post(delivery)`` posts a delivery you
    made.  Clients are closed when the test ends.

    .. versionadded:: 0.1
    """
    clients: list[WebhookClient] = []

    def make(app: object) -> WebhookClient:
        """A WebhookClient for *app* on the test's signer, closed after the test."""
        client = WebhookClient(app, signer=hooksig_signer)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
