"""
Plivo: HMAC-SHA256 of the URL, the sorted parameters and a nonce (V3; V2 as ``plivo-v2``).

Source: https://www.plivo.com/docs/voice/concepts/signature-validation and Plivo's SDK,
plivo/plivo-python@a0cd323 (``plivo/utils/signature_v3.py`` ``validate_v3_signature``,
``plivo/utils/__init__.py`` ``validate_signature``).

Recipe (V3, ``plivo``): ``X-Plivo-Signature-V3`` holds one or more
comma-separated ``base64(HMAC-SHA256(auth token, base + "." + nonce))``, the
nonce from ``X-Plivo-Signature-V3-Nonce``.  For a POST, *base* is the URL
without its query, then ``?`` and the query's parameters sorted as
``k=v&k=v`` (and a ``.`` after them when the body has fields), then every
POST field sorted by name as ``name || value`` (values of one name sorted);
for a GET, the URL's parameters sorted as ``k=v&k=v``.

Recipe (V2, ``plivo-v2``): ``X-Plivo-Signature-V2`` is
``base64(HMAC-SHA256(auth token, URL without its query + nonce))``, the nonce
from ``X-Plivo-Signature-V2-Nonce``; the parameters are not signed.

The URL is yours: configure ``public_url=``.  Plivo signs no timestamp; the
nonce is signed and becomes ``Delivery.id``, so the idempotency guard refuses
a captured request sent again.
"""

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit, urlunsplit

from hooksig.errors import ConfigurationError, MalformedSignature, MissingSignature
from hooksig.scheme import Evidence, HmacScheme, ParsedSignature, Request
from hooksig.scheme.content import signs_no_body, signs_url
from hooksig.scheme.fields import form_fields
from hooksig.scheme.formats import Listed


def _url(request: Request) -> str:
    if request.url is None:
        raise ConfigurationError(
            "the plivo scheme signs the URL: pass url= to verify() or public_url= to the Verifier"
        )
    return request.url


def _base(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise MalformedSignature("the URL is not valid", reason="bad_url") from None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), parts.query


def _sorted_query(query: str) -> str:
    params = parse_qs(query, keep_blank_values=True)
    return "&".join(f"{name}={value}" for name in sorted(params) for value in sorted(params[name]))


def _nonce(parsed: ParsedSignature, header: str) -> str:
    if parsed.id is None:
        raise MissingSignature(f"header {header} is missing", header=header)
    return parsed.id


@signs_url
def v3_content(parsed: ParsedSignature, request: Request) -> bytes:
    """Plivo V3: the URL with its sorted query, the sorted POST fields, ``.``, the nonce."""
    nonce = _nonce(parsed, "X-Plivo-Signature-V3-Nonce")
    base, query = _base(_url(request))
    pairs = _sorted_query(query)
    if request.method.upper() == "GET":
        signed = base + (f"?{pairs}" if pairs else "")
    else:
        fields = form_fields(request) if request.body or request.params else {}
        body = "".join(name + value for name in sorted(fields) for value in sorted(fields[name]))
        if fields:
            signed = f"{base}?{pairs}" + ("." if pairs else "") + body
        else:
            signed = base + (f"?{pairs}" if pairs else "")
    return f"{signed}.{nonce}".encode()


@signs_url
@signs_no_body  # the body is not signed
def v2_content(parsed: ParsedSignature, request: Request) -> bytes:
    """Plivo V2: the URL without its query, then the nonce."""
    nonce = _nonce(parsed, "X-Plivo-Signature-V2-Nonce")
    base, _ = _base(_url(request))
    return f"{base}{nonce}".encode()


SCHEME = HmacScheme(
    name="plivo",
    signature_header="X-Plivo-Signature-V3",
    signature_format=Listed(timestamp_first=False),
    algorithm="sha256",
    encoding="base64",
    id_header="X-Plivo-Signature-V3-Nonce",
    content=v3_content,
    body_shape="form",
    secret_hint="the account's (or sub-account's) Auth Token, as text",
    docs_url="https://www.plivo.com/docs/voice/concepts/signature-validation",
    evidence=Evidence(
        kind="sdk",
        against=("plivo-python (`validate_v3_signature`), both ways"),
        tests=(
            "tests/schemes/test_plivo.py",
            "tests/schemes/test_plivo_sdk.py",
        ),
    ),
)

V2 = replace(
    SCHEME,
    name="plivo-v2",
    signature_header="X-Plivo-Signature-V2",
    signature_format=None,
    id_header="X-Plivo-Signature-V2-Nonce",
    content=v2_content,
    body_shape="bytes",
    evidence=Evidence(
        kind="both",
        against="plivo-python's V2 test vector and `validate_signature`",
        tests=("tests/schemes/test_plivo.py", "tests/schemes/test_plivo_sdk.py"),
    ),
)
