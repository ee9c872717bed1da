"""
The ``hooksig`` command: list schemes, sign and verify captured deliveries, run the demo.

Secrets are read from an environment variable or a file, never from the
command line, where they would land in shell history and ``ps`` output.

Exit codes: 0 success (verified), 1 the delivery was refused, 2 usage or
configuration error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import schemes
from .errors import ConfigurationError, VerificationError, WebhookError
from .verifier import Verifier

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
DEFAULT_SECRET_ENV = "HOOKSIG_SECRET"


class _UsageError(Exception):
    """Bad command-line input: reported on stderr with exit code 2."""


def _read_secret(args: argparse.Namespace) -> str | None:
    if args.secret_file:
        try:
            return Path(args.secret_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise _UsageError(f"cannot read the secret file: {exc.strerror}") from None
    return os.environ.get(args.secret_env)


def _read_body(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise _UsageError(f"cannot read the body file: {exc.strerror}") from None


def _parse_headers(items: Sequence[str], headers_file: str | None) -> list[tuple[str, str]]:
    lines = list(items)
    if headers_file:
        try:
            lines += Path(headers_file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise _UsageError(f"cannot read the headers file: {exc.strerror}") from None
        except UnicodeDecodeError:  # found by fuzz/fuzz_cli_headers.py
            raise _UsageError("the headers file is not UTF-8 text") from None
    pairs: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise _UsageError("headers are given as 'Name: value'")
        pairs.append((name.strip(), value.strip()))
    return pairs


def _verifier(args: argparse.Namespace) -> Verifier:
    secret = _read_secret(args)
    public_key = getattr(args, "public_key", None)
    signing_key = None
    if public_key is None and secret is not None and secret.startswith("whsk_"):
        signing_key, secret = secret, None
    if secret is None and public_key is None and signing_key is None:
        raise _UsageError(
            f"no secret: set ${args.secret_env} or pass --secret-file (or --public-key)"
        )
    return Verifier(
        args.scheme,
        secret=secret,
        public_key=public_key,
        signing_key=signing_key,
        tolerance=getattr(args, "tolerance", None),
    )


def _emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    print(json.dumps(data, indent=2, sort_keys=True) if args.json else text)


def cmd_schemes(args: argparse.Namespace) -> int:
    """List every scheme the registry knows, with its recipe."""
    rows = []
    for name in schemes.names():
        scheme = schemes.get(name)
        rows.append(
            {
                "name": name,
                "scheme": scheme.name,
                "algorithm": getattr(scheme, "algorithm", "?"),
                "encoding": getattr(scheme, "encoding", "?"),
                "tolerance": scheme.default_tolerance,
                "docs": getattr(scheme, "docs_url", ""),
            }
        )
    text = "\n".join(
        f"{r['name']:<22} {r['algorithm']:<8} {r['encoding']:<9} "
        f"{'-' if r['tolerance'] is None else int(r['tolerance'])!s:<6} {r['docs']}"
        for r in rows
    )
    _emit(args, {"schemes": rows}, text)
    return EXIT_OK


def cmd_sign(args: argparse.Namespace) -> int:
    """Print the headers a provider would send with the body."""
    verifier = _verifier(args)
    headers = verifier.sign(_read_body(args.body), timestamp=args.timestamp, id=args.id)
    _emit(args, {"headers": headers}, "\n".join(f"{k}: {v}" for k, v in headers.items()))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify a captured body and headers; exit 1 with the reason if refused."""
    verifier = _verifier(args)
    body = _read_body(args.body)
    headers = _parse_headers(args.header, args.headers_file)
    try:
        delivery = verifier.verify(body, headers, url=args.url, now=args.now)
    except VerificationError as exc:
        data = {
            "ok": False,
            "error": type(exc).__name__,
            "reason": exc.reason,
            "header": exc.header,
            "message": str(exc),
        }
        _emit(args, data, f"refused: {type(exc).__name__} ({exc.reason}): {exc}")
        return EXIT_REFUSED
    data = {
        "ok": True,
        "scheme": delivery.scheme,
        "id": delivery.id,
        "timestamp": delivery.timestamp,
        "key_id": delivery.key_id,
    }
    _emit(
        args,
        data,
        f"verified: scheme={delivery.scheme} id={delivery.id} "
        f"timestamp={delivery.timestamp} key_id={delivery.key_id}",
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the self-contained demonstration."""
    from ._demo import run

    return run(db_path=args.db, out=sys.stdout)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hooksig", description=__doc__.splitlines()[1])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, *, keys: bool = True) -> None:
        p.add_argument("--json", action="store_true", help="machine-readable output")
        if keys:
            p.add_argument("scheme", help="registry name, e.g. stripe (see `hooksig schemes`)")
            p.add_argument(
                "--secret-env",
                default=DEFAULT_SECRET_ENV,
                metavar="VAR",
                help=f"environment variable holding the secret (default {DEFAULT_SECRET_ENV})",
            )
            p.add_argument("--secret-file", metavar="PATH", help="file holding the secret")
            p.add_argument(
                "--body", required=True, metavar="PATH", help="body file, or - for stdin"
            )

    common(sub.add_parser("schemes", help="list the known schemes"), keys=False)
    sign = sub.add_parser("sign", help="sign a body as the provider would")
    common(sign)
    sign.add_argument("--timestamp", type=int, help="Unix seconds to sign (default: now)")
    sign.add_argument("--id", help="delivery id to sign, for schemes that sign one")
    verify = sub.add_parser("verify", help="verify a captured delivery")
    common(verify)
    verify.add_argument("--header", "-H", action="append", default=[], metavar="'Name: value'")
    verify.add_argument("--headers-file", metavar="PATH", help="one 'Name: value' per line")
    verify.add_argument("--public-key", help="the provider's public key, for public-key schemes")
    verify.add_argument("--url", help="the public URL called, for schemes that sign it")
    verify.add_argument("--now", type=float, help="check freshness against this Unix time")
    verify.add_argument("--tolerance", type=float, help="replay window in seconds")
    demo = sub.add_parser("demo", help="sign, send and verify sample deliveries end to end")
    demo.add_argument(
        "--db",
        default=None,
        metavar="PATH",
        help="SQLite idempotency database (default: a temporary file)",
    )
    return parser


_COMMANDS = {"schemes": cmd_schemes, "sign": cmd_sign, "verify": cmd_verify, "demo": cmd_demo}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``hooksig`` console script."""
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except (_UsageError, ConfigurationError) as exc:
        print(f"hooksig: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WebhookError as exc:
        print(f"hooksig: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_REFUSED
