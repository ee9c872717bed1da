"""hooksig.url: the signed URL comes from configuration or a declared proxy, never from Host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

import hooksig
from hooksig import ConfigurationError, Headers, MalformedSignature, MissingSignature
from hooksig.scheme.content import with_and_without_port
from hooksig.url import PublicUrl, TrustedProxy, url_policy
from tests.vectors import provider_vector

TOKEN = "12345"

# The published Twilio and Square vectors use short secrets; that warning is expected here.
pytestmark = pytest.mark.filterwarnings("ignore::hooksig.InsecureKeyWarning")


def _twilio_form() -> tuple[bytes, dict[str, str]]:
    vector = provider_vector("Twilio (form)")
    return vector["body"].encode(), vector["headers"]


def test_public_url_joins_the_path() -> None:
    """The configured base plus the request path and query is the signed URL."""
    body, headers = _twilio_form()
    verifier = hooksig.Verifier("twilio", secret=TOKEN, public_url="https://mycompany.com")
    delivery = verifier.verify(body, headers, path="/myapp.php?foo=1&bar=2")
    assert delivery.scheme == "twilio"


def test_host_and_forwarded_headers_are_ignored_by_default() -> None:
    """An attacker's Host or X-Forwarded-Host cannot change the URL that is checked."""
    body, headers = _twilio_form()
    forged = {**headers, "Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    verifier = hooksig.Verifier("twilio", secret=TOKEN, public_url="https://mycompany.com")
    assert verifier.verify(body, forged, path="/myapp.php?foo=1&bar=2").key_id == "0"
    with pytest.raises(hooksig.InvalidSignature):
        verifier.verify(body, headers, path="/other.php?foo=1&bar=2")


def test_explicit_url_wins_over_public_url() -> None:
    """url= given to verify() is used as is."""
    body, headers = _twilio_form()
    verifier = hooksig.Verifier("twilio", secret=TOKEN, public_url="https://wrong.example")
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert verifier.verify(body, headers, url=url).scheme == "twilio"


@pytest.mark.parametrize("name", ["twilio", "twilio-sha256", "square", "trello", "hubspot",
                                  "hubspot-v2"])  # fmt: skip
def test_no_url_policy_is_refused_at_construction(name: str) -> None:
    """A URL-signing scheme without public_url= fails when built, saying what to pass."""
    with pytest.raises(ConfigurationError, match="public_url=") as info:
        hooksig.Verifier(name, secret=TOKEN * 4)
    assert "PerCallUrl()" in str(info.value)
    assert "TrustedProxy" in str(info.value)


def test_per_call_url_needs_url_on_every_call() -> None:
    """PerCallUrl() opts into verify(url=...); a call without it says what to pass."""
    body, headers = _twilio_form()
    verifier = hooksig.Verifier("twilio", secret=TOKEN, public_url=hooksig.PerCallUrl())
    assert verifier.verify(body, headers, url="https://mycompany.com/myapp.php?foo=1&bar=2")
    with pytest.raises(ConfigurationError, match="url="):
        verifier.verify(body, headers)
    with pytest.raises(ConfigurationError, match="url="):
        verifier.sign(body)


def test_url_policy_is_not_read_for_a_scheme_that_signs_no_url() -> None:
    """A URL policy given to GitHub is never consulted: nothing there signs the URL."""
    verifier = hooksig.Verifier("github", secret=TOKEN * 4, public_url=hooksig.PerCallUrl())
    headers = verifier.sign(b"{}")
    assert verifier.verify(b"{}", headers).key_id == "0"


def test_public_url_without_path_is_the_whole_url() -> None:
    """Square's notification URL is configured whole."""
    vector = provider_vector("Square")
    verifier = hooksig.Verifier("square", secret=vector["secret"], public_url=vector["url"])
    assert verifier.verify(vector["body"].encode(), vector["headers"]).key_id == "0"


@pytest.mark.parametrize(
    ("base", "path", "url"),
    [
        ("https://example.com", "/hooks/square", "https://example.com/hooks/square"),
        ("https://example.com/", "/hooks/square", "https://example.com/hooks/square"),
        ("https://example.com/", "/", "https://example.com/"),
        ("https://example.com/hooks/square", "/hooks/square", "https://example.com/hooks/square"),
        ("https://example.com/hooks/twilio", "/hooks/twilio?a=1&b=2",
         "https://example.com/hooks/twilio?a=1&b=2"),
        ("https://example.com/hooks/square/", "/hooks/square/",
         "https://example.com/hooks/square/"),
        ("https://example.com/app", "/hooks/x?y=1", "https://example.com/app/hooks/x?y=1"),
        ("https://example.com/hooks/square", "/hooks/other",
         "https://example.com/hooks/square/hooks/other"),
        ("https://example.com/hooks/square", None, "https://example.com/hooks/square"),
    ],
)  # fmt: skip
def test_public_url_rule(base: str, path: str | None, url: str) -> None:
    """A base is joined with the path; a full URL whose path is the request's is used as is."""
    assert PublicUrl(base).resolve(path, Headers()) == url


def test_full_public_url_verifies_through_path() -> None:
    """Square's full notification URL and the request path give the signed URL, not it twice."""
    vector = provider_vector("Square")
    path = urlsplit(vector["url"]).path
    verifier = hooksig.Verifier("square", secret=vector["secret"], public_url=vector["url"])
    body = vector["body"].encode()
    assert verifier.verify(body, vector["headers"], path=path).key_id == "0"
    base = vector["url"][: -len(path)]
    joined = hooksig.Verifier("square", secret=vector["secret"], public_url=base)
    assert joined.verify(body, vector["headers"], path=path).key_id == "0"


@pytest.mark.parametrize(
    "base", ["ftp://example.com", "example.com", "https://example.com/?q=1", "https://x/#f", ""]
)
def test_bad_public_url_is_refused(base: str) -> None:
    """Only an http(s) URL without query or fragment is a base."""
    with pytest.raises(ConfigurationError):
        PublicUrl(base)


@pytest.mark.parametrize("path", ["relative", "/with space", "/tab\t", ""])
def test_bad_path_is_malformed(path: str) -> None:
    """The path must be an absolute path of printable characters."""
    with pytest.raises(MalformedSignature):
        PublicUrl("https://example.com").resolve(path, Headers())


def test_trusted_proxy_reads_only_declared_hosts() -> None:
    """A declared proxy's host is used only when it is one you serve."""
    policy = TrustedProxy(hosts=("mycompany.com",))
    good = Headers({"X-Forwarded-Host": "MyCompany.com", "X-Forwarded-Proto": "https"})
    assert policy.resolve("/a?b=1", good) == "https://mycompany.com/a?b=1"
    assert policy.resolve("/a", Headers({"X-Forwarded-Host": "mycompany.com"})) == (
        "https://mycompany.com/a"
    )
    with pytest.raises(MalformedSignature) as info:
        policy.resolve("/a", Headers({"X-Forwarded-Host": "evil.example"}))
    assert info.value.reason == "untrusted_host"
    with pytest.raises(MissingSignature):
        policy.resolve("/a", Headers({"Host": "mycompany.com"}))
    bad_proto = Headers({"X-Forwarded-Host": "mycompany.com", "X-Forwarded-Proto": "gopher"})
    with pytest.raises(MalformedSignature):
        policy.resolve("/a", bad_proto)
    repeated = [("X-Forwarded-Host", "mycompany.com"), ("X-Forwarded-Host", "evil.example")]
    with pytest.raises(MalformedSignature):
        policy.resolve("/a", Headers(repeated))


def test_trusted_proxy_with_a_verifier() -> None:
    """The Verifier applies the proxy policy to the request headers and path."""
    body, headers = _twilio_form()
    verifier = hooksig.Verifier(
        "twilio", secret=TOKEN, public_url=TrustedProxy(hosts=("mycompany.com",))
    )
    sent = {**headers, "X-Forwarded-Host": "mycompany.com", "X-Forwarded-Proto": "https"}
    assert verifier.verify(body, sent, path="/myapp.php?foo=1&bar=2").key_id == "0"
    with pytest.raises(MalformedSignature):
        verifier.verify(body, {**sent, "X-Forwarded-Host": "evil.example"}, path="/myapp.php")


def test_trusted_proxy_configuration() -> None:
    """The host list is required and the default scheme is http or https."""
    with pytest.raises(ConfigurationError):
        TrustedProxy(hosts=())
    with pytest.raises(ConfigurationError):
        TrustedProxy(hosts="mycompany.com")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        TrustedProxy(hosts=("a",), scheme="ftp")
    with pytest.raises(ConfigurationError):
        TrustedProxy(hosts=("a",)).resolve(None, Headers())
    with pytest.raises(ConfigurationError):
        url_policy(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "variants"),
    [
        ("https://a.com/x?y=1", ("https://a.com/x?y=1", "https://a.com:443/x?y=1")),
        ("https://a.com:443/x", ("https://a.com:443/x", "https://a.com/x")),
        ("http://a.com/x", ("http://a.com/x", "http://a.com:80/x")),
        ("http://a.com:80/x", ("http://a.com:80/x", "http://a.com/x")),
        ("https://a.com:8443/x", ("https://a.com:8443/x", "https://a.com/x")),
        ("http://a.com:8080/x?y=1", ("http://a.com:8080/x?y=1", "http://a.com/x?y=1")),
        ("https://[::1]:8443/x", ("https://[::1]:8443/x", "https://[::1]/x")),
        ("https://[::1]/x", ("https://[::1]/x", "https://[::1]:443/x")),
        ("ftp://a.com:21/x", ("ftp://a.com:21/x",)),
        ("https://u:p@a.com/x", ("https://u:p@a.com/x", "https://u:p@a.com:443/x")),
        ("https://u:p@a.com:443/x", ("https://u:p@a.com:443/x", "https://u:p@a.com/x")),
    ],
)
def test_port_variants(url: str, variants: tuple[str, ...]) -> None:
    """Twilio's URL is tried as given, then without its port (or with the default one)."""
    assert with_and_without_port(url) == variants


def test_bad_port_is_malformed() -> None:
    """A URL whose port is not a number is malformed, not an exception."""
    with pytest.raises(MalformedSignature):
        with_and_without_port("https://a.com:99999999/x")
