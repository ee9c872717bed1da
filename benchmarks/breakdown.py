"""
Where the time of one small delivery goes, and what each header shape costs.

Run ``python benchmarks/breakdown.py``.  The first table times, apart with
``timeit`` (minimum of 9 runs), the steps the compiled route of a declared
scheme (``HmacScheme.compile()``) runs for a valid 256-byte GitHub and Stripe
delivery, beside the floor and the whole ``Verifier.verify``; every step is a
public function both routes share.  The steps do not add up exactly to the
whole (the whole has no timing loop per step, and the machine is shared), but
they show what is left once the HMAC is paid for.

The second table verifies one 1 KiB GitHub delivery given as each header
shape adapters have (a ``dict``, ASGI's raw ``(bytes, bytes)`` pairs, a
``hooksig.Headers`` view), interleaved, with the ratio to the ``dict`` call.
"""

from __future__ import annotations

import base64
import hmac
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from hmac import compare_digest

import _cases
from _common import interleaved

from hooksig import Delivery, Headers, Verifier
from hooksig._primitives.compare import bytes_eq
from hooksig._primitives.encoding import decoder, encoder
from hooksig.scheme import HmacScheme, Pairs
from hooksig.scheme.formats import TIMESTAMP_TEXT

RUNS, NUMBER = 9, 50_000


def ns(fn: Callable[[], object]) -> float:
    """Minimum nanoseconds per call of *fn* over RUNS runs."""
    return min(timeit.repeat(fn, number=NUMBER, repeat=RUNS)) / NUMBER * 1e9


def _github(size: int) -> tuple[_cases.Case, Verifier, bytes, dict[str, str]]:
    case = _cases.build("github", size)
    verifier = Verifier("github", secret=_cases.PLAIN_SECRET)
    body = _cases.json_body(size)
    mac = hmac.new(_cases.PLAIN_SECRET.encode(), body, "sha256").hexdigest()
    headers = {
        "X-Hub-Signature-256": "sha256=" + mac,
        "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "X-GitHub-Event": "push",
        "Content-Type": "application/json",
    }
    return case, verifier, body, headers


def _by_leads(value: str) -> tuple[str, str] | None:
    """What the compiled route does with the usual ``t=<ts>,v1=<sig>`` (``Pairs.leads()``)."""
    first, cut, rest = value.partition(",")
    if cut and first.startswith("t=") and rest.startswith("v1=") and "," not in rest:
        return first[2:], rest[3:]
    return None


def steps() -> list[tuple[str, float]]:
    """(step, ns) for a valid 256-byte GitHub delivery, plus the steps other shapes add."""
    case, verifier, body, headers = _github(256)
    scheme = verifier.scheme
    assert isinstance(scheme, HmacScheme)
    ring = scheme.load_keys([_cases.PLAIN_SECRET])
    route = scheme.compile(ring)
    assert route is not None
    value = headers["X-Hub-Signature-256"]
    hex_decode, b64_decode = decoder("hex", 32), decoder("base64", 32)
    mac = ring.macs[0][1]
    digest = mac.digest((body,))
    layouts: dict[tuple[str, ...], object] = {tuple(headers): ()}
    stamp = str(int(time.time()))
    stripe = f"t={stamp},v1={digest.hex()}"
    pairs = Pairs(timestamp_key="t", separator=",")
    swh = base64.b64encode(digest).decode()
    return [
        ("floor: hmac.new(key, content).digest() + compare_digest", ns(case.floor)),
        ("hooksig: Verifier.verify, whole", ns(lambda: verifier.verify(body, headers))),
        (
            "the compiled route alone (no Verifier.verify frame)",
            ns(lambda: route(body, headers, None, time.time, None)),
        ),
        (
            "headers: every value a str, names tuple, layout lookup",
            ns(lambda: ("".join(headers.values()), layouts.get(tuple(headers)))),
        ),
        (
            "signature: prefix, the digest's canonical hex compared as sent",
            ns(lambda: (value.startswith("sha256="), compare_digest(digest.hex(), value[7:]))),
        ),
        (
            "(refusals only) the shared hex decoder, which tells malformed from wrong",
            ns(lambda: hex_decode(value[7:])),
        ),
        (
            "HMAC: the key ring's keyed states copied, updated, compared",
            ns(lambda: bytes_eq(mac.digest((body,)), digest)),
        ),
        (
            "Delivery(...): one tuple, the headers dict copied",
            ns(lambda: Delivery("github", None, None, "0", body, headers)),
        ),
        ("(Stripe) t=...,v1=... read by the format's leads", ns(lambda: _by_leads(stripe))),
        (
            "(Stripe, irregular values) Pairs.split of t=...,v1=...",
            ns(lambda: pairs.split(stripe, "Stripe-Signature")),
        ),
        (
            "(Stripe, Slack, Standard Webhooks) timestamp grammar, int, window arithmetic",
            ns(lambda: (TIMESTAMP_TEXT.fullmatch(stamp), time.time() - int(stamp) <= 300)),
        ),
        (
            "(Standard Webhooks) the digest's canonical base64 compared as sent",
            ns(lambda: compare_digest(encoder("base64")(digest), swh)),
        ),
        ("(refusals only) the shared base64 decoder", ns(lambda: b64_decode(swh))),
    ]


def header_shapes(size: int = 1024, rounds: int = 31) -> list[tuple[str, float, float]]:
    """(shape, median ns, ratio to the dict call) for one GitHub delivery of *size* bytes."""
    _, verifier, body, headers = _github(size)
    asgi = [(name.lower().encode("latin-1"), value.encode()) for name, value in headers.items()]
    view = Headers(headers)
    contenders = {
        "dict of str": lambda: verifier.verify(body, headers),
        "ASGI raw (bytes, bytes) pairs": lambda: verifier.verify(body, asgi),
        "hooksig.Headers view": lambda: verifier.verify(body, view),
    }
    samples = interleaved(contenders, rounds=rounds, target_ns=5e5)
    base = samples["dict of str"]
    return [
        (
            label,
            statistics.median(values),
            statistics.median(a / b for a, b in zip(values, base, strict=True)),
        )
        for label, values in samples.items()
    ]


def main(argv: list[str] | None = None) -> int:
    """Print both tables in Markdown."""
    print("| step (256-byte delivery) | ns |\n| --- | ---: |")
    for label, value in steps():
        print(f"| {label} | {value:,.0f} |")
    print("\n| Verifier.verify, 1 KiB GitHub delivery, headers as | median ns | x dict |")
    print("| --- | ---: | ---: |")
    for label, median, ratio in header_shapes():
        print(f"| {label} | {median:,.0f} | {ratio:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
