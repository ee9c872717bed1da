"""
Where the time of one small delivery goes: the fast path's steps, timed apart.

Run ``python benchmarks/breakdown.py``.  Each step is the same operations the
compiled fast path (``hooksig.scheme._compiled``) runs for a valid 256-byte GitHub and
Stripe delivery, timed alone with ``timeit`` (minimum of 9 runs), beside the
floor and the whole ``Verifier.verify``.  The steps do not add up exactly to
the whole (the whole has no timing loop per step, and the machine is shared),
but they show what is left once the HMAC is paid for.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
import sys
import time
import timeit
from collections.abc import Callable

import _cases

from hooksig.delivery import Delivery, _Fields
from hooksig.scheme import _compiled

RUNS, NUMBER = 9, 50_000


def ns(fn: Callable[[], object]) -> float:
    """Minimum nanoseconds per call of *fn* over RUNS runs."""
    return min(timeit.repeat(fn, number=NUMBER, repeat=RUNS)) / NUMBER * 1e9


def _parts(name: str) -> tuple[_cases.Case, object, bytes, dict[str, str]]:
    case = _cases.build(name, 256)
    cells = case.hooksig.__closure__ or ()  # type: ignore[union-attr]
    names = case.hooksig.__code__.co_freevars  # type: ignore[union-attr]
    found = dict(zip(names, (cell.cell_contents for cell in cells), strict=True))
    return case, found["verifier"], found["body"], found["headers"]


def steps() -> list[tuple[str, float]]:
    """(step, ns) for a valid 256-byte GitHub delivery, plus the steps other shapes add."""
    case, verifier, body, headers = _parts("github")
    fast = verifier._fast  # type: ignore[attr-defined]
    value = headers["X-Hub-Signature-256"]
    state = hmac.new(b"k" * 32, digestmod="sha256")._hmac  # type: ignore[attr-defined]
    digest = hmac.new(b"k" * 32, body, "sha256").digest()
    layouts: dict[tuple[str, ...], object] = {tuple(headers): ()}
    stamp = str(int(time.time()))
    stripe = f"t={stamp},v1={digest.hex()}"
    pairs = re.compile(r"t=([0-9]{1,15}),v1=([0-9a-f]{64})")
    swh = base64.b64encode(digest).decode()
    return [
        ("floor: hmac.new(key, content).digest() + compare_digest", ns(case.floor)),
        ("hooksig: Verifier.verify, whole", ns(case.hooksig)),
        (
            "the compiled closure alone (no Verifier.verify frame)",
            ns(lambda: fast(body, headers, None, time.time, None)),
        ),
        (
            "headers: every value a str, names tuple, layout lookup",
            ns(lambda: ("".join(headers.values()), layouts.get(tuple(headers)))),
        ),
        (
            "signature: prefix, length, fromhex, canonical check",
            ns(lambda: (value.startswith("sha256="), len(value), bytes.fromhex(value[7:]).hex())),
        ),
        (
            "HMAC: copy keyed state, update, digest, compare_digest",
            ns(lambda: hmac.compare_digest(_hmac_digest(state, body), digest)),
        ),
        (
            "Delivery: seven slots",
            ns(lambda: _delivery(body, headers)),
        ),
        (
            "(Stripe) t=...,v1=... in one regex match, hex decode",
            ns(lambda: bytes.fromhex(pairs.fullmatch(stripe)[2])),
        ),  # type: ignore[index]
        (
            "(Stripe, Slack, Standard Webhooks) timestamp grammar, int, window arithmetic",
            ns(
                lambda: (
                    _compiled._TIMESTAMP_TEXT.fullmatch(stamp),
                    time.time() - int(stamp) <= 300,
                )
            ),
        ),
        ("(Standard Webhooks) canonical base64 decode", ns(lambda: _b64(swh))),
    ]


def _delivery(body: bytes, headers: dict[str, str]) -> object:
    delivery = _Fields("github", "id", None, "0", body, headers, None)
    delivery.__class__ = Delivery
    return delivery


def _b64(text: str) -> bool:
    data = binascii.a2b_base64(text)
    return binascii.b2a_base64(data, newline=False) == text.encode("ascii")


def _hmac_digest(state: object, body: bytes) -> bytes:
    mac = state.copy()  # type: ignore[attr-defined]
    mac.update(body)
    return mac.digest()  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    """Print the table in Markdown."""
    print("| step (256-byte delivery) | ns |\n| --- | ---: |")
    for label, value in steps():
        print(f"| {label} | {value:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
