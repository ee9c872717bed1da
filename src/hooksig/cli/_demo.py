"""
``hooksig demo``: every built-in scheme signs and verifies, then the classic attacks fail.

It is self-contained (no network beyond 127.0.0.1, no secrets of yours),
finishes in a few seconds, and prints readable tables: the first shows
each scheme accepting its own signature, the second shows a tampered
body, a forged signature, a stale timestamp and downgraded headers being
refused with their reason.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from typing import TextIO

from .. import schemes
from ..errors import ExtraNotInstalled, VerificationError
from ..testing import Signer
from ..verifier import Verifier

SAMPLE = json.dumps({"id": "evt_demo_1", "type": "demo.ping", "data": {"ok": True}}).encode()


Row = tuple[str, str, str]


def _table(out: TextIO, title: str, header: Row, rows: list[Row]) -> None:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    rule = "  ".join("-" * width for width in widths)

    def line(cells: Row) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    body = "\n".join(line(row) for row in rows)
    out.write(f"\n{title}\n{rule}\n{line(header)}\n{rule}\n{body}\n")


def _round_trips(now: int) -> list[Row]:
    rows: list[Row] = []
    for name in schemes.names():
        scheme = schemes.get(name)
        if scheme.name != name:
            continue  # an alias: its scheme has a row of its own
        try:
            signer = Signer(name)
        except ExtraNotInstalled:
            rows.append((name, "-", "skipped: needs hooksig[crypto]"))
            continue
        signed = signer.delivery(timestamp=now)
        headers = signed.headers
        delivery = signed.verify()
        shown = next(iter(headers.values()), "(in the body)")
        if scheme.info.construction in ("token", "basic"):
            shown = "(the shared secret itself, not shown)"
        shown = shown if len(shown) <= 44 else shown[:41] + "..."
        rows.append((name, shown, f"verified, key {delivery.key_id}, id {delivery.id}"))
    return rows


def _attacks(now: int) -> list[Row]:
    stripe = Verifier("stripe", secret="whsec_demo_secret_for_hooksig_0001")
    github = Verifier("github", secret="demo secret for hooksig 0001")
    signed = stripe.sign(SAMPLE, timestamp=now)
    signature = signed["Stripe-Signature"]
    cases: list[tuple[str, Callable[[], object]]] = [
        ("stripe: genuine delivery", lambda: stripe.verify(SAMPLE, signed, now=now)),
        (
            "stripe: body re-encoded as JSON",
            lambda: stripe.verify(json.dumps(json.loads(SAMPLE)).encode() + b" ", signed, now=now),
        ),
        (
            "stripe: tampered body",
            lambda: stripe.verify(SAMPLE.replace(b"true", b"false"), signed, now=now),
        ),
        (
            "stripe: forged signature",
            lambda: stripe.verify(SAMPLE, {"Stripe-Signature": f"t={now},v1={'ab' * 32}"}, now=now),
        ),
        (
            "stripe: stale timestamp (1 h old)",
            lambda: stripe.verify(SAMPLE, stripe.sign(SAMPLE, timestamp=now - 3600), now=now),
        ),
        (
            "stripe: future timestamp (+1 h)",
            lambda: stripe.verify(SAMPLE, stripe.sign(SAMPLE, timestamp=now + 3600), now=now),
        ),
        (
            "stripe: downgrade to v0 only",
            lambda: stripe.verify(
                SAMPLE, {"Stripe-Signature": signature.replace("v1=", "v0=")}, now=now
            ),
        ),
        (
            "stripe: two t= joined by a proxy",
            lambda: stripe.verify(SAMPLE, {"Stripe-Signature": f"{signature},t={now}"}, now=now),
        ),
        (
            "github: downgrade to sha1=",
            lambda: github.verify(SAMPLE, {"X-Hub-Signature-256": "sha1=" + "ab" * 20}, now=now),
        ),
        ("github: no signature header", lambda: github.verify(SAMPLE, {}, now=now)),
    ]
    rows: list[Row] = []
    for label, attempt in cases:
        try:
            attempt()
        except VerificationError as exc:
            rows.append((label, "refused", f"{type(exc).__name__}: {exc.reason}"))
        else:
            rows.append((label, "accepted", "authentic and fresh"))
    return rows


def run(*, db_path: str | None, out: TextIO) -> int:
    """Run the demonstration, printing to *out*; return the exit code."""
    from ._demo_receiver import run_receiver

    started = time.perf_counter()
    now = int(time.time())
    out.write("hooksig demo: sign, verify, and refuse what must be refused\n")
    _table(
        out,
        "1. Every built-in scheme verifies its own signature",
        ("scheme", "signature header value", "result"),
        _round_trips(now),
    )
    _table(
        out,
        "2. What an attacker or a broken proxy sends is refused",
        ("delivery", "outcome", "reason"),
        _attacks(now),
    )
    with tempfile.TemporaryDirectory(prefix="hooksig-demo-") as scratch:
        path = db_path or os.path.join(scratch, "hooksig.db")
        rows = run_receiver(path, now)
    _table(
        out,
        "3. A real receiver on 127.0.0.1 with the SQLite idempotency store",
        ("request", "status", "answer"),
        rows,
    )
    out.write(f"\ndone in {time.perf_counter() - started:.2f}s\n")
    return 0
