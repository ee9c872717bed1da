"""
Memory: tracemalloc peak while verifying a 100 MiB body, per HMAC provider.

The body and headers are made first; tracing starts just before ``verify``
and the peak it reports is what verification allocated on top of the body.
The target: no more than a constant (here 1 MiB), so no copy of the body.
The Verifier's ``max_body_size`` is raised to let such a body through.

Twilio is measured twice: with the form fields a framework parsed
(``params=``, the ``twilio`` row) and from the raw form body, as the
adapters verify it (``twilio (form body)``), once with plain text and once
with a percent-escape every few characters (``twilio (escaped body)``).

Run ``python benchmarks/memory.py``.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
from types import CellType

import _cases

SIZE = 100 * 1024 * 1024
CONSTANT = 1024 * 1024


def peak(name: str, size: int) -> int | None:
    """Bytes allocated at peak during one verification of *size* bytes, or ``None`` if missing."""
    if _cases.missing_reason(name) is not None:
        return None
    original = _cases.json_body
    _cases.json_body = lambda size: b'{"pad":"' + b"x" * (size - 10) + b'"}'
    try:
        case = _cases.BUILDERS[name](size, int(__import__("time").time()))
    finally:
        _cases.json_body = original
    if case.hooksig is None:
        return None
    verifier = _find_verifier(case.hooksig)
    if verifier is not None:
        object.__setattr__(verifier, "_max_body", size + 1)
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        case.hooksig()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def form_peak(size: int, text: str) -> int:
    """Bytes allocated at peak verifying a Twilio form body of about *size* bytes of *text*."""
    import urllib.parse

    import hooksig

    url = "https://example.com/hooks/sms?account=1"
    fields = {"MessageSid": "SM" + "1" * 32, "From": "+15005550006", "Body": ""}
    fields["Body"] = text * (size // len(urllib.parse.quote_plus(text)))
    body = urllib.parse.urlencode(fields).encode()
    verifier = hooksig.Verifier(
        "twilio",
        secret=_cases.TWILIO_TOKEN,
        public_url=hooksig.PerCallUrl(),
        max_body_size=len(body),
    )
    headers = verifier.sign(body, url=url)
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        verifier.verify(body, headers, url=url)
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def _find_verifier(function: object) -> object | None:
    cells: tuple[CellType, ...] = getattr(function, "__closure__", None) or ()
    for cell in cells:
        contents: object = cell.cell_contents
        if type(contents).__name__ == "Verifier":
            return contents
    return None


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python benchmarks/memory.py [--size MiB]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--size", type=int, default=100, help="body size in MiB")
    args = parser.parse_args(argv)
    size = args.size * 1024 * 1024
    for name in _cases.PROVIDERS:
        if name in _cases.ASYMMETRIC:
            continue
        found = peak(name, size)
        if found is None:
            print(f"{name:<22} missing")
            continue
        verdict = "MET" if found <= CONSTANT else "MISSED"
        print(f"{name:<22} peak above the body: {found / 1024:,.1f} KiB  {verdict}")
    for label, text in (("form body", "hello world "), ("escaped body", "caf\u00e9 & tea+")):
        found = form_peak(size, text)
        verdict = "MET" if found <= CONSTANT else "MISSED"
        name = f"twilio ({label})"
        print(f"{name:<22} peak above the body: {found / 1024:,.1f} KiB  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
