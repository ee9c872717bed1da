"""hooksig.url: the signed URL comes from configuration or a declared proxy, never from Host."""

from __future__ import annotations

import pytest

import hooksig
from hooksig import ConfigurationError, Headers, MalformedSignature, MissingSignature
from hooksig.scheme.content import with_and_without_default_port
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


def test_no_url_is_a_configuration_error() -> None:
    """A URL-signing scheme without url= or public_url= says how to fix it."""
    body, headers = _twilio_form()
    verifier = hooksig.Verifier("twilio", secret=TOKEN)
    with pytest.raises(ConfigurationError, match="public_url"):
        verifier.verify(body, headers)


def test_public_url_without_path_is_the_whole_url() -> None:
    """Square's notification URL is configured whole."""
    vector = provider_vector("Square")
    verifier = hooksig.Verifier("square", secret=vector["secret"], public_url=vector["url"])
    assert verifier.verify(vector["body"].encode(), vector["headers"]).key_id == "0"


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
        ("https://a.com:8443/x", ("https://a.com:8443/x",)),
        ("https://u:p@a.com/x", ("https://u:p@a.com/x", "https://u:p@a.com:443/x")),
        ("https://u:p@a.com:443/x", ("https://u:p@a.com:443/x", "https://u:p@a.com/x")),
    ],
)
def test_default_port_variants(url: str, variants: tuple[str, ...]) -> None:
    """Twilio's URL is tried as given, then with the default port toggled."""
    assert with_and_without_default_port(url) == variants


def test_bad_port_is_malformed() -> None:
    """A URL whose port is not a number is malformed, not an exception."""
    with pytest.raises(MalformedSignature):
        with_and_without_default_port("https://a.com:99999999/x")
