"""hooksig.scheme.ids: where a delivery's id comes from, read from the verified delivery."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

import hooksig
from hooksig import ConfigurationError, Delivery, HmacScheme, Verifier
from hooksig.scheme import (
    BodyDigest,
    BodyField,
    EachItem,
    FirstOf,
    FormField,
    HeaderField,
    IdSource,
    Joined,
    RandomId,
)
from hooksig.scheme.ids import check_source, field_names

SECRET = "a secret of thirty-two bytes....."


def _delivery(body: bytes = b"{}", headers: Any = None) -> Delivery:
    return Delivery("acme", None, None, "0", body, headers or {})


class TestHeaderField:
    """An id in a header: one of its spellings, checked like a header id."""

    def test_first_spelling_present(self) -> None:
        """Either spelling; both present and equal is one id."""
        source = HeaderField("webhook-id", "svix-id")
        assert source(_delivery(headers={"SVIX-ID": "msg_1"})) == "msg_1"
        assert source(_delivery(headers={"webhook-id": "a", "svix-id": "a"})) == "a"

    @pytest.mark.parametrize(
        "headers",
        [
            {},
            {"X-Id": "has space"},
            {"X-Id": "x" * 257},
            {"X-Id": "caf\u00e9"},
            {"X-Id": ""},
            [("X-Id", "a"), ("x-id", "b")],
        ],
        ids=["absent", "space", "too-long", "non-ascii", "empty", "sent-twice"],
    )
    def test_nothing_usable_is_none(self, headers: Any) -> None:
        """Absent, not an id, or sent twice: None, never an exception."""
        assert HeaderField("X-Id")(_delivery(headers=headers)) is None

    def test_spellings_that_disagree(self) -> None:
        """Two spellings with two values are ambiguous: None."""
        source = HeaderField("webhook-id", "svix-id")
        assert source(_delivery(headers={"webhook-id": "a", "svix-id": "b"})) is None


class TestBodyField:
    """An id at a dotted path of the JSON body, parsed strictly, after verification."""

    def test_nested(self) -> None:
        """A dotted path walks objects; a key with a hyphen is fine."""
        body = json.dumps({"event-data": {"id": "ev_1"}, "event": {"id": "e"}}).encode()
        assert BodyField("event-data.id")(_delivery(body)) == "ev_1"
        assert BodyField("event.id")(_delivery(body)) == "e"

    def test_an_integer_is_its_decimal_text(self) -> None:
        """Telegram's update_id is a number; its text is the id."""
        assert BodyField("update_id")(_delivery(b'{"update_id": 123456789}')) == "123456789"
        assert BodyField("n")(_delivery(b'{"n": -7}')) == "-7"

    @pytest.mark.parametrize(
        "body",
        [
            b"not json",
            b'{"id": true}',
            b'{"id": 1.5}',
            b'{"id": null}',
            b'{"id": "has space"}',
            b'{"id": "a", "id": "b"}',
            b'{"other": "x"}',
            b"[1]",
            b"[" * 100_000,
        ],
        ids=["text", "bool", "fraction", "null", "space", "duplicate", "absent", "array", "deep"],
    )
    def test_nothing_usable_is_none(self, body: bytes) -> None:
        """Not JSON, not a string or integer id, ambiguous or absent: None."""
        assert BodyField("id")(_delivery(body)) is None

    @pytest.mark.parametrize("path", ["", "a.", ".a", "a..b"])
    def test_bad_path(self, path: str) -> None:
        """A path with an empty part is refused at declaration."""
        with pytest.raises(ConfigurationError):
            BodyField(path)


class TestFormField:
    """An id in a form body's field."""

    def test_one_value(self) -> None:
        """The field's only value."""
        assert FormField("trigger_id")(_delivery(b"command=%2Fx&trigger_id=1.2.abc")) == "1.2.abc"

    @pytest.mark.parametrize(
        "body",
        [b"trigger_id=a&trigger_id=b", b'{"trigger_id": "a"}', b"\xff=1", b"other=1", b"a=1&&"],
        ids=["twice", "json", "not-utf-8", "absent", "not-strict"],
    )
    def test_nothing_usable_is_none(self, body: bytes) -> None:
        """Sent twice, not a form, or absent: None."""
        assert FormField("trigger_id")(_delivery(body)) is None


class TestComposition:
    """FirstOf for fallbacks, Joined for ids in parts."""

    def test_first_of_is_in_order(self) -> None:
        """The first source that finds an id wins."""
        source = FirstOf(HeaderField("X-Id"), BodyField("id"), BodyDigest())
        assert source(_delivery(b'{"id": "b"}', {"X-Id": "h"})) == "h"
        assert source(_delivery(b'{"id": "b"}')) == "b"
        assert source(_delivery(b"{}")).startswith("body:")  # type: ignore[union-attr]
        assert FirstOf(HeaderField("X-Id"))(_delivery()) is None

    def test_joined_needs_every_part(self) -> None:
        """Joined gives parts joined by the separator, or None if any is missing."""
        source = Joined(BodyField("action.id"), BodyField("model.id"))
        body = b'{"action": {"id": "a1"}, "model": {"id": "m1"}}'
        assert source(_delivery(body)) == "a1:m1"
        assert source(_delivery(b'{"action": {"id": "a1"}}')) is None
        assert (
            Joined(HeaderField("A"), HeaderField("B"), separator="/")(
                _delivery(headers={"A": "x", "B": "y"})
            )
            == "x/y"
        )


class TestDerived:
    """Keys derived from the authenticated bytes where the provider sends none."""

    def test_body_digest(self) -> None:
        """The SHA-256 of the body; equal bodies share it, other bodies do not."""
        assert BodyDigest()(_delivery(b"abc")) == "body:" + hashlib.sha256(b"abc").hexdigest()
        assert BodyDigest()(_delivery(b"abc")) != BodyDigest()(_delivery(b"abd"))

    def test_body_digest_with_headers(self) -> None:
        """Named headers are in the key, length-prefixed: no byte moves between header and body."""
        source = BodyDigest(headers=("X-Hook",))
        one = source(_delivery(b"12", {"X-Hook": "a"}))
        assert one != source(_delivery(b"12", {"X-Hook": "b"}))
        assert source(_delivery(b"2", {"X-Hook": "a1"})) != one
        assert source(_delivery(b"12", {})) != one

    def test_each_item_by_fields(self) -> None:
        """Items' named fields, sorted: the order of items does not matter, the events do."""
        source = EachItem(fields=("sg_event_id",))
        one = json.dumps([{"sg_event_id": "a", "n": 1}, {"sg_event_id": "b"}]).encode()
        two = json.dumps([{"sg_event_id": "b", "x": 2}, {"sg_event_id": "a"}]).encode()
        other = json.dumps([{"sg_event_id": "b"}, {"sg_event_id": "c"}]).encode()
        assert source(_delivery(one)) == source(_delivery(two))
        assert source(_delivery(one)) != source(_delivery(other))
        assert source(_delivery(one)).startswith("items:")  # type: ignore[union-attr]

    def test_each_item_less_some_fields(self) -> None:
        """Without fields, the whole item less the excluded ones (HubSpot's attemptNumber)."""
        source = EachItem(exclude=("attemptNumber",))
        first = json.dumps([{"eventId": 1, "attemptNumber": 0}]).encode()
        retry = json.dumps([{"attemptNumber": 3, "eventId": 1}]).encode()
        other = json.dumps([{"eventId": 2, "attemptNumber": 0}]).encode()
        assert source(_delivery(first)) == source(_delivery(retry))
        assert source(_delivery(first)) != source(_delivery(other))

    @pytest.mark.parametrize(
        "body",
        [b"[]", b'{"sg_event_id": "a"}', b'[{"sg_event_id": "a"}, 5]', b'[{"other": 1}]', b"no"],
        ids=["empty", "object", "non-object-item", "field-missing", "not-json"],
    )
    def test_each_item_none(self, body: bytes) -> None:
        """Not a non-empty array of objects that all have the fields: None."""
        assert EachItem(fields=("sg_event_id",))(_delivery(body)) is None

    def test_each_item_at_a_path(self) -> None:
        """The batch nested in an object (LINE's events); anything else there is None."""
        source = EachItem(fields=("webhookEventId",), path="events")
        one = json.dumps({"destination": "U", "events": [{"webhookEventId": "a", "n": 1}]})
        two = json.dumps({"events": [{"n": 2, "webhookEventId": "a"}], "destination": "V"})
        key = source(_delivery(one.encode()))
        assert key is not None
        assert key == source(_delivery(two.encode()))
        for body in (b'{"events": []}', b'{"events": {"a": 1}}', b'[{"webhookEventId": "a"}]'):
            assert source(_delivery(body)) is None
        with pytest.raises(ConfigurationError):
            EachItem(path="a..b")

    def test_random_id(self) -> None:
        """A new key for each delivery."""
        assert RandomId()(_delivery()) != RandomId()(_delivery())


def test_every_block_describes_itself() -> None:
    """describe() says where the id comes from, for the docs and `hooksig schemes`."""
    source = FirstOf(
        Joined(HeaderField("X-A"), BodyField("a.b")),
        FormField("f"),
        EachItem(fields=("x",)),
        EachItem(exclude=("y",)),
        EachItem(fields=("z",), path="events"),
        BodyDigest(headers=("X-H",)),
        RandomId(),
    )
    assert source.describe() == (
        "header `X-A` + `:` + body field `a.b`, else form field `f`, "
        "else SHA-256 of each item's `x`, sorted (JSON array body), "
        "else SHA-256 of each item less `y`, sorted (JSON array body), "
        "else SHA-256 of each item's `z`, sorted (the array `events`), "
        "else SHA-256 of the body and header `X-H`, else a random key per delivery (no dedup)"
    )
    assert isinstance(source, IdSource)


def test_a_source_is_checked_at_declaration() -> None:
    """id_source= takes an id source; id_source= and id_field= together are ambiguous."""
    assert check_source(RandomId()) == RandomId()
    with pytest.raises(ConfigurationError, match="id source"):
        HmacScheme(name="acme", signature_header="X", id_source="X-Id")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="not both"):
        HmacScheme(name="acme", signature_header="X", id_field="id", id_source=RandomId())


def test_an_unsigned_body_id_is_read_after_verification() -> None:
    """id_header="body.x" is only for an id the provider signs; id_field= reads it after."""
    with pytest.raises(ConfigurationError, match="id_field"):
        HmacScheme(name="acme", signature_header="X", id_header="body.event.id")
    scheme = HmacScheme(name="acme", signature_header="X", id_field="event.id")
    verifier = Verifier(scheme, secret=SECRET)
    body = b'{"event": {"id": "evt_1"}}'
    assert verifier.verify(body, verifier.sign(body)).id == "evt_1"


def test_the_body_is_not_parsed_before_the_signature_is_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """verify() never parses the body for an id; reading Delivery.id does, once."""
    from hooksig._primitives import strict_json

    calls: list[bytes] = []
    real = strict_json.loads

    def counting(data: bytes) -> Any:
        calls.append(data)
        return real(data)

    monkeypatch.setattr(strict_json, "loads", counting)
    verifier = Verifier("stripe", secret=SECRET)
    body = b'{"id": "evt_1"}'
    headers = verifier.sign(body, timestamp=1_700_000_000)
    with pytest.raises(hooksig.InvalidSignature):
        verifier.verify(body + b" ", headers, now=1_700_000_000)
    delivery = verifier.verify(body, headers, now=1_700_000_000)
    assert calls == []
    assert delivery.id == "evt_1"
    assert calls == [body]


def test_sign_writes_the_id_where_the_source_reads_it() -> None:
    """The first header of an id source is where sign() writes the id it is given."""
    assert field_names(FirstOf(Joined(HeaderField("A"), HeaderField("B")), BodyDigest())) == ("A",)
    assert field_names(BodyField("id")) == ()
    scheme = HmacScheme(
        name="acme", signature_header="X", id_source=FirstOf(HeaderField("X-Id"), BodyDigest())
    )
    verifier = Verifier(scheme, secret=SECRET)
    headers = verifier.sign(b"{}", id="d-1")
    assert headers["X-Id"] == "d-1"
    assert verifier.verify(b"{}", headers).id == "d-1"
    assert verifier.verify(b"{}", {"X": headers["X"]}).id == BodyDigest()(_delivery(b"{}"))
