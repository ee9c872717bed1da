"""hooksig._primitives.compare: bytes-only constant-time comparison, every key x every candidate."""

from __future__ import annotations

import hmac

import pytest

import hooksig._primitives.compare
from hooksig._primitives.compare import bytes_eq, match_key


class TestBytesEq:
    """In the spirit of pyca/cryptography's tests/hazmat/primitives/test_constant_time.py."""

    def test_refuses_text(self) -> None:
        """str (or any non-bytes) on either side is a TypeError, never a text compare."""
        for a, b in [("abc", b"abc"), (b"abc", "abc"), ("abc", "abc"), (bytearray(b"a"), b"a")]:
            with pytest.raises(TypeError):
                bytes_eq(a, b)  # type: ignore[arg-type]

    def test_compares(self) -> None:
        """Equal bytes compare equal; any difference compares unequal."""
        assert bytes_eq(b"foo", b"foo") is True
        assert bytes_eq(b"", b"") is True
        assert bytes_eq(b"foo", b"bar") is False
        assert bytes_eq(b"foo", b"fop") is False

    @pytest.mark.parametrize(("a", "b"), [(b"foobar", b"foo"), (b"foo", b"foobar"), (b"", b"x")])
    def test_different_lengths_both_orders(self, a: bytes, b: bytes) -> None:
        """A prefix is not equal, whichever side is longer."""
        assert bytes_eq(a, b) is False


_compare_digest = hmac.compare_digest


class _Counter:
    def __init__(self) -> None:
        self.pairs: list[tuple[bytes, bytes]] = []

    def __call__(self, a: bytes, b: bytes) -> bool:
        self.pairs.append((a, b))
        return _compare_digest(a, b)


@pytest.fixture
def counter(monkeypatch: pytest.MonkeyPatch) -> _Counter:
    """Replace hmac.compare_digest as seen by the compare module with a counting wrapper."""
    wrapper = _Counter()
    monkeypatch.setattr(hooksig._primitives.compare.hmac, "compare_digest", wrapper)
    return wrapper


KEYS = [("k0", b"\x00" * 32), ("k1", b"\x01" * 32), ("k2", b"\x02" * 32)]


@pytest.mark.parametrize(
    ("candidates", "found"),
    [
        ([b"\x00" * 32, b"\xff" * 32], "k0"),
        ([b"\xff" * 32, b"\x02" * 32], "k2"),
        ([b"\x02" * 32, b"\x01" * 32, b"\x00" * 32], "k0"),
        ([b"\xff" * 32, b"\xee" * 32], None),
        ([b"\x00" * 31], None),
    ],
)
def test_every_key_meets_every_candidate(
    counter: _Counter, candidates: list[bytes], found: str | None
) -> None:
    """match_key makes len(keys) x len(candidates) comparisons, whatever matches first."""
    assert match_key(KEYS, candidates) == found
    assert len(counter.pairs) == len(KEYS) * len(candidates)
    assert counter.pairs == [(d, c) for _, d in KEYS for c in candidates]


def test_first_key_in_ring_order_wins(counter: _Counter) -> None:
    """When two keys match, the earlier one in the ring is reported, after all comparisons."""
    keys = [("new", b"same"), ("old", b"same")]
    assert match_key(keys, [b"same"]) == "new"
    assert len(counter.pairs) == 2


def test_no_keys_or_no_candidates(counter: _Counter) -> None:
    """An empty side matches nothing and compares nothing."""
    assert match_key([], [b"x"]) is None
    assert match_key(KEYS, []) is None
    assert counter.pairs == []


def test_match_key_refuses_text_candidates() -> None:
    """A hex or base64 text slipped in as a candidate is a TypeError, not a comparison."""
    with pytest.raises(TypeError):
        match_key(KEYS, ["00" * 32])  # type: ignore[list-item]
