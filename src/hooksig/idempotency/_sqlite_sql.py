"""
The SQL of `SQLiteStore`: one table of claims, each statement one round trip.
"""

from __future__ import annotations

__all__ = ["BATCH", "CLAIM", "COMPLETE", "EXPIRED", "PURGE", "RELEASE", "RENEW", "SCHEMA", "STATE"]

# No index on expires_at: it cost about 40% of write throughput when
# measured, and only the occasional purge needs it, which scans instead.
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hooksig_claims ("
    " key TEXT PRIMARY KEY,"
    " token TEXT NOT NULL,"
    " done INTEGER NOT NULL,"
    " expires_at REAL NOT NULL"
    ") WITHOUT ROWID"
)
CLAIM = (
    "INSERT INTO hooksig_claims (key, token, done, expires_at) VALUES (?, ?, 0, ?)"
    " ON CONFLICT (key) DO UPDATE SET"
    " token = excluded.token, done = 0, expires_at = excluded.expires_at"
    " WHERE hooksig_claims.expires_at <= ?"
)
STATE = "SELECT done FROM hooksig_claims WHERE key = ? AND expires_at > ?"
COMPLETE = (
    "UPDATE hooksig_claims SET done = 1,"
    " expires_at = CASE WHEN done THEN expires_at ELSE ? END"
    " WHERE key = ? AND token = ? AND expires_at > ?"
)
RELEASE = "DELETE FROM hooksig_claims WHERE key = ? AND token = ? AND NOT done AND expires_at > ?"
RENEW = (
    "UPDATE hooksig_claims SET expires_at = ?"
    " WHERE key = ? AND token = ? AND NOT done AND expires_at > ?"
)
EXPIRED = "SELECT key FROM hooksig_claims WHERE expires_at <= ? LIMIT ?"
PURGE = "DELETE FROM hooksig_claims WHERE key = ? AND expires_at <= ?"
BATCH = 500
