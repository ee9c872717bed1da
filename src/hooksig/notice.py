"""
Webhooks with neither a signature nor a secret: a notice naming an object to fetch.

Some providers sign nothing and share no secret: Mollie's classic webhooks
POST only ``id=tr_...`` and tell you to fetch that payment with your API
key and act on what the API returns.  Nothing in such a request can be
verified, so hooksig gives it its own type, :class:`Notice`, which is not a
:class:`~hooksig.Delivery` and carries no body: only the id, checked
against the provider's grammar, and where to fetch it.  Anyone can send
one, so treat it as a hint: fetch the object over HTTPS with your own
credentials, act only on the fetched state, rate-limit the fetches, and
never trust a status from the POST.

.. versionadded:: 0.1
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl

from .errors import ConfigurationError, MalformedPayload

__all__ = ["NOTICES", "IdNotice", "Notice", "read_notice"]

#: A notice body is a few form fields; anything longer is refused unread.
MAX_NOTICE_BYTES = 1024


@dataclass(frozen=True)
class Notice:
    """
    An unauthenticated webhook's claim that an object changed: fetch it before acting.

    Attributes:
        provider: the notice reader's name (``"mollie-classic"``).
        object_id: the id the request names, checked against the provider's grammar.
        fetch_url: where the provider's API serves that object, or ``None``
            where the id's kind has no single URL.
        verified: always ``False``: nothing in the request was authenticated.

    .. versionadded:: 0.1
    """

    provider: str
    object_id: str
    fetch_url: str | None
    verified: Literal[False] = field(default=False, init=False)


@dataclass(frozen=True)
class IdNotice:
    """
    How to read one provider's notices: the form field, the id grammar, the fetch URLs.

    Args:
        name: the notice's name (``"mollie-classic"``).
        field: the form field carrying the id.
        pattern: the id grammar, a regular expression matched in full.
        fetch_urls: id prefix -> URL template with ``{id}``.
        docs_url: the provider's page describing the notice.

    .. versionadded:: 0.1
    """

    name: str
    field: str
    pattern: str
    fetch_urls: dict[str, str]
    docs_url: str

    def read(self, body: bytes) -> Notice:
        """
        Read a form-encoded notice body that names exactly one id.

        Raises:
            MalformedPayload: the body is not bytes, too long, not exactly one
                *field* form field, or the id does not match the grammar.
        """
        if not isinstance(body, bytes) or len(body) > MAX_NOTICE_BYTES:
            raise MalformedPayload(f"a {self.name} notice is a short form body (bytes)")
        try:
            fields = parse_qsl(body.decode("ascii"), strict_parsing=True, max_num_fields=4)
        except (UnicodeDecodeError, ValueError):
            raise MalformedPayload(f"a {self.name} notice is a form body") from None
        if [key for key, _ in fields] != [self.field]:
            raise MalformedPayload(f"a {self.name} notice carries exactly one {self.field}=")
        object_id = fields[0][1]
        if re.fullmatch(self.pattern, object_id) is None:
            raise MalformedPayload(f"the {self.name} notice's id is not a provider id")
        template = next(
            (url for prefix, url in self.fetch_urls.items() if object_id.startswith(prefix)),
            None,
        )
        fetch_url = None if template is None else template.replace("{id}", object_id)
        return Notice(self.name, object_id, fetch_url)


#: Mollie's classic webhooks: https://docs.mollie.com/reference/webhooks
#: (a POST with ``id`` only; "fetch the object ... with your API key").
MOLLIE_CLASSIC = IdNotice(
    name="mollie-classic",
    field="id",
    pattern=r"[a-z]{2,5}_[A-Za-z0-9]{4,64}",
    fetch_urls={
        "tr_": "https://api.mollie.com/v2/payments/{id}",
        "ord_": "https://api.mollie.com/v2/orders/{id}",
    },
    docs_url="https://docs.mollie.com/reference/webhooks",
)

#: Every built-in notice reader, by name.
NOTICES: dict[str, IdNotice] = {MOLLIE_CLASSIC.name: MOLLIE_CLASSIC}


def read_notice(name: str, body: bytes) -> Notice:
    """
    Read *body* as the notice *name* (``"mollie-classic"``): never a verified delivery.

    Raises:
        ConfigurationError: no notice reader has that name.
        MalformedPayload: the body is not that provider's notice.

    .. versionadded:: 0.1
    """
    reader = NOTICES.get(name)
    if reader is None:
        raise ConfigurationError(f"unknown notice {name!r}; see hooksig.notice.NOTICES")
    return reader.read(body)
