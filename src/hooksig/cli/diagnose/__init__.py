"""
``hooksig diagnose``: why a captured delivery fails, found offline by trying the known causes.

Each cause is a guess that can be checked: re-run verification on a
repaired copy of the capture (the body before a proxy re-encoded it, the
URL before TLS termination, the secret in another form, another scheme)
and see whether it verifies.  The first repair that verifies names the
cause.  Nothing here is on the verification path: only the CLI imports
this module, it only calls the public :class:`~hooksig.Verifier`, and it
never reports the secret or the expected signature.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ... import schemes
from ...errors import (
    ConfigurationError,
    HooksigWarning,
    InvalidSignature,
    MalformedSignature,
    MissingSignature,
    TimestampOutOfTolerance,
    WebhookError,
)
from ...scheme import Scheme
from ...url import PerCallUrl
from ...verifier import Verifier
from . import causes as text
from .body import body_repairs, truncation
from .causes import Cause
from .secrets import guesses, key_of
from .url import signs_url, url_repairs

__all__ = ["Case", "Cause", "Diagnosis", "diagnose"]  # Cause comes from causes


@dataclass(frozen=True)
class Diagnosis:
    """
    The outcome: verified, or the causes found (none when nothing explains it).

    Attributes:
        hint: when no cause is found for a signature that does not match, the
            likeliest one left (a key that is not this endpoint's): a guess by
            elimination, which no repair has confirmed.
    """

    verified: bool
    scheme: str
    error: str | None = None
    reason: str | None = None
    causes: tuple[Cause, ...] = ()
    checked: tuple[str, ...] = ()
    hint: Cause | None = None

    def as_json(self) -> dict[str, Any]:
        """The ``--json`` document (see docs/cli.md)."""
        return {
            "verified": self.verified,
            "scheme": self.scheme,
            "error": self.error,
            "reason": self.reason,
            "causes": [cause.as_json() for cause in self.causes],
            "checked": list(self.checked),
            "hint": None if self.hint is None else self.hint.as_json(),
        }


@dataclass(frozen=True)
class Case:
    """
    A captured delivery and the configuration that refused it.

    Attributes:
        secret: the secret as configured: ``str`` in the scheme's format, or raw ``bytes``.
        other_secrets: ``(label, secret)`` pairs to try instead (other providers', other
            environments'); the label, never the secret, appears in the result.
    """

    scheme: str
    body: bytes
    headers: tuple[tuple[str, str], ...]
    now: float
    method: str = "POST"
    url: str | None = None
    path: str | None = None
    secret: str | bytes | None = None
    public_key: str | None = None
    signing_key: str | None = None
    tolerance: float | None = None
    other_secrets: tuple[tuple[str, str], ...] = ()


def build(
    scheme: str,
    *,
    secret: str | bytes | None = None,
    public_key: str | None = None,
    signing_key: str | None = None,
    tolerance: float | None = None,
) -> Verifier | None:
    """A verifier for one guess, or ``None`` when the guess cannot be configured."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HooksigWarning)  # short guessed keys are expected
        try:
            return Verifier(
                scheme,
                secret=secret,
                public_key=public_key,
                signing_key=signing_key,
                tolerance=tolerance,
                public_url=PerCallUrl(),  # each probe passes its URL
            )
        except ConfigurationError:
            return None


def passes(verifier: Verifier | None, case: Case, **changes: Any) -> bool:
    """True when *verifier* accepts the capture with *changes* applied."""
    if verifier is None:
        return False
    probe = replace(case, **changes)
    try:
        verifier.verify(probe.body, probe.headers, url=probe.url, method=probe.method, now=case.now)
    except WebhookError:
        return False
    return True


def _keys(case: Case) -> dict[str, Any]:
    """The key options of *case*, as Verifier keywords."""
    return {"secret": case.secret, "public_key": case.public_key, "signing_key": case.signing_key}


def diagnose(case: Case) -> Diagnosis:
    """
    Verify *case*; when it fails, find the cause among the known ones.

    Raises:
        ConfigurationError: the scheme or keys of *case* cannot be configured at all.
    """
    keys = _keys(case)
    primary = Verifier(case.scheme, tolerance=case.tolerance, public_url=PerCallUrl(), **keys)
    name = primary.scheme.name
    try:
        primary.verify(case.body, case.headers, url=case.url, method=case.method, now=case.now)
    except WebhookError as exc:
        failure = exc
    else:
        return Diagnosis(True, name)
    error, reason = type(failure).__name__, getattr(failure, "reason", None)
    lenient = build(case.scheme, tolerance=math.inf, **keys)
    if isinstance(failure, TimestampOutOfTolerance):
        return Diagnosis(False, name, error, reason, (_clock(primary, failure),), ("signature",))
    checked: list[str] = []
    finders: list[tuple[str, Callable[[], Iterator[tuple[Case, Cause]]]]] = [
        ("url", lambda: _urls(case, lenient)),
        ("body", lambda: _bodies(case, lenient)),
        ("truncation", lambda: _truncation(case)),
        ("secret_forms", lambda: _secret_forms(case, primary)),
        ("other_secrets", lambda: _other_secrets(case)),
        ("schemes", lambda: _other_schemes(case, primary, failure)),
    ]
    if isinstance(failure, (MissingSignature, MalformedSignature)):
        finders.insert(0, finders.pop())  # the headers may be another provider's: schemes first
    for label, finder in finders:
        checked.append(label)
        for repaired, cause in finder():
            found = (cause, *_freshness(repaired))
            return Diagnosis(False, name, error, reason, found, tuple(checked))
    last = text.header_cause(failure)
    if isinstance(failure, ConfigurationError) and signs_url(primary.scheme):
        last = text.url_not_configured(None)
    causes = () if last is None else (last,)
    hint = None
    if isinstance(failure, InvalidSignature):
        hint = text.key_probably_wrong(case.public_key is not None)
    return Diagnosis(False, name, error, reason, causes, tuple(checked), hint)


def _urls(case: Case, lenient: Verifier | None) -> Iterator[tuple[Case, Cause]]:
    """URL repairs, for schemes that sign the URL."""
    if lenient is None or not signs_url(lenient.scheme):
        return
    check = lambda url: passes(lenient, case, url=url)  # noqa: E731
    for url, cause in url_repairs(case.url, case.path, case.headers, check):
        yield replace(case, url=url), cause


def _bodies(case: Case, lenient: Verifier | None) -> Iterator[tuple[Case, Cause]]:
    """Body repairs: line ends, BOM, newline, JSON re-serialisation."""
    check = lambda body: passes(lenient, case, body=body)  # noqa: E731
    for body, cause in body_repairs(case.body, case.headers, check):
        yield replace(case, body=body), cause


def _truncation(case: Case) -> Iterator[tuple[Case, Cause]]:
    """A cut body, which no repair can verify."""
    cause = truncation(case.body, case.headers)
    if cause is not None:
        yield case, cause


def _freshness(repaired: Case) -> list[Cause]:
    """The clock cause too, when the repaired delivery is authentic but not fresh."""
    verifier = build(
        repaired.scheme,
        secret=repaired.secret,
        public_key=repaired.public_key,
        signing_key=repaired.signing_key,
        tolerance=repaired.tolerance,
    )
    if verifier is None:
        return []
    try:
        verifier.verify(
            repaired.body,
            repaired.headers,
            url=repaired.url,
            method=repaired.method,
            now=repaired.now,
        )
    except TimestampOutOfTolerance as exc:
        return [_clock(verifier, exc)]
    except WebhookError:
        return []
    return []


def _clock(verifier: Verifier, exc: TimestampOutOfTolerance) -> Cause:
    """Milliseconds for seconds (or the reverse), else clock skew, from the signed time."""
    unit = verifier.scheme.info.timestamp_unit or "s"
    bound = verifier.scheme.default_tolerance or 300.0
    if unit == "s" and abs(exc.timestamp / 1000 - exc.now) <= bound:
        return text.milliseconds(exc.timestamp, exc.now)
    if unit == "ms" and abs(exc.timestamp * 1000 - exc.now) <= bound:
        return text.seconds(exc.timestamp, exc.now)
    return text.clock_skew(exc.timestamp, exc.now)


# -- secrets -----------------------------------------------------------------------------


def _secret_forms(case: Case, primary: Verifier) -> Iterator[tuple[Case, Cause]]:
    """The configured secret read another way."""
    if not isinstance(case.secret, str):
        return
    secret_format = primary.scheme.info.secret_format
    if secret_format is None:
        return
    seen = {key_of(case.secret, secret_format)}
    for value, cause in guesses(case.secret, secret_format):
        key = key_of(value, secret_format)
        if key is None or key in seen:
            continue
        seen.add(key)
        if passes(build(case.scheme, secret=key, tolerance=math.inf), case):
            yield replace(case, secret=key), cause


def _other_secrets(case: Case) -> Iterator[tuple[Case, Cause]]:
    """The secrets given with --try-secret-env/--try-secret-file."""
    for label, secret in case.other_secrets:
        if passes(build(case.scheme, secret=secret, tolerance=math.inf), case):
            yield replace(case, secret=secret), text.wrong_secret(label)


def _distinct_schemes(primary: str) -> Sequence[str]:
    """Every registered scheme but *primary*, aliases folded, canonical names first."""
    seen: set[int] = set()
    found: list[str] = []
    # Canonical names first, so an alias (svix) is reported by its scheme's name.
    names = schemes.names()
    ordered = [n for n in names if schemes.get(n).name == n] + names
    for name in ordered:
        scheme = schemes.get(name)
        if id(scheme) in seen:
            continue
        seen.add(id(scheme))
        if scheme.name != primary:
            found.append(name)
    return found


#: How strong each algorithm is, for telling a downgrade from another provider.
_STRENGTH = {"sha1": 1, "sha256": 2, "sha512": 3}


def _strength(scheme: Scheme) -> int:
    """How strong the hash *scheme* signs with is; public-key schemes count as SHA-256."""
    return _STRENGTH.get(scheme.info.algorithm, 2)


def _other_schemes(
    case: Case, primary: Verifier, failure: WebhookError
) -> Iterator[tuple[Case, Cause]]:
    """
    Every other scheme, with each key given.

    A scheme that verifies only with a weaker hash is not advice to follow:
    switching to it would accept the downgrade the configured scheme refuses
    (GitHub's legacy SHA-1 header, for one).  It is named only when no
    scheme as strong verifies, and as a signature the capture lacks.
    """
    none: dict[str, Any] = {"secret": None, "public_key": None, "signing_key": None}
    keys = [{**none, kind: value} for kind, value in _keys(case).items() if value is not None]
    weaker: tuple[Case, Cause] | None = None
    for name in _distinct_schemes(primary.scheme.name):
        for key in keys:
            verifier = build(name, tolerance=math.inf, **key)
            if not passes(verifier, case):
                continue
            repaired = replace(case, scheme=name, **key)
            assert verifier is not None  # noqa: S101 - passes() is False for None
            if _strength(verifier.scheme) >= _strength(primary.scheme):
                yield repaired, text.wrong_scheme(name, primary.scheme.name)
                return
            if weaker is None:
                weaker = repaired, _legacy(primary, verifier, failure)
    if weaker is not None:
        yield weaker


def _legacy(primary: Verifier, other: Verifier, failure: WebhookError) -> Cause:
    """The capture carries only a weaker signature, which *other* verifies."""
    return text.legacy_signature_only(
        scheme=primary.scheme.name,
        wanted=getattr(failure, "header", None) or _first(primary.scheme),
        algorithm=primary.scheme.info.algorithm,
        present=_first(other.scheme),
        weaker=other.scheme.info.algorithm,
        verifies_with=other.scheme.name,
    )


def _first(scheme: Scheme) -> str:
    """The first signature header a scheme reads."""
    return next(iter(scheme.info.signature_headers), "")
