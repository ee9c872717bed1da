"""
Framework adapters, thin layers over one shared outcome table.

Each adapter reads the raw body under the verifier's size limit, verifies
it, answers handshakes, claims the delivery id, runs your handler, and maps
every failure through :class:`Outcomes`:

- ``hooksig.integrations.flask``: ``@webhook`` and the ``HookSig`` extension
- ``hooksig.integrations.django``: ``@webhook_view`` and ``WebhookMiddleware``
- ``hooksig.integrations.fastapi``: the ``VerifiedDelivery`` dependency
- ``hooksig.integrations.asgi`` and ``hooksig.integrations.wsgi``: ``WebhookMiddleware``

Importing this package imports no framework; each adapter module imports
only its own.

.. versionadded:: 0.1
"""

from __future__ import annotations

from ._endpoint import Endpoint as Endpoint
from ._outcomes import Answer as Answer
from ._outcomes import Outcomes as Outcomes

__all__ = ["Answer", "Endpoint", "Outcomes"]

for _obj in (Answer, Endpoint, Outcomes):
    _obj.__module__ = __name__
del _obj
