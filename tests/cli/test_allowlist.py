"""`hooksig allowlist show|refresh`, against a local server publishing the providers' documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.fakeapi import FakeApi, Reply
from tests.gate.test_refresh import DOCUMENTS


@pytest.fixture
def published() -> Iterator[FakeApi]:
    """A server publishing every provider's document at /<provider>."""
    with FakeApi(token=None) as api:
        for name, (document, _) in DOCUMENTS.items():
            api.route("GET", f"/{name}", lambda call, m, d=document: Reply(200, d))
        yield api


def test_cli_refresh_and_show(published: FakeApi, tmp_path: Path, run: Run) -> None:
    """`hooksig allowlist refresh` writes the file `allowlist show --snapshot` then reads."""
    out = str(tmp_path / "ranges.json")
    done = run("allowlist", "refresh", "github", "--url", f"{published.url}/github",
               "--output", out, "--json")  # fmt: skip
    assert done.code == 0, done.err
    assert done.json() == {"ok": True, "written": {"github": 2}}
    again = run("allowlist", "refresh", "stripe", "--url", f"{published.url}/stripe",
                "--output", out)  # fmt: skip
    assert again.code == 0
    assert "stripe: 2 ranges written" in again.out
    shown = run("allowlist", "show", "github", "stripe", "--snapshot", out, "--json").json()
    assert shown["providers"]["github"]["ranges"] == ["192.0.2.0/28", "2001:db8::/48"]
    assert shown["providers"]["stripe"]["ranges"] == ["192.0.2.10", "192.0.2.11"]
    text = run("allowlist", "show").out
    assert "github: 9 ranges, retrieved 2026-10-08 from https://api.github.com/meta" in text


def test_cli_refresh_failures(published: FakeApi, tmp_path: Path, run: Run) -> None:
    """No --output, --url with several providers, or a failing server: told, nothing written."""
    out = tmp_path / "ranges.json"
    assert run("allowlist", "refresh", "github").code == 2
    assert run("allowlist", "refresh", "--url", published.url, "--output", str(out)).code == 2
    failed = run("allowlist", "refresh", "github", "--url", f"{published.url}/nope",
                 "--output", str(out), "--json")  # fmt: skip
    assert failed.code == 4
    assert failed.json()["ok"] is False
    assert not out.exists()
    assert run("allowlist", "show", "shopify").code == 2
