"""hooksig.scheme.challenge: the query an endpoint check is read from."""

from __future__ import annotations

import hooksig
from hooksig import Request
from hooksig.scheme.challenge import query


def _request(url: str | None) -> Request:
    return Request(b"", hooksig.Headers(), url, "GET")


def test_the_query_of_a_url_or_a_path() -> None:
    """Blank values kept; no URL, or one that is not valid, reads as no query."""
    assert query(_request("/hooks?a=1&b=&a=2")) == {"a": ["1", "2"], "b": [""]}
    assert query(_request("https://example.com/h?x=%41")) == {"x": ["A"]}
    assert query(_request(None)) == {}
    assert query(_request("/hooks?bad=%ff")) == {}  # not UTF-8: no check is read from it
    assert query(_request("http://[::1/hooks?x=1")) == {}  # not a valid URL
    many = "&".join(f"k{i}=v" for i in range(100))
    assert query(_request(f"/hooks?{many}")) == {}  # more fields than any check sends
