"""
The fields of a `SignedDelivery` that carry its signature and signed time, read and rewritten.

A field is a header, a ``body.a.b`` field of the JSON body for schemes
that carry their signature there (Mailgun), or a ``form.*`` field of a form
body or a ``query.*`` parameter of the URL (Event Grid's secret).  The fault strategies change
one field at a time; this module finds which fields to change and does
the change, with no Hypothesis involved.
"""

from __future__ import annotations

import dataclasses
import json
import urllib.parse

from .. import schemes
from ..errors import WebhookError
from ._bodies import BODY_PREFIX, _set_field, shape
from ._signing import TEST_NOW, SignedDelivery, Signer

__all__ = ["field", "signature_fields", "timestamp_fields", "with_field"]


def _pairs(text: str) -> list[tuple[str, str]]:
    """The fields of a form or query string, in order."""
    return urllib.parse.parse_qsl(text, keep_blank_values=True)


def field(delivery: SignedDelivery, name: str) -> str | None:
    """The value of header, ``body.*``, ``form.*`` or ``query.*`` field *name*, or None."""
    query = urllib.parse.urlsplit(delivery.url).query
    for prefix, text in (("form.", delivery.body.decode("latin-1")), ("query.", query)):
        if name.startswith(prefix):
            return dict(_pairs(text)).get(name[len(prefix) :])
    if not name.startswith(BODY_PREFIX):
        return delivery.headers.get(name)
    node: object = json.loads(delivery.body)
    for part in name[len(BODY_PREFIX) :].split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, str) else json.dumps(node)


def with_field(
    delivery: SignedDelivery,
    name: str,
    value: str | None,
    fault: str,
    error: type[WebhookError],
) -> SignedDelivery:
    """*delivery* with field *name* (see :func:`field`) set to *value* (None: removed)."""
    body, headers = delivery.body, dict(delivery.headers)
    if name.startswith(("form.", "query.")):
        prefix, key = name.split(".", 1)
        url = urllib.parse.urlsplit(delivery.url)
        text = body.decode("latin-1") if prefix == "form" else url.query
        pairs = [pair for pair in _pairs(text) if pair[0] != key]
        pairs += [] if value is None else [(key, value)]
        encoded = urllib.parse.urlencode(pairs)
        if prefix == "form":
            body = encoded.encode("ascii")
        else:
            new_url = urllib.parse.urlunsplit(url._replace(query=encoded))
            path = urllib.parse.urlsplit(new_url)
            return dataclasses.replace(
                delivery,
                url=new_url,
                path=path.path + (f"?{path.query}" if path.query else ""),
                fault=fault,
                error=error,
            )
    elif not name.startswith(BODY_PREFIX):
        if value is None:
            del headers[name]
        else:
            headers[name] = value
    else:
        document = json.loads(body)
        if value is None:
            *parents, leaf = name[len(BODY_PREFIX) :].split(".")
            node = document
            for parent in parents:
                node = node[parent]
            del node[leaf]
        else:
            _set_field(document, name, value)
        body = json.dumps(document).encode("utf-8")
    return dataclasses.replace(delivery, body=body, headers=headers, fault=fault, error=error)


def signature_fields(delivery: SignedDelivery) -> list[str]:
    """The headers (or body fields) of *delivery* that carry its signature."""
    declared = schemes.get(delivery.scheme).info.signature_headers
    found = [name for name in declared if field(delivery, name) is not None]
    if not found:
        # A scheme that does not declare its header: the ones that change with the body.
        other = delivery.verifier.sign(delivery.body + b"\x00", timestamp=delivery.timestamp)
        found = sorted(name for name, value in delivery.headers.items() if other.get(name) != value)
    return found


def timestamp_fields(signer: Signer) -> list[str]:
    """The timestamp headers (or body fields) whose value the signature covers."""
    names = schemes.get(signer.scheme).info.timestamp_headers
    if not names:
        return []
    one = signer.delivery(timestamp=TEST_NOW, id="msg_probe")
    two = signer.delivery(timestamp=TEST_NOW + 1, id="msg_probe")
    if shape(signer.scheme) != "json" and one.body == two.body:
        signatures = signature_fields(one)
        if all(field(one, name) == field(two, name) for name in signatures):
            return []
    return [name for name in names if field(one, name) is not None]
