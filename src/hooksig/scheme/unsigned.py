"""
The Scheme members of a provider that signs nothing: :class:`Unsigned`.

Azure Event Grid puts a secret in the URL's query and Microsoft Graph a
``clientState`` in every item; neither signs the body.  Such a scheme
compares the secret in its ``match`` and declares the rest here, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from .protocol import Content, Evidence, ParsedSignature, Request, SchemeInfo

if TYPE_CHECKING:
    from .challenge import Challenge
    from .handshake import Handshake
    from .ids import IdSource


class _Declared(Protocol):
    """What :class:`Unsigned` reads from the scheme it is part of."""

    @property
    def name(self) -> str: ...
    @property
    def algorithm_text(self) -> str: ...
    @property
    def content_text(self) -> str: ...
    @property
    def signature_header(self) -> str: ...
    @property
    def id_source(self) -> IdSource | None: ...
    @property
    def docs_url(self) -> str: ...
    @property
    def secret_hint(self) -> str: ...
    @property
    def evidence(self) -> Evidence | None: ...
    @property
    def secret_value(self) -> str: ...
    @property
    def signs_url(self) -> bool: ...
    @property
    def challenge(self) -> Challenge | None: ...


class Unsigned:
    """
    ``info``, ``handshake`` and ``signed_contents`` for a scheme that signs nothing.

    The scheme declares ``secret_value`` (what the secret looks like, then
    where it is, in parentheses) and ``signs_url`` beside its texts.

    .. versionadded:: 0.1
    """

    @property
    def handshake(self) -> Handshake | None:
        """Always ``None``, since the endpoint check is unsigned (the scheme's ``challenge``)."""
        return None

    @property
    def info(self: _Declared) -> SchemeInfo:
        """What this scheme is, from its declaration."""
        return SchemeInfo(
            name=self.name,
            algorithm=self.algorithm_text,
            construction="token",
            signature_headers=(self.signature_header,),
            signature_value=self.secret_value,
            signed_content=self.content_text,
            signs_url=self.signs_url,
            signs_body=False,
            body_shape="json",
            id_source=self.id_source,
            challenge=self.challenge is not None,
            docs_url=self.docs_url,
            secret_hint=self.secret_hint,
            evidence=self.evidence,
        )

    def signed_contents(self, parsed: ParsedSignature, request: Request) -> Sequence[Content]:
        """Nothing is signed: the secret is compared in ``match``."""
        return ((b"",),)
