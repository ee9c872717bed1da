"""hooksig._primitives.seconds: one check for every duration option."""

from __future__ import annotations

import math

import pytest

from hooksig import ConfigurationError
from hooksig._primitives.seconds import check_seconds


@pytest.mark.parametrize("value", [1, 0.5, 300, 1e9])
def test_positive_numbers_are_seconds(value: float) -> None:
    """A positive int or float comes back as a float."""
    assert check_seconds("lease", value) == float(value)
    assert isinstance(check_seconds("lease", value), float)


@pytest.mark.parametrize(
    "value", [True, False, 0, -1, -0.5, math.nan, "5", None, b"1", [1]], ids=repr
)
def test_everything_else_is_refused(value: object) -> None:
    """bool (an int, but a bug), zero, negatives, NaN and non-numbers: ConfigurationError."""
    with pytest.raises(ConfigurationError, match="lease"):
        check_seconds("lease", value)


def test_infinity_only_where_it_disables() -> None:
    """math.inf is accepted only for a bound that may be disabled."""
    assert check_seconds("tolerance", math.inf, infinite=True) == math.inf
    with pytest.raises(ConfigurationError, match="finite"):
        check_seconds("lease", math.inf)
    with pytest.raises(ConfigurationError, match=r"math\.inf disables"):
        check_seconds("tolerance", 0, infinite=True)
