"""
AWS SNS: genuine messages with the genuine certificate fetched over real HTTPS, and hostile ones.

The published vectors (tests/vectors/providers/official/aws-sns.json) run in
test_official_vectors.py; here the certificate is fetched, the host rule is
enforced with nothing sent, and the subscription handshake visits only SNS.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

import hooksig
from hooksig import (
    ConfigurationError,
    InvalidSignature,
    KeyUnavailable,
    MalformedSignature,
    MissingSignature,
    TimestampOutOfTolerance,
    Verifier,
)
from hooksig._primitives import crypto
from hooksig.keysource import KeySource, UrlRule
from hooksig.schemes import aws_sns
from tests.keyserver import KeyServer, Route, key_server
from tests.schemes.fetching import RSA_PEM, Recorder, b64, certificate, dumps, private
from tests.vectors import load_vectors

GENUINE = load_vectors("providers/official/aws-sns.json")
URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem"
KEY = private(RSA_PEM)


def _when(message: dict[str, Any]) -> float:
    return dt.datetime.fromisoformat(message["Timestamp"].replace("Z", "+00:00")).timestamp()


def _signed(fields: dict[str, str], *, version: str = "2", url: str = URL) -> dict[str, str]:
    """A message signed by the test key, as SNS signs it."""
    message = {**fields, "SignatureVersion": version, "SigningCertURL": url}
    digest = "sha1" if version == "1" else "sha256"
    signature = crypto.rsa_sign(KEY, aws_sns.string_to_sign(message), digest)
    return {**message, "Signature": b64(signature)}


NOTIFICATION = {
    "Type": "Notification",
    "MessageId": "c2b8b0b8-1111-4e2b-9d3c-000000000001",
    "TopicArn": "arn:aws:sns:us-east-1:123456789012:orders",
    "Message": '{"order": 1}',
    "Timestamp": "2023-11-14T22:13:20.000Z",
}
NOW = 1_700_000_000


@pytest.fixture(scope="module")
def server() -> Iterator[KeyServer]:
    """A real HTTPS server standing in for sns.<region>.amazonaws.com."""
    with key_server() as running:
        yield running


def _verifier(recorder: Recorder, **settings: Any) -> Verifier:
    scheme = hooksig.schemes.configure("aws-sns", **settings) if settings else "aws-sns"
    return Verifier(scheme, public_key=recorder.source())


def test_genuine_messages_verify_with_the_certificate_fetched_over_https(server: KeyServer) -> None:
    """The genuine messages verify with the genuine certificate served over TLS, fetched once."""
    vector = GENUINE[0]
    ((_url, cert),) = vector["public_key"].items()
    server.routes["/SimpleNotificationService-genuine.pem"] = Route(cert.encode())
    rule = server.rule(path=r"/[A-Za-z0-9._\-]+\.pem")  # for this test only: the local server
    scheme = hooksig.schemes.configure("aws-sns", key_rule=rule)
    verifier = Verifier(scheme, public_key=KeySource(fetch=server.fetch()))
    for entry in GENUINE:
        message = json.loads(entry["body"])
        name = "SigningCertURL" if "SigningCertURL" in message else "SigningCertUrl"
        # SigningCertURL is not signed: point it at the local server.
        message[name] = server.url("/SimpleNotificationService-genuine.pem")
        delivery = verifier.verify(dumps(message), {}, now=_when(message) + 60)
        assert delivery.id == message["MessageId"]
    assert len(server.seen) == 1, "the certificate is fetched once, then cached"


@pytest.mark.parametrize(
    "url",
    [
        "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem",
        "https://sns.us-east-1.amazonaws.com.evil.com/SimpleNotificationService-test.pem",
        "https://s3.amazonaws.com/SimpleNotificationService-test.pem",
        "https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-test.pem",
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.txt",
        "https://sns.us-east-1.amazonaws.com/a/../x.pem?x=.pem",
        "https://sns.us-east-1.amazonaws.com/x.pem?x=1",
        "https://user@sns.us-east-1.amazonaws.com/x.pem",
        "https://sns.x.amazonaws.com/x.pem",
        "https://127.0.0.1/x.pem",
    ],
)
def test_a_certificate_url_off_the_sns_rule_is_never_fetched(url: str) -> None:
    """django-ses #284, novu #11056: a crafted SigningCertURL is refused with no request sent."""
    recorder = Recorder()
    with pytest.raises(MalformedSignature) as info:
        _verifier(recorder).verify(dumps(_signed(NOTIFICATION, url=url)), {}, now=NOW)
    assert info.value.reason == "key_url_refused"
    assert recorder.calls == []


def test_a_redirect_and_an_oversized_certificate_are_refused(server: KeyServer) -> None:
    """From the provider's own host, a redirect is not followed and a huge document not read."""
    server.seen.clear()
    server.routes["/moved.pem"] = Route(b"", status=301, headers={"Location": server.url("/x.pem")})
    server.routes["/huge.pem"] = Route(b"A" * 100_000)
    scheme = hooksig.schemes.configure("aws-sns", key_rule=server.rule(path=r"/[a-z]+\.pem"))
    verifier = Verifier(scheme, public_key=KeySource(fetch=server.fetch(max_bytes=16_384)))
    for path, reason in (("/moved.pem", "key_redirect_refused"), ("/huge.pem", "key_too_large")):
        with pytest.raises(KeyUnavailable) as info:
            verifier.verify(dumps(_signed(NOTIFICATION, url=server.url(path))), {}, now=NOW)
        assert info.value.reason == reason
    assert [seen.path for seen in server.seen] == ["/moved.pem", "/huge.pem"]


@pytest.mark.parametrize(
    ("validity", "reason"),
    [((0, NOW - 1), "certificate_expired"), ((NOW + 10, NOW + 100), "certificate_not_yet_valid")],
)
def test_certificate_dates_are_judged_at_the_verifiers_time(
    validity: tuple[float, float], reason: str
) -> None:
    """An expired or not-yet-valid certificate is refused, whatever the signature."""
    cert = certificate(KEY, not_before=validity[0], not_after=validity[1])
    verifier = Verifier("aws-sns", public_key={URL: cert})
    with pytest.raises(InvalidSignature) as info:
        verifier.verify(dumps(_signed(NOTIFICATION)), {}, now=NOW)
    assert info.value.reason == reason


def test_a_replayed_message_is_refused_before_any_fetch() -> None:
    """A message older than the window (3,600 s) is stale: no certificate is fetched for it."""
    recorder = Recorder({URL: certificate(KEY)})
    verifier = _verifier(recorder)
    assert verifier.verify(dumps(_signed(NOTIFICATION)), {}, now=NOW + 3600).key_id == URL
    recorder.calls.clear()
    fresh = KeySource(fetch=recorder)
    with pytest.raises(TimestampOutOfTolerance):
        Verifier("aws-sns", public_key=fresh).verify(
            dumps(_signed(NOTIFICATION)), {}, now=NOW + 3601
        )
    assert recorder.calls == []


@pytest.mark.parametrize("field", ["MessageId", "Timestamp", "TopicArn", "Message", "Type"])
def test_a_missing_signed_field_is_named(field: str) -> None:
    """A field SNS signs that is absent: MalformedSignature naming it, nothing fetched."""
    recorder = Recorder()
    message = _signed(NOTIFICATION)
    del message[field]
    with pytest.raises(MalformedSignature) as info:
        _verifier(recorder).verify(dumps(message), {}, now=NOW)
    assert info.value.reason in ("missing_field", "bad_field")
    assert info.value.header == f"body.{field}"
    assert recorder.calls == []


@pytest.mark.parametrize("field", ["Signature", "SigningCertURL", "SignatureVersion"])
def test_a_missing_signature_field_is_missing_signature(field: str) -> None:
    """Without its signature, URL or version, a message is MissingSignature."""
    message = _signed(NOTIFICATION)
    del message[field]
    with pytest.raises(MissingSignature):
        _verifier(Recorder()).verify(dumps(message), {}, now=NOW)


def test_versions_are_configuration() -> None:
    """Version 3 is refused; version 1 (SHA-1) is refused once the topics are set to version 2."""
    recorder = Recorder({URL: certificate(KEY)})
    with pytest.raises(MalformedSignature) as info:
        _verifier(recorder).verify(dumps(_signed(NOTIFICATION, version="3")), {}, now=NOW)
    assert info.value.reason == "unsupported_version"
    v1 = dumps(_signed(NOTIFICATION, version="1"))
    assert _verifier(recorder).verify(v1, {}, now=NOW).id == NOTIFICATION["MessageId"]
    with pytest.raises(MalformedSignature):
        _verifier(recorder, signature_versions=("2",)).verify(v1, {}, now=NOW)
    with pytest.raises(ConfigurationError):
        hooksig.schemes.configure("aws-sns", signature_versions=("3",))


def test_a_sha1_signature_cannot_pass_as_sha256() -> None:
    """The version says which hash: a v1 signature relabelled v2 fails (and the reverse)."""
    recorder = Recorder({URL: certificate(KEY)})
    message = _signed(NOTIFICATION, version="1")
    message["SignatureVersion"] = "2"
    with pytest.raises(InvalidSignature):
        _verifier(recorder).verify(dumps(message), {}, now=NOW)


def test_topics_refuse_an_unexpected_topic_before_any_fetch() -> None:
    """topics= is AWS's advice: another topic's genuine message is refused, nothing fetched."""
    recorder = Recorder({URL: certificate(KEY)})
    verifier = _verifier(recorder, topics=("arn:aws:sns:us-east-1:123456789012:other",))
    with pytest.raises(InvalidSignature) as info:
        verifier.verify(dumps(_signed(NOTIFICATION)), {}, now=NOW)
    assert info.value.reason == "unexpected_topic"
    assert recorder.calls == []


def test_both_spellings_of_a_field_are_ambiguous() -> None:
    """SigningCertURL and SigningCertUrl together: refused, not one picked."""
    message = {**_signed(NOTIFICATION), "SigningCertUrl": URL}
    with pytest.raises(MalformedSignature):
        _verifier(Recorder()).verify(dumps(message), {}, now=NOW)


@pytest.mark.parametrize(
    "body", [b"[]", b"not json", b'{"Type": "Notification"', b'{"a": 1, "a": 2}']
)
def test_bodies_that_are_not_messages(body: bytes) -> None:
    """Anything but a JSON object is MalformedSignature."""
    with pytest.raises(MalformedSignature):
        _verifier(Recorder()).verify(body, {}, now=NOW)


CONFIRMATION = {
    "Type": "SubscriptionConfirmation",
    "MessageId": "c2b8b0b8-1111-4e2b-9d3c-000000000002",
    "Token": "2336412f37fb687f5d51e6e2425f004aed7f0f5e",
    "TopicArn": "arn:aws:sns:us-east-1:123456789012:orders",
    "Message": "You have chosen to subscribe to the topic.",
    "SubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:123456789012:orders&Token=2336412f",
    "Timestamp": "2023-11-14T22:13:20.000Z",
}


def test_string_to_sign_per_type() -> None:
    """Confirmations sign SubscribeURL and Token; a notification signs Subject only when present."""
    confirmation = aws_sns.string_to_sign(CONFIRMATION).decode()
    assert confirmation.split("\n")[::2] == [
        "Message",
        "MessageId",
        "SubscribeURL",
        "Timestamp",
        "Token",
        "TopicArn",
        "Type",
        "",
    ]
    unsubscribe = aws_sns.string_to_sign({**CONFIRMATION, "Type": "UnsubscribeConfirmation"})
    assert b"Token\n" in unsubscribe
    with_subject = aws_sns.string_to_sign({**NOTIFICATION, "Subject": "Hi"}).decode()
    assert "Subject\nHi\n" in with_subject
    assert "Subject" not in aws_sns.string_to_sign({**NOTIFICATION, "Subject": None}).decode()
    with pytest.raises(MalformedSignature):
        aws_sns.string_to_sign({**NOTIFICATION, "Type": "Other"})


def test_subscription_is_confirmed_after_verification_on_the_sns_host_only() -> None:
    """confirm_subscriptions: the verified confirmation's SubscribeURL is visited, by rule."""
    recorder = Recorder({URL: certificate(KEY), CONFIRMATION["SubscribeURL"]: b"<ok/>"})
    verifier = _verifier(recorder, confirm_subscriptions=True)
    delivery = verifier.verify(dumps(_signed(CONFIRMATION)), {}, now=NOW)
    answer = verifier.handshake(delivery)
    assert answer is not None
    assert answer.status == 200
    assert [call.url for call in recorder.calls] == [URL, CONFIRMATION["SubscribeURL"]]
    # A notification is no handshake; an unconfigured scheme confirms nothing.
    assert verifier.handshake(verifier.verify(dumps(_signed(NOTIFICATION)), {}, now=NOW)) is None
    assert (
        _verifier(recorder).handshake(
            _verifier(recorder).verify(dumps(_signed(CONFIRMATION)), {}, now=NOW)
        )
        is None
    )


def test_a_subscribe_url_off_the_rule_is_not_visited() -> None:
    """A signed confirmation whose SubscribeURL leaves SNS is refused, nothing visited."""
    hostile = {
        **CONFIRMATION,
        "SubscribeURL": "https://evil.example/?Action=ConfirmSubscription&x=1",
    }
    recorder = Recorder({URL: certificate(KEY)})
    verifier = _verifier(recorder, confirm_subscriptions=True)
    delivery = verifier.verify(dumps(_signed(hostile)), {}, now=NOW)
    with pytest.raises(MalformedSignature):
        verifier.handshake(delivery)
    assert [call.url for call in recorder.calls] == [URL]


def test_signing_for_tests_round_trips() -> None:
    """sign() with signing_key= makes a message (fields as body.*) the same key verifies."""
    verifier = Verifier("aws-sns", signing_key=RSA_PEM)
    body, headers = verifier.signed_request(dumps({"Message": "hi"}), timestamp=NOW, id="m-1")
    assert headers == {}
    delivery = verifier.verify(body, {}, now=NOW)
    assert delivery.id == "m-1"
    assert json.loads(body)["Message"] == "hi"
    assert delivery.key_id == aws_sns.TEST_CERTIFICATE_URL


def test_the_rule_is_replaceable_for_tests_only() -> None:
    """key_rule is a setting (documented for test servers and mirrors); the default is SNS's."""
    assert hooksig.schemes.get("aws-sns").key_rule == aws_sns.CERTIFICATE_RULE
    custom = hooksig.schemes.configure("aws-sns", key_rule=UrlRule(host=r"127\.0\.0\.1"))
    assert custom.name == "aws-sns"
    assert dataclasses.replace(custom).key_rule.host == r"127\.0\.0\.1"


def test_signing_for_tests_takes_any_body() -> None:
    """A body that is not a JSON object still signs, as a default notification, and verifies."""
    verifier = Verifier("aws-sns", signing_key=RSA_PEM)
    for given in (b"not json", b"[1, 2]"):
        body, headers = verifier.signed_request(given, timestamp=NOW, id="m-2")
        assert verifier.verify(body, headers, now=NOW).id == "m-2"
