"""
Signed-content builders for recipes a template cannot spell, and URL variants.

Most providers sign a template over the body, timestamp, id, URL and
method (``"{timestamp}.{body}"``), which :class:`~hooksig.HmacScheme`
fills itself.  The few that sign something else (Twilio's sorted form
parameters, Trello's 8-bit strings) get a builder here, written once and
named in their provider module.  Every builder reads only the raw body and
the configured URL, and maps malformed input to a hooksig error.

A URL variant function (:func:`with_and_without_port`) gives the
URLs to try for one configured URL, for providers whose signer is not
consistent about it (Twilio's port).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from .._primitives.compare import bytes_eq
from ..errors import ConfigurationError, InvalidSignature, MalformedSignature
from ..url import DEFAULT_PORTS
from ._form import MAX_FORM_FIELDS, FormFields, sorted_params
from ._pieces import Pieces
from .protocol import ParsedSignature, Request

# A content builder: the signed bytes, or Pieces where they must not be joined.
Builder = Callable[[ParsedSignature, Request], "bytes | Pieces"]


def signs_url(builder: Builder) -> Builder:
    """
    Mark a content *builder* that signs ``request.url``.

    A :class:`~hooksig.Verifier` for a scheme whose content is such a
    builder (or a template with ``{url}``) refuses to be built without a
    URL policy (``public_url=``), instead of failing on the first delivery.

    .. versionadded:: 0.1
    """
    cast(Any, builder).signs_url = True  # a mark on the function object itself
    return builder


def signs_no_body(builder: Builder) -> Builder:
    """
    Mark a content *builder* whose content holds no part of the body (Plivo V2).

    ``signs_body`` of :class:`~hooksig.scheme.SchemeInfo` then says so, and the testing
    toolkit knows that any body shares a signature.

    .. versionadded:: 0.1
    """
    cast(Any, builder).signs_body = False  # a mark on the function object itself
    return builder


def _url(request: Request) -> str:
    """The configured URL, or a ConfigurationError saying how to give one."""
    if request.url is None:
        raise ConfigurationError(
            "this scheme signs the URL: pass url= to verify() or public_url= to the Verifier"
        )
    return request.url


def _form(text: str) -> list[tuple[str, str]]:
    """Parse form fields strictly, bounded in number."""
    try:
        return parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=bool(text),
            errors="strict",
            max_num_fields=MAX_FORM_FIELDS,
        )
    except (ValueError, UnicodeDecodeError):
        raise MalformedSignature("the form fields are malformed", reason="bad_form") from None


@signs_url
def url_and_sorted_params(parsed: ParsedSignature, request: Request) -> bytes | Pieces:
    """
    Twilio: the URL, then every POST parameter as ``name || value``, sorted by name.

    The values of a repeated name are sorted and de-duplicated, as the
    Twilio SDKs do (twilio-python ``RequestValidator.compute_signature``).
    When the URL carries ``bodySHA256`` (JSON bodies), that must be the hex
    SHA-256 of the raw body and the URL alone is signed.  Fields read from
    the body are decoded and sorted as they stream into the HMAC, so a
    large form is never copied.

    Raises:
        InvalidSignature: ``bodySHA256`` does not match the body.
    """
    url = _url(request)
    try:
        query = urlsplit(url).query
    except ValueError:
        raise MalformedSignature("the URL is not valid", reason="bad_url") from None
    hashes = [value for name, value in _form(query) if name == "bodySHA256"]
    if hashes:
        expected = hashlib.sha256(request.body).hexdigest().encode("ascii")
        if len(hashes) != 1 or not bytes_eq(expected, hashes[0].encode("utf-8")):
            raise InvalidSignature(
                "the body does not match the URL's bodySHA256", reason="body_hash_mismatch"
            )
        return url.encode("utf-8")
    if request.params is None:
        return FormFields(request.body).sorted_after(url.encode("utf-8"))
    return sorted_params(url.encode("utf-8"), request.params)


def low_bytes(builder: Builder) -> Builder:
    """
    Wrap *builder* to sign its text as an 8-bit string: the low byte of each UTF-16 unit.

    Trello signs "binary strings, not utf-8": U+2013 becomes the byte 0x13.
    The inner content is decoded as UTF-8 (strictly) and each UTF-16 code
    unit is cut to its low 8 bits, as JavaScript's ``binary`` encoding does.
    """

    def build(parsed: ParsedSignature, request: Request) -> bytes:
        try:
            text = bytes(builder(parsed, request)).decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedSignature("the body is not UTF-8", reason="bad_body") from None
        return text.encode("utf-16-le", "surrogatepass")[::2]

    inner = (builder.__doc__ or builder.__name__).strip().splitlines()[0].rstrip(".")
    build.__doc__ = f"{inner}, as an 8-bit string (the low byte of each UTF-16 unit)."
    return signs_url(build) if getattr(builder, "signs_url", False) else build


@signs_url
def body_then_url(parsed: ParsedSignature, request: Request) -> bytes:
    """The raw body followed by the URL (Trello's callback URL)."""
    return request.body + _url(request).encode("utf-8")


def with_and_without_port(url: str) -> tuple[str, ...]:
    """
    Return *url* as given, then without its port, or with the default port if it had none.

    Twilio's signer is inconsistent about ports: a callback on
    ``https://host:8443/...`` may be signed as ``https://host/...``, and one
    on ``https://host/...`` as ``https://host:443/...``.  Its SDKs try the URL
    with its port (the default one added when absent) and without any port
    (twilio-python ``RequestValidator.validate``, twilio-node ``validateRequest``),
    and so does this.

    .. versionadded:: 0.1
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise MalformedSignature("the URL is not valid", reason="bad_url") from None
    default = DEFAULT_PORTS.get(parts.scheme)
    if default is None or not parts.hostname:
        return (url,)
    userinfo, at, host = parts.netloc.rpartition("@")
    netloc = f"{host}:{default}" if port is None else host.rsplit(":", 1)[0]
    return (url, urlunsplit(parts._replace(netloc=userinfo + at + netloc)))
