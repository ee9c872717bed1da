"""Header shapes added for issue #15: optional prefix, unlabelled lists, groups, numbered names."""

from __future__ import annotations

import pytest

from hooksig import ConfigurationError, HmacScheme, MalformedSignature, Pairs, Plain, Verifier
from hooksig.scheme import Groups, Listed, numbered_headers
from hooksig.scheme.formats import MAX_SIGNATURES

SECRET = "hooksig-test-secret-0123456789ab"


def _reason(call: object, *args: object) -> str:
    with pytest.raises(MalformedSignature) as info:
        call(*args)  # type: ignore[operator]
    return str(info.value.reason)


def test_optional_prefix() -> None:
    """With optional=True the prefix may be left out, but no other label is accepted."""
    fmt = Plain("sha256=", optional=True)
    assert fmt.split("sha256=ab", "H") == (None, [("sha256=", "ab")])
    assert fmt.split("ab", "H") == (None, [("sha256=", "ab")])
    assert fmt.split("YWI=", "H") == (None, [("sha256=", "YWI=")])  # base64 padding is not a label
    assert _reason(fmt.split, "sha1=ab", "H") == "wrong_prefix"


def test_listed_with_and_without_a_leading_timestamp() -> None:
    """Listed reads a leading timestamp, or none, then unlabelled signatures."""
    assert Listed().split("123,ab,cd", "H") == ("123", [("", "ab"), ("", "cd")])
    assert Listed().timestamp_key == "first"
    plain = Listed(separator=" ", timestamp_first=False)
    assert plain.split("ab cd", "H") == (None, [("", "ab"), ("", "cd")])
    assert plain.timestamp_key is None
    for value in ("123", "123,", "123,ab,,cd", ""):
        assert _reason(Listed().split, value, "H") == "bad_item"
    many = ",".join(["1"] + ["ab"] * (MAX_SIGNATURES + 1))
    assert _reason(Listed().split, many, "H") == "too_many_signatures"


def test_untimestamped_listed_scheme_round_trip() -> None:
    """A scheme with Listed(timestamp_first=False) signs and verifies a bare list."""
    scheme = HmacScheme(
        name="listed", signature_header="X-Sig", signature_format=Listed(timestamp_first=False)
    )
    verifier = Verifier(scheme, secret=SECRET)
    headers = verifier.sign(b"{}")
    assert "," not in headers["X-Sig"]
    other = Verifier(scheme, secret="another-secret-0123456789abcdef").sign(b"{}")["X-Sig"]
    both = {"X-Sig": f"{other},{headers['X-Sig']}"}
    assert verifier.verify(b"{}", both).timestamp is None


def test_groups() -> None:
    """Groups joins each group's pairs; the groups must agree on the timestamp."""
    fmt = Groups(Pairs("t", ","), " ")
    assert fmt.timestamp_key == "t"
    assert fmt.split("t=1,v1=a t=1,v1=b", "H") == ("1", [("v1", "a"), ("v1", "b")])
    assert _reason(fmt.split, "t=1,v1=a t=2,v1=b", "H") == "repeated_timestamp"
    assert _reason(fmt.split, "t=1,v1=a  t=1,v1=b", "H") == "bad_item"
    many = " ".join(["t=1," + ",".join(["v1=a"] * 20)] * 2)
    assert _reason(fmt.split, many, "H") == "too_many_signatures"


def test_numbered_headers() -> None:
    """numbered_headers lists 1..count; a template without {n} or a count below 1 is refused."""
    assert numbered_headers("X-Sig-{n}", 3) == ("X-Sig-1", "X-Sig-2", "X-Sig-3")
    for template, count in (("X-Sig", 2), ("X-Sig-{n}", 0)):
        with pytest.raises(ConfigurationError):
            numbered_headers(template, count)


def test_unknown_secret_format_is_refused() -> None:
    """HmacScheme checks its secret_format at construction."""
    with pytest.raises(ConfigurationError, match="secret_format"):
        HmacScheme(name="x", signature_header="X", secret_format="rot13")  # type: ignore[arg-type]
