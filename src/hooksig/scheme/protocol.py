"""
What a scheme is: the :class:`Scheme` Protocol, hooksig's extension point.

A scheme works on two records: the :class:`Request` as received and the
:class:`ParsedSignature` read from it, before any key is tried.  It
describes itself with a :class:`SchemeInfo`, which the CLI, the testing
toolkit and the docs read instead of the scheme's attributes.  Third
parties may implement :class:`Scheme` directly; they need not inherit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, Union, runtime_checkable

from .._primitives.headers import Headers, HeadersInput
from ..delivery import Delivery, IdReader
from ..keys import KeyRing, SecretLike
from ..replay import Clock, ReplayWindow

if TYPE_CHECKING:
    from .handshake import Handshake
    from .ids import IdSource

#: One signed content, in the pieces it is hashed in (a body is never joined):
#: iterable again for each key (a list, or a builder's re-iterable pieces).
Content = Iterable[Union[bytes, memoryview]]  # noqa: UP007 - a runtime alias on Python 3.10

#: A scheme's compiled route: ``(body, headers, now, clock, window)`` to a
#: :class:`~hooksig.Delivery`, or ``None`` where the general route must decide.
CompiledRoute = Callable[
    [bytes, HeadersInput, Union[float, None], Clock, Union[ReplayWindow, None]],  # noqa: UP007
    Union[Delivery, None],  # noqa: UP007
]

#: What a verifier is given: a shared ``secret``, a ``public-key``, a ``token``
#: (the header carries the secret itself), or HTTP Basic ``credentials`` (``user:password``).
KeyKind = Literal["secret", "public-key", "token", "credentials"]
#: What a body must be for the scheme: any ``bytes``, a ``json`` object whose
#: fields it reads, a ``form`` it signs field by field, or ``text`` it signs as characters.
BodyShape = Literal["bytes", "json", "form", "text"]
#: What a scheme's evidence is: a ``vector`` the provider published, its official
#: ``sdk`` (both ways), ``both``, or ``none`` published.
EvidenceKind = Literal["vector", "sdk", "both", "none"]


@dataclass(frozen=True)
class Request:
    """
    A delivery as received: raw body and headers, plus URL and method for schemes that sign them.

    ``now`` is the time the verifier judges the delivery at (Unix seconds):
    schemes that check a certificate's dates or a token's lifetime read it
    instead of a clock of their own.

    .. versionadded:: 0.1
    """

    body: bytes
    headers: Headers
    url: str | None = None
    method: str = "POST"
    params: Mapping[str, Sequence[str]] | None = None
    now: float | None = None


@dataclass(frozen=True)
class ParsedSignature:
    """
    What a scheme read from the headers, before any key was tried.

    Attributes:
        candidates: ``(label, decoded signature)`` for each signature offered
            in a version the scheme accepts.
        timestamp: the signed time in seconds, if the scheme has one.
        timestamp_text: the timestamp exactly as it was signed.
        id: the id read from the headers: the one the provider signed, and
            the delivery's id unless *id_source* is given.
        header: the signature header that was read.
        id_source: reads the delivery's id from the verified delivery (a
            body field, a digest): read after verification, on first access.

    .. versionadded:: 0.1
    """

    candidates: tuple[tuple[str, bytes], ...]
    timestamp: float | None = None
    timestamp_text: str | None = None
    id: str | None = None
    header: str = ""
    id_source: IdReader | None = None


@dataclass(frozen=True)
class Evidence:
    """
    What a scheme is checked against, beyond its own recomputation.

    Attributes:
        kind: see :data:`EvidenceKind`.
        against: the vector or SDK, in a sentence.
        tests: where hooksig's own repository runs the check.

    .. versionadded:: 0.1
    """

    kind: EvidenceKind
    against: str
    tests: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SchemeInfo:
    """
    What a scheme is, as data: everything the CLI, the testing toolkit and the docs need.

    Declared schemes (:class:`~hooksig.HmacScheme`, :class:`~hooksig.AsymmetricScheme`)
    derive it from their fields; a scheme of your own builds one.

    Attributes:
        name: the registry name.
        algorithm: ``sha1``, ``sha256``, ``sha512``, ``ed25519``, ``ecdsa-p256``...
        construction: ``hmac``, ``secret-prefix``, ``token``, ``basic``, or
            ``signature`` (public key).
        encoding: how signatures are written: ``hex``, ``base64``, ``base64url``.
        key_kinds: what a verifier may be given (:data:`KeyKind`), in order of preference.
        secret_format: how a secret given as text is read (``utf-8``, ``base64``,
            ``whsec``); ``None`` when no secret is taken.
        signature_headers: the headers (or ``body.`` fields) carrying the signature.
        signature_value: what a signature header's value looks like (``sha256=<hex>``),
            then a note in parentheses where it needs one.
        timestamp_headers: where the signed timestamp is, if not in the signature header.
        timestamp_unit: ``s``, ``ms`` or ``rfc3339``; ``None`` when nothing is timestamped.
        tolerance: the default replay window in seconds, or ``None``.
        signed_content: what is signed, as a template (``{timestamp}.{body}``) or a sentence.
        signs_url: the signed content includes the URL: the verifier needs ``public_url=``.
        signs_body: the signature covers the body or a part of it; ``False``
            for a token, Basic credentials or a content of URL and nonce (Plivo V2).
        url_variants: the signed URL is tried in more than one form (Twilio's,
            with and without its port).
        body_shape: see :data:`BodyShape`.
        body_fields: the ``body.`` names read from the JSON body before verification.
        id_source: where :attr:`hooksig.Delivery.id` comes from (``describe()`` says it).
        id_forbidden: characters an id given to ``sign()`` may not hold: the
            separators of the signed content (``.`` in ``{id}.{timestamp}.{body}``).
        handshake: the provider checks new endpoints with a delivery
            :meth:`hooksig.Verifier.handshake` answers.
        challenge: the scheme answers an endpoint check before verification
            (:meth:`hooksig.Verifier.challenge`): Okta's by default, the
            unsigned ones once configured.
        docs_url: the provider's page for the recipe.
        secret_hint: what the key is, in the provider's words.
        sent_headers: ``(name, value)`` headers ``sign()`` adds, as the provider
            sends them, which verification never reads (Box's ``BOX-SIGNATURE-VERSION``).
        evidence: what the scheme is checked against, if stated.
        alias_evidence: ``(alias, evidence)`` for each registry alias checked
            against its own provider's vector or SDK (OpenAI's for ``openai``).

    .. versionadded:: 0.1
    """

    name: str
    algorithm: str = ""
    construction: str = ""
    encoding: str = ""
    key_kinds: tuple[KeyKind, ...] = ("secret",)
    secret_format: str | None = "utf-8"
    signature_headers: tuple[str, ...] = ()
    signature_value: str = ""
    timestamp_headers: tuple[str, ...] = ()
    timestamp_unit: str | None = None
    tolerance: float | None = None
    signed_content: str = ""
    signs_url: bool = False
    signs_body: bool = True
    url_variants: bool = False
    body_shape: BodyShape = "bytes"
    body_fields: tuple[str, ...] = ()
    id_source: IdSource | None = None
    id_forbidden: str = ""
    handshake: bool = False
    challenge: bool = False
    docs_url: str = ""
    secret_hint: str = ""
    sent_headers: tuple[tuple[str, str], ...] = ()
    evidence: Evidence | None = None
    alias_evidence: tuple[tuple[str, Evidence], ...] = ()

    def evidence_for(self, name: str) -> Evidence | None:
        """What *name*, this scheme's registry name or one of its aliases, is checked against."""
        return dict(self.alias_evidence).get(name, self.evidence)


@runtime_checkable
class Scheme(Protocol):
    """
    One provider's signing recipe: the extension point of hooksig.

    A :class:`~hooksig.Verifier` calls :meth:`load_keys` once, then for each
    delivery :meth:`parse`, :meth:`signed_contents` and :meth:`match`; it
    applies the replay window itself, and answers :attr:`handshake` when
    asked.  Every method raises only :class:`~hooksig.WebhookError`
    subclasses.  A scheme may also offer a compiled route: see
    :class:`~hooksig.scheme.CompilingScheme`.

    Optional members, read when present:

    ``resolve_keys(parsed, request, keys) -> KeyRing`` (with
    ``resolve_keys_async``, its coroutine form): for providers whose key
    depends on the delivery (a certificate URL, a key id).  The verifier
    calls it after :meth:`parse` and after the replay window, so a stale or
    malformed delivery never causes a fetch, and passes its result to
    :meth:`match`.  :meth:`hooksig.Verifier.verify_async` awaits the
    coroutine form, so a fetch never blocks an event loop.

    ``handshake(delivery, keys)`` (with ``handshake_async``): the answer
    to a signed handshake delivery (:meth:`hooksig.Verifier.handshake`);
    the coroutine form awaits any request the answer needs (SNS's
    subscription confirmation).

    ``challenge``: ``None``, or a callable ``(request, keys) ->
    HandshakeResponse | None`` answering an endpoint check the provider
    sends *unsigned*, before any delivery (Meta's ``hub.challenge``, Graph's
    ``validationToken``).  :meth:`hooksig.Verifier.challenge` calls it, and
    the adapters call that before verifying; it answers only under the
    provider's own rule, and a scheme has none until you configure one
    (see :mod:`hooksig.scheme.challenge`).

    .. versionadded:: 0.1
    """

    # Read-only members, so that frozen dataclasses (HmacScheme) satisfy the Protocol.
    @property
    def name(self) -> str:
        """Registry name, lowercase and hyphenated (``"stripe"``)."""
        ...

    @property
    def default_tolerance(self) -> float | None:
        """Default replay window in seconds, or ``None`` when nothing is timestamped."""
        ...

    @property
    def info(self) -> SchemeInfo:
        """What the scheme is, as data (:class:`~hooksig.scheme.SchemeInfo`)."""
        ...

    @property
    def handshake(self) -> Handshake | None:
        """Answers the provider's endpoint check, or ``None`` (:mod:`hooksig.scheme.handshake`)."""
        ...

    def load_keys(
        self,
        secrets: Sequence[SecretLike],
        *,
        public_key: object | None = None,
        signing_key: object | None = None,
    ) -> KeyRing:
        """Check and load keys once, at construction; raise ``ConfigurationError``."""
        ...

    def parse(self, request: Request) -> ParsedSignature:
        """Read signatures, timestamp and id; raise ``MissingSignature``/``MalformedSignature``."""
        ...

    def signed_contents(self, parsed: ParsedSignature, request: Request) -> Sequence[Content]:
        """
        Every content the provider may have signed (one, or one per URL variant), in pieces.

        Pieces let a 100 MiB body be hashed where it lies instead of joined to a copy.
        """
        ...

    def match(self, keys: KeyRing, content: Content, parsed: ParsedSignature) -> str | None:
        """Try every key against every candidate over *content*; return the key id or ``None``."""
        ...

    def sign(
        self, keys: KeyRing, request: Request, *, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        """Return the headers the provider would send with ``request.body``."""
        ...


@runtime_checkable
class CompilingScheme(Scheme, Protocol):
    """
    A :class:`~hooksig.Scheme` that also compiles its own hot route from its declaration.

    :meth:`compile` runs once, when a :class:`~hooksig.Verifier` is built; the
    route it returns verifies a plainly well-formed delivery with the scheme's
    own steps fused, and answers ``None`` for anything else, which the
    general route then decides.  Both routes must agree on every input.

    .. versionadded:: 0.1
    """

    def compile(self, keys: KeyRing) -> CompiledRoute | None:
        """The compiled route for *keys*, or ``None`` where only the general route applies."""
        ...


#: A scheme's ``resolve_keys``: the key ring this delivery is checked with.
KeyResolver = Callable[[ParsedSignature, Request, KeyRing], KeyRing]

#: A scheme's ``resolve_keys_async``: :data:`KeyResolver` for an event loop.
AsyncKeyResolver = Callable[[ParsedSignature, Request, KeyRing], Awaitable[KeyRing]]


@runtime_checkable
class SignsBodyPart(Protocol):
    """
    A scheme that signs a part of the body (fields, a digest), for the testing toolkit.

    Two bodies with the same part share a signature; the toolkit's
    tampering strategies change something else only when the part allows it.

    .. versionadded:: 0.1
    """

    def signed_body_part(self, body: bytes) -> object:
        """The part of *body* the signature covers, or ``None`` where it cannot be read."""
        ...


@runtime_checkable
class NamesSigningKey(Protocol):
    """
    A scheme whose ``info.algorithm`` does not say which private key signs for tests.

    Token and certificate schemes (``RS256`` JWTs, X.509 chains) name it here:
    ``"rsa"``, ``"ecdsa-p256"`` or ``"ed25519"``.

    .. versionadded:: 0.1
    """

    @property
    def signing_key_type(self) -> str | None:
        """The kind of private key :func:`hooksig.testing.Signer` makes, or ``None``."""
        ...


for _public in (
    ParsedSignature,
    Request,
    Scheme,
):
    _public.__module__ = "hooksig"  # its public name, hooksig.ParsedSignature
del _public
