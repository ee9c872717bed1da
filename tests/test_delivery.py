"""hooksig.delivery: the immutable result, its lazy body id and json()."""

from __future__ import annotations

import pytest

from hooksig import Delivery, Headers, MalformedPayload
from hooksig.scheme import BodyField

DEEP = b"[" * 200_000 + b"]" * 200_000


def _delivery(body: bytes = b'{"id": "evt_1", "n": 1}', **kwargs: object) -> Delivery:
    fields: dict[str, object] = {
        "scheme": "acme",
        "id": "msg_1",
        "timestamp": 1_700_000_000,
        "key_id": "0",
        "body": body,
        "headers": Headers({"X-Sig": "v"}),
    }
    fields.update(kwargs)
    return Delivery(**fields)  # type: ignore[arg-type]


def test_fields() -> None:
    """Every field given at construction is readable as an attribute."""
    delivery = _delivery()
    assert (delivery.scheme, delivery.id, delivery.timestamp, delivery.key_id) == (
        "acme",
        "msg_1",
        1_700_000_000,
        "0",
    )
    assert delivery.body == b'{"id": "evt_1", "n": 1}'
    assert delivery.headers["x-sig"] == "v"


def test_immutable() -> None:
    """Setting or deleting any attribute raises AttributeError."""
    delivery = _delivery()
    for name in ("scheme", "id", "body", "new"):
        with pytest.raises(AttributeError, match="immutable"):
            setattr(delivery, name, "x")
        with pytest.raises(AttributeError, match="immutable"):
            delattr(delivery, name)
    assert delivery.body == b'{"id": "evt_1", "n": 1}'


def test_id_from_the_body_field() -> None:
    """With an id source and no header id, the id is read from the JSON body (Stripe)."""
    assert _delivery(id=None, id_source=BodyField("id")).id == "evt_1"


def test_header_id_wins_over_the_body_field() -> None:
    """An id given is kept even when an id source is set."""
    assert _delivery(id="msg_9", id_source=BodyField("id")).id == "msg_9"


@pytest.mark.parametrize(
    "body",
    [b"not json", b"\xff\xfe", b"[1, 2]", b'{"id": 5}', b'{"other": "x"}', b"", DEEP],
    ids=["text", "not-utf8", "list", "int-id", "no-field", "empty", "deep"],
)
def test_unreadable_body_id_is_none(body: bytes) -> None:
    """A body without a string id field gives id None, never an exception, and is cached."""
    delivery = _delivery(body=body, id=None, id_source=BodyField("id"))
    assert delivery.id is None
    assert delivery.id is None


def test_no_id_source_no_id() -> None:
    """Without an id source, a missing header id stays None."""
    assert _delivery(id=None).id is None


def test_json() -> None:
    """json() parses the exact body bytes."""
    assert _delivery().json() == {"id": "evt_1", "n": 1}


@pytest.mark.parametrize(
    "body",
    [b"not json", b"\xff\xfe\x00", b"", b'{"a": }', DEEP],
    ids=["text", "bytes", "empty", "syntax", "deep"],
)
def test_json_refuses_non_json(body: bytes) -> None:
    """Non-JSON, non-UTF-8 or absurdly nested bodies raise MalformedPayload (a ValueError)."""
    with pytest.raises(MalformedPayload):
        _delivery(body=body).json()
    with pytest.raises(ValueError):
        _delivery(body=body).json()


def test_equality_and_hash() -> None:
    """Deliveries compare and hash by scheme, id, timestamp, key id and body."""
    assert _delivery() == _delivery()
    assert hash(_delivery()) == hash(_delivery())
    assert _delivery() != _delivery(key_id="1")
    assert _delivery() != _delivery(body=b"{}")
    assert _delivery() != "Delivery"
    assert len({_delivery(), _delivery()}) == 1


def test_repr_hides_the_body() -> None:
    """repr shows the body's size only."""
    text = repr(_delivery(body=b"secret payload"))
    assert "secret payload" not in text
    assert "body=<14 bytes>" in text
    assert "scheme='acme'" in text
