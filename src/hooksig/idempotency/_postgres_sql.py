"""
The SQL of `PostgresStore`, composed once per table name.

Every statement runs on the server's clock (``now()``), so workers whose
clocks disagree still agree on leases.  Each is a single statement: in
autocommit mode, one round trip.
"""

from __future__ import annotations

import re
from typing import Any

from hooksig._backends.postgres import DDL_LOCK
from hooksig.errors import ConfigurationError
from hooksig.idempotency._store import Claim

__all__ = ["ACQUIRED", "DONE", "IN_PROGRESS", "Queries", "claim_result"]

ACQUIRED, IN_PROGRESS, DONE = 0, 1, 2

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")

_CREATE = """
CREATE TABLE IF NOT EXISTS {table} (
    key text PRIMARY KEY,
    token text NOT NULL,
    done boolean NOT NULL,
    expires_at timestamptz NOT NULL
)
"""

# The insert takes the key if it is absent or expired.  When it does not, the
# second branch reports what holds it; it reads the statement's snapshot, so a
# row committed by a racing worker after that snapshot is invisible to it and
# no row comes back: the caller reads that as "in progress".  A live row that
# carries our own token is ours: a retry after a lost reply, so it says acquired.
_CLAIM = """
WITH taken AS (
    INSERT INTO {table} AS c (key, token, done, expires_at)
    VALUES (%(key)s, %(token)s, false, now() + %(seconds)s * interval '1 second')
    ON CONFLICT (key) DO UPDATE
        SET token = excluded.token, done = false, expires_at = excluded.expires_at
        WHERE c.expires_at <= now()
    RETURNING 0 AS state
)
SELECT state FROM taken
UNION ALL
SELECT CASE WHEN done THEN 2 WHEN token = %(token)s THEN 0 ELSE 1 END
    FROM {table}
    WHERE key = %(key)s AND expires_at > now() AND NOT EXISTS (SELECT FROM taken)
"""

_COMPLETE = """
UPDATE {table}
    SET done = true,
        expires_at = CASE WHEN done THEN expires_at
                          ELSE now() + %(seconds)s * interval '1 second' END
    WHERE key = %(key)s AND token = %(token)s AND expires_at > now()
"""

_RELEASE = """
DELETE FROM {table}
    WHERE key = %(key)s AND token = %(token)s AND NOT done AND expires_at > now()
"""

_RENEW = """
UPDATE {table}
    SET expires_at = now() + %(seconds)s * interval '1 second'
    WHERE key = %(key)s AND token = %(token)s AND NOT done AND expires_at > now()
"""

# SKIP LOCKED: a purge never waits for, nor blocks, a claim on the same row.
_PURGE = """
DELETE FROM {table} WHERE key IN (
    SELECT key FROM {table} WHERE expires_at <= now() LIMIT %(limit)s FOR UPDATE SKIP LOCKED
)
"""


class Queries:
    """
    The statements for one table, as psycopg ``Composed`` objects.
    """

    __slots__ = ("claim", "complete", "create", "lock", "purge", "release", "renew", "table")

    def __init__(self, sql: Any, table: str) -> None:
        parts = table.split(".")
        if len(parts) > 2 or not all(_IDENTIFIER.fullmatch(part) for part in parts):
            raise ConfigurationError(
                "table must be a plain SQL name, optionally schema-qualified: name or schema.name"
            )
        self.table = table
        ident = sql.Identifier(*parts)

        def compose(text: str) -> Any:
            return sql.SQL(text.strip()).format(table=ident)

        self.create = compose(_CREATE)
        self.claim = compose(_CLAIM)
        self.complete = compose(_COMPLETE)
        self.release = compose(_RELEASE)
        self.renew = compose(_RENEW)
        self.purge = compose(_PURGE)
        self.lock = sql.SQL("SELECT pg_advisory_xact_lock({})").format(sql.Literal(DDL_LOCK))


def claim_result(row: tuple[Any, ...] | None, token: str) -> Claim:
    """
    Read the claim statement's one row (or none) as a `Claim`.
    """
    # No row: a racing worker's claim committed after this statement's
    # snapshot, so the key is held by someone else.
    if row is not None and row[0] == ACQUIRED:
        return Claim("acquired", token)
    return Claim("done" if row is not None and row[0] == DONE else "in_progress")
