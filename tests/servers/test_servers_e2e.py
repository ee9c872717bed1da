"""End to end: real servers (uvicorn, gunicorn) on 127.0.0.1, driven by httpx and raw sockets."""

from __future__ import annotations

import base64
import select
import socket
import time
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

import hooksig
from hooksig.testing import SignedDelivery
from tests.integrations.apps import PROVIDERS, SLACK_SECRET
from tests.integrations.providers import check, matrix_path, provider, request_headers
from tests.servers.support import ALL_SERVERS, Server, ledger, serve

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

SECRET = "whsec_" + base64.b64encode(b"hooksig-e2e-secret-0123456789abc").decode()
LIMIT = 65536
VERIFIER = hooksig.Verifier("standard-webhooks", secret=SECRET)
SLACK = hooksig.Verifier("slack", secret=SLACK_SECRET)


@pytest.fixture(scope="module", params=sorted(ALL_SERVERS))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """One real server per configuration, with two workers where the server forks."""
    name = request.param
    tmp = tmp_path_factory.mktemp(name)
    env = {
        "HOOKSIG_E2E_SECRET": SECRET,
        "HOOKSIG_E2E_STORE": f"sqlite:{tmp / 'claims.db'}",
        "HOOKSIG_E2E_LEDGER": str(tmp / "ledger.txt"),
        "HOOKSIG_E2E_LIMIT": str(LIMIT),
        "HOOKSIG_E2E_TIMEOUT": "1.0",
    }
    with serve(name, env, tmp) as running:
        running.name = name  # type: ignore[attr-defined]
        running.ledger = tmp / "ledger.txt"  # type: ignore[attr-defined]
        yield running


def signed(body: bytes, id: str | None = None, **extra: str) -> dict[str, str]:
    """Fresh headers for *body*, with a unique id unless one is given."""
    return {**VERIFIER.sign(body, id=id or f"msg_{uuid.uuid4().hex}"), **extra}


def raw_exchange(
    port: int, head: bytes, parts: Iterable[bytes], pause: float = 0.0
) -> tuple[int, int]:
    """Send *head*, then *parts* until the server answers; return (status, body bytes sent)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        for part in parts:
            if select.select([sock], [], [], pause)[0]:
                break
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(part)
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
        except ConnectionResetError:
            pass
    assert data.startswith(b"HTTP/1.1 "), data[:100]
    return int(data[9:12]), sent


def http_body(answer: bytes) -> bytes:
    """The body of a whole raw HTTP/1.1 answer, dechunked (Django sends no Content-Length)."""
    head, _, body = answer.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" not in head.lower():
        return body
    decoded = b""
    while body:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        decoded, body = decoded + body[:size], body[size + 2 :]
        if size == 0:
            break
    return decoded


def test_valid_delivery_is_handled_once(server: Server) -> None:
    """A valid delivery runs the handler; its redelivery is answered 200 without a second run."""
    body = b'{"type":"invoice.paid"}'
    headers = signed(body, "msg_once")
    first = httpx.post(f"{server.url}/hooks/acme", content=body, headers=headers)
    again = httpx.post(f"{server.url}/hooks/acme", content=body, headers=headers)
    assert (first.status_code, first.text) == (200, "handled")
    assert (again.status_code, again.text) == (200, "already handled")
    assert ledger(server.ledger)["msg_once"] == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", PROVIDERS)
def test_each_family_of_provider_is_deduplicated(server: Server, name: str) -> None:
    """One scheme per family on the real clock, with the SQLite guard across two workers.

    The genuine delivery runs once, the provider's retry (re-signed later where
    the scheme signs a time) is 200 unrun, a tampered copy is a 4xx; the full
    registry goes through each adapter in-process (``tests/integrations/contract.py``).
    """
    path, led = matrix_path(name), server.ledger  # type: ignore[attr-defined]

    def post(delivery: SignedDelivery) -> tuple[int, bytes]:
        headers = request_headers(delivery)
        url = server.url + delivery.path  # the route, and any secret in its query (Event Grid)
        reply = httpx.post(url, content=delivery.body, headers=headers, timeout=30)
        return reply.status_code, reply.content

    check(provider(name), path, post, lambda: sum(ledger(led).values()))


def test_forged_and_stale_are_403(server: Server) -> None:
    """A wrong signature and an old timestamp are both answered 403 'forbidden'."""
    body = b'{"type":"x"}'
    forged = {**signed(body), "webhook-signature": "v1," + base64.b64encode(b"\0" * 32).decode()}
    stale = VERIFIER.sign(body, timestamp=int(time.time()) - 3600, id="msg_stale")
    for headers in (forged, stale):
        response = httpx.post(f"{server.url}/hooks/acme", content=body, headers=headers)
        assert (response.status_code, response.text) == (403, "forbidden")


def test_declared_oversized_body_is_refused_unread(server: Server) -> None:
    """A 50 MB Content-Length is answered 413 long before 50 MB are sent."""
    size = 50 * 1024 * 1024
    headers = "".join(f"{k}: {v}\r\n" for k, v in signed(b"{}").items())
    head = (
        f"POST /hooks/acme HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {size}\r\n{headers}\r\n"
    ).encode()
    status, sent = raw_exchange(
        server.port, head, (b"x" * 65536 for _ in range(size // 65536)), 0.01
    )
    assert status == 413
    assert sent < size // 10


def test_chunked_oversized_body_is_refused(server: Server) -> None:
    """A chunked body with no length is answered 413 once it crosses the limit.

    Django's WSGI request cannot read a chunked body at all: it is answered 411.
    """
    headers = "".join(f"{k}: {v}\r\n" for k, v in signed(b"{}").items())
    head = (
        f"POST /hooks/acme HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        f"{headers}\r\n"
    ).encode()
    chunk = b"4000\r\n" + b"x" * 0x4000 + b"\r\n"
    status, sent = raw_exchange(server.port, head, (chunk for _ in range(3000)), 0.01)
    assert status == (411 if server.name == "gunicorn-django" else 413)  # type: ignore[attr-defined]
    assert sent < 3000 * len(chunk) // 10


#: The read timeout every server's app is configured with (HOOKSIG_E2E_TIMEOUT).
READ_TIMEOUT = 1.0


def test_stalled_client_is_cut_off(server: Server) -> None:
    """A client stalling after 10 of 1000 bytes is answered 408 on time, unhandled.

    Every configuration times the body read itself (read_timeout=1.0): the
    ASGI ones per receive, the gunicorn ones on the connection's socket.
    The server goes on serving other requests.
    """
    headers = signed(b"{}", "msg_stalled")
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head = f"POST /hooks/acme HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n{lines}\r\n".encode()
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head + b"{" + b"x" * 9)
        answer = sock.recv(4096)
        elapsed = time.monotonic() - started
        while chunk := sock.recv(4096):  # the server closes the connection
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
        assert http_body(answer) == b"request timeout"
        assert READ_TIMEOUT * 0.9 <= elapsed < READ_TIMEOUT + 2.0
        body = b'{"type":"meanwhile"}'
        response = httpx.post(
            f"{server.url}/hooks/acme", content=body, headers=signed(body), timeout=10
        )
        assert (response.status_code, response.text) == (200, "handled")
    assert "msg_stalled" not in ledger(server.ledger)  # type: ignore[attr-defined]


def test_handshake_is_answered(server: Server) -> None:
    """A signed Slack url_verification is answered with the bare challenge text."""
    body = b'{"type":"url_verification","challenge":"e2e-challenge"}'
    response = httpx.post(f"{server.url}/hooks/slack", content=body, headers=SLACK.sign(body))
    assert (response.status_code, response.content) == (200, b"e2e-challenge")
    assert response.headers["content-type"].startswith("text/plain")


def test_head_is_200_on_the_route_as_declared(server: Server) -> None:
    """HEAD, which some providers probe with, is 200 on a POST route; GET is 405."""
    assert httpx.head(f"{server.url}/hooks/acme").status_code == 200
    assert httpx.get(f"{server.url}/hooks/acme").status_code == 405


@pytest.mark.parametrize("failure", ["status", "raise"])
def test_a_5xx_releases_the_claim_and_the_retry_runs(server: Server, failure: str) -> None:
    """A handler that answers 503, or raises, leaves the delivery to the provider's retry."""
    body = b'{"type":"x","fail":"%s"}' % failure.encode()
    headers = signed(body)
    first = httpx.post(f"{server.url}/hooks/acme", content=body, headers=headers)
    retry = httpx.post(f"{server.url}/hooks/acme", content=body, headers=headers)
    again = httpx.post(f"{server.url}/hooks/acme", content=body, headers=headers)
    assert first.status_code >= 500
    assert (retry.status_code, retry.text) == (200, "handled")
    assert (again.status_code, again.text) == (200, "already handled")
    assert ledger(server.ledger)[headers["webhook-id"]] == 2  # type: ignore[attr-defined]


def test_form_body_is_verified_raw(server: Server) -> None:
    """A form-encoded body, which the framework would parse, verifies as sent."""
    body = b"a=1&b=caf%C3%A9"
    headers = signed(body, "msg_form", **{"Content-Type": "application/x-www-form-urlencoded"})
    response = httpx.post(f"{server.url}/hooks/acme", content=body, headers=headers)
    assert (response.status_code, response.text) == (200, "handled")


def test_concurrent_duplicates_run_once(server: Server) -> None:
    """Twenty copies of one delivery at once, across workers, run the handler exactly once."""
    body = b'{"type":"burst"}'
    headers = signed(body, "msg_burst")
    with httpx.Client() as client, ThreadPoolExecutor(10) as pool:
        responses = list(
            pool.map(
                lambda _: client.post(f"{server.url}/hooks/acme", content=body, headers=headers),
                range(20),
            )
        )
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {200, 409}
    assert sum(r.text == "handled" for r in responses) == 1
    assert ledger(server.ledger)["msg_burst"] == 1  # type: ignore[attr-defined]
