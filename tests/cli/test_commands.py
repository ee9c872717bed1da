"""``hooksig schemes``, ``sign`` and ``verify``: every scheme and key type, text and --json."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import hooksig
from hooksig import schemes
from hooksig.testing import TEST_URL, sample_body
from tests.cli.captures import http_capture, json_capture, signed
from tests.cli.conftest import Run
from tests.cli.keys import cli_keys, ed25519_pair
from tests.conftest import NOW, OTHER_SECRET, SECRET

Write = Callable[[str, bytes | str], str]


def test_schemes_json_lists_every_registered_name(run: Run) -> None:
    """`schemes --json` has one row per registry name, with its key type and URL flag."""
    result = run("schemes", "--json")
    assert result.code == 0
    rows = {row["name"]: row for row in result.json()["schemes"]}
    assert sorted(rows) == schemes.names()
    assert rows["stripe"]["keys"] == "secret"
    assert rows["discord"]["keys"] == "public-key"
    assert rows["standard-webhooks"]["keys"] == "secret|public-key"
    assert rows["svix"]["scheme"] == "standard-webhooks"
    assert rows["twilio"]["signs_url"] is True
    assert rows["github"]["signs_url"] is False
    assert rows["stripe"]["tolerance"] == 300


def test_schemes_text_has_a_header_and_a_line_per_name(run: Run) -> None:
    """Plain `schemes` prints a header row, then one line per registry name with its id source."""
    result = run("schemes")
    assert result.code == 0
    header, *lines = result.out.splitlines()
    assert header.split()[:2] == ["NAME", "ALGORITHM"]
    assert "EVIDENCE" in header
    assert header.endswith("ID FROM")
    assert len(lines) == len(schemes.names())
    github = next(line for line in lines if line.startswith("github "))
    assert "vector" in github.split()
    assert github.endswith(schemes.get("github").info.id_source.describe())  # type: ignore[union-attr]


def test_schemes_json_has_id_source_and_evidence_for_every_scheme(run: Run) -> None:
    """Every row says where the delivery id comes from and what the scheme is checked against."""
    rows = run("schemes", "--json").json()["schemes"]
    for row in rows:
        info = schemes.get(row["name"]).info
        assert row["id_source"] == ("none" if info.id_source is None else info.id_source.describe())
        assert row["id_source"]
        assert row["evidence"] in ("vector", "sdk", "both", "none"), row["name"]
    by_name = {row["name"]: row for row in rows}
    assert by_name["stripe"]["id_source"].startswith("body field `id`")
    assert by_name["stripe"]["evidence"] == "sdk"
    assert "stripe-python" in by_name["stripe"]["evidence_against"]
    assert "openai" in by_name["openai"]["evidence_against"].lower()  # the alias's own check
    assert by_name["telegram"]["keys"] == "token"
    assert by_name["telegram"]["algorithm"] == "token"


@pytest.mark.parametrize("name", schemes.names())
def test_sign_then_verify_every_scheme(
    name: str, run: Run, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sign --json` gives a capture that `verify --request` accepts, for every scheme."""
    keys = cli_keys(name)
    monkeypatch.setenv("HOOKSIG_SECRET", keys.secret)
    body = write("body", sample_body(name, timestamp=NOW))
    signed = run("sign", name, "--body", body, "--timestamp", str(NOW), "--url", TEST_URL, "--json")
    assert signed.code == 0, signed.err
    capture = write("capture.json", signed.out)
    extra = [] if keys.public_key is None else ["--public-key", keys.public_key]
    verified = run("verify", name, "--request", capture, "--now", str(NOW), "--json", *extra)
    assert verified.code == 0, verified.out + verified.err
    assert verified.json()["ok"] is True
    assert verified.json()["scheme"] == schemes.get(name).name


def test_sign_text_output_is_a_headers_file(run: Run, write: Write) -> None:
    """The default `sign` output works as `verify --headers-file` (the original flag form)."""
    body = write("body.json", b'{"zen":"hi"}')
    signed = run("sign", "stripe", "--body", body, "--timestamp", str(NOW))
    assert signed.out.startswith("Stripe-Signature: t=1700000000,v1=")
    headers = write("headers.txt", signed.out)
    result = run("verify", "stripe", "--body", body, "--headers-file", headers, "--now", str(NOW))
    assert result.code == 0
    assert result.out.startswith("verified: scheme=stripe")


def test_sign_emit_http_is_a_capture(run: Run, write: Write) -> None:
    """`sign --emit http` prints an HTTP/1.1 request that `verify --request -` accepts."""
    body = write("body.json", b'{"zen":"hi"}')
    signed = run("sign", "github", "--body", body, "--emit", "http", "--url", TEST_URL)
    assert signed.out.startswith("POST /hooks HTTP/1.1\r\nHost: example.com\r\n")
    assert signed.out.endswith('\r\n\r\n{"zen":"hi"}')
    result = run("verify", "github", "--request", "-", stdin=signed.out.encode())
    assert result.code == 0, result.err


def test_sign_body_field_scheme_needs_a_whole_request(run: Run, write: Write) -> None:
    """Mailgun signs body fields, so header-only `sign` output is refused with exit 2."""
    body = write("body.json", b'{"event-data": {}}')
    result = run("sign", "mailgun", "--body", body)
    assert result.code == 2
    assert "--emit http" in result.err


def test_verify_refused_json(run: Run, write: Write) -> None:
    """A wrong secret gives exit 1 and the documented failure document."""
    body, headers = signed("github", b"{}", secret=OTHER_SECRET, timestamp=NOW)
    capture = write("c.json", json_capture(body, headers))
    result = run("verify", "github", "--request", capture, "--json")
    assert result.code == 1
    assert result.json() == {
        "ok": False,
        "scheme": "github",
        "error": "InvalidSignature",
        "reason": "no_match",
        "header": "X-Hub-Signature-256",
        "message": "no configured key matches the signature in X-Hub-Signature-256",
    }
    assert SECRET not in result.out


def test_verify_stale_text(run: Run, write: Write) -> None:
    """A stale delivery is refused with its reason in the text output."""
    body, headers = signed("stripe", b"{}", timestamp=NOW)
    capture = write("c.http", http_capture(body, headers))
    result = run("verify", "stripe", "--request", capture, "--now", str(NOW + 3600))
    assert result.code == 1
    assert result.out.startswith("refused: TimestampOutOfTolerance (too_old)")


def test_verify_http_capture_with_lf_line_ends(run: Run, write: Write) -> None:
    """An HTTP capture with bare LF line ends verifies like a CRLF one."""
    body, headers = signed("shopify", b'{"a":\r\n1}', timestamp=NOW)
    capture = write("c.http", http_capture(body, headers, newline=b"\n"))
    assert run("verify", "shopify", "--request", capture).code == 0


def test_verify_json_capture_with_header_pairs_and_base64_body(run: Run, write: Write) -> None:
    """A JSON capture with [name, value] pairs and a binary body verifies."""
    body, headers = signed("github", b"\xff\x00binary", timestamp=NOW)
    capture = write("c.json", json_capture(body, headers, as_pairs=True))
    assert b"body_base64" in Path(capture).read_bytes()
    assert run("verify", "github", "--request", capture).code == 0


def test_verify_extra_header_flag_adds_to_capture(run: Run, write: Write) -> None:
    """`-H` adds a header to a capture that lacks it."""
    body, headers = signed("github", b"{}", timestamp=NOW)
    capture = write("c.json", json_capture(body, {}))
    assert run("verify", "github", "--request", capture).code == 1
    line = f"X-Hub-Signature-256: {headers['X-Hub-Signature-256']}"
    assert run("verify", "github", "--request", capture, "-H", line).code == 0


def test_verify_public_url_joins_capture_path(run: Run, write: Write) -> None:
    """`--public-url` is joined with the captured path for URL-signing schemes."""
    body, headers = signed("twilio", timestamp=NOW)  # signed for TEST_URL
    capture = write("c.http", http_capture(body, headers, target="/hooks", host="10.0.0.7"))
    ok = run("verify", "twilio", "--request", capture, "--public-url", "https://example.com")
    assert ok.code == 0, ok.out + ok.err
    plain = run("verify", "twilio", "--request", capture)
    assert plain.code == 2  # no URL: never taken from the Host header
    assert "signs the URL" in plain.err


def test_verify_public_key_file_and_whsk_signing_key(
    run: Run, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Standard Webhooks v1a: a whsk_ secret signs and --public-key-file whpk_ verifies."""
    seed, public = ed25519_pair()
    monkeypatch.setenv("HOOKSIG_SECRET", "whsk_" + base64.b64encode(seed + public).decode())
    body = write("body.json", b'{"type":"user.created"}')
    made = run("sign", "standard-webhooks", "--body", body, "--timestamp", str(NOW), "--json")
    assert "v1a," in made.json()["headers"]["webhook-signature"]
    monkeypatch.delenv("HOOKSIG_SECRET")
    key = write("key.pub", "whpk_" + base64.b64encode(public).decode() + "\n")
    capture = write("c.json", made.out)
    args = ("verify", "svix", "--request", capture, "--now", str(NOW), "--public-key-file", key)
    assert run(*args).code == 0


def test_verify_secret_file_and_hex_encoding(run: Run, write: Write) -> None:
    """`--secret-file` with `--secret-encoding hex` verifies a delivery keyed by raw bytes."""
    raw = bytes(range(32))
    body, headers = signed("github", b"{}", secret=raw, timestamp=NOW)
    capture = write("c.json", json_capture(body, headers))
    secret = write("secret", raw.hex() + "\n")
    args = ("verify", "github", "--request", capture, "--secret-file", secret)
    assert run(*args).code == 1
    assert run(*args, "--secret-encoding", "hex").code == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["verify", "stripe"], "give the delivery as --request FILE"),
        (["verify", "nope", "--body", "-"], "unknown scheme"),
        (["verify", "github", "--body", "/nonexistent/body"], "cannot read the body"),
        (["verify", "github", "--body", "-", "--now", "nan"], "--now must be a finite"),
        (["verify", "github", "--body", "-", "--public-key", "00"], "shared secret"),
        (["verify", "github", "--body", "-", "--secret-encoding", "hex"], "not valid hex"),
        (["verify", "stripe", "--body", "-", "--tolerance", "-1"], "tolerance"),
        (["send", "github", "ftp://127.0.0.1/x", "--body", "-"], "http:// or https://"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str, run: Run) -> None:
    """Bad flags and inputs give exit 2 and a message on stderr, never a traceback."""
    result = run(*argv, stdin=b"{}")
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_no_secret_is_a_usage_error(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without $HOOKSIG_SECRET or --secret-file, exit 2 names both sources."""
    monkeypatch.delenv("HOOKSIG_SECRET")
    result = run("sign", "github", "--body", "-", stdin=b"{}")
    assert result.code == 2
    assert "$HOOKSIG_SECRET" in result.err
    assert "--secret-file" in result.err


def test_argparse_errors_return_2(run: Run) -> None:
    """An unknown command returns 2 from main() instead of raising SystemExit."""
    assert run("frobnicate").code == 2
    assert run("verify", "--bogus").code == 2


def test_sign_json_never_contains_the_secret(run: Run, write: Write) -> None:
    """The signed output carries the signature, never the secret."""
    body = write("body.json", b"{}")
    result = run("sign", "stripe", "--body", body, "--json")
    assert SECRET not in result.out
    assert json.loads(result.out)["scheme"] == "stripe"


def test_version(run: Run) -> None:
    """`hooksig --version` prints the installed version and exits 0."""
    result = run("--version")
    assert result.code == 0
    assert result.out.strip() == f"hooksig {hooksig.__version__}"


@pytest.mark.parametrize(
    ("command", "typed", "suggested"),
    [
        (["sign"], "standard_webhooks", "did you mean standard-webhooks?"),
        (["verify"], "Stripe", "did you mean stripe?"),
        (["diagnose"], "githb", "did you mean github or gitlab?"),
        (["send", "http://127.0.0.1:9/"], "lemon_squeezy", "did you mean lemon-squeezy?"),
        (["verify"], "twillio", "did you mean twilio"),
    ],
)
def test_unknown_scheme_gets_did_you_mean(
    command: list[str], typed: str, suggested: str, run: Run
) -> None:
    """Every command that takes a scheme suggests the registered names a typo resembles."""
    name, *rest = command
    result = run(name, typed, *rest, "--body", "-", stdin=b"{}")
    assert result.code == 2
    assert f"unknown scheme {typed!r}; {suggested}" in result.err


def test_unknown_scheme_with_nothing_close(run: Run) -> None:
    """A name like no registered one gets no suggestion, only where to look."""
    result = run("verify", "qqqqqq", "--body", "-", stdin=b"{}")
    assert result.err.strip() == "hooksig: unknown scheme 'qqqqqq' (hooksig schemes lists them)"
