"""
Mailchimp Transactional (Mandrill): HMAC-SHA1 of the URL and the sorted POST fields, base64.

Source: https://mandrill.zendesk.com/hc/en-us/articles/360039232513-How-to-Authenticate-Webhook-Requests

Recipe: ``X-Mandrill-Signature: base64(HMAC-SHA1(webhook key, url + name1 + value1 + ...))``,
where *url* is the webhook URL exactly as configured in Mandrill (query
string included, a trailing slash matters) and the POST fields (usually the
one ``mandrill_events`` field) are sorted by name, each name followed by its
value, with no separator.  The key is the webhook's own authentication key
(from the Webhooks page or ``webhooks/info``), not the API key.  A field
sent twice is refused: how Mandrill signs one is UNCONFIRMED.

The URL is yours, not the request's: configure ``public_url=`` (or pass
``url=``).  Mandrill signs no timestamp and no id: rely on the idempotency
guard (each event has an ``_id``).  Mandrill publishes no vector.
"""

from hooksig.errors import MalformedSignature
from hooksig.scheme import BodyDigest, Evidence, HmacScheme, ParsedSignature, Request
from hooksig.scheme.content import signs_url
from hooksig.scheme.fields import form_fields


@signs_url
def url_and_fields(parsed: ParsedSignature, request: Request) -> bytes:
    """Mandrill: the configured URL, then each POST field as ``name || value``, sorted by name."""
    if request.url is None:
        from hooksig.errors import ConfigurationError

        raise ConfigurationError(
            "the mandrill scheme signs the URL: pass url= to verify() "
            "or public_url= to the Verifier"
        )
    parts = [request.url]
    fields = form_fields(request)
    for name in sorted(fields):
        values = fields[name]
        values = [values] if isinstance(values, str) else list(values)
        if len(values) != 1:
            raise MalformedSignature(
                f"field {name} was sent more than once", reason="repeated_field", header=name
            )
        parts.append(name + values[0])
    return "".join(parts).encode("utf-8")


SCHEME = HmacScheme(
    name="mandrill",
    signature_header="X-Mandrill-Signature",
    algorithm="sha1",
    encoding="base64",
    content=url_and_fields,
    body_shape="form",
    secret_hint="the webhook's authentication key (not the API key), as text",
    docs_url="https://mandrill.zendesk.com/hc/en-us/articles/360039232513-How-to-Authenticate-Webhook-Requests",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against=(
            "Mandrill publishes no vector and its SDK has no verifier; recomputed from "
            "its help-centre recipe"
        ),
        tests=("tests/schemes/test_mandrill.py",),
    ),
)
