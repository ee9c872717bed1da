"""
Fixtures for tests against real servers on 127.0.0.1 (see tests/servers/support.py).

A server that cannot be reached fails the test under ``CI=true`` and skips
it elsewhere.  Each test gets a Redis key prefix or a PostgreSQL table of its
own, removed afterwards; tests that stop a server get a throwaway one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.support import (
    POSTGRES_DSN,
    REDIS_URL,
    PostgresCluster,
    RedisServer,
    private_postgres,
    unreachable,
)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The shared Redis server's URL, checked with a PING."""
    try:
        import redis
    except ImportError as error:
        unreachable("the redis package", error)
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        unreachable("Redis at HOOKSIG_REDIS_URL", type(error).__name__)
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    """The shared PostgreSQL server's DSN, checked by connecting."""
    try:
        import psycopg
    except ImportError as error:
        unreachable("the psycopg package", error)
    try:
        psycopg.connect(POSTGRES_DSN, connect_timeout=3).close()
    except psycopg.Error as error:
        unreachable("PostgreSQL at the HOOKSIG_POSTGRES_DSN server", type(error).__name__)
    return POSTGRES_DSN


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    import redis

    prefix = f"hooksig-test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=prefix + "*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def postgres_table(postgres_dsn: str) -> Iterator[str]:
    """A table name of this test's own; the table is dropped afterwards."""
    import psycopg
    from psycopg import sql

    table = f"hooksig_test_{uuid.uuid4().hex[:12]}"
    yield table
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))


@pytest.fixture
def throwaway_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A running private Redis; killed at the end of the test."""
    try:
        import redis  # noqa: F401
    except ImportError as error:
        unreachable("the redis package", error)
    server = RedisServer(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.kill()


@pytest.fixture
def throwaway_postgres() -> Iterator[PostgresCluster]:
    """A running private PostgreSQL cluster; removed at the end of the test."""
    with private_postgres() as cluster:
        yield cluster
