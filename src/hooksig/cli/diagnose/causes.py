"""
The causes ``hooksig diagnose`` can name: stable codes, explanations and fixes.

Part of :mod:`hooksig.cli.diagnose`.  No message carries a secret, a key or a
signature; URLs and header names are not secret and are named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ...errors import MalformedSignature, MissingSignature, WebhookError

if TYPE_CHECKING:
    from .secrets import SecretChange

#: Why the raw body matters, said once for every body cause.
_RAW = (
    "Verify the raw request body, exactly as read from the socket, before any framework, "
    "proxy or logger parses or re-encodes it (Flask request.get_data(), Django request.body, "
    "Starlette await request.body())."
)


@dataclass(frozen=True)
class Cause:
    """One explanation: a stable code, what happened, and how to fix it."""

    code: str
    explanation: str
    fix: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The cause in the ``--json`` document."""
        return {
            "code": self.code,
            "explanation": self.explanation,
            "fix": self.fix,
            "details": self.details,
        }


_BODY: dict[str, str] = {
    "body_bom": "a UTF-8 byte order mark (EF BB BF) was added to or removed from the body",
    "body_crlf": "the body's line ends were converted (LF to CRLF or CRLF to LF)",
    "body_trailing_newline": "a trailing newline was added to or removed from the body",
    "body_whitespace": "the JSON body was re-serialised with different whitespace",
    "body_key_order": "the JSON body was re-serialised with its keys in another order",
    "body_unicode_escapes": (
        "the JSON body was re-serialised with different string escapes "
        "(\\u escapes for non-ASCII text, or escaped slashes)"
    ),
    "body_reencoded_json": "the JSON body was parsed and re-serialised",
}


def body(code: str, how: str, changed: list[str] | None = None) -> Cause:
    """A body that verifies once *how* is undone."""
    explanation = f"{_BODY[code]}: the signature matches when {how}."
    if changed:
        explanation += f" Changed: {', '.join(changed)}."
    details: dict[str, Any] = {"repair": how}
    if changed:
        details["changed"] = changed
    return Cause(code, explanation, _RAW, details)


def truncated(received: int, announced: int | None) -> Cause:
    """The body is shorter than announced, or ends inside a JSON value."""
    if announced is None:
        what = f"the body ({received} bytes) ends in the middle of its JSON document"
    else:
        what = f"the body has {received} bytes but Content-Length announced {announced}"
    return Cause(
        "body_truncated",
        f"{what}: it was cut before it was verified or captured, so no signature can match.",
        "Read the whole body before verifying (check body size limits in your proxy, "
        "framework and capture tool), then verify the complete bytes.",
        {"received": received, "content_length": announced},
    )


def extra_bytes(received: int, announced: int) -> Cause:
    """Bytes after the announced Content-Length."""
    return Cause(
        "body_extra_bytes",
        f"the body has {received} bytes but Content-Length announced {announced}; the "
        f"signature matches the first {announced} bytes.",
        "Verify exactly Content-Length bytes: something appended data to the body.",
        {"received": received, "content_length": announced},
    )


def url_changed(how: str, url: str) -> Cause:
    """A URL-signing scheme that verifies with the URL the provider called."""
    return Cause(
        f"url_changed:{how}",
        f"this scheme signs the URL, and the URL checked differs from the one the provider "
        f"called ({how.replace('+', ', ')}); the signature matches for {url}.",
        f"Configure the public URL the provider calls: --public-url (or --url {url}); in code, "
        "Verifier(public_url=...), or TrustedProxy if a proxy you run sets X-Forwarded-*.",
        {"url": url, "changed": how.split("+")},
    )


def forwarded_port_ignored(port: int, url: str) -> Cause:
    """The provider called a non-default port, which only ``X-Forwarded-Port`` kept."""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    return Cause(
        "url_forwarded_port_ignored",
        f"this scheme signs the URL, and the provider called port {port}: your proxy says so "
        f"in X-Forwarded-Port, but the URL checked has no port. The signature matches for "
        f"{url}.",
        f"Put the port in your public URL: --public-url {base} (in code, "
        f'Verifier(public_url="{base}")); with TrustedProxy, have the proxy send the port in '
        "X-Forwarded-Host and list the host with its port.",
        {"url": url, "port": port},
    )


def url_not_configured(url: str | None) -> Cause:
    """A URL-signing scheme with no URL to check."""
    found = "" if url is None else f" The signature matches for {url}."
    return Cause(
        "url_not_configured",
        f"this scheme signs the URL the provider called, and no URL was given.{found}",
        "Pass --url URL or --public-url BASE (or a capture with an absolute URL); in code, "
        "Verifier(public_url=...).",
        {} if url is None else {"url": url},
    )


#: (what happened, what to weigh before accepting it) per secret cause.
_SECRET: dict[str, tuple[str, str]] = {
    "secret_whsec_decoded": (
        "the sender used the base64-decoded bytes of the whsec_ secret as the key, as "
        "Standard Webhooks does, but this scheme uses the whsec_ text itself",
        "If the deliveries are Standard Webhooks (Svix, Clerk, Resend), use that scheme; "
        "if you sign them yourself, sign with the text. To accept them as they are",
    ),
    "secret_whsec_not_decoded": (
        "the sender used the whsec_ text itself as the key, but this scheme base64-decodes "
        "the part after whsec_ (Standard Webhooks)",
        "If the provider uses the text as the key (Stripe does), use its scheme. "
        "To accept them as they are",
    ),
    "secret_base64_not_decoded": (
        "the sender used the base64 text of the secret (without any whsec_ prefix) as the "
        "key, without decoding it, but this scheme decodes it",
        "To accept them as they are",
    ),
    "secret_whsec_prefix": (
        "the sender used the secret without its whsec_ prefix",
        "To accept them as they are",
    ),
    "secret_hex_decoded": (
        "the secret is hex, and the sender used the decoded bytes as the key",
        "To use the same key",
    ),
    "secret_base64_decoded": (
        "the secret is base64, and the sender used the decoded bytes as the key",
        "To use the same key",
    ),
    "secret_quotes_or_whitespace": (
        "the configured secret carries quotes or whitespace the sender's does not",
        "To use the sender's secret",
    ),
}


def secret_cause(code: str, secret_format: str, change: SecretChange) -> Cause:
    """The secret read another way verifies (the way is named, the secret never)."""
    what, advice = _SECRET[code]
    steps = change.steps()
    if change.unquote and code != "secret_quotes_or_whitespace":
        what += ", and the configured secret also carries quotes or whitespace"
    edited = "the edited text" if change.unquote or change.drop_prefix else "the text"
    fix = f"{advice}: {', then '.join(steps)} (in code, {change.in_code()} with {edited})."
    details = {"secret_format": secret_format, "change": change.as_json()}
    return Cause(code, f"{what}.", fix, details)


def secret_node_decoded(secret_format: str) -> Cause:
    """The sender base64-decoded a whole ``whsec_`` secret, prefix included (Node's mistake)."""
    right = (
        "decode only the part after whsec_, as the Standard Webhooks libraries do: "
        'Buffer.from(secret.slice(6), "base64")'
        if secret_format != "utf-8"
        else "use the whsec_ text itself as the key, as this scheme does: Buffer.from(secret)"
    )
    return Cause(
        "secret_whsec_prefix_decoded",
        "the sender base64-decoded the whole whsec_ secret, prefix included: Node's "
        'Buffer.from(secret, "base64") does so without an error, reading "whsec_" as base64 '
        "digits, so the key is neither the text nor its decoded part.",
        f"Fix the sender: {right}. No receiver setting gives that garbled key.",
        {"secret_format": secret_format, "fix_side": "sender"},
    )


def wrong_secret(label: str) -> Cause:
    """One of the other secrets given verifies."""
    return Cause(
        f"wrong_secret:{label}",
        f"the delivery verifies with the other secret {label}, not the configured one "
        "(another provider's, endpoint's or environment's secret).",
        f"Configure the secret from {label} for this endpoint.",
        {"label": label},
    )


def wrong_scheme(name: str, configured: str) -> Cause:
    """Another registered scheme verifies the delivery."""
    return Cause(
        f"wrong_scheme:{name}",
        f"the delivery verifies with the {name} scheme, not {configured}.",
        f"Use the {name} scheme (hooksig verify {name} ..., Verifier({name!r}, ...)).",
        {"scheme": name},
    )


def legacy_signature_only(
    *, scheme: str, wanted: str, algorithm: str, present: str, weaker: str, verifies_with: str
) -> Cause:
    """Only a weaker signature came through, and the configured scheme rightly refuses it."""
    return Cause(
        "legacy_signature_only",
        f"the capture carries no valid {wanted}, the {algorithm.upper()} signature header the "
        f"{scheme} scheme reads; it carries only {present}, a legacy {weaker.upper()} "
        f"signature, which the {scheme} scheme never accepts. That one verifies (by the "
        f"{verifies_with} recipe), so the sender holds your secret: its {wanted} header was "
        "lost on the way or never sent.",
        f"Check what the capture lacks: the {scheme} provider sends {wanted} with each "
        f"delivery, so capture the request before any proxy and find what removes it. Do not "
        f"switch to a scheme that accepts {present}: that would accept a downgrade.",
        {
            "header": wanted,
            "present": present,
            "algorithm": weaker,
            "verifies_with": verifies_with,
        },
    )


def key_probably_wrong(public_key: bool) -> Cause:
    """Nothing explains a signature that does not match: the key is the likeliest cause left."""
    key = "public key" if public_key else "secret"
    return Cause(
        "key_probably_wrong",
        "no change of body, URL, time or secret format makes the signature verify, and no "
        f"other scheme does, so the {key} is probably not the one this delivery was signed "
        "with.",
        f"Check that the {key} is this endpoint's, in this environment (test and live "
        "secrets differ), and copy it again from the provider's dashboard; pass an older or "
        "another endpoint's secret with --try-secret-env or --try-secret-file to check it.",
        {"key": key.replace(" ", "_")},
    )


def clock_skew(timestamp: float, now: float) -> Cause:
    """Authentic, but the signed time is outside the window."""
    offset = round(timestamp - now)
    side = "ahead of" if offset > 0 else "behind"
    return Cause(
        "clock_skew",
        f"the signature is valid, but the signed time is {abs(offset)} s {side} now: one of "
        "the clocks is off, or the delivery is old (a replay, a long retry, or a capture "
        "checked later).",
        "Keep both clocks in sync (NTP); for an old capture pass --now with the time it "
        "arrived; widen --tolerance only if the provider documents a longer window.",
        {"timestamp": timestamp, "now": now, "offset": offset},
    )


def milliseconds(timestamp: float, now: float) -> Cause:
    """A millisecond timestamp where seconds are signed."""
    return Cause(
        "timestamp_in_milliseconds",
        "the signature is valid, but the timestamp is in milliseconds where this scheme "
        "expects Unix seconds.",
        "The sender must put Unix seconds in the timestamp (int(time.time()), not Date.now()).",
        {"timestamp": timestamp, "now": now},
    )


def seconds(timestamp: float, now: float) -> Cause:
    """A seconds timestamp where milliseconds are signed."""
    return Cause(
        "timestamp_in_seconds",
        "the signature is valid, but the timestamp is in seconds where this scheme "
        "expects milliseconds.",
        "The sender must put Unix milliseconds in the timestamp.",
        {"timestamp": timestamp, "now": now},
    )


def header_cause(failure: WebhookError) -> Cause | None:
    """A missing or malformed signature header that no other scheme explains."""
    header = getattr(failure, "header", None)
    if isinstance(failure, MissingSignature):
        return Cause(
            "header_missing",
            f"{failure}: a proxy or framework may have dropped it, or the delivery comes "
            "from a provider with no registered scheme.",
            "Capture the request before any proxy, and check that the provider signs this "
            "endpoint.",
            {"header": header, "reason": failure.reason},
        )
    if isinstance(failure, MalformedSignature):
        return Cause(
            "header_malformed",
            f"{failure} ({failure.reason}): the header was altered on the way, or is not "
            "this provider's.",
            "Capture the request before any proxy and compare the header with the "
            "provider's documentation.",
            {"header": header, "reason": failure.reason},
        )
    return None
