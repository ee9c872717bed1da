"""
What the ``allowlist``, ``journal`` and ``reconcile`` commands point at: stores, a handler, a
time, an API token.

Anything that may hold a credential (a store URL with a password, an API
token) can come from an environment variable or a file instead of ``argv``;
an API token can only come from there.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import importlib
import inspect
import os
import re
import sys
import time
from collections.abc import Callable
from typing import Any

from ._io import UsageError, read_text

__all__ = ["guard", "handler", "journal", "journal_flags", "moment", "store_flags", "token"]

_AGO = re.compile(r"(\d{1,9})([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def moment(text: str, *, now: float | None = None) -> float:
    """
    Read a time: ``72h``, ``3d``, ``30m``, ``45s`` ago; an ISO 8601 date or time; or Unix seconds.
    """
    now = time.time() if now is None else now
    found = _AGO.fullmatch(text)
    if found:
        return now - int(found.group(1)) * _UNITS[found.group(2)]
    if re.fullmatch(r"\d{9,11}(\.\d+)?", text):
        return float(text)
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{text!r} is not a time: use 72h, 3d, an ISO 8601 time or Unix seconds"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.timestamp()


def _spec(args: argparse.Namespace, name: str, *, required: bool) -> str | None:
    value: str | None = getattr(args, name)
    variable: str | None = getattr(args, f"{name}_env")
    if value and variable:
        raise UsageError(f"give --{name} or --{name}-env, not both")
    if variable:
        value = os.environ.get(variable)
        if not value:
            raise UsageError(f"the environment variable {variable} is empty")
    if required and not value:
        raise UsageError(f"name the {name}: --{name} PATH or URL, or --{name}-env VAR")
    return value


def guard(args: argparse.Namespace) -> Any:
    """
    The receiver's idempotency guard, on the store ``--store`` or ``--store-env`` names.
    """
    from ..idempotency import Idempotency, SQLiteStore

    spec = _spec(args, "store", required=True)
    assert spec is not None  # noqa: S101 - required above
    if spec.startswith(("redis://", "rediss://")):
        from ..idempotency import RedisStore

        store: Any = RedisStore(spec, prefix=args.store_prefix)
    elif spec.startswith(("postgresql://", "postgres://")):
        from ..idempotency import PostgresStore

        store = PostgresStore(spec, table=args.store_table)
    else:
        store = SQLiteStore(spec.removeprefix("sqlite:"))
    return Idempotency(store, lease=args.lease, retention=args.retention)


def journal(args: argparse.Namespace, *, required: bool) -> Any:
    """
    The journal ``--journal`` or ``--journal-env`` names, or ``None``.
    """
    from ..journal import Journal, open_store

    spec = _spec(args, "journal", required=required)
    return None if spec is None else Journal(open_store(spec))


def handler(target: str) -> Callable[[Any], Any]:
    """
    Import the handler ``module:function``; an async one is run to completion per call.
    """
    module_name, colon, attribute = target.partition(":")
    if not colon or not module_name or not attribute:
        raise UsageError("--handler is module:function, such as myapp.hooks:handle")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # like `python -m`: the current project is importable
    try:
        found: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError) as error:
        raise UsageError(f"cannot import the handler {target}: {error}") from None
    if not callable(found):
        raise UsageError(f"the handler {target} is not callable")
    if inspect.iscoroutinefunction(found):
        coroutine_function = found
        return lambda event: asyncio.run(coroutine_function(event))
    return found  # type: ignore[no-any-return]


def token(args: argparse.Namespace, default_env: str) -> str:
    """
    The API token from ``--token-file``, else from ``--token-env`` (or *default_env*).
    """
    if args.token_file:
        return read_text(args.token_file, "token file")
    variable = args.token_env or default_env
    value = os.environ.get(variable, "").strip()
    if not value:
        raise UsageError(f"set the API token in {variable}, or pass --token-file")
    return value


def store_flags(parser: argparse.ArgumentParser, *, journal_required: bool) -> None:
    """
    The flags naming the receiver's guard store and journal.
    """
    parser.add_argument("--store", metavar="SPEC", help="the receiver's idempotency store: "
                        "an SQLite path, or a redis:// or postgresql:// URL")  # fmt: skip
    parser.add_argument("--store-env", metavar="VAR", help="environment variable holding --store")
    parser.add_argument("--store-prefix", default="hooksig:", help="RedisStore prefix")
    parser.add_argument("--store-table", default="hooksig_claims", help="PostgresStore table")
    parser.add_argument("--lease", type=float, default=60.0, help="claim lease, seconds")
    parser.add_argument(
        "--retention", type=float, default=7 * 24 * 3600.0, help="guard retention, seconds"
    )
    journal_flags(parser, required=journal_required)


def journal_flags(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """
    The flags naming a journal.
    """
    need = "" if required else " (optional)"
    parser.add_argument("--journal", metavar="SPEC", help=f"the journal{need}: an SQLite path, "
                        "or a redis:// or postgresql:// URL")  # fmt: skip
    parser.add_argument(
        "--journal-env", metavar="VAR", help="environment variable holding --journal"
    )
