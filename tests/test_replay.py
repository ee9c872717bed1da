"""hooksig.replay: the past and the future bounded separately, with an injectable clock."""

from __future__ import annotations

import math
from typing import Any

import pytest

from hooksig import ConfigurationError, ReplayWindow, TimestampOutOfTolerance
from hooksig.replay import DEFAULT_TOLERANCE
from tests.conftest import NOW


def _window(**kwargs: Any) -> ReplayWindow:
    return ReplayWindow(clock=lambda: float(NOW), **kwargs)


def test_default_is_300_seconds_both_ways() -> None:
    """The default window is 300 s into the past and into the future."""
    window = _window()
    assert window.tolerance == DEFAULT_TOLERANCE == 300.0
    assert window.future == 300.0


@pytest.mark.parametrize("offset", [-300, -1, 0, 1, 300])
def test_inside_the_window(offset: int) -> None:
    """Timestamps within the bounds, edges included, pass."""
    _window().check(NOW + offset)


def test_past_bound() -> None:
    """One second too old is too_old, with timestamp, now and header attached."""
    with pytest.raises(TimestampOutOfTolerance) as info:
        _window().check(NOW - 301, header="X-Ts")
    exc = info.value
    assert (exc.reason, exc.timestamp, exc.now, exc.header) == ("too_old", NOW - 301, NOW, "X-Ts")
    assert "301s old" in str(exc)


def test_future_bound() -> None:
    """One second too far ahead is too_new."""
    with pytest.raises(TimestampOutOfTolerance) as info:
        _window().check(NOW + 301)
    assert info.value.reason == "too_new"
    assert "301s in the future" in str(info.value)


def test_past_and_future_are_separate() -> None:
    """A short future bound does not shorten the past bound, and vice versa."""
    window = _window(tolerance=600, future=5)
    window.check(NOW - 600)
    window.check(NOW + 5)
    with pytest.raises(TimestampOutOfTolerance, match="future"):
        window.check(NOW + 6)
    with pytest.raises(TimestampOutOfTolerance, match="old"):
        window.check(NOW - 601)


def test_now_overrides_the_clock() -> None:
    """now= is used instead of the clock, which is then not called."""

    def clock() -> float:
        raise AssertionError("the clock must not be called")

    window = ReplayWindow(clock=clock)
    window.check(1000, now=1000)
    with pytest.raises(TimestampOutOfTolerance):
        window.check(1000, now=2000)


def test_clock_is_called_per_check() -> None:
    """The injected clock is read at every check, so time moves on."""
    times = iter([1000.0, 2000.0])
    window = ReplayWindow(clock=lambda: next(times))
    window.check(1000)
    with pytest.raises(TimestampOutOfTolerance):
        window.check(1000)


def test_infinite_tolerance_disables_a_bound() -> None:
    """math.inf disables the past bound; the future bound can stay finite."""
    window = _window(tolerance=math.inf, future=10)
    window.check(0)
    with pytest.raises(TimestampOutOfTolerance):
        window.check(NOW + 11)
    _window(tolerance=math.inf).check(NOW * 2)


@pytest.mark.parametrize("bad", [0, 0.0, -1, -0.5, math.nan, -math.inf, True, False, "300"])
@pytest.mark.parametrize("which", ["tolerance", "future"])
def test_bad_bounds_are_refused(which: str, bad: Any) -> None:
    """Zero, negative, NaN, bool or non-numeric bounds are a ConfigurationError."""
    with pytest.raises(ConfigurationError):
        _window(**{which: bad})


def test_int_bounds_become_floats() -> None:
    """Integer bounds are stored as floats."""
    window = _window(tolerance=5, future=7)
    assert (window.tolerance, window.future) == (5.0, 7.0)
    assert isinstance(window.tolerance, float)


@pytest.mark.parametrize("now", [math.nan, -math.inf])
def test_nan_or_broken_clock_fails_closed(now: float) -> None:
    """A NaN 'now' refuses every timestamp instead of accepting them all."""
    with pytest.raises(TimestampOutOfTolerance):
        _window().check(NOW, now=now)
    with pytest.raises(TimestampOutOfTolerance):
        _window(tolerance=math.inf, future=math.inf).check(NOW, now=math.nan)


def test_window_is_frozen() -> None:
    """A ReplayWindow cannot be widened after construction."""
    window = _window()
    with pytest.raises(AttributeError):
        window.tolerance = 10**9  # type: ignore[misc]
