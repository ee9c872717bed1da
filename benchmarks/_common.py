"""
Shared helpers for the benchmarks: interleaved timing, medians, machine facts.

Every number is a median over many rounds, and within a round the
contenders run in a shuffled order, so a burst of load from another process
hits all of them alike and ratios taken in one round stay fair.
"""

from __future__ import annotations

import gc
import os
import platform
import random
import ssl
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import metadata

Fn = Callable[[], object]

#: The packages whose versions go next to every results table.
VERSIONED = (
    "hooksig",
    "cryptography",
    "stripe",
    "standardwebhooks",
    "svix",
    "slack_sdk",
    "twilio",
    "PyNaCl",
    "atheris",
)


def timed(fn: Fn, loops: int) -> int:
    """Nanoseconds for *loops* calls of *fn*, with the garbage collector paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for _ in range(loops):
            fn()
        return time.perf_counter_ns() - start
    finally:
        if enabled:
            gc.enable()


def calibrate(fn: Fn, target_ns: float) -> int:
    """The number of calls of *fn* that takes about *target_ns*."""
    loops = 1
    for _ in range(24):  # bounded: 2**24 calls at most
        elapsed = timed(fn, loops)
        if elapsed >= target_ns / 4:
            return max(1, round(loops * target_ns / max(elapsed, 1)))
        loops *= 2
    return loops


def interleaved(
    contenders: Mapping[str, Fn], *, rounds: int, target_ns: float, seed: int = 0
) -> dict[str, list[float]]:
    """
    Time every contender *rounds* times, in a new random order each round.

    Returns the per-call nanoseconds of each round, so that a ratio can be
    taken round by round (paired) as well as between medians.
    """
    loops = {name: calibrate(fn, target_ns) for name, fn in contenders.items()}
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    order = list(contenders)
    rng = random.Random(seed)
    for _ in range(rounds):
        rng.shuffle(order)
        for name in order:
            samples[name].append(timed(contenders[name], loops[name]) / loops[name])
    return samples


def median(values: Iterable[float]) -> float:
    """The median of *values*."""
    return statistics.median(list(values))


def paired_ratio(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """The median over rounds of ``numerator[i] / denominator[i]``."""
    return median(a / b for a, b in zip(numerator, denominator, strict=True))


def cpu_model() -> str:
    """The CPU model name, from ``/proc/cpuinfo`` where there is one."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def versions() -> dict[str, str]:
    """Installed versions of hooksig and of every peer package (or ``"absent"``)."""
    found: dict[str, str] = {}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def machine() -> dict[str, str]:
    """Facts about the machine and interpreter, printed beside every table."""
    return {
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "openssl": ssl.OPENSSL_VERSION,
    }


def header_block() -> str:
    """Machine and versions as Markdown bullet points."""
    lines = [f"- {key}: {value}" for key, value in machine().items()]
    lines.append(
        "- packages: " + ", ".join(f"{name} {version}" for name, version in versions().items())
    )
    return "\n".join(lines)


def size_label(size: int) -> str:
    """``256 B``, ``4 KiB``, ``64 KiB``, ``1 MiB``."""
    if size >= 1 << 20 and size % (1 << 20) == 0:
        return f"{size >> 20} MiB"
    if size >= 1 << 10 and size % (1 << 10) == 0:
        return f"{size >> 10} KiB"
    return f"{size} B"
