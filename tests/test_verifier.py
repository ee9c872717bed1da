"""hooksig.verifier: the pipeline, its options, rotation, limits and downgrade refusal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import tracemalloc
from typing import Any

import pytest

import hooksig
import hooksig.scheme
from hooksig import (
    ConfigurationError,
    InvalidSignature,
    MalformedPayload,
    MalformedSignature,
    MissingSignature,
    PayloadTooLarge,
    Secret,
    TimestampOutOfTolerance,
    Verifier,
)
from tests.conftest import NOW, OTHER_SECRET, SECRET

BODY = b'{"id": "evt_1", "type": "ping"}'


def _stripe(**kwargs: Any) -> Verifier:
    if "secrets" not in kwargs:
        kwargs.setdefault("secret", SECRET)
    return Verifier("stripe", clock=lambda: float(NOW), **kwargs)


def _github(**kwargs: Any) -> Verifier:
    if "secrets" not in kwargs:
        kwargs.setdefault("secret", SECRET)
    return Verifier("github", **kwargs)


def _gh_header(body: bytes, key: str = SECRET) -> dict[str, str]:
    mac = hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={mac}"}


class TestConstruction:
    """Everything that can be wrong with the configuration fails in __init__."""

    def test_scheme_by_name_or_object(self) -> None:
        """A registry name and a Scheme object both work; scheme exposes the object."""
        scheme = hooksig.schemes.get("github")
        assert _github().scheme is scheme
        assert Verifier(scheme, secret=SECRET).scheme is scheme

    @pytest.mark.parametrize("bad", [None, 42, object(), b"github"])
    def test_scheme_must_be_a_name_or_scheme(self, bad: Any) -> None:
        """Anything else is a ConfigurationError."""
        with pytest.raises(ConfigurationError):
            Verifier(bad, secret=SECRET)

    def test_unknown_name(self) -> None:
        """An unknown registry name is a ConfigurationError that points at names()."""
        with pytest.raises(ConfigurationError, match="names"):
            Verifier("no-such-provider", secret=SECRET)

    def test_secret_xor_secrets(self) -> None:
        """secret= and secrets= together are refused."""
        with pytest.raises(ConfigurationError, match="not both"):
            Verifier("github", secret=SECRET, secrets=[SECRET])

    @pytest.mark.parametrize("bad", [SECRET, SECRET.encode()])
    def test_secrets_must_be_a_list(self, bad: Any) -> None:
        """secrets='...' (a str or bytes, which iterate by character) is refused."""
        with pytest.raises(ConfigurationError, match="list"):
            Verifier("github", secrets=bad)

    @pytest.mark.parametrize("kwargs", [{}, {"secrets": []}, {"secret": ""}, {"secret": b""}])
    def test_a_secret_is_required(self, kwargs: dict[str, Any]) -> None:
        """No secret, an empty list or an empty secret is refused."""
        with pytest.raises(ConfigurationError):
            Verifier("github", **kwargs)

    @pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10", None])
    def test_max_body_size_is_checked(self, bad: Any) -> None:
        """max_body_size is a positive int."""
        with pytest.raises(ConfigurationError, match="max_body_size"):
            _github(max_body_size=bad)

    @pytest.mark.parametrize("bad", [0, -5, math.nan, True])
    def test_tolerance_is_checked(self, bad: Any) -> None:
        """A bad tolerance or future tolerance is refused at construction."""
        with pytest.raises(ConfigurationError):
            _stripe(tolerance=bad)
        with pytest.raises(ConfigurationError):
            _stripe(future_tolerance=bad)

    def test_repr_is_redacted(self) -> None:
        """repr names the scheme and key ids, never a secret."""
        text = repr(_github(secrets=[Secret(SECRET, key_id="2024"), OTHER_SECRET]))
        assert text == "Verifier('github', keys=KeyRing(key_ids=['2024', '1']))"
        assert SECRET not in text

    def test_max_body_size_property(self) -> None:
        """The limit is readable by adapters."""
        assert _github(max_body_size=10).max_body_size == 10
        assert _github().max_body_size == 25 * 1024 * 1024


class TestRotation:
    """Every key verifies, the first one signs, key_id says which matched."""

    def test_first_signs_all_verify(self) -> None:
        """A ring [new, old] signs with new and accepts both, reporting the key id."""
        ring = _github(secrets=[SECRET, OTHER_SECRET])
        assert ring.sign(BODY)["X-Hub-Signature-256"] == _gh_header(BODY)["X-Hub-Signature-256"]
        assert ring.verify(BODY, _gh_header(BODY, SECRET)).key_id == "0"
        assert ring.verify(BODY, _gh_header(BODY, OTHER_SECRET)).key_id == "1"

    def test_named_key_ids(self) -> None:
        """Secret(key_id=...) is what the Delivery reports."""
        ring = _github(secrets=[Secret(SECRET, key_id="new"), Secret(OTHER_SECRET, key_id="old")])
        assert ring.verify(BODY, _gh_header(BODY, OTHER_SECRET)).key_id == "old"

    def test_stripe_roll_sends_one_v1_per_secret(self) -> None:
        """During a Stripe roll the header carries two v1 entries; either secret verifies."""
        new = _stripe(secret=SECRET).sign(BODY, timestamp=NOW)["Stripe-Signature"]
        old = _stripe(secret=OTHER_SECRET).sign(BODY, timestamp=NOW)["Stripe-Signature"]
        header = {"Stripe-Signature": new + "," + old.split(",", 1)[1]}
        assert _stripe(secret=OTHER_SECRET).verify(BODY, header).key_id == "0"
        assert _stripe(secret=SECRET).verify(BODY, header).key_id == "0"
        assert _stripe(secrets=["x" * 32, OTHER_SECRET]).verify(BODY, header).key_id == "1"

    def test_unknown_key(self) -> None:
        """A signature from a key not in the ring is InvalidSignature, with header and scheme."""
        with pytest.raises(InvalidSignature) as info:
            _github().verify(BODY, _gh_header(BODY, OTHER_SECRET))
        assert (info.value.header, info.value.scheme) == ("X-Hub-Signature-256", "github")


class TestBody:
    """The body stays bytes, and its size is limited before any hashing."""

    @pytest.mark.parametrize("body", ["text body", None, 123, ["a"]], ids=repr)
    def test_non_bytes_body_is_malformed_payload(self, body: Any) -> None:
        """A str (decoded) body or another type is MalformedPayload, also a ValueError."""
        with pytest.raises(MalformedPayload):
            _github().verify(body, _gh_header(b"text body"))
        with pytest.raises(ValueError):
            _github().verify(body, _gh_header(b"text body"))

    @pytest.mark.parametrize("wrap", [bytearray, memoryview])
    def test_bytes_like_bodies(self, wrap: Any) -> None:
        """bytearray and memoryview are read as the bytes they hold; Delivery.body is bytes."""
        delivery = _github().verify(wrap(BODY), _gh_header(BODY))
        assert delivery.body == BODY
        assert type(delivery.body) is bytes

    def test_sign_refuses_text(self) -> None:
        """sign() takes bytes only."""
        with pytest.raises(MalformedPayload):
            _github().sign("text")  # type: ignore[arg-type]

    def test_limit_is_inclusive(self) -> None:
        """A body of exactly max_body_size bytes is verified."""
        body = b"x" * 64
        assert _github(max_body_size=64).verify(body, _gh_header(body)).body == body

    def test_oversized_body_is_refused_before_hashing(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """One byte over the limit raises PayloadTooLarge without parsing or hashing anything."""

        class NoHashing:
            block_size = 64

            def copy(self) -> NoHashing:
                raise AssertionError("the body must not be hashed")

        # Every key is keyed once into hashlib states; these refuse to be used.
        monkeypatch.setattr(hooksig.keys.hashlib, "new", lambda *args: NoHashing())
        verifier = _github(max_body_size=64)
        with pytest.raises(PayloadTooLarge) as info:
            verifier.verify(b"x" * 65, {})
        assert info.value.limit == 64
        with pytest.raises(PayloadTooLarge):
            verifier.verify(b"x" * 65, "not even headers")  # type: ignore[arg-type]

    @pytest.mark.parametrize("wrap", [bytearray, memoryview])
    def test_oversized_buffer_is_refused_without_a_copy(self, wrap: Any) -> None:
        """A 200 MiB bytearray or memoryview over the limit is refused before bytes() copies it."""
        buffer = wrap(bytearray(200 * 1024 * 1024))
        verifier = _github()  # the default 25 MiB limit
        tracemalloc.start()
        try:
            with pytest.raises(PayloadTooLarge):
                verifier.verify(buffer, _gh_header(BODY))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 1024 * 1024

    def test_memoryview_size_is_in_bytes(self) -> None:
        """A memoryview of wide items is measured in bytes, not items."""
        wide = memoryview(bytearray(64)).cast("Q")  # 8 items, 64 bytes
        with pytest.raises(PayloadTooLarge):
            _github(max_body_size=63).verify(wide, _gh_header(bytes(64)))
        assert _github(max_body_size=64).verify(wide, _gh_header(bytes(64))).body == bytes(64)


class TestDowngrade:
    """The request never chooses the algorithm or version."""

    def test_stripe_v0_alone_is_refused(self) -> None:
        """A Stripe header offering only v0 (even a 'valid' v0) is refused."""
        v0 = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
        with pytest.raises(MissingSignature) as info:
            _stripe().verify(BODY, {"Stripe-Signature": f"t={NOW},v0={v0}"})
        assert info.value.reason == "no_accepted_version"

    def test_stripe_bad_v1_with_good_v0_is_refused(self) -> None:
        """A matching v0 does not rescue a wrong v1."""
        v0 = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
        header = {"Stripe-Signature": f"t={NOW},v1={'0' * 64},v0={v0}"}
        with pytest.raises(InvalidSignature):
            _stripe().verify(BODY, header)

    def test_github_sha1_in_the_sha256_header_is_refused(self) -> None:
        """'sha1=<valid sha1 HMAC>' in X-Hub-Signature-256 is malformed, not verified."""
        sha1 = hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest()
        with pytest.raises(MalformedSignature) as info:
            _github().verify(BODY, {"X-Hub-Signature-256": f"sha1={sha1}"})
        assert info.value.reason == "wrong_prefix"

    def test_github_legacy_sha1_header_is_never_read(self) -> None:
        """A valid legacy X-Hub-Signature (SHA-1) alone is a missing signature."""
        sha1 = hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest()
        with pytest.raises(MissingSignature):
            _github().verify(BODY, {"X-Hub-Signature": f"sha1={sha1}"})

    def test_github_sha256_of_the_right_length_only(self) -> None:
        """A SHA-1-length hex digest behind sha256= is wrong_length."""
        sha1 = hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest()
        with pytest.raises(MalformedSignature) as info:
            _github().verify(BODY, {"X-Hub-Signature-256": f"sha256={sha1}"})
        assert info.value.reason == "wrong_length"


class TestReplay:
    """The verifier applies the scheme's window, or the one configured."""

    def test_default_window(self) -> None:
        """Stripe: 300 s both ways by default."""
        verifier = _stripe()
        assert (
            verifier.verify(BODY, verifier.sign(BODY, timestamp=NOW - 300)).timestamp == NOW - 300
        )
        with pytest.raises(TimestampOutOfTolerance) as info:
            verifier.verify(BODY, verifier.sign(BODY, timestamp=NOW - 301))
        assert (info.value.reason, info.value.scheme) == ("too_old", "stripe")
        with pytest.raises(TimestampOutOfTolerance) as info:
            verifier.verify(BODY, verifier.sign(BODY, timestamp=NOW + 301))
        assert info.value.reason == "too_new"

    def test_authenticity_is_checked_before_freshness(self) -> None:
        """A forged, stale delivery is InvalidSignature: freshness is not reported first."""
        header = {"Stripe-Signature": f"t={NOW - 10_000},v1={'0' * 64}"}
        with pytest.raises(InvalidSignature):
            _stripe().verify(BODY, header)

    def test_custom_bounds(self) -> None:
        """tolerance and future_tolerance set the two bounds separately."""
        verifier = _stripe(tolerance=10, future_tolerance=2)
        verifier.verify(BODY, verifier.sign(BODY, timestamp=NOW - 10))
        with pytest.raises(TimestampOutOfTolerance):
            verifier.verify(BODY, verifier.sign(BODY, timestamp=NOW + 3))

    def test_infinite_tolerance_disables_the_window(self) -> None:
        """math.inf accepts any signed timestamp (the caller chose to)."""
        verifier = _stripe(tolerance=math.inf)
        assert verifier.verify(BODY, verifier.sign(BODY, timestamp=1)).timestamp == 1

    def test_infinite_past_keeps_a_future_bound(self) -> None:
        """tolerance=inf with a finite future_tolerance still refuses the future."""
        verifier = _stripe(tolerance=math.inf, future_tolerance=60)
        verifier.verify(BODY, verifier.sign(BODY, timestamp=1))
        with pytest.raises(TimestampOutOfTolerance):
            verifier.verify(BODY, verifier.sign(BODY, timestamp=NOW + 61))

    def test_now_and_clock(self) -> None:
        """now= overrides the clock; sign() and verify() read the clock attribute, even replaced."""
        verifier = _stripe()
        headers = verifier.sign(BODY)
        assert headers["Stripe-Signature"].startswith(f"t={NOW},")
        assert verifier.verify(BODY, headers, now=NOW + 300).timestamp == NOW
        with pytest.raises(TimestampOutOfTolerance):
            verifier.verify(BODY, headers, now=NOW + 301)
        verifier.clock = lambda: float(NOW + 1000)
        with pytest.raises(TimestampOutOfTolerance):
            verifier.verify(BODY, headers)

    def test_untimestamped_scheme_refuses_a_tolerance(self) -> None:
        """GitHub signs no timestamp: a finite tolerance is refused, math.inf states the fact."""
        for options in ({"tolerance": 1}, {"future_tolerance": 1}, {"tolerance": 0.5}):
            with pytest.raises(ConfigurationError, match="signs no timestamp"):
                _github(**options)
        delivery = _github(tolerance=math.inf).verify(BODY, _gh_header(BODY))
        assert delivery.timestamp is None
        assert _github(future_tolerance=math.inf).replay_window is None


class TestResult:
    """The Delivery carries what was verified, and errors say where they come from."""

    def test_delivery_fields(self) -> None:
        """scheme, id (from the body for Stripe), timestamp, key_id, body, headers."""
        verifier = _stripe()
        headers = verifier.sign(BODY, timestamp=NOW)
        delivery = verifier.verify(BODY, headers)
        assert (delivery.scheme, delivery.id, delivery.timestamp, delivery.key_id) == (
            "stripe",
            "evt_1",
            NOW,
            "0",
        )
        assert delivery.body == BODY
        assert delivery.headers["stripe-signature"] == headers["Stripe-Signature"]
        assert delivery.json() == {"id": "evt_1", "type": "ping"}

    def test_headers_as_pairs_and_bytes(self) -> None:
        """Headers may be pairs, including ASGI-style bytes pairs, in any case."""
        [(name, value)] = _gh_header(BODY).items()
        assert _github().verify(BODY, [(name.lower(), value)]).key_id == "0"
        assert _github().verify(BODY, [(name.encode(), value.encode())]).key_id == "0"
        assert _github().verify(BODY, hooksig.Headers({name.upper(): value})).key_id == "0"

    def test_header_errors_carry_the_scheme(self) -> None:
        """Even an unusable headers argument is reported with the scheme name."""
        with pytest.raises(MalformedSignature) as info:
            _github().verify(BODY, 42)  # type: ignore[arg-type]
        assert (info.value.reason, info.value.scheme) == ("bad_headers", "github")

    def test_repeated_signature_header(self) -> None:
        """Two copies of the signature header (a proxy that appends) are malformed."""
        [(name, value)] = _gh_header(BODY).items()
        with pytest.raises(MalformedSignature) as info:
            _github().verify(BODY, [(name, value), (name, value)])
        assert info.value.reason == "repeated_header"

    def test_url_and_method_reach_the_scheme(self) -> None:
        """url= and method= are passed to schemes that sign them."""
        scheme = hooksig.HmacScheme(
            name="acme", signature_header="X-Sig", content="{method}{url}{body}"
        )
        verifier = Verifier(scheme, secret=SECRET, public_url=hooksig.PerCallUrl())
        headers = verifier.sign(BODY, url="https://example.com/h", method="put")
        mac = hmac.new(SECRET.encode(), b"PUThttps://example.com/h" + BODY, hashlib.sha256)
        assert headers == {"X-Sig": mac.hexdigest()}
        verifier.verify(BODY, headers, url="https://example.com/h", method="PUT")
        with pytest.raises(InvalidSignature):
            verifier.verify(BODY, headers, url="https://example.com/other", method="PUT")
        with pytest.raises(ConfigurationError, match="URL"):
            verifier.verify(BODY, headers)


class _Delegating:
    """A third-party Scheme: the Protocol's members only, delegating to GitHub's recipe."""

    def __init__(self) -> None:
        self._inner = hooksig.schemes.get("github")
        self.name = "delegating"
        self.default_tolerance = None
        self.info = hooksig.scheme.SchemeInfo(name="delegating", algorithm="sha256")
        self.handshake = None

    def load_keys(self, secrets: Any, **kwargs: Any) -> Any:
        return self._inner.load_keys(secrets, **kwargs)

    def parse(self, request: Any) -> Any:
        return self._inner.parse(request)

    def signed_contents(self, parsed: Any, request: Any) -> Any:
        return self._inner.signed_contents(parsed, request)

    def match(self, keys: Any, content: Any, parsed: Any) -> str | None:
        return self._inner.match(keys, content, parsed)

    def sign(self, keys: Any, request: Any, *, timestamp: Any, id: Any) -> dict[str, str]:
        return self._inner.sign(keys, request, timestamp=timestamp, id=id)


def test_protocol_only_scheme() -> None:
    """A Scheme implementing only the Protocol (no HmacScheme base) verifies and signs."""
    verifier = Verifier(_Delegating(), secret=SECRET)  # type: ignore[arg-type]
    headers = verifier.sign(BODY)
    assert headers["X-Hub-Signature-256"] == _gh_header(BODY)["X-Hub-Signature-256"]
    delivery = verifier.verify(BODY, headers)
    assert (delivery.scheme, delivery.key_id) == ("delegating", "0")
    with pytest.raises(InvalidSignature) as info:
        verifier.verify(BODY + b" ", headers)
    assert info.value.scheme == "delegating"


class TestPublicUrl:
    """Schemes that sign the URL take it from configuration or a trusted proxy, never guessed."""

    SCHEME = hooksig.HmacScheme(name="url-signing", signature_header="X-Sig", content="{url}{body}")

    def _header(self, url: str) -> dict[str, str]:
        mac = hmac.new(SECRET.encode(), url.encode() + BODY, hashlib.sha256).hexdigest()
        return {"X-Sig": mac}

    def test_trusted_proxy_without_proto_header_uses_its_scheme(self) -> None:
        """With no X-Forwarded-Proto sent, the proxy policy's own scheme (https) is used."""
        proxy = hooksig.TrustedProxy(hosts=("example.com",))
        verifier = Verifier(self.SCHEME, secret=SECRET, public_url=proxy)
        headers = {**self._header("https://example.com/hooks"), "X-Forwarded-Host": "Example.com"}
        assert verifier.verify(BODY, headers, path="/hooks").key_id == "0"
        with pytest.raises(MalformedSignature) as info:
            verifier.verify(BODY, {**headers, "X-Forwarded-Host": "evil.test"}, path="/hooks")
        assert info.value.reason == "untrusted_host"
        plain = hooksig.TrustedProxy(hosts=("example.com",), proto_header=None, scheme="http")
        verifier = Verifier(self.SCHEME, secret=SECRET, public_url=plain)
        headers = {**self._header("http://example.com/h"), "X-Forwarded-Host": "example.com"}
        assert verifier.verify(BODY, {**headers, "X-Forwarded-Proto": "https"}, path="/h").key_id

    @pytest.mark.parametrize("url", ["https://[::1/hook", "https://example.com:99999/hook"])
    def test_unparsable_url_is_malformed(self, url: str) -> None:
        """A URL Twilio could not have signed (bad IPv6, bad port) is MalformedSignature."""
        verifier = Verifier("twilio", secret=SECRET, public_url=hooksig.PerCallUrl())
        signature = base64.b64encode(b"\x00" * 20).decode()
        with pytest.raises(MalformedSignature) as info:
            verifier.verify(b"{}", {"X-Twilio-Signature": signature}, url=url)
        assert info.value.reason == "bad_url"

    def test_url_without_default_port_variant(self) -> None:
        """A non-HTTP URL has no default-port variant: it is signed and checked as given."""
        verifier = Verifier("twilio", secret=SECRET, public_url=hooksig.PerCallUrl())
        url = "ftp://example.com/hook"
        headers = verifier.sign(b"a=1", url=url)
        assert verifier.verify(b"a=1", headers, url=url).key_id == "0"


def test_handshake_runs_only_on_verified_deliveries() -> None:
    """A scheme's handshake answers a verified delivery (here as JSON); others get None."""
    from hooksig.scheme.handshake import echo_challenge

    scheme = hooksig.HmacScheme(
        name="handshaking",
        signature_header="X-Sig",
        handshake=echo_challenge(when={"type": "url_verification"}, reply="json"),
    )
    verifier = Verifier(scheme, secret=SECRET)
    body = b'{"type": "url_verification", "challenge": "abc123"}'
    answer = verifier.handshake(verifier.verify(body, verifier.sign(body)))
    assert answer is not None
    assert (answer.status, json.loads(answer.body)) == (200, {"challenge": "abc123"})
    assert verifier.handshake(verifier.verify(BODY, verifier.sign(BODY))) is None
    with pytest.raises(ConfigurationError):
        verifier.handshake(_github().verify(BODY, _gh_header(BODY)))


def test_replay_window_and_url_policy_are_readable() -> None:
    """The configured window and URL policy are exposed read-only, None where absent."""
    stripe = Verifier("stripe", secret=SECRET, tolerance=120)
    assert stripe.replay_window is not None
    assert stripe.replay_window.tolerance == 120
    assert stripe.url_policy is None
    assert Verifier("github", secret=SECRET).replay_window is None
    assert Verifier("stripe", secret=SECRET, tolerance=math.inf).replay_window is None
    twilio = Verifier("twilio", secret=SECRET, public_url="https://example.com")
    assert twilio.url_policy is not None
    assert twilio.url_policy.resolve("/hook", hooksig.Headers()) == "https://example.com/hook"
    with pytest.raises(AttributeError):
        stripe.replay_window = None  # type: ignore[misc]
