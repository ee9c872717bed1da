"""
Verifier.verify_async and handshake_async: a key fetch is awaited, never run on the event loop.

A scheme with ``resolve_keys_async`` has it awaited (the KeySource's
``fetch_async``, else its blocking fetch in a worker thread); a scheme with
only ``resolve_keys`` has that run in a worker thread; every other scheme
verifies as ``verify`` does.  Errors are the same, tagged with the scheme.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from typing import Any

import pytest

import hooksig
from hooksig import (
    ConfigurationError,
    InvalidSignature,
    KeyRing,
    KeyUnavailable,
    MalformedPayload,
    PayloadTooLarge,
    TimestampOutOfTolerance,
    Verifier,
)
from hooksig.keysource import KeyRequest, KeySource
from hooksig.scheme import HmacScheme
from tests.schemes.fetching import Recorder, certificate, dumps
from tests.schemes.test_aws_sns import CONFIRMATION, KEY, NOTIFICATION, NOW, URL, _signed

SECRET = "verify-async-secret-0123456789ab"


def _run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


class AsyncRecorder(Recorder):
    """A recorder that also serves as fetch_async, noting which thread each call ran on."""

    threads: list[int]

    def __init__(self, documents: dict[str, bytes]) -> None:
        super().__init__(documents)
        self.threads = []

    def __call__(self, request: KeyRequest) -> bytes:
        self.threads.append(threading.get_ident())
        return super().__call__(request)

    async def fetch_async(self, request: KeyRequest) -> bytes:
        await asyncio.sleep(0)
        return self(request)


def _sns(source: KeySource, **settings: Any) -> Verifier:
    scheme = hooksig.schemes.configure("aws-sns", **settings) if settings else "aws-sns"
    return Verifier(scheme, public_key=source)


def test_a_scheme_without_fetched_keys_verifies_as_verify_does() -> None:
    """The compiled route and the general one: same delivery, same errors, same scheme tag."""
    verifier = Verifier("github", secret=SECRET)
    body = b'{"zen": "async"}'
    headers = verifier.sign(body)
    assert _run(verifier.verify_async(body, headers)) == verifier.verify(body, headers)
    with pytest.raises(InvalidSignature) as caught:
        _run(verifier.verify_async(body + b" ", headers))
    assert caught.value.scheme == "github"


def test_the_async_fetch_is_awaited_and_the_blocking_one_never_called() -> None:
    """fetch_async serves the certificate; the blocking fetch is not used at all."""
    recorder = AsyncRecorder({URL: certificate(KEY)})
    source = KeySource(fetch=None, fetch_async=recorder.fetch_async)
    verifier = _sns(source)
    delivery = _run(verifier.verify_async(dumps(_signed(NOTIFICATION)), {}, now=NOW))
    assert delivery.id == NOTIFICATION["MessageId"]
    assert [call.url for call in recorder.calls] == [URL]
    # verify() has no blocking fetch to use: a certificate not cached yet is unavailable.
    elsewhere = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-other.pem"
    with pytest.raises(KeyUnavailable):
        verifier.verify(dumps(_signed(NOTIFICATION, url=elsewhere)), {}, now=NOW)


def test_a_blocking_fetch_runs_off_the_event_loop_thread() -> None:
    """With only the standard fetch, keys_async runs it in a worker thread."""
    recorder = AsyncRecorder({URL: certificate(KEY)})
    verifier = _sns(KeySource(fetch=recorder))

    async def main() -> tuple[hooksig.Delivery, int]:
        found = await verifier.verify_async(dumps(_signed(NOTIFICATION)), {}, now=NOW)
        return found, threading.get_ident()

    delivery, loop_thread = _run(main())
    assert delivery.scheme == "aws-sns"
    assert recorder.threads
    assert loop_thread not in recorder.threads


def test_hostile_deliveries_fetch_nothing_asynchronously_either() -> None:
    """Stale, off-rule, malformed: the same typed errors as verify(), and no fetch."""
    recorder = AsyncRecorder({URL: certificate(KEY)})
    verifier = _sns(KeySource(fetch=recorder, fetch_async=recorder.fetch_async))
    stale = dumps(_signed(NOTIFICATION))
    with pytest.raises(TimestampOutOfTolerance) as caught:
        _run(verifier.verify_async(stale, {}, now=NOW + 7200))
    assert caught.value.scheme == "aws-sns"
    off_rule = dumps(_signed(NOTIFICATION, url="https://evil.example/x.pem"))
    with pytest.raises(hooksig.MalformedSignature):
        _run(verifier.verify_async(off_rule, {}, now=NOW))
    with pytest.raises(MalformedPayload):
        _run(verifier.verify_async("text", {}, now=NOW))  # type: ignore[arg-type]
    with pytest.raises(PayloadTooLarge):
        _run(Verifier("aws-sns", max_body_size=8).verify_async(stale, {}, now=NOW))
    assert recorder.calls == []
    assert _run(verifier.verify_async(bytearray(stale), {}, now=NOW)).key_id is not None


@dataclasses.dataclass(frozen=True)
class Resolving(HmacScheme):
    """An HMAC scheme whose keys come from ``resolve_keys`` only (no coroutine form)."""

    def resolve_keys(self, parsed: Any, request: Any, keys: KeyRing) -> KeyRing:
        THREADS.append(threading.get_ident())
        return keys


THREADS: list[int] = []


def test_a_synchronous_resolve_keys_runs_in_a_worker_thread() -> None:
    """A third-party scheme with only resolve_keys: verify_async moves it off the loop."""
    base = hooksig.schemes.get("github")
    fields = {f.name: getattr(base, f.name) for f in dataclasses.fields(base) if f.init}
    verifier = Verifier(Resolving(**fields), secret=SECRET)
    body = b"{}"
    headers = verifier.sign(body)
    THREADS.clear()

    async def main() -> int:
        await verifier.verify_async(body, headers)
        return threading.get_ident()

    loop_thread = _run(main())
    assert len(THREADS) == 1
    assert THREADS[0] != loop_thread
    assert verifier.verify(body, headers).key_id == "0"
    assert THREADS[1] == threading.get_ident()  # verify() resolves on the caller's thread


def test_the_sns_confirmation_is_visited_asynchronously() -> None:
    """handshake_async awaits the SubscribeURL visit (fetch_async), under the same rule."""
    recorder = AsyncRecorder({URL: certificate(KEY), CONFIRMATION["SubscribeURL"]: b"<ok/>"})
    source = KeySource(fetch=None, fetch_async=recorder.fetch_async)
    verifier = _sns(source, confirm_subscriptions=True)

    async def main() -> Any:
        delivery = await verifier.verify_async(dumps(_signed(CONFIRMATION)), {}, now=NOW)
        return await verifier.handshake_async(delivery)

    answer = _run(main())
    assert answer is not None
    assert answer.body == b"subscription confirmed"
    assert [call.url for call in recorder.calls] == [URL, CONFIRMATION["SubscribeURL"]]
    hostile = {**CONFIRMATION, "SubscribeURL": "https://evil.example/?Action=ConfirmSubscription"}
    delivery = verifier.verify(dumps(_signed(hostile)), {}, now=NOW)
    with pytest.raises(hooksig.MalformedSignature):
        _run(verifier.handshake_async(delivery))
    assert len(recorder.calls) == 2


def test_handshake_async_without_a_visit() -> None:
    """Schemes whose handshake computes its answer: the same as handshake(); checks the scheme."""
    unconfirmed = _sns(KeySource(fetch=Recorder({URL: certificate(KEY)})))
    delivery = unconfirmed.verify(dumps(_signed(CONFIRMATION)), {}, now=NOW)
    assert _run(unconfirmed.handshake_async(delivery)) is None
    notification = unconfirmed.verify(dumps(_signed(NOTIFICATION)), {}, now=NOW)
    confirming = _sns(
        KeySource(fetch=Recorder({URL: certificate(KEY)})), confirm_subscriptions=True
    )
    assert _run(confirming.handshake_async(notification)) is None
    slack = Verifier("slack", secret=SECRET)
    body = b'{"type": "url_verification", "challenge": "c-1"}'
    answer = _run(slack.handshake_async(slack.verify(body, slack.sign(body))))
    assert answer is not None
    assert answer.body == b"c-1"
    github = Verifier("github", secret=SECRET)
    with pytest.raises(ConfigurationError):
        _run(confirming.handshake_async(github.verify(b"{}", github.sign(b"{}"))))
    scheme = hooksig.schemes.configure("aws-sns", confirm_subscriptions=True)
    confirmation = confirming.verify(dumps(_signed(CONFIRMATION)), {}, now=NOW)
    assert _run(scheme.handshake_async(confirmation, KeyRing((), None))) is None  # no source
