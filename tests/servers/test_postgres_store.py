"""hooksig.idempotency.PostgresStore against a real PostgreSQL: the contract, sources, processes."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from hooksig.errors import ConfigurationError
from hooksig.idempotency import Claim, PostgresStore
from tests.idempotency.store_contract import Advance, StoreContract
from tests.idempotency.workers import die_holding, process_race
from tests.servers.support import postgres_keys

pytestmark = pytest.mark.integration


@pytest.fixture
def store(postgres_dsn: str, postgres_table: str) -> Iterator[PostgresStore]:
    """A PostgresStore from the DSN, on this test's own table."""
    store = PostgresStore(postgres_dsn, table=postgres_table)
    yield store
    store.close()


def _table_exists(dsn: str, table: str) -> bool:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()
    return bool(row and row[0])


class TestPostgresStoreContract(StoreContract):
    """PostgresStore keeps the Store contract, on the server's clock."""

    short: ClassVar[float] = 0.4
    fake_clock: ClassVar[bool] = False
    model_examples: ClassVar[int] = 25

    @pytest.fixture
    def advance(self) -> Advance:
        """Sleep: leases run on the PostgreSQL server's clock."""
        return lambda seconds: time.sleep(seconds + 0.15)

    @pytest.fixture
    def store(self, postgres_dsn: str, postgres_table: str) -> Iterator[PostgresStore]:
        """A PostgresStore from the DSN, on this test's own table."""
        self.where = (postgres_dsn, postgres_table)
        store = PostgresStore(postgres_dsn, table=postgres_table)
        yield store
        store.close()

    def stored_keys(self, store: Any) -> list[str]:
        """Every key in the store's table."""
        return postgres_keys(*self.where)


def test_table_created_on_first_use(postgres_dsn: str, postgres_table: str) -> None:
    """Construction touches nothing; the first operation creates the table."""
    store = PostgresStore(postgres_dsn, table=postgres_table)
    assert not _table_exists(postgres_dsn, postgres_table)
    assert store.claim("k", 60.0).acquired
    assert _table_exists(postgres_dsn, postgres_table)
    store.close()


def test_many_workers_create_the_table_together(postgres_dsn: str, postgres_table: str) -> None:
    """Eight stores starting at once on a missing table all succeed, and one wins each key."""
    stores = [PostgresStore(postgres_dsn, table=postgres_table, pool_size=1) for _ in range(8)]
    results: list[bool] = []
    barrier = threading.Barrier(8, timeout=30)

    def start(store: PostgresStore) -> None:
        barrier.wait()
        results.append(store.claim("first", 60.0).acquired)

    threads = [threading.Thread(target=start, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [False] * 7 + [True]
    for store in stores:
        store.close()


def test_lease_on_the_server_clock(
    store: PostgresStore, postgres_dsn: str, postgres_table: str
) -> None:
    """expires_at is now() + lease on the server."""
    import psycopg
    from psycopg import sql

    store.claim("k", 90.0)
    query = sql.SQL("SELECT extract(epoch FROM expires_at - now()) FROM {} WHERE key = 'k'")
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        row = conn.execute(query.format(sql.Identifier(postgres_table))).fetchone()
    assert row is not None
    assert 85 < float(row[0]) <= 90


def test_one_statement_per_operation(postgres_dsn: str, postgres_table: str) -> None:
    """After the table exists, each claim, complete, release and renew is one statement."""
    import psycopg

    executed: list[object] = []

    class Counting(psycopg.Connection[Any]):
        def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
            executed.append(query)
            return super().execute(query, *args, **kwargs)

    with Counting.connect(postgres_dsn, autocommit=True) as conn:
        store = PostgresStore(conn, table=postgres_table)
        store.claim("warm", 60.0)
        executed.clear()
        token = store.claim("k", 60.0).token
        assert token is not None
        assert store.claim("k", 60.0) == Claim("in_progress")
        assert store.renew("k", token, 60.0)
        assert store.complete("k", token, 60.0)
        assert not store.release("k", token)
    assert len(executed) == 5


def test_accepts_an_autocommit_connection(postgres_dsn: str, postgres_table: str) -> None:
    """A psycopg.Connection in autocommit mode serves blocking and async calls."""
    import psycopg

    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        store = PostgresStore(conn, table=postgres_table)
        token = store.claim("k", 60.0).token
        assert token is not None

        async def scenario() -> Claim:
            return await store.claim_async("k", 60.0)

        assert asyncio.run(scenario()) == Claim("in_progress")
        assert store.complete("k", token, 60.0)


def test_refuses_a_transactional_connection(postgres_dsn: str) -> None:
    """A connection outside autocommit would hide claims in an open transaction."""
    import psycopg

    with (
        psycopg.connect(postgres_dsn) as conn,
        pytest.raises(ConfigurationError, match="autocommit"),
    ):
        PostgresStore(conn)


def test_accepts_a_pool_of_transactional_connections(
    postgres_dsn: str, postgres_table: str
) -> None:
    """A pool whose connections are not in autocommit still commits each operation."""
    from psycopg_pool import ConnectionPool

    other = PostgresStore(postgres_dsn, table=postgres_table)
    with ConnectionPool(postgres_dsn, min_size=1, max_size=2, open=True) as pool:
        store = PostgresStore(pool, table=postgres_table)
        token = store.claim("k", 60.0).token
        assert token is not None
        assert other.claim("k", 60.0) == Claim("in_progress")
        assert store.complete("k", token, 60.0)
    assert other.claim("k", 60.0) == Claim("done")
    other.close()


def test_accepts_asyncio_connection_and_pool(postgres_dsn: str, postgres_table: str) -> None:
    """An AsyncConnection or AsyncConnectionPool serves the async methods only."""
    import psycopg
    from psycopg_pool import AsyncConnectionPool

    async def scenario() -> list[Any]:
        conn = await psycopg.AsyncConnection.connect(postgres_dsn, autocommit=True)
        pool = AsyncConnectionPool(postgres_dsn, min_size=1, max_size=2, open=False)
        await pool.open()
        try:
            by_conn = PostgresStore(conn, table=postgres_table)
            by_pool = PostgresStore(pool, table=postgres_table)
            first = await by_conn.claim_async("k", 60.0)
            assert first.token is not None
            return [
                first.acquired,
                await by_pool.claim_async("k", 60.0),
                await by_pool.complete_async("k", first.token, 60.0),
                await by_conn.claim_async("k", 60.0),
                by_conn,
            ]
        finally:
            await pool.close()
            await conn.close()

    acquired, held, completed, done, by_conn = asyncio.run(scenario())
    assert (acquired, held, completed, done) == (True, Claim("in_progress"), True, Claim("done"))
    with pytest.raises(ConfigurationError, match="async"):
        by_conn.claim("k", 60.0)


@pytest.mark.parametrize("table", ["", "a;drop", "a.b.c", "1abc", "x" * 64, 'q"uote'])
def test_refuses_unsafe_table_names(postgres_dsn: str, table: str) -> None:
    """Only plain, optionally schema-qualified SQL names are accepted."""
    with pytest.raises(ConfigurationError):
        PostgresStore(postgres_dsn, table=table)


def test_schema_qualified_table(postgres_dsn: str, postgres_table: str) -> None:
    """A schema.table name is used as given."""
    store = PostgresStore(postgres_dsn, table=f"public.{postgres_table}")
    assert store.claim("k", 60.0).acquired
    assert _table_exists(postgres_dsn, f"public.{postgres_table}")
    store.close()


@pytest.mark.parametrize("bad", [{"pool_size": 0}, {"timeout": 0}, {"cleanup_interval": -1}])
def test_refuses_bad_options(postgres_dsn: str, bad: dict[str, Any]) -> None:
    """Pool size, timeout and cleanup interval must be positive."""
    with pytest.raises(ConfigurationError):
        PostgresStore(postgres_dsn, **bad)


def test_refuses_other_arguments() -> None:
    """Neither a DSN nor a connection nor a pool is a ConfigurationError."""
    with pytest.raises(ConfigurationError):
        PostgresStore(42)  # type: ignore[arg-type]


def test_repr_hides_the_dsn() -> None:
    """The repr never shows the DSN, which may hold a password."""
    store = PostgresStore("postgresql://u:hunter2-password@127.0.0.1:1/db")
    assert "hunter2" not in repr(store)
    assert repr(store) == "PostgresStore(table='hooksig_claims')"


def test_purge_expired(store: PostgresStore, postgres_dsn: str, postgres_table: str) -> None:
    """purge_expired deletes rows whose lease or retention ran out, in batches, and only those."""
    import psycopg
    from psycopg import sql

    store.claim("long", 60.0)
    for n in range(5):
        store.claim(f"short-{n}", 0.2)
    # More expired rows than one batch holds, written in one statement.
    fill = sql.SQL(
        "INSERT INTO {} SELECT 'old-' || n, 'x', n % 2 = 0, now() - interval '1 hour'"
        " FROM generate_series(1, 1500) AS n"
    ).format(sql.Identifier(postgres_table))
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(fill)
    time.sleep(0.4)
    assert store.purge_expired() == 1505
    assert postgres_keys(postgres_dsn, postgres_table) == ["long"]


def test_async_from_dsn_on_two_loops(store: PostgresStore) -> None:
    """A DSN store works from one event loop after another (one pool per loop)."""

    async def claim(key: str) -> Claim:
        try:
            return await store.claim_async(key, 60.0)
        finally:
            await store.aclose()

    assert asyncio.run(claim("a")).acquired
    assert asyncio.run(claim("a")) == Claim("in_progress")


@pytest.mark.slow
def test_eight_processes_one_winner_per_key(
    store: PostgresStore, postgres_dsn: str, postgres_table: str
) -> None:
    """8 processes claiming the same 200 keys: exactly one winner per key."""
    keys = [f"p-{n}" for n in range(200)]
    spec = {"kind": "postgres", "dsn": postgres_dsn, "table": postgres_table}
    wins = process_race(spec, keys, processes=8)
    assert wins == dict.fromkeys(keys, 1)
    assert store.claim("p-0", 60.0) == Claim("in_progress")


@pytest.mark.slow
def test_killed_worker_claim_expires(
    store: PostgresStore, postgres_dsn: str, postgres_table: str
) -> None:
    """A worker killed holding a claim blocks the key only for its lease; its token is stale."""
    spec = {"kind": "postgres", "dsn": postgres_dsn, "table": postgres_table}
    stale = die_holding(spec, "k", 1.0)
    assert store.claim("k", 60.0) == Claim("in_progress")
    time.sleep(1.2)
    fresh = store.claim("k", 60.0)
    assert fresh.acquired
    assert fresh.token is not None
    assert store.complete("k", stale, 60.0) is False
    assert store.release("k", stale) is False
    assert store.complete("k", fresh.token, 60.0) is True
