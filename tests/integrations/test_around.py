"""What every adapter does around the delivery, tested on the Endpoint and the request readers."""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
from pathlib import Path
from typing import Any

import pytest

import hooksig
from hooksig.errors import StoreUnavailable
from hooksig.gate import Allowlist, Permit, RateLimit
from hooksig.integrations import Answer, Endpoint, Outcomes
from hooksig.integrations._around import scope_origin, wsgi_origin
from hooksig.journal import Journal, JournalEntry

from .conftest import BODY, RAW_SECRET, make_kit


def test_outcome_rows_before_the_body() -> None:
    """403, 403 and 429 by default, each closing the connection; 429 carries the limiter's wait."""
    table = Outcomes()
    assert table.answer("not_allowed") == Answer(
        403, b"forbidden", (("Content-Type", "text/plain; charset=utf-8"),), True
    )
    assert table.answer("insecure").status == 403
    limited = table.answer("rate_limited", retry_after=7)
    assert (limited.status, dict(limited.headers)["Retry-After"], limited.close) == (429, "7", True)
    assert Outcomes(rate_limited=503, insecure=421).answer("insecure").status == 421


def test_admission_without_a_gate_costs_nothing() -> None:
    """An endpoint with no gate option admits every request with the shared no-op permit."""
    endpoint = Endpoint(make_kit().verifier)
    assert endpoint.gate is None
    permit = endpoint.admit(None, "http", {}, route="/x", started=None)
    assert isinstance(permit, Permit)
    assert asyncio.run(endpoint.admit_async(None, "http", {}, route="/x", started=None)) is permit


def test_a_shared_limit_store_outage_is_503() -> None:
    """A rate limit whose store is down answers 503 (unavailable), never admits silently."""

    class Down(RateLimit):
        def acquire(self) -> Permit:
            raise StoreUnavailable("limit store down")

    endpoint = Endpoint(make_kit().verifier, rate_limit=Down(in_flight=1))
    answer = endpoint.admit("127.0.0.1", "https", {}, route="/x", started=None)
    assert isinstance(answer, Answer)
    assert answer.status == 503


def test_refusals_log_the_client(caplog: pytest.LogCaptureFixture) -> None:
    """A refusal before the body names the client address in its log record."""
    endpoint = Endpoint(make_kit().verifier, allowlist=Allowlist(ranges=["192.0.2.1"]))
    with caplog.at_level(logging.WARNING, "hooksig"):
        endpoint.admit("203.0.113.5", "https", {}, route="/x", started=None)
    [record] = [r for r in caplog.records if getattr(r, "hooksig_outcome", None)]
    assert (record.hooksig_outcome, record.hooksig_client) == ("not_allowed", "203.0.113.5")


def test_journaled_errors_never_show_the_secret_or_signature(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A handler error quoting the secret and the signature is stored scrubbed."""
    kit = make_kit()
    journal = Journal(tmp_path / "j.db")
    request.addfinalizer(journal.close)
    endpoint = Endpoint(kit.verifier, journal=journal)
    headers = kit.signed()
    delivery = kit.verifier.verify(BODY, headers, now=1_700_000_000)
    signature = headers["webhook-signature"]
    leak = RuntimeError(f"sig={signature} key={RAW_SECRET.decode()} b64={RAW_SECRET.hex()}")

    def handler() -> int:
        raise leak

    with pytest.raises(RuntimeError):
        endpoint.run(delivery, handler, lambda status: status, route="/x")
    entry = journal.get("standard-webhooks:msg_1")
    assert entry is not None
    assert entry.last_error == "RuntimeError: sig=[redacted] key=[redacted] b64=[redacted]"
    redacted = kit.verifier.redactions(delivery)
    assert all(text in redacted for text in (signature, RAW_SECRET.hex()))


def test_an_unreachable_journal_changes_no_answer(caplog: pytest.LogCaptureFixture) -> None:
    """A journal store that is down is logged; the answer and the claim are unchanged."""

    class DownJournal:
        def write(self, entry: JournalEntry) -> JournalEntry:
            raise StoreUnavailable("journal down")

        def get(self, key: str) -> None:
            return None

        def list(self, **options: Any) -> list[JournalEntry]:
            return []

        def prune(self, *, before: float, keep: int) -> int:
            return 0

        def close(self) -> None:
            return None

    kit = make_kit()
    endpoint = Endpoint(kit.verifier, journal=Journal(DownJournal()))
    delivery = kit.verifier.verify(BODY, kit.signed(), now=1_700_000_000)
    assert endpoint.run(delivery, lambda: 200, lambda status: status, route="/x") == 200

    async def call() -> int:
        return 204

    assert asyncio.run(endpoint.run_async(delivery, call, lambda s: s, route="/x")) == 204
    failures = [r for r in caplog.records if "journal unreachable" in r.getMessage()]
    assert len(failures) == 2


def test_asgi_origin() -> None:
    """The ASGI client and scheme as the server reports them; no client means unknown."""
    scope = {"client": ("203.0.113.1", 4000), "scheme": "https", "headers": [(b"a", b"b")]}
    assert scope_origin(scope) == ("203.0.113.1", "https", [(b"a", b"b")])
    assert scope_origin({"client": None}) == (None, "http", ())


def test_wsgi_origin_trusts_the_socket_over_url_scheme() -> None:
    """Where the server exposes the socket, HTTPS is what it is, whatever wsgi.url_scheme says."""
    environ: dict[str, Any] = {
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "https",  # gunicorn rewrote it from a client's X-Forwarded-Proto
        "gunicorn.socket": socket.socket(),
        "HTTP_X_FORWARDED_FOR": "198.51.100.7",
        "HTTP_FORWARDED": "for=198.51.100.7",
    }
    peer, scheme, forwarding = wsgi_origin(environ)
    environ["gunicorn.socket"].close()
    assert (peer, scheme) == ("127.0.0.1", "http")
    assert forwarding == {"x-forwarded-for": "198.51.100.7", "forwarded": "for=198.51.100.7"}
    context = ssl.create_default_context()
    with context.wrap_socket(socket.socket(), server_hostname="example.com") as tls:
        assert wsgi_origin({"werkzeug.socket": tls})[1] == "https"
    assert wsgi_origin({"wsgi.url_scheme": "https", "REMOTE_ADDR": 5}) == (None, "https", {})


def test_endpoint_repr_and_replace_keep_the_options(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The options around the receiver are options like the others: replace() and repr show them."""
    kit = make_kit()
    endpoint = Endpoint(kit.verifier, https_only=True)
    assert "https_only=True" in repr(endpoint)
    journal = Journal(tmp_path / "j.db")
    request.addfinalizer(journal.close)
    journaled = endpoint.replace(journal=journal)
    assert journaled.journal is not None
    assert journaled.gate is not None
    assert journaled.gate.https_only
    assert endpoint.replace(https_only=None).gate is None


def test_unknown_scheme_options_are_not_around_options() -> None:
    """hooksig.integrations still refuses unknown option names."""
    with pytest.raises(hooksig.ConfigurationError):
        Endpoint(make_kit().verifier).replace(firewall=True)
