"""
Framework adapters, thin layers over one shared outcome table.

Each adapter reads the raw body under the verifier's size limit, verifies
it, answers handshakes, claims the delivery id, runs your handler, settles
the claim by its answer, and reports every outcome (a log record, and your
``on_outcome`` hook):

- ``hooksig.integrations.flask``: ``@webhook`` and the ``HookSig`` extension
- ``hooksig.integrations.django``: ``@webhook_view`` and ``HookSigMiddleware``
- ``hooksig.integrations.fastapi``: ``WebhookRoute`` and ``VerifiedDelivery``
- ``hooksig.integrations.asgi`` and ``hooksig.integrations.wsgi``: ``WebhookMiddleware``

Every adapter takes the same options (``idempotency``, ``outcomes``, ``key``,
``read_timeout``, ``on_outcome``) with the same meaning: left :data:`UNSET`,
the app-wide setting where the adapter has one, else the default; ``None``
turns the option off.  Importing this package imports no framework; each
adapter module imports only its own.

.. versionadded:: 0.1
"""

from __future__ import annotations

from ._endpoint import UNSET as UNSET
from ._endpoint import Endpoint as Endpoint
from ._events import Event as Event
from ._outcomes import Answer as Answer
from ._outcomes import Outcomes as Outcomes

__all__ = ["UNSET", "Answer", "Endpoint", "Event", "Outcomes"]

for _obj in (Answer, Endpoint, Event, Outcomes):
    _obj.__module__ = __name__
del _obj
