"""
Fuzz verification end to end, for every registered scheme.

A valid signed delivery is mutated (body, header values, header copies,
URL, form fields) and verified at a fixed time.  Properties checked:

- the outcome is a :class:`~hooksig.Delivery` or a :class:`~hooksig.WebhookError`;
- an unmutated delivery verifies (sign and verify agree);
- a delivery accepted with a changed body is a forgery, for schemes that sign the body;
- the verifier's fast path agrees with the scheme's own ``signed_contents`` + ``match``.

    python fuzz/fuzz_verify.py fuzz/corpus/fuzz_verify -max_total_time=3600
"""

from __future__ import annotations

from _fuzzlib import (
    NOW,
    URL,
    Reader,
    body_for,
    main,
    scheme_names,
    signed,
    signs_in_body,
    verifier,
)

import hooksig


def _generic_match(found: hooksig.Verifier, body: bytes, headers: object, url: str) -> bool:
    scheme = found.scheme
    request = hooksig.Request(body, hooksig.Headers(headers), url, "POST", None)  # type: ignore[arg-type]
    parsed = scheme.parse(request)
    contents = getattr(scheme, "signed_contents", None)
    options = contents(parsed, request) if contents else (scheme.signed_content(parsed, request),)
    keys = found._keys
    return any(scheme.match(keys, content, parsed) is not None for content in options)


def _mutate(
    reader: Reader, body: bytes, pairs: list[tuple[str, str]], url: str
) -> tuple[bytes, list[tuple[str, str]], str]:
    for _ in range(reader.below(4)):
        kind = reader.byte() % 6
        if kind == 0 and body:
            spot = reader.below(len(body))
            body = body[:spot] + bytes([body[spot] ^ (reader.byte() | 1)]) + body[spot + 1 :]
        elif kind == 1:
            body = body + reader.raw(32)
        elif kind == 2 and pairs:
            spot = reader.below(len(pairs))
            pairs[spot] = (pairs[spot][0], reader.text(120))
        elif kind == 3 and pairs:
            pairs.append(pairs[reader.below(len(pairs))])  # a header sent twice
        elif kind == 4 and pairs:
            del pairs[reader.below(len(pairs))]
        elif kind == 5:
            url = URL + reader.text(16)
    return body, pairs, url


def test_one_input(data: bytes) -> None:
    """Verify one mutated delivery of the scheme chosen by the first bytes."""
    reader = Reader(data)
    names = scheme_names()
    name = names[reader.below(len(names))]
    found = verifier(name)
    if found is None:
        return
    headers = dict(signed(name))
    original = body_for(name)
    body, url = original, URL
    pairs: list[tuple[str, str]] = list(headers.items())
    body, pairs, url = _mutate(reader, body, pairs, url)
    mutated_body = body != original
    unchanged = pairs == list(headers.items()) and body == original and url == URL
    try:
        delivery = found.verify(body, pairs, url=url, now=NOW)
    except hooksig.WebhookError as exc:
        roundtrip = unchanged and headers and not signs_in_body(found.scheme)
        if roundtrip:
            raise AssertionError(f"{name}: a delivery signed by sign() was refused") from exc
        return
    if not isinstance(delivery, hooksig.Delivery):
        raise AssertionError(f"{name}: verify() returned {type(delivery).__name__}")
    signs_body = (
        "body" in getattr(found.scheme, "_parts", ())
        and getattr(found.scheme, "construction", "hmac") != "token"  # GitLab: a bare token
    )
    if mutated_body and signs_body:
        raise AssertionError(f"{name}: accepted a changed body")
    if not _generic_match(found, body, pairs, url):
        raise AssertionError(f"{name}: the fast path and match() disagree")


if __name__ == "__main__":
    main(test_one_input)
