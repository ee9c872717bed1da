"""
The ``redis`` driver, imported on first use: the ``redis`` extra.
"""

from __future__ import annotations

from typing import Any

from ..errors import ExtraNotInstalled

__all__ = ["import_redis"]


def import_redis() -> Any:
    """
    Return the ``redis`` module with the submodules hooksig uses, or say how to install it.
    """
    try:
        import redis
        import redis.asyncio
        import redis.asyncio.retry
        import redis.backoff
        import redis.retry
    except ImportError as error:
        raise ExtraNotInstalled("redis", "redis") from error
    return redis
