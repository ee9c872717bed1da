"""``hooksig send`` against a real receiver on 127.0.0.1 (a thread, an ephemeral port)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from hooksig import PerCallUrl, VerificationError, Verifier
from tests.cli.conftest import Run
from tests.conftest import SECRET


@dataclass
class Receiver:
    """A webhook receiver that verifies with *verifier* and records what it got."""

    base: str = ""
    verifier: Verifier | None = None
    seen: list[dict[str, Any]] = field(default_factory=list)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = list(self.headers.items())
            receiver.seen.append({"path": self.path, "headers": dict(headers), "body": body})
            assert receiver.verifier is not None
            try:
                url = receiver.base + self.path
                delivery = receiver.verifier.verify(body, headers, url=url)
            except VerificationError as exc:
                status, answer = 403, f"refused: {exc.reason}".encode()
            else:
                status, answer = 200, f"ok {delivery.id}".encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output clean."""

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A threaded http.server on 127.0.0.1 with an ephemeral port."""
    state = Receiver()
    server = HTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_send_signed_delivery_is_accepted(run: Run, receiver: Receiver) -> None:
    """A GitHub delivery sent with `send --json` verifies at the receiver: status 200, exit 0."""
    receiver.verifier = Verifier("github", secret=SECRET)
    url = receiver.base + "/hooks/github"
    result = run("send", "github", url, "--body", "-", "--id", "d-1", "--json", stdin=b'{"a":1}')
    assert result.code == 0, result.err
    data = result.json()
    assert (data["ok"], data["status"], data["body"]) == (True, 200, "ok d-1")
    assert receiver.seen[0]["path"] == "/hooks/github"
    assert receiver.seen[0]["body"] == b'{"a":1}'
    assert receiver.seen[0]["headers"]["Content-Type"] == "application/json"


def test_send_text_output_and_refusal(run: Run, receiver: Receiver) -> None:
    """A receiver keyed with another secret answers 403: status printed, exit 1."""
    receiver.verifier = Verifier("github", secret="another-secret-0123456789abcdef")
    result = run("send", "github", receiver.base + "/h", "--body", "-", stdin=b"{}")
    assert result.code == 1
    assert result.out.splitlines() == ["HTTP 403 Forbidden", "refused: no_match"]


def test_send_url_signing_scheme_signs_the_target(run: Run, receiver: Receiver) -> None:
    """Twilio signs the URL it calls: `send` signs the target URL, form body and all."""
    receiver.verifier = Verifier("twilio", secret=SECRET, public_url=PerCallUrl())
    url = receiver.base + "/voice?x=1"
    result = run("send", "twilio", url, "--body", "-", stdin=b"CallSid=CA1&From=%2B1")
    assert result.code == 0, result.out
    assert receiver.seen[0]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"


def test_send_extra_headers_and_timestamp(run: Run, receiver: Receiver) -> None:
    """`-H` adds headers; --timestamp is what Stripe signs (stale here, so refused)."""
    receiver.verifier = Verifier("stripe", secret=SECRET)
    argv = ["send", "stripe", receiver.base + "/s", "--body", "-", "-H", "X-Test: 1"]
    result = run(*argv, "--timestamp", "1", stdin=b"{}")
    assert result.code == 1
    assert result.out.endswith("refused: too_old\n")
    assert receiver.seen[0]["headers"]["X-Test"] == "1"
    assert receiver.seen[0]["headers"]["Stripe-Signature"].startswith("t=1,v1=")


def test_send_no_answer_exits_4(run: Run) -> None:
    """A closed port gives exit 4 and the error in the --json document."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/h"
    result = run("send", "github", url, "--body", "-", "--timeout", "2", "--json", stdin=b"{}")
    assert result.code == 4
    assert result.json()["ok"] is False
    assert result.json()["error"].startswith("no answer from 127.0.0.1")
