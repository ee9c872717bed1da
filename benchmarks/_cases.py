"""
One benchmark case per provider: a valid delivery, the floor, hooksig and the peers.

Each delivery is signed here with the provider's own recipe (not with
hooksig's ``sign``), so hooksig and the peers verify the same independent
bytes.  The *floor* is the least any verifier must do: one
``hmac.new(...).digest()`` over the exact signed content, built in advance,
plus one ``hmac.compare_digest`` (for Discord, one Ed25519 verify with
``cryptography`` over content built in advance).

A provider whose scheme is not registered, or whose module does not load
yet, is reported as missing; a peer package that is not installed is
reported and left out.  Nothing is faked.
"""

from __future__ import annotations

import base64
import hmac
import random
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

import hooksig

Fn = Callable[[], object]

#: The providers of issue #7, in table order: registry name -> builder.
PROVIDERS = (
    "stripe",
    "github",
    "shopify",
    "standard-webhooks",
    "slack",
    "twilio",
    "discord",
)
#: Public-key providers: the HMAC targets do not apply to them.
ASYMMETRIC = frozenset({"discord"})

STRIPE_SECRET = "whsec_" + "4eC39HqLyjWDarjtT1zdp7dc" + "0123456789"
PLAIN_SECRET = "It's a Secret to Everybody, 0123456789"
SWH_KEY = bytes(range(32))
SWH_SECRET = "whsec_" + base64.b64encode(SWH_KEY).decode()
SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TWILIO_TOKEN = "12345678901234567890123456789012"
TWILIO_URL = "https://example.com/hooks/twilio"
DISCORD_SEED = bytes(range(100, 132))


@dataclass
class Case:
    """A delivery of one provider at one size, and everything that verifies it."""

    scheme: str
    size: int
    floor: Fn
    hooksig: Fn | None
    peers: dict[str, Fn] = field(default_factory=dict)
    tampered: Fn | None = None
    notes: list[str] = field(default_factory=list)


def json_body(size: int) -> bytes:
    """A JSON object of exactly *size* bytes (valid UTF-8, as every peer needs)."""
    head = b'{"id":"evt_1NqZk2LkdIwHu7ix","object":"event","type":"invoice.paid","data":{"pad":"'
    tail = b'"}}'
    rng = random.Random(size)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    pad = "".join(rng.choice(letters) for _ in range(max(0, size - len(head) - len(tail))))
    body = head + pad.encode("ascii") + tail
    return body[:size] if len(body) > size else body


def form_body(size: int) -> tuple[bytes, dict[str, str]]:
    """A Twilio-style form body of about *size* bytes, and its fields."""
    fields = {
        "AccountSid": "AC" + "0" * 32,
        "From": "+15005550006",
        "To": "+15005550001",
        "MessageSid": "SM" + "1" * 32,
        "Body": "",
    }
    fixed = len(urllib.parse.urlencode(fields).encode())
    fields["Body"] = json_body(max(16, size - fixed)).decode().replace('"', "x")
    fields["Body"] = "".join(c if c.isalnum() else "x" for c in fields["Body"])
    return urllib.parse.urlencode(fields).encode(), fields


def _hmac_floor(key: bytes, content: bytes, digestmod: str, signature: bytes) -> Fn:
    new, compare = hmac.new, hmac.compare_digest

    def floor() -> bool:
        return compare(new(key, content, digestmod).digest(), signature)

    return floor


def _verifier(name: str, notes: list[str], **kwargs: object) -> hooksig.Verifier | None:
    try:
        return hooksig.Verifier(name, **kwargs)  # type: ignore[arg-type]
    except Exception as exc:
        notes.append(f"hooksig {name}: cannot build a Verifier ({type(exc).__name__}: {exc})")
        return None


def _peer(notes: list[str], label: str, make: Callable[[], Fn]) -> dict[str, Fn]:
    try:
        return {label: make()}
    except ImportError as exc:
        notes.append(f"peer {label} not importable ({exc.name or exc}); left out")
        return {}


def _stripe(size: int, now: int) -> Case:
    body = json_body(size)
    content = f"{now}.".encode() + body
    mac = hmac.new(STRIPE_SECRET.encode(), content, "sha256").digest()
    value = f"t={now},v1={mac.hex()}"
    headers = {"Stripe-Signature": value, "Content-Type": "application/json"}
    notes: list[str] = []
    verifier = _verifier("stripe", notes, secret=STRIPE_SECRET)

    def make_stripe() -> Fn:
        from stripe import WebhookSignature

        verify = WebhookSignature.verify_header
        return lambda: verify(body, value, STRIPE_SECRET, 300)

    return Case(
        "stripe",
        size,
        _hmac_floor(STRIPE_SECRET.encode(), content, "sha256", mac),
        None if verifier is None else (lambda: verifier.verify(body, headers)),
        _peer(notes, "stripe-python", make_stripe),
        None if verifier is None else (lambda: verifier.verify(body + b" ", headers)),
        notes,
    )


def _github(size: int, now: int) -> Case:
    body = json_body(size)
    mac = hmac.new(PLAIN_SECRET.encode(), body, "sha256").digest()
    headers = {
        "X-Hub-Signature-256": "sha256=" + mac.hex(),
        "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "X-GitHub-Event": "push",
        "Content-Type": "application/json",
    }
    notes: list[str] = []
    verifier = _verifier("github", notes, secret=PLAIN_SECRET)
    return Case(
        "github",
        size,
        _hmac_floor(PLAIN_SECRET.encode(), body, "sha256", mac),
        None if verifier is None else (lambda: verifier.verify(body, headers)),
        {},
        None if verifier is None else (lambda: verifier.verify(body + b" ", headers)),
        notes,
    )


def _shopify(size: int, now: int) -> Case:
    body = json_body(size)
    mac = hmac.new(PLAIN_SECRET.encode(), body, "sha256").digest()
    headers = {
        "X-Shopify-Hmac-Sha256": base64.b64encode(mac).decode(),
        "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        "X-Shopify-Topic": "orders/create",
        "Content-Type": "application/json",
    }
    notes: list[str] = []
    verifier = _verifier("shopify", notes, secret=PLAIN_SECRET)
    return Case(
        "shopify",
        size,
        _hmac_floor(PLAIN_SECRET.encode(), body, "sha256", mac),
        None if verifier is None else (lambda: verifier.verify(body, headers)),
        {},
        None if verifier is None else (lambda: verifier.verify(body + b" ", headers)),
        notes,
    )


def _standard_webhooks(size: int, now: int) -> Case:
    body = json_body(size)
    msg_id = "msg_2LJZVXpQnPaA1zPFNjrbEuJk1Fr"
    content = f"{msg_id}.{now}.".encode() + body
    mac = hmac.new(SWH_KEY, content, "sha256").digest()
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(now),
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
        "content-type": "application/json",
    }
    svix_headers = {
        "svix-id": msg_id,
        "svix-timestamp": str(now),
        "svix-signature": headers["webhook-signature"],
        "content-type": "application/json",
    }
    notes: list[str] = []
    verifier = _verifier("standard-webhooks", notes, secret=SWH_SECRET)

    def make_standardwebhooks() -> Fn:
        from standardwebhooks.webhooks import Webhook

        hook = Webhook(SWH_SECRET)
        return lambda: hook.verify(body, headers, json_parse=False)

    def make_svix() -> Fn:
        from svix.webhooks import Webhook

        hook = Webhook(SWH_SECRET)
        return lambda: hook.verify(body, svix_headers)

    peers = _peer(notes, "standardwebhooks", make_standardwebhooks)
    peers |= _peer(notes, "svix", make_svix)
    return Case(
        "standard-webhooks",
        size,
        _hmac_floor(SWH_KEY, content, "sha256", mac),
        None if verifier is None else (lambda: verifier.verify(body, headers)),
        peers,
        None if verifier is None else (lambda: verifier.verify(body + b" ", headers)),
        notes,
    )


def _slack(size: int, now: int) -> Case:
    body = json_body(size)
    content = f"v0:{now}:".encode() + body
    mac = hmac.new(SLACK_SECRET.encode(), content, "sha256").digest()
    headers = {
        "X-Slack-Signature": "v0=" + mac.hex(),
        "X-Slack-Request-Timestamp": str(now),
        "Content-Type": "application/json",
    }
    notes: list[str] = []
    verifier = _verifier("slack", notes, secret=SLACK_SECRET)

    def make_slack() -> Fn:
        from slack_sdk.signature import SignatureVerifier

        checker = SignatureVerifier(SLACK_SECRET)

        def run() -> bool:
            if not checker.is_valid_request(body, headers):
                raise AssertionError("slack_sdk refused the delivery")
            return True

        return run

    return Case(
        "slack",
        size,
        _hmac_floor(SLACK_SECRET.encode(), content, "sha256", mac),
        None if verifier is None else (lambda: verifier.verify(body, headers)),
        _peer(notes, "slack_sdk", make_slack),
        None if verifier is None else (lambda: verifier.verify(body + b" ", headers)),
        notes,
    )


def _twilio(size: int, now: int) -> Case:
    body, fields = form_body(size)
    content = (TWILIO_URL + "".join(k + fields[k] for k in sorted(fields))).encode()
    mac = hmac.new(TWILIO_TOKEN.encode(), content, "sha1").digest()
    headers = {
        "X-Twilio-Signature": base64.b64encode(mac).decode(),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    params = {k: [v] for k, v in fields.items()}
    tampered = dict(params, Body=[fields["Body"] + "x"])
    notes: list[str] = []
    verifier = _verifier("twilio", notes, secret=TWILIO_TOKEN, public_url=hooksig.PerCallUrl())

    def make_twilio() -> Fn:
        from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]

        validator = RequestValidator(TWILIO_TOKEN)
        signature = headers["X-Twilio-Signature"]

        def run() -> bool:
            if not validator.validate(TWILIO_URL, fields, signature):
                raise AssertionError("twilio refused the delivery")
            return True

        return run

    return Case(
        "twilio",
        size,
        _hmac_floor(TWILIO_TOKEN.encode(), content, "sha1", mac),
        None
        if verifier is None
        else (lambda: verifier.verify(body, headers, url=TWILIO_URL, params=params)),
        _peer(notes, "twilio", make_twilio),
        None
        if verifier is None
        else (lambda: verifier.verify(body, headers, url=TWILIO_URL, params=tampered)),
        notes,
    )


def _discord(size: int, now: int) -> Case:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    body = json_body(size)
    private = Ed25519PrivateKey.from_private_bytes(DISCORD_SEED)
    public = private.public_key()
    public_hex = public.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    content = str(now).encode() + body
    signature = private.sign(content)
    headers = {
        "X-Signature-Ed25519": signature.hex(),
        "X-Signature-Timestamp": str(now),
        "Content-Type": "application/json",
    }
    notes: list[str] = []
    verifier = _verifier("discord", notes, public_key=public_hex)

    def floor() -> None:
        public.verify(signature, content)

    def make_pynacl() -> Fn:
        from nacl.signing import VerifyKey

        key = VerifyKey(bytes.fromhex(public_hex))

        def run() -> bytes:  # Discord's documented recipe
            sig = headers["X-Signature-Ed25519"]
            ts = headers["X-Signature-Timestamp"]
            return key.verify(ts.encode() + body, bytes.fromhex(sig))

        return run

    def make_cryptography() -> Fn:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))

        def run() -> None:
            sig = headers["X-Signature-Ed25519"]
            ts = headers["X-Signature-Timestamp"]
            key.verify(bytes.fromhex(sig), ts.encode() + body)

        return run

    peers = _peer(notes, "pynacl", make_pynacl)
    peers |= _peer(notes, "cryptography", make_cryptography)
    return Case(
        "discord",
        size,
        floor,
        None if verifier is None else (lambda: verifier.verify(body, headers)),
        peers,
        None if verifier is None else (lambda: verifier.verify(body + b" ", headers)),
        notes,
    )


BUILDERS: dict[str, Callable[[int, int], Case]] = {
    "stripe": _stripe,
    "github": _github,
    "shopify": _shopify,
    "standard-webhooks": _standard_webhooks,
    "slack": _slack,
    "twilio": _twilio,
    "discord": _discord,
}


def missing_reason(name: str) -> str | None:
    """Why hooksig cannot verify *name* yet, or ``None`` when it can."""
    if name not in hooksig.schemes.names():
        return "not in hooksig.schemes.names()"
    try:
        hooksig.schemes.get(name)
    except Exception as exc:
        return f"registered but does not load ({type(exc).__name__})"
    return None


def build(name: str, size: int) -> Case:
    """The case of provider *name* at *size* bytes, signed now (peers check freshness)."""
    case = BUILDERS[name](size, int(time.time()))
    reason = missing_reason(name)
    if reason is not None:
        case.hooksig = None
        case.tampered = None
        case.notes.append(f"hooksig {name}: missing ({reason})")
    return case


def check(case: Case) -> None:
    """Call every contender once; drop (with a note) any that refuses the valid delivery."""
    case.floor()
    if case.hooksig is not None:
        try:
            case.hooksig()
        except hooksig.WebhookError as exc:
            case.notes.append(f"hooksig refused the valid delivery: {type(exc).__name__} {exc}")
            case.hooksig = None
    if case.hooksig is not None and case.tampered is not None:
        try:
            case.tampered()
        except hooksig.VerificationError:
            pass
        else:
            raise AssertionError(f"hooksig {case.scheme} accepted a tampered delivery")
    for label, peer in list(case.peers.items()):
        try:
            peer()
        except Exception as exc:
            case.notes.append(f"peer {label} refused the valid delivery: {type(exc).__name__}")
            del case.peers[label]


__all__ = ["ASYMMETRIC", "PROVIDERS", "Case", "build", "check", "missing_reason"]
