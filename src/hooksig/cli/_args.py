"""
The argument parser of the ``hooksig`` command: subcommands, flags and their help.

Every flag is documented in docs/cli.md; keep the two in step.
"""

from __future__ import annotations

import argparse

from . import _around
from ._io import DEFAULT_SECRET_ENV


def _version() -> str:
    """The installed hooksig version."""
    import hooksig

    return str(hooksig.__version__)


DESCRIPTION = "List schemes, sign, verify, diagnose and send webhook deliveries."


def _keys(p: argparse.ArgumentParser, *, public: bool) -> None:
    """The scheme argument and the secret and key flags."""
    p.add_argument("scheme", help="registry name, e.g. stripe (see `hooksig schemes`)")
    p.add_argument(
        "--secret-env",
        default=DEFAULT_SECRET_ENV,
        metavar="VAR",
        help=f"environment variable holding the secret or signing key "
        f"(default {DEFAULT_SECRET_ENV})",
    )
    p.add_argument("--secret-file", metavar="PATH", help="file holding the secret or signing key")
    p.add_argument(
        "--secret-encoding",
        choices=("scheme", "raw", "hex", "base64"),
        default="scheme",
        help="how the secret text becomes the key: the scheme's own format (default), "
        "its UTF-8 bytes (raw), or decoded from hex or base64",
    )
    if public:
        p.add_argument("--public-key", metavar="KEY", help="the provider's public key")
        p.add_argument("--public-key-file", metavar="PATH", help="file holding the public key")


def _url(p: argparse.ArgumentParser) -> None:
    """The URL and method flags of URL-signing schemes."""
    p.add_argument("--url", help="the full URL the provider called, for schemes that sign it")
    p.add_argument(
        "--public-url",
        metavar="BASE",
        help="your public base URL, joined with the request path (URL-signing schemes)",
    )
    p.add_argument("--path", help="the request path and query, joined to --public-url")
    p.add_argument("--method", help="the HTTP method (default: the capture's, or POST)")


def _incoming(p: argparse.ArgumentParser) -> None:
    """The flags that give a delivery to verify or diagnose."""
    p.add_argument(
        "--request",
        metavar="FILE",
        help="a captured request, HTTP/1.1 text or JSON (- for standard input)",
    )
    p.add_argument(
        "--request-format",
        choices=("auto", "http", "json"),
        default="auto",
        help="format of --request (default: JSON if it starts with '{')",
    )
    p.add_argument("--body", metavar="FILE", help="the raw body (- for standard input)")
    p.add_argument(
        "--header",
        "-H",
        action="append",
        default=[],
        metavar="'Name: value'",
        help="a header (repeatable); added to a --request capture's headers",
    )
    p.add_argument("--headers-file", metavar="PATH", help="one 'Name: value' per line")
    p.add_argument("--now", type=float, help="check freshness against this Unix time")
    p.add_argument("--tolerance", type=float, help="replay window in seconds")


def _signing(p: argparse.ArgumentParser) -> None:
    """The flags of the body to sign."""
    p.add_argument("--body", required=True, metavar="FILE", help="the body (- for stdin)")
    p.add_argument("--timestamp", type=int, help="Unix seconds to sign (default: now)")
    p.add_argument("--id", help="delivery id to sign, for schemes that sign one")
    p.add_argument("--content-type", help="Content-Type to send (default: guessed)")


def build() -> argparse.ArgumentParser:
    """The ``hooksig`` parser with its subcommands."""
    parser = argparse.ArgumentParser(prog="hooksig", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"hooksig {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        """Add a subcommand with its --json flag."""
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    command("schemes", "list the known schemes")

    sign = command("sign", "sign a body as the provider would")
    _keys(sign, public=False)
    _signing(sign)
    _url(sign)
    sign.add_argument(
        "--emit",
        choices=("headers", "http"),
        default="headers",
        help="print the signed headers (default) or the whole request as HTTP/1.1 text",
    )

    verify = command("verify", "verify a captured delivery")
    _keys(verify, public=True)
    _incoming(verify)
    _url(verify)

    diagnose = command("diagnose", "explain why a captured delivery fails to verify")
    _keys(diagnose, public=True)
    _incoming(diagnose)
    _url(diagnose)
    diagnose.add_argument(
        "--try-secret-env",
        action="append",
        default=[],
        metavar="VAR",
        help="another secret to try, from this variable (repeatable)",
    )
    diagnose.add_argument(
        "--try-secret-file",
        action="append",
        default=[],
        metavar="PATH",
        help="another secret to try, from this file (repeatable)",
    )

    send = command("send", "sign a body and POST it to a receiver, for testing")
    _keys(send, public=False)
    send.add_argument("target", metavar="URL", help="the receiver's URL (http or https)")
    _signing(send)
    send.add_argument("--method", default="POST", help="the HTTP method (default POST)")
    send.add_argument("--signed-url", metavar="URL", help="URL to sign, if not URL itself")
    send.add_argument(
        "--header",
        "-H",
        action="append",
        default=[],
        metavar="'Name: value'",
        help="an extra header to send (repeatable)",
    )
    send.add_argument("--timeout", type=float, default=10.0, help="seconds (default 10)")

    _around.add_parsers(command)

    demo = sub.add_parser("demo", help="sign, send and verify sample deliveries end to end")
    demo.add_argument(
        "--db",
        default=None,
        metavar="PATH",
        help="SQLite idempotency database (default: a temporary file)",
    )
    return parser
