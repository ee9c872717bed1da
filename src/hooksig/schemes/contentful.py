"""
Contentful: HMAC-SHA256 of a canonical request over the headers it lists as signed, hex.

Sources: https://www.contentful.com/developers/docs/webhooks/request-verification/
and Contentful's toolkit, contentful/node-apps-toolkit@42bf35e
(``src/requests/sign-request.ts``, ``utils.ts``, ``verify-request.ts``).

Recipe: ``x-contentful-signature = hex(HMAC-SHA256(secret, METHOD \\n path \\n headers \\n body))``:

- *path* is the request path and query as the toolkit encodes them:
  ``encodeURI(pathname + "?" + querystring.escape(search))``, so the query is
  escaped twice (a ``%`` becomes ``%25``);
- *headers* are the ones ``x-contentful-signed-headers`` names (lower-cased,
  values trimmed), sorted by name, each ``name:value``, joined by ``;``; the
  list itself and ``x-contentful-timestamp`` (Unix milliseconds) are always
  among them.  A listed header that is missing is refused here (the toolkit
  skips it).

The secret is the space's 64-character webhook signing secret, as text.  The
toolkit's default time-to-live is 30 seconds, past only; hooksig applies 30
seconds both ways.  The path comes from your configured ``public_url``
joined with the request path.  Contentful sends no delivery id that is
documented as stable (UNCONFIRMED).
"""

from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

from hooksig.errors import ConfigurationError, MalformedSignature
from hooksig.keys import KeyRing
from hooksig.scheme import BodyDigest, Evidence, Headers, HmacScheme, ParsedSignature, Request
from hooksig.scheme.content import signs_url

SIGNED_HEADERS = "x-contentful-signed-headers"
TIMESTAMP = "x-contentful-timestamp"


def encoded_path(target: str) -> str:
    """The toolkit's ``getNormalizedEncodedURI``: ``encodeURI(path + "?" + escape(query))``."""
    pathname, _, rest = target.partition("?")
    search = rest.split("?")[0]
    escaped = quote(search, safe="!'()*") if search else ""
    joined = f"{pathname}?{escaped}" if escaped else pathname
    return quote(joined, safe=";,/?:@&=+$!*'()#")


@signs_url
def canonical_request(parsed: ParsedSignature, request: Request) -> bytes:
    """Contentful: ``METHOD\\npath\\nname:value;...\\nbody`` over the listed headers."""
    if request.url is None:
        raise ConfigurationError(
            "the contentful scheme signs the path: pass url= to verify() "
            "or public_url= to the Verifier"
        )
    parts = urlsplit(request.url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    listed = request.headers.require(SIGNED_HEADERS).split(",")
    names = set(listed) | {SIGNED_HEADERS, TIMESTAMP}
    if len(names) != len(listed) + 2 - ({SIGNED_HEADERS, TIMESTAMP} <= set(listed)) * 2:
        raise MalformedSignature(
            f"header {SIGNED_HEADERS} repeats a name", reason="bad_item", header=SIGNED_HEADERS
        )
    order = sorted(names)
    values = {SIGNED_HEADERS: ",".join(order), TIMESTAMP: str(int(parsed.timestamp_text or 0))}
    for name in order:
        if name not in values:
            if not name or name != name.strip().lower():
                raise MalformedSignature(
                    f"header {SIGNED_HEADERS} lists a malformed name",
                    reason="bad_item",
                    header=SIGNED_HEADERS,
                )
            values[name] = request.headers.require(name).strip()
    headers = ";".join(f"{name}:{values[name]}" for name in order)
    head = f"{request.method.upper()}\n{encoded_path(target)}\n{headers}\n"
    return head.encode("utf-8") + request.body


@dataclass(frozen=True, kw_only=True)
class ContentfulScheme(HmacScheme):
    """Contentful: signing also writes the signed-header list."""

    def sign(
        self, keys: KeyRing, request: Request, *, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        """Sign over the two headers Contentful always lists, and write the list."""
        stamp = str((timestamp or 0) * 1000)
        listed = {SIGNED_HEADERS: f"{SIGNED_HEADERS},{TIMESTAMP}", TIMESTAMP: stamp}
        signing = replace(request, headers=Headers({**dict(request.headers), **listed}))
        return {**super().sign(keys, signing, timestamp=timestamp, id=id), **listed}


SCHEME = ContentfulScheme(
    name="contentful",
    signature_header="x-contentful-signature",
    algorithm="sha256",
    encoding="hex",
    timestamp_header=TIMESTAMP,
    timestamp_unit="ms",
    content=canonical_request,
    tolerance=30,
    secret_hint="the space's webhook signing secret (64 characters), as text",
    docs_url="https://www.contentful.com/developers/docs/webhooks/request-verification/",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="sdk",
        against=(
            "a signature made by Contentful's own @contentful/node-apps-toolkit 3.16.1 "
            "(`signRequest`), recorded"
        ),
        tests=("tests/schemes/test_contentful.py",),
    ),
)
