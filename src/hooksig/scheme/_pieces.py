"""
Signed content made piece by piece, for content that must not be built whole.

A content builder usually returns the signed bytes.  Twilio signs the URL
followed by the *decoded* form fields in sorted order: built whole, that is
a second (and, as text, third) copy of a large body.  Such a builder
returns :class:`Pieces` instead: the head (the URL) and a function that
yields the rest in pieces, again on every call, so the verifier can feed
each key's HMAC (and each URL variant) without ever joining them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator


class Pieces:
    """
    Signed content as a head and a re-iterable tail: ``b"".join(pieces)`` is the content.

    Iterating yields the head, then the tail's pieces, decoded anew each time.
    """

    __slots__ = ("_tail", "head")

    def __init__(self, head: bytes, tail: Callable[[], Iterable[bytes]]) -> None:
        self.head = head
        self._tail = tail

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        yield from self._tail()

    def __bytes__(self) -> bytes:
        return b"".join(self)

    def with_head(self, head: bytes) -> Pieces:
        """The same tail after another head (another URL variant)."""
        return Pieces(head, self._tail)
