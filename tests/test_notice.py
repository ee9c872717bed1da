"""hooksig.notice: Mollie's classic webhooks, an id to fetch, never a verified Delivery."""

from __future__ import annotations

import pytest

import hooksig
from hooksig import ConfigurationError, MalformedPayload
from hooksig.notice import MAX_NOTICE_BYTES, Notice, read_notice


def test_mollie_classic_payment_id() -> None:
    """id=tr_... is read with the URL to fetch it from; it is marked unverified."""
    notice = read_notice("mollie-classic", b"id=tr_WDqYK6vllg")
    assert notice == Notice(
        "mollie-classic", "tr_WDqYK6vllg", "https://api.mollie.com/v2/payments/tr_WDqYK6vllg"
    )
    assert notice.verified is False
    assert not isinstance(notice, hooksig.Delivery)
    assert not hasattr(notice, "body")
    assert read_notice("mollie-classic", b"id=ord_pbjz8x").fetch_url == (
        "https://api.mollie.com/v2/orders/ord_pbjz8x"
    )
    assert read_notice("mollie-classic", b"id=sub_8JfGzs6v3K").fetch_url is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"id=",
        b"id=tr_",
        b"id=tr_abc&id=tr_def",
        b"id=tr_abcd&status=paid",
        b"status=paid",
        b"id=../../admin",
        b"id=tr_ab%2Fcd",
        b'{"id": "tr_abcdef"}',
        b"id=tr_\xff\xfe",
        b"id=tr_" + b"a" * MAX_NOTICE_BYTES,
    ],
)
def test_anything_else_is_malformed(body: bytes) -> None:
    """One id= of the provider's grammar, nothing more, or MalformedPayload."""
    with pytest.raises(MalformedPayload):
        read_notice("mollie-classic", body)


def test_unknown_notice_and_str_body() -> None:
    """An unknown name is a ConfigurationError; a str body is malformed."""
    with pytest.raises(ConfigurationError):
        read_notice("nope", b"id=tr_abcdef")
    with pytest.raises(MalformedPayload):
        read_notice("mollie-classic", "id=tr_abcdef")  # type: ignore[arg-type]


def test_a_notice_cannot_be_marked_verified() -> None:
    """verified is not a constructor argument: a Notice is never verified."""
    with pytest.raises(TypeError):
        Notice("mollie-classic", "tr_abcd", None, verified=True)  # type: ignore[call-arg]
