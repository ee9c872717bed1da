"""
The ``hooksig`` command: schemes, sign, verify, diagnose, send, demo; allowlist, journal, reconcile.

Secrets are read from an environment variable or a file, never from the
command line, where they would land in shell history and ``ps`` output.

Exit codes: 0 success (verified; a 2xx answer), 1 refused (verification
failed; ``diagnose`` found the cause; a non-2xx answer), 2 usage,
configuration or input error, 3 ``diagnose`` found no cause, 4 ``send``
got no answer (``allowlist refresh`` and ``reconcile``: the provider's API
gave none usable); ``journal replay`` and ``reconcile`` exit 1 when a
handler failed.  docs/cli.md describes every flag and ``--json`` document.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

from .. import schemes
from ..errors import ConfigurationError, VerificationError, WebhookError
from ..scheme import BODY_FIELD
from ..url import PerCallUrl
from ..verifier import Verifier
from . import _args, _around, _io
from ._io import UsageError as _UsageError
from ._io import parse_headers as _parse_headers

__all__ = ["main"]

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_UNEXPLAINED, EXIT_NO_ANSWER = 0, 1, 2, 3, 4
#: As a shell reports a process killed by SIGPIPE (128 + 13).
EXIT_BROKEN_PIPE = 141


def _emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    """Print *data* as JSON with --json, else *text*."""
    print(json.dumps(data, indent=2, sort_keys=True) if args.json else text)


def _verifier(args: argparse.Namespace, *, signing: bool) -> Verifier:
    """The Verifier the command-line flags describe; each command passes the URL itself."""
    tolerance = getattr(args, "tolerance", None)
    keys = _io.keys(args, signing=signing)
    return Verifier(args.scheme, tolerance=tolerance, public_url=PerCallUrl(), **keys)


def _scheme_row(name: str) -> dict[str, Any]:
    """One row of `hooksig schemes`, read from the scheme's :class:`~hooksig.scheme.SchemeInfo`."""
    scheme = schemes.get(name)
    info = scheme.info
    evidence = info.evidence_for(name)  # an alias may be checked against its own SDK
    unsigned = info.construction in ("token", "basic")  # the request carries the secret
    return {
        "name": name,
        "scheme": scheme.name,
        "algorithm": info.construction if unsigned else info.algorithm or "?",
        "encoding": None if unsigned else info.encoding or "?",
        "keys": "|".join(info.key_kinds),
        "secret_format": info.secret_format,
        "signs_url": info.signs_url,
        "tolerance": info.tolerance,
        "id_source": "none" if info.id_source is None else info.id_source.describe(),
        "evidence": None if evidence is None else evidence.kind,
        "evidence_against": None if evidence is None else evidence.against,
        "docs": info.docs_url,
    }


#: The columns of plain `hooksig schemes`: heading, row key, width (the last is unpadded).
_SCHEME_COLUMNS = (
    ("NAME", "name", 22),
    ("ALGORITHM", "algorithm", 10),
    ("ENCODING", "encoding", 9),
    ("KEYS", "keys", 17),
    ("WINDOW", "tolerance", 7),
    ("EVIDENCE", "evidence", 9),
    ("ID FROM", "id_source", 0),
)


#: How the plain listing names each kind of evidence (``--json`` gives the kind itself).
_EVIDENCE_LABELS = {"both": "vector+sdk", "none": "docs"}


def _scheme_cell(row: dict[str, Any], key: str) -> str:
    value = row[key]
    if key == "tolerance":
        return "-" if value is None else f"{int(value)}s"
    if key == "evidence" and value is not None:
        return str(_EVIDENCE_LABELS.get(value, value))
    return "-" if value is None else str(value)


def cmd_schemes(args: argparse.Namespace) -> int:
    """List every scheme the registry knows, with its recipe, id source and evidence."""
    rows = [_scheme_row(name) for name in schemes.names()]
    lines = [[heading for heading, _, _ in _SCHEME_COLUMNS]]
    lines += [[_scheme_cell(row, key) for _, key, _ in _SCHEME_COLUMNS] for row in rows]
    widths = [width for _, _, width in _SCHEME_COLUMNS]
    text = "\n".join(
        " ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
    _emit(args, {"schemes": rows}, text)
    return EXIT_OK


def _signed(
    args: argparse.Namespace, url: str | None, method: str
) -> tuple[bytes, dict[str, str], str | None]:
    """Read --body and sign it: the body to send, the headers, and the URL (its query may grow)."""
    verifier = _verifier(args, signing=True)
    body = _io.read_bytes(args.body, "body")
    stamp = int(time.time()) if args.timestamp is None else args.timestamp
    body, headers = verifier.signed_request(
        body, timestamp=stamp, id=args.id, url=url, method=method
    )
    url, headers = _io.place_query_fields(url, headers)
    return body, headers, url


def _http_text(method: str, url: str | None, path: str | None, headers: dict[str, str]) -> str:
    """The request line and headers of an HTTP/1.1 request, ending in a blank line."""
    from ._send import check_url

    lines = []
    if url is not None:
        _, host, port, path = check_url(url)
        lines.append(f"Host: {host}" + ("" if port is None else f":{port}"))
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return f"{method} {path or '/'} HTTP/1.1\r\n" + "".join(f"{x}\r\n" for x in lines) + "\r\n"


def cmd_sign(args: argparse.Namespace) -> int:
    """Print the headers a provider would send with the body (or the whole request)."""
    url = _io.resolve_url(args, args.path, None)
    method = args.method or "POST"
    if args.emit == "headers" and not args.json and _body_signed(args):
        raise _UsageError(f"{args.scheme} signs fields of the body: use --emit http or --json")
    body, headers, url = _signed(args, url, method)
    if args.json:
        target = {"url": url} if url else {"path": args.path} if args.path else {}
        data = {"scheme": args.scheme, "method": method, **target, "headers": headers}
        _emit(args, {**data, **_io.body_json(body)}, "")
        return EXIT_OK
    if args.emit == "http":
        sent = {"Content-Type": _io.content_type(args, body), **headers}
        sent["Content-Length"] = str(len(body))
        sys.stdout.flush()
        sys.stdout.buffer.write(_http_text(method, url, args.path, sent).encode("latin-1") + body)
        sys.stdout.buffer.flush()
        return EXIT_OK
    print("\n".join(f"{k}: {v}" for k, v in headers.items()))
    return EXIT_OK


def _body_signed(args: argparse.Namespace) -> bool:
    """True when the scheme carries its signature in the body (Mailgun), not in a header."""
    headers = _io.scheme_of(args).info.signature_headers
    return any(name.startswith(BODY_FIELD) for name in headers)


def cmd_verify(args: argparse.Namespace) -> int:
    """Verify a captured delivery; exit 1 with the reason if refused."""
    verifier = _verifier(args, signing=False)
    given = _io.incoming(args)
    try:
        delivery = verifier.verify(
            given.body, given.headers, url=given.url, method=given.method, now=args.now
        )
    except VerificationError as exc:
        data = {
            "ok": False,
            "scheme": verifier.scheme.name,
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


def cmd_diagnose(args: argparse.Namespace) -> int:
    """Explain why a captured delivery fails: exit 0 verified, 1 cause found, 3 none found."""
    from .diagnose import Case, diagnose

    given = _io.incoming(args)
    keys = _io.keys(args, signing=False)
    case = Case(
        scheme=args.scheme,
        body=given.body,
        headers=given.headers,
        now=time.time() if args.now is None else args.now,
        method=given.method,
        url=given.url,
        path=given.path,
        tolerance=args.tolerance,
        other_secrets=_io.other_secrets(args),
        **keys,
    )
    result = diagnose(case)
    if result.verified:
        _emit(args, result.as_json(), f"verified: the delivery is authentic ({result.scheme})")
        return EXIT_OK
    lines = [f"refused: {result.error} ({result.reason}) by the {result.scheme} scheme"]
    for cause in result.causes:
        lines += [f"cause: {cause.code}", f"  {cause.explanation}", f"  fix: {cause.fix}"]
    if not result.causes:
        lines.append(f"no known cause explains it; checked: {', '.join(result.checked)}")
    if result.hint is not None:
        hint = result.hint
        lines += [f"hint: {hint.code}", f"  {hint.explanation}", f"  fix: {hint.fix}"]
    _emit(args, result.as_json(), "\n".join(lines))
    return EXIT_REFUSED if result.causes else EXIT_UNEXPLAINED


def cmd_send(args: argparse.Namespace) -> int:
    """Sign a body as the provider would and send it; print the receiver's answer."""
    from ._send import SendError, send

    body, headers, signed = _signed(args, args.signed_url or args.target, args.method)
    target = args.target if args.signed_url else signed or args.target
    sent = [("Content-Type", _io.content_type(args, body)), *headers.items()]
    sent += _parse_headers(args.header, None)
    try:
        answer = send(target, args.method, body, sent, args.timeout)
    except ValueError as exc:
        raise _UsageError(str(exc)) from None
    except SendError as exc:
        _emit(args, {"ok": False, "url": args.target, "error": str(exc)}, f"hooksig: {exc}")
        return EXIT_NO_ANSWER
    ok = 200 <= answer.status < 300
    data = {
        "ok": ok,
        "url": args.target,
        "status": answer.status,
        "reason": answer.reason,
        "headers": dict(answer.headers),
        **_io.body_json(answer.body),
    }
    shown = answer.body.decode("utf-8", "replace")
    _emit(args, data, f"HTTP {answer.status} {answer.reason}\n{shown}".rstrip("\n"))
    return EXIT_OK if ok else EXIT_REFUSED


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the self-contained demonstration."""
    from ._demo import run

    return run(db_path=args.db, out=sys.stdout)


_COMMANDS = {
    "schemes": cmd_schemes,
    "sign": cmd_sign,
    "verify": cmd_verify,
    "diagnose": cmd_diagnose,
    "send": cmd_send,
    "demo": cmd_demo,
    **_around.COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``hooksig`` console script."""
    try:
        args = _args.build().parse_args(argv)
    except SystemExit as exc:  # --help, or argparse's own usage error (code 2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        if not math.isfinite(getattr(args, "now", None) or 0.0):
            raise _UsageError("--now must be a finite number of seconds")
        if hasattr(args, "scheme"):
            _io.check_scheme(args.scheme)
        return _COMMANDS[args.command](args)
    except (_UsageError, ConfigurationError) as exc:
        print(f"hooksig: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WebhookError as exc:
        print(f"hooksig: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:
        # The reader left (`hooksig schemes | head`): say nothing more, and keep the
        # interpreter's own flush at exit from failing on the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
