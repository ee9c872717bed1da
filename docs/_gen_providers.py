"""
Generate ``docs/providers/*.md`` from hooksig's scheme registry.

Every fact on a provider page comes from the registry: the scheme's
:class:`~hooksig.scheme.SchemeInfo` (headers, signed content, algorithm,
encoding, tolerance, where the delivery id comes from, secret format,
source link, what it is checked against) and its module docstring (the
recipe and the provider's quirks).  Call :func:`generate` from
``docs/conf.py``, or run ``python docs/_gen_providers.py [outdir]``.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

from hooksig import schemes
from hooksig.scheme import BODY_FIELD, SchemeInfo

_KIND = {
    "vector": "published vector",
    "sdk": "official SDK",
    "both": "published vector and official SDK",
    "none": "none published",
}
_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_UNIT = {"s": "Unix seconds", "ms": "Unix milliseconds", "rfc3339": "RFC 3339 date-time"}


def _code(values: tuple[str, ...], joiner: str = " or ") -> str:
    def one(value: str) -> str:
        if value.startswith(BODY_FIELD):
            return f"body field `{value[len(BODY_FIELD) :]}`"
        return f"`{value}`"

    return joiner.join(one(value) for value in values) if values else "none"


def _docstring(module_path: str) -> str:
    text = importlib.import_module(module_path).__doc__ or ""
    return _ROLE.sub(lambda found: f"`{found.group(1)}`", text.strip()).replace("``", "`")


def _title(doc: str, name: str) -> str:
    head = doc.split(":", 1)[0].strip() if ":" in doc.splitlines()[0] else name
    return head or name


_NAMED = {"ed25519": "Ed25519", "ecdsa-p256": "ECDSA P-256 / SHA-256"}
_CONSTRUCTIONS = {
    "token": "none: the secret token itself, compared in constant time",
    "basic": "none: HTTP Basic user and password, each compared in constant time",
    "secret-prefix": "plain {upper} of secret + content (not HMAC)",
    "jwt": "JWT ({algorithm})",
}


def _algorithm(info: SchemeInfo) -> str:
    if " " in info.algorithm:  # a scheme of its own says it in words
        return info.algorithm
    if info.algorithm in _NAMED:
        return _NAMED[info.algorithm]
    if info.algorithm.startswith("rsa-"):
        return f"RSA PKCS#1 v1.5 / {info.algorithm[4:].upper()}"
    text = _CONSTRUCTIONS.get(info.construction, "HMAC-{upper}")
    return text.format(upper=info.algorithm.upper(), algorithm=info.algorithm)


_NO_SIGNATURE = ("token", "basic")  # the request carries the secret itself


def _encoding(info: SchemeInfo) -> str:
    if not info.encoding:
        return "see the algorithm"
    return "plain text" if info.construction in _NO_SIGNATURE else f"`{info.encoding}`"


def _signature_value(info: SchemeInfo) -> str:
    shape, paren, note = info.signature_value.partition(" (")
    return f"`{shape}`" + (f" ({note}" if paren else "")


def _content(info: SchemeInfo) -> str:
    if info.construction in _NO_SIGNATURE:
        return "nothing: the body is not signed; the request carries the secret"
    if "{body}" in info.signed_content or "{" in info.signed_content:
        return f"`{info.signed_content}`"
    return _ROLE.sub(lambda found: f"`{found.group(1)}`", info.signed_content).replace("``", "`")


def _timestamp(info: SchemeInfo) -> str:
    if info.timestamp_unit is None:
        return "none signed: rely on the idempotency guard"
    if info.construction == "jwt":
        where = "the token's claims"
    elif info.timestamp_headers:
        where = _code(info.timestamp_headers)
    elif info.signature_value.startswith("<"):
        where = "the first item of the signature header"
    else:
        where = f"`{info.signature_value.partition('=<')[0]}=` in the signature header"
    window = f"; tolerance {info.tolerance:g} s, past and future" if info.tolerance else ""
    return f"{where} ({_UNIT[info.timestamp_unit]}){window}"


def _delivery_id(info: SchemeInfo) -> str:
    return "none" if info.id_source is None else info.id_source.describe()


def _sent(info: SchemeInfo) -> str:
    if not info.sent_headers:
        return "nothing else"
    sent = ", ".join(f"`{name}: {value}`" for name, value in info.sent_headers)
    return sent + " (never read when verifying)"


def _signed_url(info: SchemeInfo) -> str:
    if not info.signs_url:
        return "not signed"
    ports = (
        "; tried as configured and without its port (or with the default port), as the SDKs do"
        if info.url_variants
        else ""
    )
    return (
        "required at construction: `public_url=` your site's base URL (joined with the "
        "request path and query) or the webhook's full URL (used as it is when the request "
        "path is its path), a `TrustedProxy`, or `PerCallUrl()` with `url=` on every call "
        f"([the rule](../verifying.md#schemes-that-sign-the-url)){ports}"
    )


def _keys(info: SchemeInfo) -> str:
    if info.secret_format is None or info.key_kinds == ("public-key",):
        return info.secret_hint or "public key"
    form = f"format `{info.secret_format}`"
    return f"{info.secret_hint} ({form})" if info.secret_hint else form


def _env(name: str, what: str) -> str:
    """``os.environ["<NAME>_<WHAT>"]``: where the example reads its key."""
    return f'os.environ["{name.upper().replace("-", "_")}_{what}"]'


def _signature(line: str) -> list[str]:
    """A ``def`` line, its parameters one per line where it is longer than 88 characters."""
    if len(line) <= 88:
        return [line]
    head, _, rest = line.partition("(")
    params, _, tail = rest.rpartition(")")
    return [f"{head}(", *(f"    {param.strip()}," for param in params.split(",")), f"){tail}"]


def _setup(info: SchemeInfo, name: str) -> str:
    """Imports and the verifier, for a scheme configured by its key alone."""
    if info.key_kinds == ("public-key",):
        key = f"public_key={_env(name, 'PUBLIC_KEY')}"
    elif len(info.signature_headers) > 1 and "secrets=" in info.secret_hint:
        key = f"secrets=[{_env(name, 'PRIMARY_KEY')}, {_env(name, 'SECONDARY_KEY')}]"
    else:
        key = f"secret={_env(name, 'WEBHOOK_SECRET')}"
    url = f', public_url="https://example.com/hooks/{name}"' if info.signs_url else ""
    construct = f'verifier = hooksig.Verifier("{name}", {key}{url})'
    if len(construct) > 88:
        arguments = [f'"{name}"', key, *([url.lstrip(", ")] if url else [])]
        spread = "".join(f"    {argument},\n" for argument in arguments)
        construct = f"verifier = hooksig.Verifier(\n{spread})"
    return f"import os\n\nimport hooksig\n\n{construct}"


def _receive(info: SchemeInfo, challenged: bool) -> list[str]:
    """The function that verifies one delivery, answering the endpoint checks the scheme has."""
    path = ", path=path" if info.signs_url else ""
    answers = info.handshake or challenged
    result = "hooksig.Delivery | hooksig.HandshakeResponse" if answers else "hooksig.Delivery"
    if challenged:  # a check may be in the query: the method and the path as received
        params = "body: bytes, headers, method: str, path: str"
        doc = (
            "Answer the endpoint check, or verify one delivery (path: as received, with its query)."
        )
    else:
        params = "body: bytes, headers, path: str" if info.signs_url else "body: bytes, headers"
        doc = "Verify one delivery; raises hooksig.VerificationError if it is not genuine."
    lines = [*_signature(f"def receive({params}) -> {result}:"), f'    """{doc}"""']
    if info.signs_url and not challenged:
        lines.append("    # path: the request path and query string, as received")
    if challenged:
        lines += [
            "    answer = verifier.challenge(body, headers, method=method, path=path)",
            "    if answer is not None:",
            "        return answer  # send its status, headers and body back as they are",
        ]
    if info.handshake:
        lines += [
            f"    delivery = verifier.verify(body, headers{path})",
            "    answer = verifier.handshake(delivery)  # the provider's endpoint check",
            "    return delivery if answer is None else answer  # send an answer back as is",
        ]
    else:
        lines.append(f"    return verifier.verify(body, headers{path})  # .json(), and .id")
    return lines


def _example(info: SchemeInfo, name: str, module_path: str) -> str:
    """
    A complete example: imports, the verifier, and a function that verifies one delivery.

    A provider with settings says how its verifier is built (``EXAMPLE``); the
    function is the same for every page with the same shape, so it is made here.
    """
    module = importlib.import_module(module_path)
    setup = getattr(module, "EXAMPLE", None) or _setup(info, name)
    challenged = info.challenge or getattr(module, "CHALLENGE", None) is not None
    return "\n".join(["```python", setup.strip(), "", "", *_receive(info, challenged), "```"])


def _handshake(info: SchemeInfo, module_path: str) -> str:
    parts = ["answered by `Verifier.handshake()`"] if info.handshake else []
    challenge = getattr(importlib.import_module(module_path), "CHALLENGE", None)
    if info.challenge:
        parts.append(
            "checked and answered by default by `Verifier.challenge()`, and by every adapter "
            "before your handler (declare the route for `GET` and `POST`)"
        )
    elif challenge is not None:
        parts.append(f"unsigned check answered by `Verifier.challenge()` with `{challenge}`")
    return "; ".join(parts) or "none"


def _evidence(info: SchemeInfo) -> str:
    found = info.evidence
    return "not stated" if found is None else f"{_KIND[found.kind]}: {found.against}"


def _aliases(info: SchemeInfo, aliases: list[str]) -> str:
    """A section naming each alias and, where it has its own, what it is checked against."""
    if not aliases:
        return ""
    own = dict(info.alias_evidence)
    lines = ["## Aliases", ""]
    for alias in aliases:
        found = own.get(alias)
        checked = f": checked against {_KIND[found.kind]}: {found.against}" if found else ""
        lines.append(f"- `{alias}`{checked}")
    return "\n".join(lines) + "\n\n"


def _page(name: str, module_path: str, info: SchemeInfo, aliases: list[str]) -> str:
    doc = _docstring(module_path)
    joiner = " and " if "secrets=" in info.secret_hint else " or "
    rows = [
        (
            "Registry name",
            f"`{name}`" + (f" (aliases: {_code(tuple(aliases))})" if aliases else ""),
        ),
        ("Signature header", _code(info.signature_headers, joiner)),
        ("Signature value", _signature_value(info)),
        ("Signed content", _content(info)),
        ("Algorithm", _algorithm(info)),
        ("Encoding", _encoding(info)),
        ("Timestamp", _timestamp(info)),
        ("Delivery id", _delivery_id(info)),
        ("Key", _keys(info)),
        ("Signed URL", _signed_url(info)),
        ("Also sent by `sign()`", _sent(info)),
        ("Handshake", _handshake(info, module_path)),
        ("Source", f"<{info.docs_url}>" if info.docs_url else "see below"),
        ("Checked against", _evidence(info)),
    ]
    table = "\n".join(f"| {key} | {value} |" for key, value in rows)
    return (
        f"# {_title(doc, name)} (`{name}`)\n\n"
        "<!-- generated by docs/_gen_providers.py from the scheme registry; do not edit -->\n\n"
        f"| | |\n| --- | --- |\n{table}\n\n"
        f"## Example\n\n{_example(info, name, module_path)}\n\n"
        f"{_aliases(info, aliases)}"
        f"## Recipe and notes\n\n{doc}\n"
    )


def _index(entries: list[tuple[str, str, SchemeInfo]], aliases: dict[str, str]) -> str:
    lines = [
        "# Providers",
        "",
        "<!-- generated by docs/_gen_providers.py from the scheme registry; do not edit -->",
        "",
        "Every built-in scheme, by registry name.  Facts marked third-party or",
        "UNCONFIRMED on a provider's page come from outside the provider's own docs.",
        "*Delivery id* is where `Delivery.id`, the idempotency key, comes from, read",
        "after verification; a key derived from the body is explained, with its",
        "caveat, on the provider's page.  *Checked against* says what hooksig's tests",
        "hold each scheme to beyond their own recomputation: a vector the provider",
        "published, or its official SDK (signatures made by each side verified by",
        "the other).",
        "",
        "| Name | Provider | Algorithm | Encoding | Signed content | Timestamp | Delivery id "
        "| Checked against |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, module_path, info in entries:
        title = _title(_docstring(module_path), name)
        stamp = "yes" if info.tolerance else "no"
        kind = "not stated" if info.evidence is None else _KIND[info.evidence.kind]
        lines.append(
            f"| [`{name}`]({name}.md) | {title} | {_algorithm(info)} | {_encoding(info)} "
            f"| {_content(info)} | {stamp} | {_delivery_id(info)} | {kind} |"
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
        entries.append((name, module_path, schemes.get(name).info))
    written = []
    for name, module_path, info in entries:
        path = out / f"{name}.md"
        path.write_text(_page(name, module_path, info, sorted(aliases.get(name, []))), "utf-8")
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
