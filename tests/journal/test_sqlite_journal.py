"""The journal store contract on SQLite, and what is SQLite's own."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from hooksig.errors import ConfigurationError, StoreUnavailable
from hooksig.idempotency import SQLiteStore
from hooksig.journal import JournalStore, SQLiteJournal, open_store
from tests.journal.contract import JournalStoreContract, entry


class TestSQLiteJournal(JournalStoreContract):
    """The contract on a fresh SQLite file."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[JournalStore]:
        """A journal in a fresh file."""
        journal = SQLiteJournal(tmp_path / "journal.db")
        yield journal
        journal.close()


def test_shares_a_file_with_the_claims(tmp_path: Path) -> None:
    """The journal and the guard's store live side by side in one file."""
    path = tmp_path / "hooksig.db"
    claims = SQLiteStore(path)
    journal = SQLiteJournal(path)
    claims.claim("github:x", 30)
    journal.write(entry())
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"hooksig_claims", "hooksig_journal"} <= tables
    assert "hooksig.db" in repr(journal)
    claims.close()
    journal.close()


def test_bad_paths_and_unusable_files(tmp_path: Path) -> None:
    """No path or :memory: is refused; a file that is not a database is StoreUnavailable."""
    for path in ("", ":memory:"):
        with pytest.raises(ConfigurationError):
            SQLiteJournal(path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreUnavailable):
        SQLiteJournal(junk)


def test_a_broken_file_is_store_unavailable(tmp_path: Path) -> None:
    """A table dropped under the store turns every call into StoreUnavailable."""
    path = tmp_path / "journal.db"
    journal = SQLiteJournal(path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TABLE hooksig_journal")
    for call in (lambda: journal.write(entry()), lambda: journal.get("k"), journal.list,
                 lambda: journal.prune(before=0.0, keep=1)):  # fmt: skip
        with pytest.raises(StoreUnavailable):
            call()
    journal.close()


def test_open_store_names(tmp_path: Path) -> None:
    """open_store takes a path, with or without sqlite:, and refuses nothing at all."""
    opened = [open_store(tmp_path / "a.db"), open_store(f"sqlite:{tmp_path / 'b.db'}")]
    assert all(isinstance(store, SQLiteJournal) for store in opened)
    assert opened[1].path == str(tmp_path / "b.db")  # type: ignore[attr-defined]
    for store in opened:
        store.close()
    with pytest.raises(ConfigurationError):
        open_store("sqlite:")


def test_old_sqlite_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """SQLite before 3.35 (no RETURNING) is refused at construction."""
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    with pytest.raises(ConfigurationError, match=r"3\.35"):
        SQLiteJournal(tmp_path / "j.db")
