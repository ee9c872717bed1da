"""`hooksig journal list|show|replay` and `hooksig reconcile`, run in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

import hooksig
from hooksig.idempotency import Idempotency, SQLiteStore
from hooksig.journal import Journal
from tests.cli.conftest import Run
from tests.conftest import NOW, SECRET
from tests.fakeapi import TOKEN, GitHubDeliveries, StripeEvents, SvixMessages, serving

GITHUB = hooksig.Verifier("github", secret=SECRET)


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file the test handlers append to."""
    path = tmp_path / "ledger.txt"
    monkeypatch.setenv("HOOKSIG_TEST_LEDGER", str(path))
    return path


def lines(path: Path) -> list[str]:
    """The ledger's lines."""
    return path.read_text().splitlines() if path.exists() else []


@pytest.fixture
def journal_db(tmp_path: Path) -> str:
    """A journal with two dead letters and one handled entry."""
    path = str(tmp_path / "journal.db")
    journal = Journal(path)
    for ident, outcome in (("g1", "failed"), ("g2", "handled"), ("g3", "failed")):
        headers = {**GITHUB.sign(b'{"n":1}', id=ident), "X-GitHub-Event": "push"}
        delivery = GITHUB.verify(b'{"n":1}', headers)
        journal.record(delivery, outcome=outcome,  # type: ignore[arg-type]
                       error=RuntimeError("boom") if outcome == "failed" else None)  # fmt: skip
    journal.close()
    return path


def test_journal_list_and_show(run: Run, journal_db: str) -> None:
    """Dead letters are listed, with their error; one entry shows its body and headers."""
    listed = run("journal", "list", "--journal", journal_db, "--outcome", "failed", "--json")
    assert listed.code == 0, listed.err
    assert [e["key"] for e in listed.json()["entries"]] == ["github:g3", "github:g1"]
    text = run("journal", "list", "--journal", journal_db, "--since", "1h").out
    assert "github:g1  failed  attempts=1" in text
    assert "RuntimeError: boom" in text
    shown = run("journal", "show", "github:g1", "--journal", journal_db, "--json").json()
    assert shown["body"] == '{"n":1}'
    assert shown["headers"] == {"x-github-delivery": "g1"}
    assert "outcome: failed" in run("journal", "show", "github:g1", "--journal", journal_db).out
    assert run("journal", "show", "github:nope", "--journal", journal_db).code == 2
    assert run("journal", "show", "--journal", journal_db).code == 2


def test_journal_replay_once_through_the_guard(
    run: Run, journal_db: str, ledger: Path, tmp_path: Path
) -> None:
    """Replaying every dead letter runs each once; again, they are duplicates."""
    store = str(tmp_path / "claims.db")
    args = ("journal", "replay", "--all-failed", "--journal", journal_db, "--store", store,
            "--handler", "tests.cli.handlers:record", "--json")  # fmt: skip
    first = run(*args)
    assert first.code == 0, first.err
    assert [r["outcome"] for r in first.json()["results"]] == ["handled", "handled"]
    assert sorted(lines(ledger)) == ["g1 Delivery", "g3 Delivery"]
    again = run("journal", "replay", "github:g1", "--journal", journal_db, "--store", store,
                "--handler", "tests.cli.handlers:record_async")  # fmt: skip
    assert (again.code, again.out.strip()) == (0, "github:g1: duplicate")
    assert len(lines(ledger)) == 2


def test_journal_replay_failures(run: Run, journal_db: str, tmp_path: Path, ledger: Path) -> None:
    """A handler that raises again, or an unknown key, exits 1; bad arguments exit 2."""
    store = f"sqlite:{tmp_path / 'claims.db'}"
    failed = run("journal", "replay", "github:g1", "github:zz", "--journal", journal_db,
                 "--store", store, "--handler", "tests.cli.handlers:fail")  # fmt: skip
    assert failed.code == 1
    assert "github:g1: failed (RuntimeError: cannot handle g1)" in failed.out
    assert "github:zz: missing" in failed.out
    for bad in (["--handler", "tests.cli.handlers"], ["--handler", "tests.cli.nope:x"],
                ["--handler", "tests.cli.handlers:NOT_CALLABLE"], []):  # fmt: skip
        assert run("journal", "replay", "github:g1", "--journal", journal_db, "--store", store,
                   *bad).code == 2  # fmt: skip
    assert run("journal", "replay", "--journal", journal_db, "--store", store,
               "--handler", "tests.cli.handlers:record").code == 2  # fmt: skip
    assert (
        run(
            "journal",
            "replay",
            "github:g1",
            "--journal",
            journal_db,
            "--handler",
            "tests.cli.handlers:record",
        ).code
        == 2
    )  # fmt: skip  (no store)


def test_journal_and_store_from_the_environment(
    run: Run, journal_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--journal-env reads the spec from a variable; both forms at once is an error."""
    monkeypatch.setenv("JOURNAL_URL", journal_db)
    assert run("journal", "list", "--journal-env", "JOURNAL_URL").code == 0
    assert run("journal", "list", "--journal-env", "JOURNAL_URL", "--journal", journal_db).code == 2
    assert run("journal", "list", "--journal-env", "UNSET_VARIABLE_X").code == 2
    assert run("journal", "list").code == 2


def test_reconcile_stripe_handles_exactly_the_missed(
    run: Run, tmp_path: Path, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events the receiver handled are skipped; the missed ones run once, as fetched events."""
    store = str(tmp_path / "claims.db")
    guard = Idempotency(SQLiteStore(store))
    with serving() as api:
        events = StripeEvents(api)
        for n in range(6):
            events.add(f"evt_{n}", NOW - 600 + n)
            if n % 2 == 0:
                with guard.claim(f"stripe:evt_{n}"):
                    pass
        monkeypatch.setenv("STRIPE_API_KEY", TOKEN)
        args = ("reconcile", "stripe", "--since", str(NOW - 3600), "--api-base", api.url,
                "--store", store, "--handler", "tests.cli.handlers:record",
                "--journal", str(tmp_path / "j.db"), "--json")  # fmt: skip
        done = run(*args)
        assert done.code == 0, done.err
        assert sorted(done.json()["handled"]) == ["evt_1", "evt_3", "evt_5"]
        assert done.json()["seen"] == 3
        again = run(*args[:-1])
        assert "handled 0, already seen 6" in again.out
    assert sorted(lines(ledger)) == [
        "evt_1 FetchedEvent",
        "evt_3 FetchedEvent",
        "evt_5 FetchedEvent",
    ]
    assert len(Journal(tmp_path / "j.db").list(outcome="handled")) == 3
    assert TOKEN not in done.out + done.err


def test_reconcile_github_and_svix(run: Run, tmp_path: Path, ledger: Path) -> None:
    """GitHub with redelivery and Svix locally; the token comes from a file."""
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    store = str(tmp_path / "claims.db")
    with serving() as api:
        hooks = GitHubDeliveries(api)
        hooks.add("g-missed", NOW - 60, 502, {"x": 1})
        messages = SvixMessages(api)
        messages.add("msg_1", NOW - 30, {"type": "user.created"})
        github = run("reconcile", "github", "--since", str(NOW - 3600), "--until", str(NOW),
                     "--api-base", api.url, "--repo", "octo/repo", "--hook-id", "42",
                     "--token-file", str(token_file), "--store", store, "--redeliver",
                     "--handler", "tests.cli.handlers:record", "--json")  # fmt: skip
        assert github.code == 0, github.err
        assert github.json()["redelivered"] == ["g-missed"]
        assert hooks.redelivered
        svix = run("reconcile", "svix", "--since", str(NOW - 3600), "--until", str(NOW),
                   "--api-base", api.url, "--app-id", "app_fake", "--token-file", str(token_file),
                   "--store", store, "--handler", "tests.cli.handlers:record")  # fmt: skip
        assert svix.code == 0, svix.err
    assert lines(ledger) == ["msg_1 FetchedEvent"]


def test_reconcile_failures_and_usage(
    run: Run, tmp_path: Path, ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing handler exits 1, an API failure 4, and missing pieces 2."""
    store = str(tmp_path / "claims.db")
    monkeypatch.setenv("STRIPE_API_KEY", TOKEN)
    with serving() as api:
        StripeEvents(api).add("evt_1", NOW - 10)
        base = ("reconcile", "stripe", "--since", str(NOW - 60), "--until", str(NOW),
                "--api-base", api.url, "--store", store)  # fmt: skip
        failed = run(*base, "--handler", "tests.cli.handlers:fail")
        assert failed.code == 1
        assert "failed evt_1: RuntimeError: cannot handle evt_1" in failed.out
        monkeypatch.setenv("STRIPE_API_KEY", "sk_wrong")
        refused = run(*base, "--handler", "tests.cli.handlers:record", "--json")
        assert refused.code == 4
        assert refused.json()["ok"] is False
        assert "sk_wrong" not in refused.out
    monkeypatch.delenv("STRIPE_API_KEY")
    assert run(*base, "--handler", "tests.cli.handlers:record").code == 2  # no token
    handler = ("--handler", "tests.cli.handlers:record", "--token-env", "PATH")
    assert run("reconcile", "github", "--since", "1h", "--store", store, *handler).code == 2
    assert run("reconcile", "svix", "--since", "1h", "--store", store, *handler).code == 2
    assert run("reconcile", "stripe", "--since", "yesterday-ish", "--store", store,
               "--handler", "tests.cli.handlers:record").code == 2  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [("72h", NOW - 72 * 3600), ("3d", NOW - 3 * 86400), ("30m", NOW - 1800), ("45s", NOW - 45),
     (str(NOW), NOW), ("2023-11-14T22:13:20Z", NOW), ("2023-11-14T22:13:20", NOW),
     ("2023-11-14", NOW - (22 * 3600 + 13 * 60 + 20))],
)  # fmt: skip
def test_times(text: str, expected: float) -> None:
    """Durations ago, Unix seconds and ISO 8601 (UTC when no zone is given)."""
    from hooksig.cli._targets import moment

    assert moment(text, now=NOW) == expected
