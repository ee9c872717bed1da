"""
Fuzz header parsing: the headers view and ``scheme.parse`` of every registered scheme.

Any input must end in a :class:`~hooksig.ParsedSignature` or a
:class:`~hooksig.WebhookError`; anything else is a crash.

    python fuzz/fuzz_parse.py fuzz/corpus/fuzz_parse -max_total_time=3600
"""

from __future__ import annotations

from _fuzzlib import URL, Reader, header_names, main, scheme_names, signed

import hooksig


def test_one_input(data: bytes) -> None:
    """Parse fuzzed headers with one scheme, chosen by the first bytes."""
    reader = Reader(data)
    names = scheme_names()
    name = names[reader.below(len(names))]
    scheme = hooksig.schemes.get(name)
    known = header_names(scheme)
    pairs: list[tuple[str | bytes, str | bytes]] = []
    valid = signed(name)
    if reader.byte() & 1:
        pairs.extend(valid.items())
    for _ in range(reader.below(6)):
        choice = reader.byte() % 4
        header = known[reader.below(len(known))] if choice < 3 else reader.text(24)
        if choice == 1:
            header = header.upper()
        value: str | bytes = reader.text(160)
        if choice == 2 and valid:
            # Mutate a valid value: cut, extend or splice.
            base = valid.get(header, next(iter(valid.values())))
            cut = reader.below(len(base) + 1)
            value = base[:cut] + reader.text(16) + base[cut + reader.below(4) :]
        pairs.append((header.encode("latin-1", "replace") if reader.byte() & 1 else header, value))
    body = reader.raw(256)
    try:
        view = hooksig.Headers(pairs)
        request = hooksig.Request(body, view, URL, "POST", {"Body": [reader.text(16)]})
        parsed = scheme.parse(request)
    except hooksig.WebhookError:
        return
    if not isinstance(parsed, hooksig.ParsedSignature):
        raise AssertionError(f"{name}: parse() returned {type(parsed).__name__}")


if __name__ == "__main__":
    main(test_one_input)
