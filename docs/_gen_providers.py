"""
Generate ``docs/providers/*.md`` from hooksig's scheme registry.

Every fact on a provider page comes from the registry: the scheme object
(headers, signed content, algorithm, encoding, tolerance, delivery id,
secret format, source link) and its module docstring (the recipe and the
provider's quirks).  Call :func:`generate` from ``docs/conf.py``, or run
``python docs/_gen_providers.py [outdir]``.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from hooksig import schemes

_EVIDENCE = json.loads((Path(__file__).parent / "_provider_evidence.json").read_text("utf-8"))
_KIND = {
    "vector": "published vector",
    "sdk": "official SDK",
    "both": "published vector and official SDK",
    "none": "none published",
}
_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_UNIT = {"s": "Unix seconds", "ms": "Unix milliseconds", "rfc3339": "RFC 3339 date-time"}


def _names(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _code(values: tuple[str, ...], joiner: str = " or ") -> str:
    def one(value: str) -> str:
        if value.startswith("body."):
            return f"body field `{value[len('body.') :]}`"
        return f"`{value}`"

    return joiner.join(one(value) for value in values) if values else "none"


def _docstring(module_path: str) -> str:
    text = importlib.import_module(module_path).__doc__ or ""
    return _ROLE.sub(lambda found: f"`{found.group(1)}`", text.strip()).replace("``", "`")


def _title(doc: str, name: str) -> str:
    head = doc.split(":", 1)[0].strip() if ":" in doc.splitlines()[0] else name
    return head or name


def _declared(scheme: Any) -> bool:
    """Whether *scheme* is a template declaration (HmacScheme, AsymmetricScheme)."""
    return hasattr(scheme, "signature_format")


_CONSTRUCTIONS = {
    "token": "none: the secret token itself, compared in constant time",
    "basic": "none: HTTP Basic user and password, each compared in constant time",
    "secret-prefix": "plain {upper} of secret + content (not HMAC)",
}


def _algorithm(scheme: Any) -> str:
    if not _declared(scheme):
        return str(scheme.algorithm_text)
    algorithm = str(getattr(scheme, "algorithm", "?"))
    construction = getattr(scheme, "construction", "hmac")
    if algorithm == "ed25519":
        return "Ed25519"
    if algorithm == "ecdsa-p256":
        return f"ECDSA P-256 / SHA-256 ({scheme.ecdsa_encoding.upper()} signature)"
    if algorithm.startswith("rsa-"):
        return f"RSA PKCS#1 v1.5 / {algorithm[4:].upper()}"
    text = _CONSTRUCTIONS.get(construction, "HMAC-{upper}")
    return text.format(upper=algorithm.upper())


_NO_SIGNATURE = {"token": "`{prefix}<secret token>`", "basic": "`Basic <base64 of user:password>`"}


def _signature_format(scheme: Any) -> str:
    fmt = scheme.signature_format
    kind = type(fmt).__name__
    enc = f"<{scheme.encoding}>"
    unsigned = _NO_SIGNATURE.get(getattr(scheme, "construction", "hmac"))
    if unsigned is not None:
        return unsigned.replace("{prefix}", getattr(fmt, "prefix", ""))
    if kind == "Groups":
        inner = fmt.pairs
        stamp = f"{inner.timestamp_key}=<unix>{inner.separator}" if inner.timestamp_key else ""
        return f"`{stamp}{scheme.version}={enc}`, one group per secret, {fmt.separator!r} between"
    if kind == "Listed":
        stamp = f"<unix>{fmt.separator}" if fmt.timestamp_first else ""
        return f"`{stamp}{enc}[{fmt.separator}{enc}...]`"
    if kind == "Pairs":
        stamp = f"{fmt.timestamp_key}=<unix>{fmt.separator}" if fmt.timestamp_key else ""
        return f"`{stamp}{scheme.version}={enc}`"
    if kind == "Versioned":
        return f"`{scheme.version},{enc}` (list, {fmt.separator!r} between)"
    optional = " (the prefix may be left out)" if getattr(fmt, "optional", False) else ""
    return f"`{fmt.prefix}{enc}`{optional}"


def _encoding(scheme: Any) -> str:
    if not _declared(scheme):
        return "see the algorithm"
    if getattr(scheme, "construction", "hmac") in ("token", "basic"):
        return "plain text"
    return f"`{scheme.encoding}`"


def _content(scheme: Any) -> str:
    if not _declared(scheme):
        return str(scheme.content_text)
    if getattr(scheme, "construction", "hmac") in ("token", "basic"):
        return "nothing: the body is not signed; the request carries the secret"
    content = scheme.content
    if isinstance(content, str):
        return f"`{content}`"
    doc = (content.__doc__ or content.__name__).strip().splitlines()[0]
    return _ROLE.sub(lambda found: f"`{found.group(1)}`", doc).replace("``", "`")


def _timestamp(scheme: Any) -> str:
    if not _declared(scheme):
        tolerance = scheme.default_tolerance
        if tolerance is None:
            return "no window applied: rely on the idempotency guard (see the notes)"
        return f"signed; tolerance {tolerance:g} s, past and future (see the notes)"
    headers = _names(scheme.timestamp_header)
    fmt = scheme.signature_format
    if headers:
        where = _code(headers)
    elif type(fmt).__name__ == "Listed" and fmt.timestamp_first:
        where = "the first item of the signature header"
    elif getattr(fmt, "timestamp_key", None):
        where = f"`{fmt.timestamp_key}=` in the signature header"
    else:
        return "none signed: rely on the idempotency guard"
    tolerance = scheme.default_tolerance
    window = f"; tolerance {tolerance:g} s, past and future" if tolerance else ""
    return f"{where} ({_UNIT[scheme.timestamp_unit]}){window}"


def _delivery_id(scheme: Any) -> str:
    if not _declared(scheme):
        return str(scheme.id_text)
    parts = []
    if scheme.id_header:
        parts.append(_code(_names(scheme.id_header)))
    if scheme.id_field:
        parts.append(f"body field `{scheme.id_field}`")
    return " or ".join(parts) if parts else "none sent"


def _keys(scheme: Any, name: str) -> str:
    hint = getattr(scheme, "secret_hint", "")
    secret_format = getattr(scheme, "secret_format", None)
    if secret_format is None:
        return hint or "public key"
    return f"{hint} (format `{secret_format}`)" if hint else f"format `{secret_format}`"


def _example(scheme: Any, name: str, module_path: str) -> str:
    example = getattr(importlib.import_module(module_path), "EXAMPLE", None)
    if example is not None:  # a provider with settings says how it is configured
        return f"```python\n{example.strip()}\n```"
    if hasattr(scheme, "public_key_format"):
        key = 'public_key="..."'
    elif getattr(scheme, "all_signature_headers", False):
        key = 'secrets=["primary key", "secondary key"]'
    else:
        key = 'secret="..."'
    raw = getattr(scheme, "content", "{body}")
    content = raw if isinstance(raw, str) else "{url}"
    signs_url = "{url}" in content or not isinstance(raw, str)
    url = ', public_url="https://example.com"' if signs_url else ""
    path = ", path=request_path_and_query" if signs_url else ""
    lines = [
        "```python",
        "import hooksig",
        "",
        f'verifier = hooksig.Verifier("{name}", {key}{url})',
        f"delivery = verifier.verify(raw_body, request_headers{path})",
    ]
    if getattr(scheme, "handshake", None) is not None:
        lines += [
            "answer = verifier.handshake(delivery)  # the provider's endpoint check",
            "if answer is not None:",
            "    return answer.status, answer.headers, answer.body",
        ]
    lines += ["handle(delivery.json(), idempotency_key=delivery.id)", "```"]
    return "\n".join(lines)


def _handshake(scheme: Any, module_path: str) -> str:
    parts = []
    if getattr(scheme, "handshake", None) is not None:
        parts.append("answered by `Verifier.handshake()`")
    challenge = getattr(importlib.import_module(module_path), "CHALLENGE", None)
    if challenge is not None:
        parts.append(f"unsigned check answered by `Verifier.challenge()` with `{challenge}`")
    return "; ".join(parts) or "none"


def _evidence(name: str) -> str:
    found = _EVIDENCE[name]
    return f"{_KIND[found['kind']]}: {found['against']}"


def _aliases(aliases: list[str]) -> str:
    """A section naming each alias and, where it has its own, what it is checked against."""
    if not aliases:
        return ""
    lines = ["## Aliases", ""]
    for alias in aliases:
        found = _EVIDENCE.get(alias)
        checked = f": checked against {_evidence(alias)}" if found else ""
        lines.append(f"- `{alias}`{checked}")
    return "\n".join(lines) + "\n\n"


def _page(name: str, module_path: str, scheme: Any, aliases: list[str]) -> str:
    doc = _docstring(module_path)
    rows = [
        (
            "Registry name",
            f"`{name}`" + (f" (aliases: {_code(tuple(aliases))})" if aliases else ""),
        ),
        (
            "Signature header",
            _code(
                _names(scheme.signature_header),
                " and " if getattr(scheme, "all_signature_headers", False) else " or ",
            ),
        ),
        ("Signature value", _signature_format(scheme) if _declared(scheme) else "see below"),
        ("Signed content", _content(scheme)),
        ("Algorithm", _algorithm(scheme)),
        ("Encoding", _encoding(scheme)),
        ("Timestamp", _timestamp(scheme)),
        ("Delivery id", _delivery_id(scheme)),
        ("Key", _keys(scheme, name)),
        ("Handshake", _handshake(scheme, module_path)),
        ("Source", f"<{scheme.docs_url}>" if scheme.docs_url else "see below"),
        ("Checked against", _evidence(name)),
    ]
    table = "\n".join(f"| {key} | {value} |" for key, value in rows)
    return (
        f"# {_title(doc, name)} (`{name}`)\n\n"
        "<!-- generated by docs/_gen_providers.py from the scheme registry; do not edit -->\n\n"
        f"| | |\n| --- | --- |\n{table}\n\n"
        f"## Example\n\n{_example(scheme, name, module_path)}\n\n"
        f"{_aliases(aliases)}"
        f"## Recipe and notes\n\n{doc}\n"
    )


def _index(entries: list[tuple[str, str, Any]], aliases: dict[str, str]) -> str:
    lines = [
        "# Providers",
        "",
        "<!-- generated by docs/_gen_providers.py from the scheme registry; do not edit -->",
        "",
        "Every built-in scheme, by registry name.  Facts marked third-party or",
        "UNCONFIRMED on a provider's page come from outside the provider's own docs.",
        "*Checked against* says what hooksig's tests hold each scheme to beyond",
        "their own recomputation: a vector the provider published, or its official",
        "SDK (signatures made by each side verified by the other).",
        "",
        "| Name | Provider | Algorithm | Encoding | Signed content | Timestamp | Delivery id "
        "| Checked against |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, module_path, scheme in entries:
        title = _title(_docstring(module_path), name)
        stamp = "yes" if scheme.default_tolerance else "no"
        lines.append(
            f"| [`{name}`]({name}.md) | {title} | {_algorithm(scheme)} | {_encoding(scheme)} "
            f"| {_content(scheme)} | {stamp} | {_delivery_id(scheme)} "
            f"| {_KIND[_EVIDENCE[name]['kind']]} |"
        )
    lines += ["", "Aliases: " + ", ".join(f"`{a}` = `{t}`" for a, t in sorted(aliases.items()))]
    lines += ["", "```{toctree}", ":hidden:", ""] + [name for name, _, _ in entries] + ["```", ""]
    return "\n".join(lines)


def generate(outdir: str | Path) -> list[Path]:
    """
    Write one page per built-in scheme and ``index.md`` into *outdir*; return the paths.

    Stale pages of schemes no longer in the registry are removed.
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    aliases: dict[str, list[str]] = {}
    for alias, target in schemes.ALIASES.items():
        aliases.setdefault(target, []).append(alias)
    entries = []
    for name in sorted(schemes.BUILTINS):
        module_path = schemes.BUILTINS[name].partition(":")[0]
        entries.append((name, module_path, schemes.get(name)))
    written = []
    for name, module_path, scheme in entries:
        path = out / f"{name}.md"
        path.write_text(_page(name, module_path, scheme, sorted(aliases.get(name, []))), "utf-8")
        written.append(path)
    index = out / "index.md"
    index.write_text(_index(entries, dict(schemes.ALIASES)), "utf-8")
    written.append(index)
    for stale in set(out.glob("*.md")) - set(written):
        stale.unlink()
    return written


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent / "providers")
    for page in generate(target):
        print(page)
