"""``hooksig diagnose`` names the cause of each failure class, from realistic captures."""

from __future__ import annotations

import base64
import hmac
import json
import subprocess
from collections.abc import Callable
from typing import Any

import pytest

from hooksig import Verifier
from tests.cli.captures import http_capture, json_capture, signed
from tests.cli.conftest import Result, Run
from tests.cli.keys import ed25519_pair
from tests.conftest import NOW, OTHER_SECRET, SECRET

Write = Callable[[str, bytes | str], str]

#: A compact JSON event with non-ASCII text and a slash, as many providers send it.
EVENT = {"id": "evt_1", "type": "invoice.paid", "data": {"customer": "Zoë", "url": "/x"}}
COMPACT = json.dumps(EVENT, separators=(",", ":"), ensure_ascii=False).encode()
#: Python's json.dumps() default style, ASCII only.
DEFAULT = json.dumps(EVENT).encode()


def diagnose(run: Run, write: Write, scheme: str, capture: bytes, *args: str) -> Result:
    """Run `diagnose --json` on *capture* at the suite's fixed time."""
    path = write("capture", capture)
    return run("diagnose", scheme, "--request", path, "--now", str(NOW), "--json", *args)


def codes(result: Result) -> list[str]:
    """The cause codes of a --json diagnosis."""
    return [cause["code"] for cause in result.json()["causes"]]


def assert_no_secret(result: Result, *secrets: str) -> None:
    """Neither the secret nor any HMAC-SHA256 of the received body under it is printed."""
    for secret in (SECRET, *secrets):
        assert secret not in result.out + result.err


def hmac_texts(key: bytes, content: bytes) -> list[str]:
    """The hex and base64 forms of HMAC-SHA256(key, content)."""
    mac = hmac.digest(key, content, "sha256")
    return [mac.hex(), base64.b64encode(mac).decode()]


# -- body re-encoded --------------------------------------------------------------------


def test_json_reserialised_by_framework(run: Run, write: Write) -> None:
    """json.loads + json.dumps of a compact UTF-8 body is `body_reencoded_json`."""
    body, headers = signed("stripe", COMPACT, timestamp=NOW)
    received = json.dumps(json.loads(body)).encode()
    result = diagnose(run, write, "stripe", json_capture(received, headers))
    assert result.code == 1
    assert codes(result) == ["body_reencoded_json"]
    cause = result.json()["causes"][0]
    assert cause["details"]["changed"] == ["whitespace", "unicode_escapes"]
    assert "raw request body" in cause["fix"]
    assert_no_secret(result)
    expected = hmac_texts(SECRET.encode(), f"{NOW}.".encode() + received)
    assert not any(text in result.out for text in expected)


def test_key_order_changed(run: Run, write: Write) -> None:
    """A proxy re-serialising with sort_keys=True is `body_key_order`."""
    body, headers = signed("github", DEFAULT, timestamp=NOW)
    received = json.dumps(json.loads(body), sort_keys=True).encode()
    result = diagnose(run, write, "github", http_capture(received, headers))
    assert codes(result) == ["body_key_order"]


def test_whitespace_pretty_printed(run: Run, write: Write) -> None:
    """A logger that pretty-prints ASCII JSON is `body_whitespace`."""
    ascii_body = json.dumps(EVENT, separators=(",", ":")).encode()
    body, headers = signed("shopify", ascii_body, timestamp=NOW)
    received = json.dumps(json.loads(body), indent=2).encode()
    result = diagnose(run, write, "shopify", http_capture(received, headers))
    assert codes(result) == ["body_whitespace"]


def test_unicode_escapes(run: Run, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-dumping with ensure_ascii=True in the same style is `body_unicode_escapes`."""
    original = json.dumps(EVENT, ensure_ascii=False).encode()
    body, headers = signed("standard-webhooks", original, timestamp=NOW, id="msg_1")
    received = json.dumps(json.loads(body)).encode()
    capture = json_capture(received, headers)
    unset = diagnose(run, write, "standard-webhooks", capture, "--secret-env", "SW")
    assert unset.code == 2  # $SW is not set: a usage error, not a diagnosis
    secret = "whsec_" + base64.b64encode(SECRET.encode()).decode()
    monkeypatch.setenv("SW", secret)
    result = diagnose(run, write, "standard-webhooks", capture, "--secret-env", "SW")
    assert codes(result) == ["body_unicode_escapes"]
    assert_no_secret(result, secret)


def test_crlf_conversion(run: Run, write: Write) -> None:
    """LF line ends turned into CRLF by a capture tool are `body_crlf`."""
    pretty = json.dumps(EVENT, indent=2).encode()
    body, headers = signed("paddle", pretty, timestamp=NOW)
    received = body.replace(b"\n", b"\r\n")
    result = diagnose(run, write, "paddle", http_capture(received, headers))
    assert codes(result) == ["body_crlf"]


def test_bom_added(run: Run, write: Write) -> None:
    """A UTF-8 byte order mark in front of the body is `body_bom`."""
    body, headers = signed("zendesk", COMPACT, timestamp=NOW)
    result = diagnose(run, write, "zendesk", http_capture(b"\xef\xbb\xbf" + body, headers))
    assert codes(result) == ["body_bom"]


def test_trailing_newline_added(run: Run, write: Write) -> None:
    """A newline appended to the body (echo, editors) is `body_trailing_newline`."""
    body, headers = signed("github", COMPACT, timestamp=NOW)
    result = diagnose(run, write, "github", http_capture(body + b"\n", headers))
    assert codes(result) == ["body_trailing_newline"]


def test_truncated_body_against_content_length(run: Run, write: Write) -> None:
    """A body shorter than its Content-Length is `body_truncated`."""
    body, headers = signed("stripe", COMPACT, timestamp=NOW)
    capture = http_capture(body[:20], headers, content_length=len(body))
    result = diagnose(run, write, "stripe", capture)
    assert codes(result) == ["body_truncated"]
    assert result.json()["causes"][0]["details"] == {"received": 20, "content_length": len(body)}


def test_truncated_json_without_content_length(run: Run, write: Write) -> None:
    """JSON that ends mid-document is `body_truncated` even with no Content-Length."""
    body, headers = signed("github", COMPACT, timestamp=NOW)
    result = diagnose(run, write, "github", json_capture(body[:-7], headers))
    assert codes(result) == ["body_truncated"]


def test_extra_bytes_after_content_length(run: Run, write: Write) -> None:
    """Bytes appended after Content-Length are `body_extra_bytes`."""
    body, headers = signed("github", COMPACT, timestamp=NOW)
    capture = http_capture(body + b"\x00\x00", headers, content_length=len(body))
    assert codes(diagnose(run, write, "github", capture)) == ["body_extra_bytes"]


def test_public_key_scheme_body_reencoded(run: Run, write: Write) -> None:
    """A Discord (Ed25519) delivery whose JSON was re-serialised is found with --public-key."""
    seed, public = ed25519_pair()
    signer = Verifier("discord", signing_key=seed)
    headers = signer.sign(COMPACT, timestamp=NOW)
    received = json.dumps(json.loads(COMPACT)).encode()
    capture = json_capture(received, headers)
    result = diagnose(run, write, "discord", capture, "--public-key", public.hex())
    assert codes(result) == ["body_reencoded_json"]


# -- secret in the wrong form ----------------------------------------------------------

WHSEC = "whsec_" + base64.b64encode(b"k" * 24).decode()


def _signed_with_key(scheme: str, key: bytes, **options: Any) -> tuple[bytes, dict[str, str]]:
    signer = Verifier(scheme, secret=key, **options)
    headers = signer.sign(COMPACT, timestamp=NOW, id="msg_1")
    return COMPACT, headers


HEX = bytes(range(32)).hex()
B64 = base64.b64encode(bytes(range(40))).decode()
BARE = WHSEC.removeprefix("whsec_")


@pytest.mark.parametrize(
    ("scheme", "configured", "sender_key", "code"),
    [
        ("standard-webhooks", WHSEC, WHSEC.encode(), "secret_whsec_not_decoded"),
        ("standard-webhooks", WHSEC, BARE.encode(), "secret_base64_not_decoded"),
        ("standard-webhooks", BARE, BARE.encode(), "secret_base64_not_decoded"),
        ("stripe", WHSEC, b"k" * 24, "secret_whsec_decoded"),
        ("stripe", WHSEC, BARE.encode(), "secret_whsec_prefix"),
        ("github", HEX, bytes(range(32)), "secret_hex_decoded"),
        ("github", f"'{HEX}' ", bytes(range(32)), "secret_hex_decoded"),
        ("shopify", B64, bytes(range(40)), "secret_base64_decoded"),
        ("github", f'"{SECRET}"\n', SECRET.encode(), "secret_quotes_or_whitespace"),
    ],
)
def test_secret_in_wrong_form_and_its_fix(
    scheme: str,
    configured: str,
    sender_key: bytes,
    code: str,
    run: Run,
    write: Write,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sender keyed with another form of the secret is named, and the fix named verifies."""
    monkeypatch.setenv("HOOKSIG_SECRET", configured)
    body, headers = _signed_with_key(scheme, sender_key)
    capture = write("capture", json_capture(body, headers))
    result = diagnose(run, write, scheme, json_capture(body, headers))
    assert result.code == 1
    assert codes(result) == [code]
    assert configured.strip().strip("'\"") not in result.out
    change = result.json()["causes"][0]["details"]["change"]
    fixed = configured
    if change["remove_quotes"]:
        fixed = fixed.strip().strip("'\"").strip()
    if change["drop_prefix"]:
        fixed = fixed.removeprefix("whsec_")
    monkeypatch.setenv("HOOKSIG_SECRET", fixed)
    args = ("--request", capture, "--now", str(NOW), "--secret-encoding", change["secret_encoding"])
    assert run("verify", scheme, *args).code == 0
    for step in ("quotes" if change["remove_quotes"] else None, change["secret_encoding"]):
        if step and step != "scheme":
            assert step in result.json()["causes"][0]["fix"]


def _node_key(secret: str, expression: str) -> bytes:
    """The key a Node.js sender derives from *secret* with *expression* (``secret`` in scope)."""
    script = f"const secret = process.argv[1]; process.stdout.write(({expression}).toString('hex'))"
    out = subprocess.run(
        ["node", "-e", script, secret], capture_output=True, text=True, check=True
    ).stdout
    return bytes.fromhex(out)


@pytest.mark.parametrize(
    ("scheme", "right"),
    [
        ("standard-webhooks", 'Buffer.from(secret.slice(6), "base64")'),
        ("stripe", "Buffer.from(secret)"),
    ],
)
def test_node_buffer_from_whole_whsec_secret(
    scheme: str, right: str, run: Run, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Node's Buffer.from("whsec_...", "base64") is named, and the sender fix it gives verifies."""
    monkeypatch.setenv("HOOKSIG_SECRET", WHSEC)
    body, headers = _signed_with_key(scheme, _node_key(WHSEC, 'Buffer.from(secret, "base64")'))
    result = diagnose(run, write, scheme, json_capture(body, headers))
    assert codes(result) == ["secret_whsec_prefix_decoded"]
    cause = result.json()["causes"][0]
    assert right in cause["fix"]
    assert cause["details"]["fix_side"] == "sender"
    body, headers = _signed_with_key(scheme, _node_key(WHSEC, right))
    assert diagnose(run, write, scheme, json_capture(body, headers)).code == 0


def test_other_provider_secret(run: Run, write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    """The secret of another endpoint, given with --try-secret-env, is `wrong_secret:<VAR>`."""
    monkeypatch.setenv("GITHUB_SECRET", OTHER_SECRET)
    body, headers = signed("stripe", COMPACT, secret=OTHER_SECRET, timestamp=NOW)
    capture = json_capture(body, headers)
    result = diagnose(run, write, "stripe", capture, "--try-secret-env", "GITHUB_SECRET")
    assert codes(result) == ["wrong_secret:GITHUB_SECRET"]
    assert_no_secret(result, OTHER_SECRET)


def test_other_secret_from_file(run: Run, write: Write) -> None:
    """--try-secret-file names the file that holds the matching secret."""
    path = write("old-secret", OTHER_SECRET + "\n")
    body, headers = signed("github", COMPACT, secret=OTHER_SECRET, timestamp=NOW)
    result = diagnose(run, write, "github", json_capture(body, headers), "--try-secret-file", path)
    assert codes(result) == [f"wrong_secret:{path}"]


# -- clock -------------------------------------------------------------------------------


def test_clock_skew_ahead(run: Run, write: Write) -> None:
    """A sender clock 15 minutes fast is `clock_skew` with the offset."""
    body, headers = signed("slack", COMPACT, timestamp=NOW + 900)
    result = diagnose(run, write, "slack", http_capture(body, headers))
    assert codes(result) == ["clock_skew"]
    assert result.json()["causes"][0]["details"]["offset"] == 900
    assert result.json()["reason"] == "too_new"


def test_timestamp_in_milliseconds(run: Run, write: Write) -> None:
    """Milliseconds in a seconds timestamp are `timestamp_in_milliseconds`."""
    body, headers = signed("stripe", COMPACT, timestamp=NOW * 1000)
    result = diagnose(run, write, "stripe", json_capture(body, headers))
    assert codes(result) == ["timestamp_in_milliseconds"]


def test_timestamp_in_seconds(run: Run, write: Write) -> None:
    """Seconds where HubSpot signs milliseconds are `timestamp_in_seconds`."""
    url = "https://example.com/hooks"
    content = b"POST" + url.encode() + COMPACT + str(NOW).encode()
    signature = hmac_texts(SECRET.encode(), content)[1]
    headers = {"X-HubSpot-Signature-v3": signature, "X-HubSpot-Request-Timestamp": str(NOW)}
    capture = json_capture(COMPACT, headers, url=url)
    assert codes(diagnose(run, write, "hubspot", capture)) == ["timestamp_in_seconds"]


def test_body_cause_reports_clock_too(run: Run, write: Write) -> None:
    """A re-encoded body that is also stale gets both causes, body first."""
    body, headers = signed("stripe", COMPACT, timestamp=NOW - 3600)
    received = json.dumps(json.loads(body)).encode()
    result = diagnose(run, write, "stripe", json_capture(received, headers))
    assert codes(result) == ["body_reencoded_json", "clock_skew"]


# -- wrong scheme ------------------------------------------------------------------------


def test_wrong_scheme_github_as_jira(run: Run, write: Write) -> None:
    """A GitHub delivery checked as Jira is `wrong_scheme:github`."""
    body, headers = signed("github", COMPACT, timestamp=NOW)
    result = diagnose(run, write, "jira", http_capture(body, headers))
    assert codes(result) == ["wrong_scheme:github"]


def test_wrong_scheme_svix_as_stripe(
    run: Run, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Svix delivery checked as Stripe is `wrong_scheme:standard-webhooks`."""
    monkeypatch.setenv("HOOKSIG_SECRET", WHSEC)
    signer = Verifier("svix", secret=WHSEC)
    headers = {k.replace("webhook-", "svix-"): v for k, v in signer.sign(COMPACT, NOW).items()}
    result = diagnose(run, write, "stripe", json_capture(COMPACT, headers))
    assert codes(result) == ["wrong_scheme:standard-webhooks"]


def test_github_legacy_sha1_header_only(run: Run, write: Write) -> None:
    """Only GitHub's legacy X-Hub-Signature (SHA-1): the missing SHA-256 header is named."""
    sha1 = hmac.new(SECRET.encode(), COMPACT, "sha1").hexdigest()
    legacy = {"X-Hub-Signature": f"sha1={sha1}", "X-GitHub-Delivery": "d-1"}
    result = diagnose(run, write, "github", http_capture(COMPACT, legacy))
    assert result.code == 1
    assert codes(result) == ["legacy_signature_only"]
    cause = result.json()["causes"][0]
    assert cause["details"] == {
        "header": "X-Hub-Signature-256",
        "present": "X-Hub-Signature",
        "algorithm": "sha1",
        "verifies_with": "intercom",
    }
    assert "X-Hub-Signature-256" in cause["fix"]
    assert "Use the intercom scheme" not in cause["fix"]
    assert "never accepts" in cause["explanation"]


def test_weaker_scheme_configured_still_hears_of_the_stronger(run: Run, write: Write) -> None:
    """A SHA-256 delivery checked with a SHA-1 scheme is plainly another scheme's."""
    body, headers = signed("github", COMPACT, timestamp=NOW)
    result = diagnose(run, write, "intercom", http_capture(body, headers))
    assert codes(result) == ["wrong_scheme:github"]


# -- URL changed by a proxy -------------------------------------------------------------


def _signed_for(scheme: str, url: str) -> tuple[bytes, dict[str, str]]:
    body = b"CallSid=CA1&Body=hi" if scheme.startswith("twilio") else COMPACT
    signer = Verifier(scheme, secret=SECRET, public_url=url)
    return body, signer.sign(body, timestamp=NOW)


@pytest.mark.parametrize(
    ("scheme", "signed", "configured", "extra", "code"),
    [
        ("twilio", "https://example.com/hooks/twilio", "http://example.com/hooks/twilio",
         [("X-Forwarded-Proto", "https")], "url_changed:scheme"),
        ("square", "https://example.com/hooks/square", "http://10.0.0.7:8000/hooks/square",
         [("X-Forwarded-Host", "example.com")], "url_changed:scheme+host+port"),
        ("hubspot", "https://example.com/hooks/", "https://example.com/hooks", [],
         "url_changed:trailing_slash"),
        ("hubspot-v2", "https://example.com/hooks", "https://example.com:443/hooks", [],
         "url_changed:port"),
        ("trello", "https://hooks.example.com/cb", "https://internal.local/cb",
         [("X-Original-Host", "hooks.example.com")], "url_changed:host"),
    ],
)  # fmt: skip
def test_url_changed_by_proxy(
    scheme: str,
    signed: str,
    configured: str,
    extra: list[tuple[str, str]],
    code: str,
    run: Run,
    write: Write,
) -> None:
    """A URL-signing scheme checked with the URL a proxy produced names what changed."""
    body, headers = _signed_for(scheme, signed)
    capture = http_capture(body, headers, target="/x", extra=extra)
    result = diagnose(run, write, scheme, capture, "--url", configured)
    assert codes(result) == [code]
    assert result.json()["causes"][0]["details"]["url"] == signed


def test_url_from_absolute_form_capture(run: Run, write: Write) -> None:
    """The capture's own absolute URL is the starting point when no --url is given."""
    body, headers = _signed_for("twilio-sha256", "https://example.com/t")
    capture = http_capture(body, headers, target="http://example.com/t")
    assert codes(diagnose(run, write, "twilio-sha256", capture)) == ["url_changed:scheme"]


def test_url_not_configured(run: Run, write: Write) -> None:
    """No URL at all is `url_not_configured`, with the URL that verifies from the Host header."""
    body, headers = _signed_for("square", "https://example.com/hooks/square")
    capture = http_capture(body, headers, target="/hooks/square")
    result = diagnose(run, write, "square", capture)
    assert codes(result) == ["url_not_configured"]
    assert result.json()["causes"][0]["details"]["url"] == "https://example.com/hooks/square"


def test_forwarded_port_ignored(run: Run, write: Write) -> None:
    """A public URL lacking the port in X-Forwarded-Port is named, and the fix verifies."""
    signed_url = "https://example.com:8443/hooks/square"
    body, headers = _signed_for("square", signed_url)
    proxy = [
        ("X-Forwarded-Host", "example.com"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Port", "8443"),
    ]
    capture = http_capture(body, headers, target="/hooks/square", host="10.0.0.7:8000", extra=proxy)
    result = diagnose(run, write, "square", capture, "--public-url", "https://example.com")
    assert result.code == 1
    assert codes(result) == ["url_forwarded_port_ignored"]
    cause = result.json()["causes"][0]
    assert cause["details"] == {"url": signed_url, "port": 8443}
    assert "--public-url https://example.com:8443" in cause["fix"]
    path = write("fixed.http", capture)
    fixed = ("verify", "square", "--request", path, "--public-url", "https://example.com:8443")
    assert run(*fixed, "--now", str(NOW)).code == 0


# -- outcomes ----------------------------------------------------------------------------


def test_authentic_delivery_exits_0(run: Run, write: Write) -> None:
    """A delivery that verifies exits 0 with no causes."""
    body, headers = signed("github", COMPACT, timestamp=NOW)
    result = diagnose(run, write, "github", http_capture(body, headers))
    assert result.code == 0
    assert result.json() == {
        "verified": True,
        "scheme": "github",
        "error": None,
        "reason": None,
        "causes": [],
        "checked": [],
        "hint": None,
    }


def test_unexplained_exits_3_with_a_wrong_secret_hint(run: Run, write: Write) -> None:
    """A signature no known cause explains exits 3, lists the checks and hints at the secret."""
    body, headers = signed("github", COMPACT, secret=OTHER_SECRET, timestamp=NOW)
    result = diagnose(run, write, "github", json_capture(body, headers))
    assert result.code == 3
    assert result.json()["causes"] == []
    assert result.json()["checked"] == [
        "url", "body", "truncation", "secret_forms", "other_secrets", "schemes"
    ]  # fmt: skip
    hint = result.json()["hint"]
    assert hint["code"] == "key_probably_wrong"
    assert "secret is probably not" in hint["explanation"]
    assert "this endpoint's" in hint["fix"]
    assert_no_secret(result, OTHER_SECRET)
    assert not any(t in result.out for t in hmac_texts(SECRET.encode(), COMPACT))


def test_wrong_public_key_hint(run: Run, write: Write) -> None:
    """For a public-key scheme the hint names the public key."""
    seed, _ = ed25519_pair()
    _, other_public = ed25519_pair()
    headers = Verifier("discord", signing_key=seed).sign(COMPACT, timestamp=NOW)
    capture = json_capture(COMPACT, headers)
    result = diagnose(run, write, "discord", capture, "--public-key", other_public.hex())
    assert result.code == 3
    assert result.json()["hint"]["details"] == {"key": "public_key"}


def test_missing_header_gets_no_secret_hint(run: Run, write: Write) -> None:
    """A missing signature header is a header cause, never a guess about the secret."""
    result = diagnose(run, write, "github", json_capture(COMPACT, {"X-GitHub-Delivery": "d1"}))
    assert result.json()["hint"] is None


def test_missing_header_no_scheme_fits(run: Run, write: Write) -> None:
    """A signature header a proxy stripped is `header_missing` when no other scheme fits."""
    result = diagnose(run, write, "github", json_capture(COMPACT, {"X-GitHub-Delivery": "d1"}))
    assert result.code == 1
    assert codes(result) == ["header_missing"]
    assert result.json()["causes"][0]["details"]["header"] == "X-Hub-Signature-256"


def test_text_output_names_cause_and_fix(run: Run, write: Write) -> None:
    """Without --json the cause code, explanation and fix are printed."""
    body, headers = signed("github", COMPACT, timestamp=NOW)
    path = write("c.http", http_capture(body + b"\n", headers))
    result = run("diagnose", "github", "--request", path)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "refused: InvalidSignature (no_match) by the github scheme"
    assert lines[1] == "cause: body_trailing_newline"
    assert lines[3].startswith("  fix: ")


def test_unexplained_text_output(run: Run, write: Write) -> None:
    """Without --json an unexplained failure says so and lists the checks."""
    headers = {"X-Hub-Signature-256": "sha256=" + "ab" * 32}
    path = write("c.json", json_capture(COMPACT, headers))
    result = run("diagnose", "github", "--request", path)
    assert result.code == 3
    assert "no known cause explains it; checked: url, body" in result.out
    assert "hint: key_probably_wrong" in result.out
