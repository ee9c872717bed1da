"""The journal store contract on PostgreSQL and Redis, and their outages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hooksig.errors import ConfigurationError, StoreUnavailable
from hooksig.journal import JournalStore, open_store
from tests.journal.contract import JournalStoreContract, entry
from tests.servers.support import PostgresCluster, RedisServer

pytestmark = pytest.mark.integration


class TestPostgresJournal(JournalStoreContract):
    """The contract on a table of its own in the shared PostgreSQL."""

    @pytest.fixture
    def store(self, postgres_dsn: str, postgres_table: str) -> Iterator[JournalStore]:
        """A journal in this test's table, made from a DSN."""
        from hooksig.journal import PostgresJournal

        journal = PostgresJournal(postgres_dsn, table=postgres_table, pool_size=8)
        yield journal
        journal.close()


class TestRedisJournal(JournalStoreContract):
    """The contract under a key prefix of its own in the shared Redis."""

    @pytest.fixture
    def store(self, redis_url: str, redis_prefix: str) -> Iterator[JournalStore]:
        """A journal under this test's prefix, made from a URL."""
        from hooksig.journal import RedisJournal

        journal = RedisJournal(redis_url, prefix=redis_prefix)
        yield journal
        journal.close()


def test_postgres_given_a_connection_or_pool(postgres_dsn: str, postgres_table: str) -> None:
    """A connection in autocommit or a pool serves; one outside autocommit is refused."""
    import psycopg
    from psycopg_pool import ConnectionPool

    from hooksig.journal import PostgresJournal

    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        journal = PostgresJournal(conn, table=postgres_table)
        assert journal.write(entry()).attempts == 1
        assert repr(journal) == f"PostgresJournal(table={postgres_table!r})"  # never the DSN
    with ConnectionPool(postgres_dsn, kwargs={"autocommit": True}, open=True) as pool:
        assert PostgresJournal(pool, table=postgres_table).write(entry()).attempts == 2
    with psycopg.connect(postgres_dsn) as conn, pytest.raises(ConfigurationError):
        PostgresJournal(conn)
    for bad in ({"table": "a;b"}, {"table": "a.b.c"}, {"pool_size": 0}):
        with pytest.raises(ConfigurationError):
            PostgresJournal(postgres_dsn, **bad)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        PostgresJournal(object())  # type: ignore[arg-type]
    assert type(open_store(postgres_dsn)).__name__ == "PostgresJournal"


def test_redis_options(redis_url: str, redis_prefix: str) -> None:
    """A client you built serves; a decoding client, braces and other objects are refused."""
    import redis

    from hooksig.journal import RedisJournal

    client = redis.Redis.from_url(redis_url)
    journal = RedisJournal(client, prefix=redis_prefix)
    assert journal.write(entry()).attempts == 1
    journal.close()  # leaves your client open
    assert client.ping()
    with pytest.raises(ConfigurationError):
        RedisJournal(redis.Redis.from_url(redis_url, decode_responses=True))
    with pytest.raises(ConfigurationError):
        RedisJournal(redis_url, prefix="{x}")
    with pytest.raises(ConfigurationError):
        RedisJournal(object())  # type: ignore[arg-type]
    assert type(open_store(redis_url)).__name__ == "RedisJournal"
    client.close()


def test_redis_entries_expire_and_stale_index_is_skipped(redis_url: str, redis_prefix: str) -> None:
    """An entry past its ttl is gone; the index entry left behind is skipped, then pruned."""
    import time

    from hooksig.journal import RedisJournal

    journal = RedisJournal(redis_url, prefix=redis_prefix, ttl=0.2)
    journal.write(entry("github:old", at=1000.0))
    time.sleep(0.4)
    journal.write(entry("github:new", at=2000.0))
    assert [e.key for e in journal.list()] == ["github:new"]
    assert journal.get("github:old") is None
    assert journal.prune(before=1500.0, keep=10) == 0  # the entry itself had expired
    assert [e.key for e in journal.list()] == ["github:new"]
    journal.close()


def _outage(store: Any) -> None:
    for call in (lambda: store.write(entry()), lambda: store.get("k"), store.list,
                 lambda: store.prune(before=0.0, keep=1)):  # fmt: skip
        with pytest.raises(StoreUnavailable):
            call()


def test_redis_down_is_store_unavailable(throwaway_redis: RedisServer) -> None:
    """With Redis killed, every call raises StoreUnavailable within the timeout."""
    from hooksig.journal import RedisJournal

    journal = RedisJournal(throwaway_redis.url, timeout=1.0)
    journal.write(entry())
    throwaway_redis.kill()
    _outage(journal)


def test_postgres_down_is_store_unavailable(throwaway_postgres: PostgresCluster) -> None:
    """With PostgreSQL stopped, every call raises StoreUnavailable within the timeout."""
    from hooksig.journal import PostgresJournal

    journal = PostgresJournal(throwaway_postgres.dsn, timeout=2.0)
    journal.write(entry())
    throwaway_postgres.stop()
    _outage(journal)
    journal.close()
