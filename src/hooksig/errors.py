"""
The one exception tree of hooksig, and its warnings.

Every failure a delivery can cause ends in a ``WebhookError``; callers
catch that one class, or a leaf for a specific answer.  This module imports
nothing from the rest of hooksig, so every other module may import it.

Messages name the header and the fault.  They never contain a secret, the
expected signature, or the raw value that was received.
"""

from __future__ import annotations

# typing stays out of `import hooksig`; type checkers read this block as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

__all__ = [
    "ConfigurationError",
    "DuplicateDelivery",
    "ExtraNotInstalled",
    "HooksigWarning",
    "InsecureKeyWarning",
    "InsecureTransport",
    "InvalidSignature",
    "KeyUnavailable",
    "MalformedPayload",
    "MalformedSignature",
    "MissingSignature",
    "PayloadTooLarge",
    "ProviderApiError",
    "RateLimited",
    "RequestRefused",
    "SourceNotAllowed",
    "StoreUnavailable",
    "TimestampOutOfTolerance",
    "VerificationError",
    "WebhookError",
]


class WebhookError(Exception):
    """
    Base class of every error hooksig raises.

    .. versionadded:: 0.1
    """


class ConfigurationError(WebhookError, ValueError):
    """
    A secret, key or option is unusable; raised when the object is built.

    .. versionadded:: 0.1
    """


class ExtraNotInstalled(ConfigurationError, ImportError):
    """
    A feature needs an optional extra that is not installed.

    The message carries the ``pip install`` command that fixes it.

    .. versionadded:: 0.1
    """

    def __init__(self, extra: str, package: str) -> None:
        self.extra = extra
        self.package = package
        super().__init__(
            f'this feature needs the {package!r} package: pip install "hooksig[{extra}]"'
        )


class VerificationError(WebhookError):
    """
    The delivery is not authentic or not fresh.

    Attributes:
        reason: a stable, machine-readable code such as ``"bad_hex"``.
        header: the header at fault, when there is one.
        scheme: the scheme that refused the delivery, once known.

    .. versionadded:: 0.1
    """

    default_reason = "verification_failed"

    def __init__(
        self,
        message: str,
        *,
        reason: str | None = None,
        header: str | None = None,
        scheme: str | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason or self.default_reason
        self.header = header
        self.scheme = scheme


class MissingSignature(VerificationError):
    """
    A header the scheme needs (signature, timestamp or id) is absent.

    .. versionadded:: 0.1
    """

    default_reason = "missing_header"


class MalformedSignature(VerificationError):
    """
    A signature, timestamp or id header does not follow the scheme's grammar.

    .. versionadded:: 0.1
    """

    default_reason = "malformed"


class InvalidSignature(VerificationError):
    """
    The signature is well formed but no configured key produced it.

    .. versionadded:: 0.1
    """

    default_reason = "no_match"


class KeyUnavailable(VerificationError):
    """
    The key that would verify the delivery could not be obtained.

    A provider's key or certificate is fetched at run time (AWS SNS, PayPal,
    Google, Microsoft, Plaid), and the fetch failed: the server did not
    answer in time, answered with an error or a redirect, or sent more than
    the size limit.  The delivery is neither accepted nor judged forged:
    the adapters answer 503, so the provider retries later.  A key URL that
    breaks the provider's rule is not this error but
    :class:`~hooksig.MalformedSignature`: nothing is fetched for it.

    .. versionadded:: 0.1
    """

    default_reason = "key_unavailable"


class TimestampOutOfTolerance(VerificationError):
    """
    The signed timestamp lies outside the replay window.

    Attributes:
        timestamp: the signed Unix time, in seconds.
        now: the time it was checked against.

    .. versionadded:: 0.1
    """

    default_reason = "stale"

    def __init__(
        self,
        message: str,
        *,
        timestamp: float,
        now: float,
        reason: str | None = None,
        header: str | None = None,
        scheme: str | None = None,
    ) -> None:
        super().__init__(message, reason=reason, header=header, scheme=scheme)
        self.timestamp = timestamp
        self.now = now


class MalformedPayload(WebhookError, ValueError):
    """
    The body is not usable: not bytes when verifying, or not JSON in ``Delivery.json()``.

    .. versionadded:: 0.1
    """


class PayloadTooLarge(WebhookError):
    """
    The body is larger than the configured limit; it was not hashed.

    Attributes:
        limit: the limit in bytes.

    .. versionadded:: 0.1
    """

    def __init__(self, limit: int) -> None:
        super().__init__(f"body is larger than the {limit}-byte limit")
        self.limit = limit


class DuplicateDelivery(WebhookError):
    """
    This delivery id was already handled, or is being handled elsewhere.

    Attributes:
        state: ``"done"`` (answer 200, the provider can stop retrying) or
            ``"in_progress"`` (answer 409, the provider retries later): the
            two values of ``hooksig.idempotency.ClaimState`` that refuse a claim.

    .. versionadded:: 0.1
    """

    def __init__(self, state: Literal["in_progress", "done"], key: str | None = None) -> None:
        super().__init__(f"delivery already {state.replace('_', ' ')}")
        self.state: Literal["in_progress", "done"] = state
        self.key = key


class StoreUnavailable(WebhookError):
    """
    The idempotency store could not be reached.

    .. versionadded:: 0.1
    """


class RequestRefused(WebhookError):
    """
    A request was turned away before its body was read: its source, its transport or its rate.

    It says nothing about the delivery, which was never read; signature
    verification still decides every request that is let through.

    Attributes:
        reason: a stable, machine-readable code such as ``"source_not_allowed"``.
        client: the client address as hooksig read it, for the log; ``None``
            when unknown or not read.

    .. versionadded:: 0.1
    """

    default_reason = "refused"

    def __init__(
        self, message: str, *, reason: str | None = None, client: str | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason or self.default_reason
        self.client = client


class SourceNotAllowed(RequestRefused):
    """
    The client address is outside the endpoint's allowlist, or could not be told.

    .. versionadded:: 0.1
    """

    default_reason = "source_not_allowed"


class InsecureTransport(RequestRefused):
    """
    The request came over plain HTTP, and no trusted proxy says it was HTTPS.

    .. versionadded:: 0.1
    """

    default_reason = "insecure_transport"


class RateLimited(RequestRefused):
    """
    The endpoint's rate or in-flight limit is reached; the provider should retry later.

    Attributes:
        retry_after: whole seconds after which a retry may be admitted.

    .. versionadded:: 0.1
    """

    default_reason = "rate_limited"

    def __init__(
        self,
        message: str,
        *,
        retry_after: int,
        reason: str | None = None,
        client: str | None = None,
    ) -> None:
        super().__init__(message, reason=reason, client=client)
        self.retry_after = retry_after


class ProviderApiError(WebhookError):
    """
    A provider's API refused or failed a call: reconciliation, or an allowlist refresh.

    The message names the call and the status, never the token that made it.

    Attributes:
        status: the HTTP status of the answer, or ``None`` when none came.

    .. versionadded:: 0.1
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class HooksigWarning(UserWarning):
    """
    Base class of hooksig's warnings.

    .. versionadded:: 0.1
    """


class InsecureKeyWarning(HooksigWarning):
    """
    A secret is shorter than 16 bytes: it works, but it is guessable.

    .. versionadded:: 0.1
    """
