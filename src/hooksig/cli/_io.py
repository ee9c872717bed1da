"""
Input for the ``hooksig`` command: secrets and keys, captured requests, bodies and headers.

Secrets come from an environment variable or a file, never from ``argv``.
Every malformed input becomes a :class:`UsageError` (exit code 2) with a
message that names the fault and never echoes a secret.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import difflib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import schemes
from .._primitives.headers import Headers
from ..errors import ConfigurationError, WebhookError
from ..scheme import Scheme
from ..url import PublicUrl
from . import _capture

DEFAULT_SECRET_ENV = "HOOKSIG_SECRET"


class UsageError(Exception):
    """Bad command-line input: reported on stderr with exit code 2."""


def read_bytes(path: str, what: str, limit: int = _capture.MAX_CAPTURE) -> bytes:
    """Read *path* (``-`` for standard input), refusing more than *limit* bytes."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with Path(path).open("rb") as handle:
                data = handle.read(limit + 1)
    except OSError as exc:
        raise UsageError(f"cannot read the {what}: {exc.strerror}") from None
    if len(data) > limit:
        raise UsageError(f"the {what} is larger than {limit} bytes")
    return data


def read_text(path: str, what: str) -> str:
    """Read a small UTF-8 text file (a secret or a key), stripped."""
    try:
        return read_bytes(path, what, 1024 * 1024).decode("utf-8").strip()
    except UnicodeDecodeError:
        raise UsageError(f"the {what} is not UTF-8 text") from None


def parse_headers(items: Sequence[str], headers_file: str | None) -> list[tuple[str, str]]:
    """``Name: value`` lines from ``-H`` arguments and a headers file, in order."""
    lines = list(items)
    if headers_file:
        try:
            lines += Path(headers_file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise UsageError(f"cannot read the headers file: {exc.strerror}") from None
        except UnicodeDecodeError:  # found by fuzz/fuzz_cli_headers.py
            raise UsageError("the headers file is not UTF-8 text") from None
    pairs: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise UsageError("headers are given as 'Name: value'")
        pairs.append((name.strip(), value.strip()))
    return pairs


def scheme_of(args: argparse.Namespace) -> Scheme:
    """The scheme named on the command line (``ConfigurationError`` if unknown)."""
    return schemes.get(args.scheme)


def check_scheme(name: str) -> None:
    """
    Refuse an unknown scheme name, suggesting the registered names it resembles.

    Raises:
        UsageError: *name* is not registered; the message says which names are close.
    """
    try:
        schemes.get(name)
    except ConfigurationError:
        pass
    else:
        return
    names = schemes.names()
    spelled = name.strip().lower().replace("_", "-").replace(" ", "-")
    close = [spelled] if spelled in names else difflib.get_close_matches(spelled, names, n=3)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise UsageError(f"unknown scheme {name!r}{hint} (hooksig schemes lists them)")


def _secret_text(args: argparse.Namespace) -> str | None:
    """The secret text from --secret-file, else from the environment."""
    if args.secret_file:
        return read_text(args.secret_file, "secret file")
    return os.environ.get(args.secret_env)


def decode_secret(text: str, encoding: str) -> str | bytes:
    """Apply ``--secret-encoding``: the text in the scheme's format (str), or raw key bytes."""
    if encoding == "scheme":
        return text
    if encoding == "raw":
        return text.encode("utf-8")
    try:
        if encoding == "hex":
            return bytes.fromhex(text)
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        raise UsageError(f"the secret is not valid {encoding}") from None


def keys(args: argparse.Namespace, *, signing: bool) -> dict[str, Any]:
    """
    The ``secret``/``public_key``/``signing_key`` options of a Verifier, from flags and files.

    Public-key schemes read their signing key from the secret source; a
    Standard Webhooks secret starting ``whsk_`` is its signing key too.  With
    a public key (to verify), the secret source is not read at all.
    """
    scheme = scheme_of(args)
    public_key = getattr(args, "public_key", None)
    if getattr(args, "public_key_file", None):
        if public_key is not None:
            raise UsageError("give --public-key or --public-key-file, not both")
        public_key = read_text(args.public_key_file, "public key file")
    found: dict[str, Any] = {"secret": None, "public_key": None, "signing_key": None}
    if public_key is not None and not signing:
        if "public-key" not in scheme.info.key_kinds:
            raise UsageError(f"the {scheme.name} scheme uses a shared secret, not a public key")
        found["public_key"] = public_key  # the secret source is not read
        return found
    text = _secret_text(args)
    # A public-key-only scheme signs with a private key; a whsk_ secret is one too.
    private = scheme.info.key_kinds == ("public-key",) or (text or "").startswith("whsk_")
    if text is None:
        hint = " (or --public-key)" if not signing else ""
        raise UsageError(f"no secret: set ${args.secret_env} or pass --secret-file{hint}")
    if private:
        found["signing_key"] = text
    else:
        found["secret"] = decode_secret(text, getattr(args, "secret_encoding", "scheme"))
    return found


def other_secrets(args: argparse.Namespace) -> tuple[tuple[str, str], ...]:
    """``diagnose --try-secret-env/--try-secret-file``: ``(label, secret)`` pairs."""
    found: list[tuple[str, str]] = []
    for name in args.try_secret_env:
        value = os.environ.get(name)
        if value is None:
            raise UsageError(f"--try-secret-env: ${name} is not set")
        found.append((name, value))
    found.extend((path, read_text(path, "secret file")) for path in args.try_secret_file)
    return tuple(found)


@dataclass(frozen=True)
class Incoming:
    """A delivery to verify or diagnose: from ``--request`` or from ``--body`` and headers."""

    body: bytes
    headers: tuple[tuple[str, str], ...]
    method: str
    url: str | None
    path: str | None


def resolve_url(args: argparse.Namespace, path: str | None, captured: str | None) -> str | None:
    """``--url``, else ``--public-url`` joined with the path, else the capture's absolute URL."""
    if args.url is not None:
        return str(args.url)
    if args.public_url is not None:
        try:
            return PublicUrl(args.public_url).resolve(path, Headers())
        except WebhookError as exc:
            raise UsageError(f"--public-url: {exc}") from None
    return captured


def incoming(args: argparse.Namespace) -> Incoming:
    """Read the delivery named by ``--request`` or ``--body`` (plus ``-H``/``--headers-file``)."""
    extra = parse_headers(args.header, args.headers_file)
    if (args.request is None) == (args.body is None):
        raise UsageError("give the delivery as --request FILE, or as --body FILE with headers")
    if args.request is not None:
        try:
            capture = _capture.parse(read_bytes(args.request, "request"), args.request_format)
        except _capture.CaptureError as exc:
            raise UsageError(f"the captured request: {exc}") from None
        path = args.path or capture.path
        return Incoming(
            capture.body,
            capture.headers + tuple(extra),
            args.method or capture.method,
            resolve_url(args, path, capture.url),
            path,
        )
    body = read_bytes(args.body, "body")
    url = resolve_url(args, args.path, None)
    return Incoming(body, tuple(extra), args.method or "POST", url, args.path)


def place_query_fields(
    url: str | None, headers: dict[str, str]
) -> tuple[str | None, dict[str, str]]:
    """Put ``query.*`` fields (Event Grid's secret) into the URL the provider calls."""
    fields = {k[len("query.") :]: v for k, v in headers.items() if k.startswith("query.")}
    if not fields:
        return url, headers
    if url is None:
        raise UsageError("this scheme puts a secret in the URL's query: give --url or --public-url")
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    pairs = [p for p in parse_qsl(parts.query, keep_blank_values=True) if p[0] not in fields]
    query = urlencode(pairs + list(fields.items()))
    rest = {k: v for k, v in headers.items() if not k.startswith("query.")}
    return urlunsplit(parts._replace(query=query)), rest


def content_type(args: argparse.Namespace, body: bytes) -> str:
    """``--content-type``, else a guess from the scheme and the body."""
    if args.content_type:
        return str(args.content_type)
    if scheme_of(args).name.startswith("twilio") and not body.lstrip().startswith(b"{"):
        return "application/x-www-form-urlencoded"
    if body.lstrip()[:1] in (b"{", b"["):
        return "application/json"
    return "application/octet-stream"


def body_json(body: bytes) -> dict[str, str]:
    """``{"body": text}`` when *body* is UTF-8, else ``{"body_base64": ...}``."""
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(body).decode("ascii")}
