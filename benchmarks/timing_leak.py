"""
Timing-leak check, dudect style: does the time taken depend on where a signature differs?

Two classes of input are timed in a random interleaving: a candidate that
differs from the expected digest in its first byte, and one that differs in
its last byte.  Welch's t-test compares the two timing distributions, also
after cropping the slow tail at several percentiles (dudect's trick against
interrupts); the largest |t| is reported.  |t| > 10 is a leak: dudect's own
"probably not constant time" bound for that maximum (``t_threshold_moderate``).
The textbook 4.5 of a single t-test is too tight once the maximum over crops
is taken on a shared machine: ``hmac.compare_digest`` itself reached 4.8 here,
while the controls show |t| in the hundreds to thousands.

The positive control is a naive early-exit comparison written in Python
(``==`` byte by byte); it must leak, both alone and patched into a whole
``Verifier.verify``, or the measurement is too blunt to mean anything.

Run ``python benchmarks/timing_leak.py`` (about a minute; bounded below 2).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import hashlib
import hmac
import math
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO, TypeVar

import hooksig
from hooksig._primitives import compare
from hooksig.scheme import _compiled as compiled

THRESHOLD = 10.0
CROPS = (None, 0.99, 0.95, 0.90, 0.75, 0.50)
SECRET = "hooksig-timing-secret-0123456789abcdef"

#: The input both classes are made of: bytes for the compares, headers for ``verify``.
T = TypeVar("T")


def naive_eq(a: bytes | str, b: bytes | str) -> bool:
    """The control: returns at the first differing byte or character, as ``==`` does."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):  # noqa: SIM110 - the early exit is the point
        if x != y:
            return False
    return True


@contextlib.contextmanager
def compares_replaced(replacement: Callable[[bytes | str, bytes | str], bool]) -> Iterator[None]:
    """
    Every constant-time compare the pipeline makes goes to *replacement* inside the block.

    ``bytes_eq`` and ``match_key`` call ``hmac.compare_digest`` as they run;
    the compiled route (one key: the digest's text against the signature as
    sent) calls the name it imported.  tests/properties/test_schemes.py holds
    every HMAC scheme to these names, so that the whole-pipeline control
    cannot go blunt unnoticed.
    """
    original = hmac.compare_digest
    hmac.compare_digest = replacement  # type: ignore[assignment]
    compiled.compare_digest = replacement  # type: ignore[attr-defined,assignment]
    try:
        yield
    finally:
        hmac.compare_digest = original
        compiled.compare_digest = original  # type: ignore[attr-defined]


def welch_t(a: list[float], b: list[float]) -> float:
    """Welch's t statistic of two samples."""
    va, vb = statistics.variance(a), statistics.variance(b)
    denominator = math.sqrt(va / len(a) + vb / len(b))
    return 0.0 if denominator == 0 else (statistics.fmean(a) - statistics.fmean(b)) / denominator


def max_abs_t(first: list[float], last: list[float]) -> float:
    """The largest |t| over the uncropped data and each percentile crop."""
    pooled = sorted(first + last)
    best = 0.0
    for crop in CROPS:
        if crop is None:
            a, b = first, last
        else:
            limit = pooled[int(crop * (len(pooled) - 1))]
            a = [x for x in first if x <= limit]
            b = [x for x in last if x <= limit]
        if len(a) > 2 and len(b) > 2:
            best = max(best, abs(welch_t(a, b)))
    return best


def measure(
    function: Callable[[T], object],
    make_first: Callable[[], T],
    make_last: Callable[[], T],
    *,
    samples: int,
    batch: int,
    seed: int = 7,
    budget_s: float = 25.0,
) -> float:
    """
    Time *function* on inputs of both classes in a random order; return max |t|.

    One call site for both classes, as dudect does: only the data differs.
    Each input is made fresh just before it is timed (outside the timed
    region), so both classes reuse the same allocator slots at random and
    no object's address or cache line stands for a class; one untimed call
    then settles caches and branch predictors the same way for both classes,
    whatever the input maker did.  Stops at *budget_s*.
    """
    rng = random.Random(seed)
    makers = (make_first, make_last)
    times: tuple[list[float], list[float]] = ([], [])
    clock = time.perf_counter_ns
    for index in range(2000):  # warm up both classes
        function(makers[index & 1]())
    deadline = time.monotonic() + budget_s
    gc.disable()
    try:
        for index in range(samples):
            which = rng.getrandbits(1)
            argument = makers[which]()
            function(argument)  # untimed: leaves the same machine state for both classes
            start = clock()
            for _ in range(batch):
                function(argument)
            times[which].append((clock() - start) / batch)
            del argument
            if index % 1024 == 0 and time.monotonic() > deadline:
                break
    finally:
        gc.enable()
    return max_abs_t(times[0], times[1])


def _flip(data: bytes, position: int) -> bytes:
    mutable = bytearray(data)
    mutable[position] ^= 0x01
    return bytes(mutable)


def _signature_header(mac: bytes, position: int) -> dict[str, str]:
    return {"X-Hub-Signature-256": "sha256=" + _flip(mac, position).hex()}


def _refuse(verifier: hooksig.Verifier, body: bytes) -> Callable[[dict[str, str]], None]:
    def run(headers: dict[str, str]) -> None:
        try:
            verifier.verify(body, headers)
        except hooksig.InvalidSignature:
            return
        raise AssertionError("a wrong signature verified")

    return run


def run_checks(*, quick: bool = False, out: TextIO = sys.stdout) -> dict[str, float]:
    """Every check; returns ``{name: max |t|}``."""
    scale = 4 if quick else 1
    digest = hashlib.sha256(b"delivery").digest()
    expected = [("0", digest)]
    results: dict[str, float] = {}

    def report(name: str, value: float) -> None:
        results[name] = value
        print(f"{name:<40} max|t| = {value:7.2f}", file=out, flush=True)

    compare_samples = 200_000 // scale

    # The two classes are made by the same code with another position: only data differs.
    first = functools.partial(_flip, digest, 0)
    last = functools.partial(_flip, digest, len(digest) - 1)

    report(
        "control: naive early-exit compare",
        measure(lambda c: naive_eq(digest, c), first, last, samples=compare_samples, batch=8),
    )
    report(
        "sanity: same input in both classes",
        measure(
            lambda c: compare.bytes_eq(digest, c), first, first, samples=compare_samples, batch=8
        ),
    )
    report(
        "hooksig._primitives.compare.bytes_eq",
        measure(
            lambda c: compare.bytes_eq(digest, c), first, last, samples=compare_samples, batch=8
        ),
    )
    report(
        "hooksig._primitives.compare.match_key",
        measure(
            lambda c: compare.match_key(expected, [c]),
            first,
            last,
            samples=compare_samples,
            batch=8,
        ),
    )

    body = b'{"id":"evt_1","object":"event"}' * 8
    verifier = hooksig.Verifier("github", secret=SECRET)
    mac = hmac.new(SECRET.encode(), body, "sha256").digest()

    headers_first = functools.partial(_signature_header, mac, 0)
    headers_last = functools.partial(_signature_header, mac, len(mac) - 1)

    verify_samples = 60_000 // scale
    refuse = _refuse(verifier, body)
    report(
        "hooksig Verifier.verify (github)",
        measure(refuse, headers_first, headers_last, samples=verify_samples, batch=1),
    )
    with compares_replaced(naive_eq):  # the control, in the whole pipeline
        report(
            "control: Verifier.verify with naive compare",
            measure(refuse, headers_first, headers_last, samples=verify_samples, batch=1),
        )
    return results


def verdicts(results: dict[str, float]) -> list[str]:
    """``OK``/``LEAK``/``BLUNT`` per check: controls must leak, hooksig must not."""
    lines = []
    for name, value in results.items():
        leak = value > THRESHOLD
        if name.startswith("sanity"):
            verdict = "BLUNT (harness bias)" if leak else "OK (harness unbiased)"
        elif name.startswith("control"):
            verdict = "OK (control leaks)" if leak else "BLUNT (control shows no leak)"
        else:
            verdict = "LEAK" if leak else "OK (no leak)"
        lines.append(f"{verdict:<32} {name}: |t| = {value:.2f} (threshold {THRESHOLD})")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python benchmarks/timing_leak.py [--quick]``; exit 1 on a leak."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--quick", action="store_true", help="a quarter of the samples")
    args = parser.parse_args(argv)
    started = time.monotonic()
    results = run_checks(quick=args.quick)
    lines = verdicts(results)
    print()
    print("\n".join(lines))
    print(f"\n(took {time.monotonic() - started:.0f} s)")
    return 1 if any(line.startswith(("LEAK", "BLUNT")) for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
