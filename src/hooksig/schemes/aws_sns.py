"""
AWS SNS: RSA over the message's fields, with the certificate its ``SigningCertURL`` names.

Sources: https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
(awsdocs/amazon-sns-developer-guide@32e7b11 ``doc_source/sns-verify-signature-of-message.md``),
and AWS's validators aws/aws-php-sns-message-validator@01f1049 (``src/MessageValidator.php``,
``src/Message.php``) and aws/aws-js-sns-message-validator@a6ba4d6 (``index.js``).

Recipe: the body is a JSON message.  For each field the message's type signs,
in this order and only when present, append ``name\\nvalue\\n``:

- ``Notification``: ``Message``, ``MessageId``, ``Subject``, ``Timestamp``, ``TopicArn``, ``Type``;
- ``SubscriptionConfirmation`` and ``UnsubscribeConfirmation``: ``Message``,
  ``MessageId``, ``SubscribeURL``, ``Timestamp``, ``Token``, ``TopicArn``, ``Type``.

``Signature`` is the base64 RSA PKCS #1 v1.5 signature of that string, with
SHA-1 when ``SignatureVersion`` is ``"1"`` (topics default to it) and SHA-256
when ``"2"``; any other version is refused.  A Lambda-style record's
``SigningCertUrl``/``SubscribeUrl`` spellings and ``"Subject": null`` are read as
AWS's validators read them.  AWS's JS validator leaves ``Token`` out of an
``UnsubscribeConfirmation``; AWS's guide includes it, and so does hooksig (no
signed vector settles it: UNCONFIRMED).

The certificate is fetched from ``SigningCertURL`` only when that URL is
``https://sns.<region>.amazonaws.com[.cn]/<name>.pem`` (the validators' host
pattern, read strictly: no port, no query, no user information), with no
redirect, a timeout and a size cap, and cached; its validity dates are
checked against the verifier's clock.  Neither AWS validator checks the
certificate's chain, and neither does hooksig: the host rule and TLS are the
trust.  Set ``topics=`` to refuse messages from topics you did not expect,
as AWS advises, before any certificate is fetched.

Replay: ``Timestamp`` is signed; SNS retries an HTTP/S delivery for at most
3,600 seconds in all (https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html),
so that is the window.  ``MessageId`` stays the same across retries: it is
``Delivery.id``.

Handshake: a ``SubscriptionConfirmation`` is a signed message.  With
``confirm_subscriptions=True``, :meth:`hooksig.Verifier.handshake` visits its
``SubscribeURL`` after verification, only on the SNS host under the same
rule, and answers 200; otherwise your handler sees it as a delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hooksig.errors import ConfigurationError, InvalidSignature, MalformedSignature
from hooksig.keysource import KeyRequest, KeySource, UrlRule
from hooksig.scheme import BodyField, Evidence
from hooksig.scheme.fields import json_document, pick
from hooksig.scheme.formats import check_id, format_rfc3339, parse_rfc3339
from hooksig.scheme.handshake import Handshake, HandshakeResponse
from hooksig.scheme.units import TEST_VALIDITY, ParsedUnits, Unit, UnitScheme

_SNS_HOST = r"sns\.[a-zA-Z0-9\-]{3,}\.amazonaws\.com(\.cn)?"
CERTIFICATE_RULE = UrlRule(host=_SNS_HOST, path=r"/[A-Za-z0-9._\-]+\.pem")
SUBSCRIBE_RULE = UrlRule(host=_SNS_HOST, path="/", query=r"Action=ConfirmSubscription&[!-~]*")
TEST_CERTIFICATE_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-hooksig.pem"

_SIGNED = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": (
        *("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"),
    ),
}
_SIGNED["UnsubscribeConfirmation"] = _SIGNED["SubscriptionConfirmation"]
_DIGESTS = {"1": "sha1", "2": "sha256"}
#: Lambda-style records spell these names differently; both spellings at once are refused.
_SPELLINGS = {"SigningCertURL": "SigningCertUrl", "SubscribeURL": "SubscribeUrl"}


def _field(message: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    other = _SPELLINGS.get(name)
    if other is not None and message.get(other) is not None:
        if message.get(name) is not None:
            raise MalformedSignature(
                f"fields {name} and {other} are both present", reason="bad_field", header=name
            )
        name = other
    return pick(message, name, required=required, signature=name.startswith("Signing"))


def string_to_sign(message: dict[str, Any]) -> bytes:
    """The bytes SNS signs for *message*, by its ``Type``."""
    kind = _field(message, "Type")
    names = _SIGNED.get(kind or "")
    if names is None:
        raise MalformedSignature("field body.Type is not an SNS message type", reason="bad_field")
    lines = []
    for name in names:
        value = _field(message, name, required=name != "Subject")
        if value is not None:
            lines.append(f"{name}\n{value}\n")
    return "".join(lines).encode("utf-8")


@dataclass(frozen=True, kw_only=True)
class SnsScheme(UnitScheme):
    """
    AWS SNS messages; settings beyond :class:`~hooksig.scheme.units.UnitScheme`'s.

    Args:
        signature_versions: the ``SignatureVersion`` values accepted (``"1"``
            is SHA-1); ``("2",)`` once your topics are set to version 2.
        topics: the topic ARNs you expect; empty accepts any.
        confirm_subscriptions: visit ``SubscribeURL`` for a verified
            ``SubscriptionConfirmation`` (:meth:`hooksig.Verifier.handshake`).
        subscribe_rule: the URLs a confirmation may visit.

    .. versionadded:: 0.1
    """

    signature_versions: tuple[str, ...] = ("1", "2")
    topics: tuple[str, ...] = ()
    confirm_subscriptions: bool = False
    subscribe_rule: UrlRule = SUBSCRIBE_RULE

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.signature_versions or set(self.signature_versions) - set(_DIGESTS):
            raise ConfigurationError('signature_versions holds "1" and/or "2"')

    def _units(self, request: Any) -> ParsedUnits:
        message = json_document(request.body)
        if not isinstance(message, dict):
            raise MalformedSignature("the body is not an SNS message", reason="bad_body")
        version = pick(message, "SignatureVersion", signature=True)
        if version not in self.signature_versions:
            raise MalformedSignature(
                "the SignatureVersion is not accepted",
                reason="unsupported_version",
                header="body.SignatureVersion",
            )
        signature = self._decode(
            pick(message, "Signature", signature=True) or "", "base64", "body.Signature"
        )
        url = _field(message, "SigningCertURL")
        assert self.key_rule is not None  # noqa: S101 - a certificate scheme
        self.key_rule.check(url, "body.SigningCertURL")
        topic = pick(message, "TopicArn") or ""
        if self.topics and topic not in self.topics:
            raise InvalidSignature(
                "the message is from a topic not configured",
                reason="unexpected_topic",
                header="body.TopicArn",
            )
        content = string_to_sign(message)
        stamp = pick(message, "Timestamp") or ""
        unit = Unit((content,), (signature,), "body.Signature", _DIGESTS[version], url)
        return ParsedUnits(
            candidates=(("", signature),),
            timestamp=parse_rfc3339(stamp, "body.Timestamp"),
            timestamp_text=stamp,
            id=check_id(pick(message, "MessageId") or "", "body.MessageId", ""),
            header="body.Signature",
            units=(unit,),
        )

    def _test_certificates(self, private_key: Any) -> tuple[KeySource, list[Any]]:
        from hooksig.scheme import certificates as x509

        certificate = x509.issue_certificate(
            private_key,
            private_key,
            subject="sns.amazonaws.com",
            not_before=TEST_VALIDITY[0],
            not_after=TEST_VALIDITY[1],
        )
        documents = {TEST_CERTIFICATE_URL: x509.pem(certificate)}
        return KeySource(documents=documents, fetch=None), []

    def _sign_units(
        self, keys: Any, request: Any, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        import base64
        import json
        import uuid

        try:
            given = json.loads(request.body)
        except ValueError:
            given = None
        message = {
            "Type": "Notification",
            "MessageId": id or str(uuid.uuid4()),
            "TopicArn": "arn:aws:sns:us-east-1:123456789012:hooksig-test",
            "Message": "hooksig test message",
            "Timestamp": format_rfc3339(timestamp or 0).replace("Z", ".000Z"),
        }
        if isinstance(given, dict):
            signed = _SIGNED["Notification"]
            message.update({k: v for k, v in given.items() if k in signed and isinstance(v, str)})
        if id is not None:
            message["MessageId"] = id
        digest = "sha256" if "2" in self.signature_versions else "sha1"
        version = "2" if digest == "sha256" else "1"
        signature = self._signature(keys, string_to_sign(message), digest)
        message.update(
            SignatureVersion=version,
            Signature=base64.b64encode(signature).decode("ascii"),
            SigningCertURL=self._certificate_url(keys),
        )
        if not isinstance(given, dict):  # no object to write the fields into: the whole message
            return {"body": json.dumps({name: str(value) for name, value in message.items()})}
        return {f"body.{name}": str(value) for name, value in message.items()}

    @staticmethod
    def _certificate_url(keys: Any) -> str:
        return TEST_CERTIFICATE_URL

    @property
    def handshake(self) -> Handshake | None:
        """Confirms subscriptions when ``confirm_subscriptions=True``."""
        return self._confirm if self.confirm_subscriptions else None

    def _confirm(self, delivery: Any, keys: Any) -> HandshakeResponse | None:
        """Visit ``SubscribeURL`` of a verified ``SubscriptionConfirmation``."""
        found = self._confirmation(delivery, keys)
        if found is None:
            return None
        source, url = found
        source.visit(KeyRequest(url), self.subscribe_rule, header="body.SubscribeURL")
        return CONFIRMED

    async def handshake_async(self, delivery: Any, keys: Any) -> HandshakeResponse | None:
        """The handshake, awaiting the visit."""
        found = self._confirmation(delivery, keys)
        if found is None:
            return None
        source, url = found
        await source.visit_async(KeyRequest(url), self.subscribe_rule, header="body.SubscribeURL")
        return CONFIRMED

    def _confirmation(self, delivery: Any, keys: Any) -> tuple[KeySource, str] | None:
        """The key source and ``SubscribeURL`` of a confirmation to make, else None."""
        if not self.confirm_subscriptions:
            return None
        message = json_document(delivery.body)
        if not isinstance(message, dict) or message.get("Type") != "SubscriptionConfirmation":
            return None
        url = _field(message, "SubscribeURL") or ""
        source = next((k.material for k in keys.verify_keys if k.kind == "key-source"), None)
        if not isinstance(source, KeySource):
            return None
        return source, url


#: The answer once a subscription is confirmed.
CONFIRMED = HandshakeResponse(200, "text/plain; charset=utf-8", b"subscription confirmed")


#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import hooksig

scheme = hooksig.schemes.configure("aws-sns", topics=("arn:aws:sns:us-east-1:123456789012:orders",))
verifier = hooksig.Verifier(scheme)  # certificates fetched under the SNS rule, cached
"""

SCHEME = SnsScheme(
    name="aws-sns",
    key_kind="certificate",
    key_rule=CERTIFICATE_RULE,
    signature_header="body.Signature",
    tolerance=3600,
    algorithm_text="RSA PKCS#1 v1.5 with SHA-1 (SignatureVersion 1) or SHA-256 (2)",
    content_text="name\\nvalue\\n for the fields the message's Type signs",
    secret_hint="none: the certificate comes from SigningCertURL (public_key= a KeySource)",
    docs_url="https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html",
    id_source=BodyField("MessageId"),
    timestamp_headers=("body.Timestamp",),
    timestamp_unit="rfc3339",
    evidence=Evidence(
        kind="vector",
        against=(
            "ten genuine SNS messages (signature versions 1 and 2) and the genuine "
            "signing certificate from AWS's PHP validator tests, the certificate also "
            "fetched over a real HTTPS server"
        ),
        tests=(
            "tests/vectors/providers/official/aws-sns.json",
            "tests/schemes/test_aws_sns.py",
        ),
    ),
)
