"""hooksig.delivery: the immutable result, its lazy body id and json()."""

from __future__ import annotations

import base64
from typing import Any

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
    [b"not json", b"\xff\xfe", b"[1, 2]", b'{"id": true}', b'{"other": "x"}', b"", DEEP],
    ids=["text", "not-utf8", "list", "bool-id", "no-field", "empty", "deep"],
)
def test_unreadable_body_id_is_none(body: bytes) -> None:
    """A body without an id field (a string or integer) gives id None, never raises, is cached."""
    delivery = _delivery(body=body, id=None, id_source=BodyField("id"))
    assert delivery.id is None
    assert delivery.id is None


def test_integer_body_id() -> None:
    """An integer id (Telegram's update_id) is its decimal text."""
    assert _delivery(body=b'{"id": 5}', id=None, id_source=BodyField("id")).id == "5"


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


class TestSnapshot:
    """A Delivery never follows later edits of the headers it was given."""

    def test_a_dict_is_copied(self) -> None:
        """Editing the caller's dict afterwards changes nothing the Delivery shows."""
        given = {"X-Sig": "v", "X-Other": "1"}
        delivery = _delivery(headers=given)
        given["X-Sig"] = "changed"
        given["X-New"] = "added"
        assert delivery.headers["x-sig"] == "v"
        assert "x-new" not in delivery.headers

    def test_pairs_are_copied(self) -> None:
        """Editing the caller's list of pairs afterwards changes nothing either."""
        given = [(b"x-sig", b"v")]
        delivery = _delivery(headers=given)
        given.append((b"x-new", b"1"))
        given[0] = (b"x-sig", b"changed")
        assert dict(delivery.headers) == {"x-sig": "v"}

    @pytest.mark.parametrize("shape", ["dict", "asgi"])
    def test_through_verify(self, shape: str) -> None:
        """Both routes of verify() hand back a snapshot, whatever the header shape."""
        import hooksig

        verifier = hooksig.Verifier("github", secret="It's a Secret to Everybody")
        signed = verifier.sign(b"{}", id="d-1")
        given: Any = (
            dict(signed)
            if shape == "dict"
            else [(k.lower().encode(), v.encode()) for k, v in signed.items()]
        )
        delivery = verifier.verify(b"{}", given)
        if shape == "dict":
            given["X-GitHub-Delivery"] = "d-2"
        else:
            given[:] = []
        assert delivery.headers["x-github-delivery"] == "d-1"
        assert delivery.id == "d-1"

    def test_the_view_is_made_once(self) -> None:
        """The case-insensitive view is built on first access and kept."""
        delivery = _delivery(headers={"X-Sig": "v"})
        assert delivery.headers is delivery.headers

    def test_no_instance_dict(self) -> None:
        """Slots only: no attribute can be added, even through object.__setattr__."""
        delivery = _delivery()
        assert not hasattr(delivery, "__dict__")
        with pytest.raises(AttributeError):
            object.__setattr__(delivery, "extra", 1)


class TestIdSource:
    """An id read from the verified delivery, once."""

    def test_read_once(self) -> None:
        """The reader runs on first access only."""
        calls: list[Delivery] = []

        def reader(delivery: Delivery) -> str:
            calls.append(delivery)
            return "from-reader"

        delivery = _delivery(id=None, id_source=reader)
        assert (delivery.id, delivery.id) == ("from-reader", "from-reader")
        assert calls == [delivery]


class TestPlainData:
    """Pickle and to_dict()/from_dict(): a verified delivery handed to a task queue."""

    def test_pickle_round_trip(self) -> None:
        """A pickled Delivery comes back equal, its lazy id resolved, its headers kept."""
        import pickle

        delivery = _delivery(body=b'{"id": "evt_9"}', id=None, id_source=BodyField("id"))
        again = pickle.loads(pickle.dumps(delivery))  # noqa: S301 - our own bytes
        assert again == delivery
        assert (again.id, again.headers["x-sig"], again.key_id) == ("evt_9", "v", "0")
        assert type(again) is Delivery

    @pytest.mark.parametrize("body", [b"", b"\x00\xff\xfe binary", '{"a": "é"}'.encode()])
    def test_to_dict_round_trip(self, body: bytes) -> None:
        """to_dict() is JSON-safe (body in base64) and from_dict() gives the same delivery."""
        import json

        delivery = _delivery(body=body)
        data = json.loads(json.dumps(delivery.to_dict()))
        assert data == {
            "scheme": "acme",
            "id": "msg_1",
            "timestamp": 1_700_000_000,
            "key_id": "0",
            "body_base64": base64.b64encode(body).decode(),
            "headers": {"x-sig": "v"},
        }
        again = Delivery.from_dict(data)
        assert again == delivery
        assert again.body == body
        assert dict(again.headers) == {"x-sig": "v"}

    @pytest.mark.parametrize(
        "change",
        [
            {"extra": 1},
            {"timestamp": True},
            {"timestamp": "1700000000"},
            {"id": 5},
            {"scheme": None},
            {"key_id": 0},
            {"body_base64": "not base64!"},
            {"body_base64": 5},
            {"headers": [["x", "y"]]},
            {"headers": {"x": 1}},
        ],
        ids=repr,
    )
    def test_from_dict_refuses_what_to_dict_never_gives(self, change: dict[str, Any]) -> None:
        """Anything but to_dict()'s shape is MalformedPayload, never another exception."""
        data = {**_delivery().to_dict(), **change}
        with pytest.raises(MalformedPayload):
            Delivery.from_dict(data)

    def test_from_dict_refuses_a_non_mapping(self) -> None:
        """A list is not the plain form of a Delivery."""
        with pytest.raises(MalformedPayload):
            Delivery.from_dict([])  # type: ignore[arg-type]


class TestStrictJson:
    """json() is as strict as documented."""

    @pytest.mark.parametrize(
        "body",
        [
            '{"a": 1}'.encode("utf-16"),
            '{"a": 1}'.encode("utf-16-le"),
            '{"a": 1}'.encode("utf-32"),
            b"\xef\xbb\xbf" + b'{"a": 1}',
            b'{"a": NaN}',
            b'{"a": Infinity}',
            b'{"a": -Infinity}',
            b"[NaN]",
            b'{"a": 1, "a": 2}',
            b'{"x": {"a": 1, "a": 1}}',
            b'[{"k": 1, "k": 1}]',
        ],
        ids=[
            "utf-16",
            "utf-16-le",
            "utf-32",
            "bom",
            "nan",
            "infinity",
            "-infinity",
            "nan-in-array",
            "duplicate",
            "nested-duplicate",
            "duplicate-in-array",
        ],
    )
    def test_refused(self, body: bytes) -> None:
        """Other encodings, a BOM, NaN/Infinity, repeated keys: MalformedPayload."""
        with pytest.raises(MalformedPayload):
            _delivery(body=body).json()

    def test_accepted(self) -> None:
        """Plain UTF-8 JSON, any value at the top."""
        assert _delivery(body='{"a": ["é", 1.5, null]}'.encode()).json() == {"a": ["é", 1.5, None]}
        assert _delivery(body=b"3").json() == 3
