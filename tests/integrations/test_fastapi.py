"""The FastAPI dependency, through FastAPI's test client."""

# No "from __future__ import annotations": FastAPI reads these annotations at
# runtime, and they name dependencies local to make_app.

from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from pydantic import BaseModel

from hooksig import Delivery
from hooksig.errors import ConfigurationError
from hooksig.idempotency import Idempotency
from hooksig.integrations import Outcomes
from hooksig.integrations.fastapi import VerifiedDelivery, install

from ._testclient import TestClient
from .conftest import BODY, LIMIT, Calls, Kit, assert_clean_logs, held, reasons


class Invoice(BaseModel):
    """A JSON body FastAPI parses itself."""

    type: str
    amount: int


def make_app(
    kit: Kit, calls: Calls, guard: Idempotency | None, *, exact: bool = True, **options: Any
) -> FastAPI:
    """An app with a guarded webhook route, a Slack route, a failing and a model route."""
    app = FastAPI()
    if exact:
        install(app)
    verified = VerifiedDelivery(kit.verifier, idempotency=guard, **options)
    slack = VerifiedDelivery(kit.slack)

    @app.post("/hooks/acme")
    async def acme(delivery: Annotated[Delivery, Depends(verified)]) -> dict[str, bool]:
        calls.deliveries.append(delivery)
        return {"handled": True}

    @app.post("/hooks/slack")
    async def slack_hook(delivery: Annotated[Delivery, Depends(slack)]) -> None:
        calls.deliveries.append(delivery)

    @app.post("/hooks/flaky")
    def flaky(delivery: Annotated[Delivery, Depends(verified)]) -> str:
        calls.deliveries.append(delivery)
        if len(calls) == 1:
            raise RuntimeError("handler failed")
        return "ok"

    @app.post("/hooks/model")
    async def model(invoice: Invoice, delivery: Annotated[Delivery, Depends(verified)]) -> int:
        calls.deliveries.append(delivery)
        return invoice.amount

    return app


@pytest.fixture
def client(kit: Kit, calls: Calls, guard: Idempotency) -> TestClient:
    """A test client of the app guarded by a MemoryStore."""
    return TestClient(make_app(kit, calls, guard))


def test_valid_delivery_runs_the_handler(client: TestClient, kit: Kit, calls: Calls) -> None:
    """An authentic delivery reaches the handler with its exact bytes and id."""
    response = client.post("/hooks/acme", content=BODY, headers=kit.signed())
    assert (response.status_code, response.json()) == (200, {"handled": True})
    assert calls.deliveries[0].body == BODY
    assert calls.deliveries[0].id == "msg_1"


def test_forged_delivery_is_403(
    client: TestClient, kit: Kit, calls: Calls, caplog: pytest.LogCaptureFixture
) -> None:
    """A wrong signature is answered 403 'forbidden' and the handler never runs."""
    response = client.post("/hooks/acme", content=BODY, headers=kit.forged())
    assert (response.status_code, response.content) == (403, b"forbidden")
    assert len(calls) == 0
    assert reasons(caplog) == ["no_match"]
    assert_clean_logs(caplog)


def test_without_install_the_status_is_kept(kit: Kit, calls: Calls, guard: Idempotency) -> None:
    """Without install(), FastAPI's JSON detail carries the answer with the same status."""
    client = TestClient(make_app(kit, calls, guard, exact=False))
    response = client.post("/hooks/acme", content=BODY, headers=kit.forged())
    assert (response.status_code, response.json()) == (403, {"detail": "forbidden"})


def test_stale_delivery_is_403(client: TestClient, kit: Kit, calls: Calls) -> None:
    """An authentic but stale delivery is refused."""
    assert client.post("/hooks/acme", content=BODY, headers=kit.stale()).status_code == 403
    assert len(calls) == 0


def test_oversized_body_is_413(client: TestClient, kit: Kit, calls: Calls) -> None:
    """A body over the limit is refused and the connection marked for closing."""
    body = b"x" * (LIMIT + 1)
    response = client.post("/hooks/acme", content=body, headers=kit.signed(body))
    assert response.status_code == 413
    assert response.headers["connection"] == "close"
    assert len(calls) == 0


def test_streamed_oversized_body_is_413(client: TestClient, kit: Kit, calls: Calls) -> None:
    """A chunked body with no length is refused once it crosses the limit."""

    def chunks() -> Any:
        for _ in range(100):
            yield b"x" * 1000

    response = client.post("/hooks/acme", content=chunks(), headers=kit.signed())
    assert response.status_code == 413
    assert len(calls) == 0


def test_duplicate_done_is_200_without_running(
    kit: Kit, calls: Calls, sqlite_guard: Idempotency
) -> None:
    """A redelivery is answered 200 from the SQLite store without running the handler."""
    client = TestClient(make_app(kit, calls, sqlite_guard))
    assert client.post("/hooks/acme", content=BODY, headers=kit.signed()).status_code == 200
    again = client.post("/hooks/acme", content=BODY, headers=kit.signed())
    assert (again.status_code, again.text) == (200, "already handled")
    assert len(calls) == 1


def test_duplicate_in_progress_is_409(
    client: TestClient, kit: Kit, calls: Calls, guard: Idempotency
) -> None:
    """A delivery held by another worker is answered 409 with Retry-After."""
    with held(guard):
        response = client.post("/hooks/acme", content=BODY, headers=kit.signed())
    assert response.status_code == 409
    assert response.headers["retry-after"] == "30"
    assert len(calls) == 0


def test_store_down_is_503(kit: Kit, calls: Calls, down_guard: Idempotency) -> None:
    """An unreachable store is answered 503."""
    client = TestClient(make_app(kit, calls, down_guard))
    assert client.post("/hooks/acme", content=BODY, headers=kit.signed()).status_code == 503
    assert len(calls) == 0


def test_handshake_is_answered_exactly(client: TestClient, kit: Kit, calls: Calls) -> None:
    """A signed Slack challenge is answered with the bare challenge, not run."""
    body, headers = kit.challenge()
    response = client.post("/hooks/slack", content=body, headers=headers)
    assert (response.status_code, response.text) == (200, "c-7f3a")
    assert response.headers["content-type"].startswith("text/plain")
    assert len(calls) == 0


def test_form_body_is_verified_raw(client: TestClient, kit: Kit, calls: Calls) -> None:
    """A form-encoded body reaches verification as the exact bytes sent."""
    body = b"a=1&b=caf%C3%A9"
    headers = {**kit.signed(body), "Content-Type": "application/x-www-form-urlencoded"}
    assert client.post("/hooks/acme", content=body, headers=headers).status_code == 200
    assert calls.deliveries[0].body == body


def test_json_body_parsed_by_fastapi_is_still_verified_raw(
    client: TestClient, kit: Kit, calls: Calls
) -> None:
    """A route with a model parameter verifies the raw bytes FastAPI cached."""
    body = b'{"type": "invoice.paid",   "amount": 42}'
    headers = {**kit.signed(body), "Content-Type": "application/json"}
    response = client.post("/hooks/model", content=body, headers=headers)
    assert (response.status_code, response.json()) == (200, 42)
    assert calls.deliveries[0].body == body
    forged = client.post("/hooks/model", content=body, headers={**kit.forged(body, id="m2")})
    assert forged.status_code == 403


def test_failing_handler_releases_the_claim(kit: Kit, calls: Calls, guard: Idempotency) -> None:
    """A handler that raises releases the claim so the retry runs it again."""
    client = TestClient(make_app(kit, calls, guard), raise_server_exceptions=False)
    headers = kit.signed(id="msg_flaky")
    assert client.post("/hooks/flaky", content=BODY, headers=headers).status_code == 500
    assert client.post("/hooks/flaky", content=BODY, headers=headers).status_code == 200
    assert client.post("/hooks/flaky", content=BODY, headers=headers).text == "already handled"
    assert len(calls) == 2


def test_options(kit: Kit, calls: Calls) -> None:
    """A custom table applies; a bad read timeout is refused at construction."""
    client = TestClient(make_app(kit, calls, None, outcomes=Outcomes(invalid=401)))
    assert client.post("/hooks/acme", content=BODY, headers=kit.forged()).status_code == 401
    with pytest.raises(ConfigurationError):
        VerifiedDelivery(kit.verifier, read_timeout=-1)
