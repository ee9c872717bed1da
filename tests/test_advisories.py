"""One regression test per known advisory or bug class in webhook verification."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import math

import pytest

import hooksig
from hooksig._primitives import compare, crypto

from .conftest import NOW, SECRET

BODY = b'{"id":"evt_1","object":"event","data":{"amount":1000}}'
SWH_SECRET = "whsec_" + base64.b64encode(SECRET.encode()).decode()


def _stripe(body: bytes = BODY, secret: str = SECRET, t: int = NOW) -> str:
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, "sha256").hexdigest()
    return f"t={t},v1={mac}"


def _verifier(name: str, **kwargs: object) -> hooksig.Verifier:
    secret = SWH_SECRET if name == "standard-webhooks" else SECRET
    return hooksig.Verifier(name, secret=secret, clock=lambda: float(NOW), **kwargs)  # type: ignore[arg-type]


#: An empty signature in each HMAC header shape (CVE-2024-21491 compared empty input as equal).
EMPTY_SIGNATURES = {
    "stripe": {"Stripe-Signature": f"t={NOW},v1="},
    "github": {"X-Hub-Signature-256": "sha256="},
    "shopify": {"X-Shopify-Hmac-Sha256": ""},
    "standard-webhooks": {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(NOW),
        "webhook-signature": "v1,",
    },
    "slack": {"X-Slack-Signature": "v0=", "X-Slack-Request-Timestamp": str(NOW)},
}


@pytest.mark.parametrize("name", sorted(EMPTY_SIGNATURES))
def test_cve_2024_21491_empty_signature_is_refused(name: str) -> None:
    """An empty (or truncated) signature never compares equal to the expected one."""
    verifier = _verifier(name)
    with pytest.raises(hooksig.VerificationError):
        verifier.verify(BODY, EMPTY_SIGNATURES[name])
    valid = verifier.sign(BODY, timestamp=NOW)
    for header, value in valid.items():
        if "sig" in header.lower() or "hmac" in header.lower():
            truncated = dict(valid, **{header: value[: len(value) - 8]})
            with pytest.raises(hooksig.VerificationError):
                verifier.verify(BODY, truncated)


def test_cve_2024_21491_compare_core_refuses_empty_and_prefix() -> None:
    """The compare core: an empty or prefix candidate matches no digest."""
    digest = hashlib.sha256(b"x").digest()
    assert compare.match_key([("0", digest)], [b""]) is None
    assert compare.match_key([("0", digest)], [digest[:16]]) is None
    assert compare.match_key([("0", digest)], []) is None


MALFORMED_STRIPE = [
    "",
    ",",
    "=",
    "t",
    "t=",
    "v1",
    "t=1,v1",
    f"t={NOW},v1=zz",
    f"t={NOW},v1=" + "0" * 63,
    f"t={NOW},v1=" + "A" * 64,
    f"t={NOW},v1=" + "\u0660" * 64,
    f"t={NOW},t={NOW},v1=" + "0" * 64,
    f"t={NOW};v1=" + "0" * 64,
    f"t={NOW},v1=" + "0" * 64 + "=",
    "t=" + "9" * 5000,
    "\x00\xff" * 100,
]
MALFORMED_SWH = [
    "v1",
    "v1,",
    "v1,%%%",
    "v1,AAAA",
    "v1,A===",
    ",",
    " ",
    "v1,\u00e9\u00e9\u00e9\u00e9",
]


@pytest.mark.parametrize("value", MALFORMED_STRIPE)
def test_ghsa_pwfr_8pq7_x9qv_malformed_stripe_header_is_refused_not_crashing(value: str) -> None:
    """A malformed Stripe-Signature ends in a VerificationError, never another exception."""
    with pytest.raises(hooksig.VerificationError):
        _verifier("stripe").verify(BODY, {"Stripe-Signature": value})


@pytest.mark.parametrize("value", MALFORMED_SWH)
def test_ghsa_pwfr_8pq7_x9qv_malformed_base64_signature_is_refused_not_crashing(
    value: str,
) -> None:
    """Bad base64 or a missing comma in webhook-signature is refused, never a binascii.Error."""
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(NOW), "webhook-signature": value}
    with pytest.raises(hooksig.VerificationError):
        _verifier("standard-webhooks").verify(BODY, headers)


def _sendgrid() -> tuple[hooksig.Verifier, object]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    private = ec.derive_private_key(0xC0FFEE, ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    verifier = hooksig.Verifier("sendgrid", public_key=public, clock=lambda: float(NOW))
    return verifier, private.public_key()


def _der(r: int, s: int) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    return encode_dss_signature(r, s)


ECDSA_BAD = {
    "r=s=0 DER": lambda n: _der(0, 0),
    "r=0": lambda n: _der(0, 1),
    "s=0": lambda n: _der(1, 0),
    "r=s=n": lambda n: _der(n, n),
    "r=n+1": lambda n: _der(n + 1, 1),
    "empty": lambda n: b"",
    "DER of zero length ints": lambda n: b"\x30\x04\x02\x00\x02\x00",
}


@pytest.mark.parametrize("case", sorted(ECDSA_BAD))
def test_cve_2021_43572_ecdsa_zero_and_out_of_range_signatures_are_refused(case: str) -> None:
    """ECDSA r = s = 0 (the 'psychic signature') and out-of-range scalars never verify."""
    verifier, public = _sendgrid()
    signature = ECDSA_BAD[case](crypto._P256_N)
    assert not crypto.ecdsa_p256_verify(public, signature, b"any message", "der")
    assert not crypto.ecdsa_p256_verify(public, bytes(64), b"any message", "raw")
    headers = {
        "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
        "X-Twilio-Email-Event-Webhook-Timestamp": str(NOW),
    }
    with pytest.raises(hooksig.VerificationError):
        verifier.verify(BODY, headers)


def test_cve_2021_43572_ed25519_small_order_key_is_refused() -> None:
    """An invalid-curve Ed25519 key (the all-zero, small-order point) is refused at construction."""
    with pytest.raises(hooksig.ConfigurationError):
        hooksig.Verifier("discord", public_key=bytes(32).hex())


def test_cve_2018_6596_compare_is_constant_time_and_exhaustive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Digests are compared with hmac.compare_digest, every key against every candidate."""
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(compare.hmac, "compare_digest", spy)
    digests = [("a", b"1" * 32), ("b", b"2" * 32), ("c", b"3" * 32)]
    assert compare.match_key(digests, [b"1" * 32, b"9" * 32]) == "a"
    assert len(calls) == 6
    with pytest.raises(TypeError):
        compare.bytes_eq("a" * 32, "a" * 32)  # type: ignore[arg-type]


def test_cve_2018_1000089_secrets_never_in_logs_messages_or_reprs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Failures log and say neither the secret nor the expected signature."""
    verifier = _verifier("stripe")
    expected = _stripe().split("v1=")[1]
    wrong = f"t={NOW},v1=" + "0" * 64
    caplog.set_level(logging.DEBUG)
    with pytest.raises(hooksig.InvalidSignature) as caught:
        verifier.verify(BODY, {"Stripe-Signature": wrong})
    text = " ".join(
        [caplog.text, str(caught.value), repr(caught.value), repr(verifier), str(verifier)]
    )
    assert SECRET not in text
    assert expected not in text
    assert "0" * 64 not in text  # nor the received signature
    assert SECRET not in repr(hooksig.Secret(SECRET))


def test_slack_ssl_check_handshake_needs_a_verified_delivery() -> None:
    """Slack's url_verification and ssl_check are not answered without a valid signature."""
    verifier = _verifier("slack")
    challenge = json.dumps({"type": "url_verification", "challenge": "abc"}).encode()
    with pytest.raises(hooksig.VerificationError):
        verifier.verify(challenge, {"Content-Type": "application/json"})
    with pytest.raises(hooksig.VerificationError):
        verifier.verify(b"ssl_check=1&token=x", {"X-Slack-Request-Timestamp": str(NOW)})
    with pytest.raises(hooksig.ConfigurationError):
        verifier.handshake(object())  # type: ignore[arg-type]
    signed = verifier.verify(challenge, verifier.sign(challenge, timestamp=NOW))
    response = verifier.handshake(signed)
    assert response is not None
    assert b"abc" in response.body


@pytest.mark.parametrize("tolerance", [0, 0.0, -1, math.nan])
def test_tolerance_zero_does_not_disable_the_window(tolerance: float) -> None:
    """tolerance=0 (or negative, NaN) is refused instead of meaning 'no check'."""
    with pytest.raises(hooksig.ConfigurationError):
        _verifier("stripe", tolerance=tolerance)


@pytest.mark.parametrize("stamp", ["nan", "inf", "1e10", "+1700000000", "1700000000.0", " 1"])
def test_nan_or_non_integer_timestamp_is_malformed(stamp: str) -> None:
    """NaN, infinity, exponents, signs and fractions are not timestamps."""
    mac = hmac.new(SECRET.encode(), f"{stamp}.".encode() + BODY, "sha256").hexdigest()
    with pytest.raises(hooksig.MalformedSignature):
        _verifier("stripe").verify(BODY, {"Stripe-Signature": f"t={stamp},v1={mac}"})


@pytest.mark.parametrize("stamp", [10**14, 10**15 - 1, 0])
def test_huge_or_zero_timestamp_is_out_of_tolerance(stamp: int) -> None:
    """A validly signed timestamp far in the future or the past is refused as stale."""
    with pytest.raises(hooksig.TimestampOutOfTolerance):
        _verifier("stripe").verify(BODY, {"Stripe-Signature": _stripe(t=stamp)})
    with pytest.raises(hooksig.MalformedSignature):
        _verifier("stripe").verify(BODY, {"Stripe-Signature": _stripe(t=10**20)})


def test_nan_clock_fails_closed() -> None:
    """A clock that returns NaN refuses every timestamp instead of accepting it."""
    verifier = hooksig.Verifier("stripe", secret=SECRET, clock=lambda: math.nan)
    with pytest.raises(hooksig.TimestampOutOfTolerance):
        verifier.verify(BODY, {"Stripe-Signature": _stripe()})


def test_algorithm_is_not_chosen_by_the_request() -> None:
    """A valid SHA-1 GitHub signature, or a lone Stripe v0, is refused: no downgrade."""
    sha1 = hmac.new(SECRET.encode(), BODY, "sha1").hexdigest()
    with pytest.raises(hooksig.VerificationError):
        _verifier("github").verify(BODY, {"X-Hub-Signature": "sha1=" + sha1})
    with pytest.raises(hooksig.VerificationError):
        _verifier("github").verify(BODY, {"X-Hub-Signature-256": "sha1=" + sha1})
    v0 = _stripe().replace("v1=", "v0=")
    with pytest.raises(hooksig.VerificationError):
        _verifier("stripe").verify(BODY, {"Stripe-Signature": v0})


def test_reserialised_json_body_is_refused() -> None:
    """A body parsed and dumped again (other spacing or key order) no longer verifies."""
    verifier = _verifier("stripe")
    headers = {"Stripe-Signature": _stripe()}
    assert verifier.verify(BODY, headers).body == BODY
    for variant in (
        json.dumps(json.loads(BODY)).encode(),
        json.dumps(json.loads(BODY), sort_keys=True, separators=(",", ":")).encode(),
        BODY.decode().encode("utf-16"),
    ):
        assert variant != BODY
        with pytest.raises(hooksig.InvalidSignature):
            verifier.verify(variant, headers)
    with pytest.raises(hooksig.MalformedPayload):
        verifier.verify(BODY.decode(), headers)  # type: ignore[arg-type]
