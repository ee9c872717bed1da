"""
Test your own webhook handlers: signed deliveries for any registered scheme.

Sign a delivery as the provider would, then hand it to your handler or to
a verifier::

    >>> from hooksig.testing import Signer, FrozenClock
    >>> signer = Signer("github", clock=FrozenClock(1_700_000_000))
    >>> delivery = signer.delivery(b'{"zen": "hi"}', id="d-1")
    >>> sorted(delivery.headers)
    ['X-GitHub-Delivery', 'X-Hub-Signature-256']
    >>> delivery.verify().id
    'd-1'

What is here:

- :class:`Signer` signs deliveries as a provider would, and each
  :class:`SignedDelivery` it makes holds the body, the headers, the URL
  where the scheme signs it and the verifier that accepts it, with the
  timestamp, id and key you choose.  Public-key schemes get a fresh key
  pair (the ``crypto`` extra); schemes that sign the URL get
  :data:`TEST_URL` or the request path you give.  :func:`sample_body`
  makes a plausible body for any scheme.
- :class:`FrozenClock` is a clock for ``Verifier(clock=...)`` that moves
  only when you say.
- :class:`WebhookClient` posts deliveries to a Flask, Django, FastAPI,
  Starlette, ASGI or WSGI application through its framework's test client.
- :func:`equivalent_bodies` says when a provider signs two bodies the same.
- :mod:`hooksig.testing.strategies` holds Hypothesis strategies (the
  ``hypothesis`` extra), and :mod:`hooksig.testing.pytest_plugin` the
  ``hooksig_*`` pytest fixtures, loaded automatically once hooksig is installed.

Importing this package imports neither Hypothesis, pytest nor any web
framework.  Nothing here is part of the verification path.

.. versionadded:: 0.1
"""

from __future__ import annotations

from ._bodies import Payload as Payload
from ._bodies import equivalent_bodies as equivalent_bodies
from ._bodies import sample_body as sample_body
from ._client import WebhookClient as WebhookClient
from ._clock import FrozenClock as FrozenClock
from ._keys import TEST_SECRET as TEST_SECRET
from ._signing import TEST_NOW as TEST_NOW
from ._signing import TEST_URL as TEST_URL
from ._signing import SignedDelivery as SignedDelivery
from ._signing import Signer as Signer

__all__ = [
    "TEST_NOW",
    "TEST_SECRET",
    "TEST_URL",
    "FrozenClock",
    "Payload",
    "SignedDelivery",
    "Signer",
    "WebhookClient",
    "equivalent_bodies",
    "sample_body",
]

for _obj in (FrozenClock, SignedDelivery, Signer, WebhookClient):
    _obj.__module__ = __name__
del _obj
