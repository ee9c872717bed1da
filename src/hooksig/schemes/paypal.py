"""
PayPal: SHA256withRSA over ``id|time|webhook id|crc32(body)``, certificate from ``PAYPAL-CERT-URL``.

Sources: https://developer.paypal.com/api/rest/webhooks/rest/ and PayPal's SDKs,
paypal/PayPal-Python-SDK@0d704e7 (``paypalrestsdk/notifications.py``) and
paypal/PayPal-Java-SDK@2a34212 (``Event.validateReceivedEvent``, ``SSLUtil``).

Recipe: ``PAYPAL-TRANSMISSION-SIG`` is the base64 RSA PKCS #1 v1.5 SHA-256
signature of ``<PAYPAL-TRANSMISSION-ID>|<PAYPAL-TRANSMISSION-TIME>|<webhook id>|<crc32>``,
where the webhook id is your listener's (set it with
``hooksig.schemes.configure("paypal", webhook_ids=("...",))``) and the CRC-32
is of the raw body, as an unsigned decimal.  ``PAYPAL-AUTH-ALGO`` must say
``SHA256withRSA``: the SDKs take the algorithm from that header; hooksig
pins it.  CRC-32 is no MAC: the signature binds the body only as far as a
CRC does, PayPal's design.

The certificate is fetched from ``PAYPAL-CERT-URL`` only on PayPal's API
hosts (``api[-m][.sandbox].paypal.com``, path ``/v1/notifications/certs/...``;
PayPal documents no rule: the hosts are those of its SDK samples, the
``api-m`` ones UNCONFIRMED), with no redirect, a timeout and a size cap.  As
PayPal's Java SDK requires, the certificate must be valid at the verifier's
time and chain, as a TLS certificate for ``messageverificationcerts.paypal.com``
or ``messageverificationcerts.sandbox.paypal.com``, to a DigiCert root PayPal
names (High Assurance EV Root CA, Global Root G2), through intermediates the
URL serves or the one PayPal's SDK ships.  Which intermediate signs PayPal's
current certificates is UNCONFIRMED: if a genuine delivery fails with
``reason="untrusted_chain"``, add the intermediate to ``intermediates=``.

Replay: ``PAYPAL-TRANSMISSION-TIME`` is signed and is "the date and time of
the HTTP transmission"; hooksig's 300-second window applies (whether a retry
is a new transmission is UNCONFIRMED; PayPal retries 25 times over 3 days).
``Delivery.id`` is the event's ``id`` (``WH-...``) from the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from hooksig.errors import ConfigurationError, MalformedSignature
from hooksig.keys import KeyRing
from hooksig.keysource import KeySource, UrlRule
from hooksig.scheme import BodyDigest, BodyField, Evidence, FirstOf
from hooksig.scheme import certificates as x509
from hooksig.scheme.fields import crc32_text
from hooksig.scheme.formats import check_id, parse_rfc3339
from hooksig.scheme.units import TEST_VALIDITY, ParsedUnits, Unit, UnitScheme

CERTIFICATE_RULE = UrlRule(
    host=r"api(-m)?(\.sandbox)?\.paypal\.com", path=r"/v1/notifications/certs/[A-Za-z0-9\-]+"
)
SERVER_NAMES = (
    "messageverificationcerts.paypal.com",
    "messageverificationcerts.sandbox.paypal.com",
)
TEST_CERTIFICATE_URL = "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-hooksig-test"
#: The webhook id signed and expected when a verifier signs with ``signing_key=`` (tests).
TEST_WEBHOOK_ID = "HOOKSIGTESTWEBHOOK"
_TRUST = files("hooksig.schemes").joinpath("paypal_trust.pem").read_bytes()


@dataclass(frozen=True, kw_only=True)
class PayPalScheme(UnitScheme):
    """
    PayPal webhooks; settings beyond :class:`~hooksig.scheme.units.UnitScheme`'s.

    Args:
        webhook_ids: your listener's webhook id (several during a migration).
        roots: PEM certificates PayPal's certificate must chain to.
        intermediates: PEM intermediate certificates to chain through.
        server_names: the names the certificate must be issued for.

    .. versionadded:: 0.1
    """

    webhook_ids: tuple[str, ...] = ()
    roots: bytes = field(default=_TRUST, repr=False)
    intermediates: bytes = b""
    server_names: tuple[str, ...] = SERVER_NAMES

    def load_keys(
        self,
        secrets: Any,
        *,
        public_key: object | None = None,
        signing_key: object | None = None,
    ) -> KeyRing:
        """The certificate source; needs ``webhook_ids`` unless signing for tests."""
        if not self.webhook_ids and signing_key is None:
            raise ConfigurationError(
                'the paypal scheme needs your webhook id: hooksig.schemes.configure("paypal", '
                'webhook_ids=("...",))'
            )
        return super().load_keys(secrets, public_key=public_key, signing_key=signing_key)

    def signed_body_part(self, body: bytes) -> object:
        """The body's CRC-32: all PayPal's signature binds of it."""
        return crc32_text(body)

    def _ids(self) -> tuple[str, ...]:
        return self.webhook_ids or (TEST_WEBHOOK_ID,)

    def _units(self, request: Any) -> ParsedUnits:
        headers = request.headers
        algorithm = headers.require("PAYPAL-AUTH-ALGO")
        if algorithm != "SHA256withRSA":
            raise MalformedSignature(
                "PAYPAL-AUTH-ALGO is not SHA256withRSA",
                reason="unsupported_algorithm",
                header="PAYPAL-AUTH-ALGO",
            )
        signature = self._decode(
            headers.require("PAYPAL-TRANSMISSION-SIG"), "base64", "PAYPAL-TRANSMISSION-SIG"
        )
        url = headers.require("PAYPAL-CERT-URL")
        assert self.key_rule is not None  # noqa: S101 - a certificate scheme
        self.key_rule.check(url, "PAYPAL-CERT-URL")
        ident = check_id(headers.require("PAYPAL-TRANSMISSION-ID"), "PAYPAL-TRANSMISSION-ID", "|")
        stamp = headers.require("PAYPAL-TRANSMISSION-TIME")
        moment = parse_rfc3339(stamp, "PAYPAL-TRANSMISSION-TIME")
        crc = crc32_text(request.body)
        contents = tuple(f"{ident}|{stamp}|{hook}|{crc}".encode() for hook in self._ids())
        unit = Unit(contents, (signature,), "PAYPAL-TRANSMISSION-SIG", "sha256", url)
        return ParsedUnits(
            candidates=(("", signature),),
            timestamp=moment,
            timestamp_text=stamp,
            header="PAYPAL-TRANSMISSION-SIG",
            units=(unit,),
        )

    def _check_certificates(self, certificates: Any, keys: KeyRing, now: float) -> str:
        refusal = x509.validity_error(certificates[0], now)
        if refusal:
            return refusal
        trust = x509.load_certificates(self.roots)
        roots = [k.material for k in keys.verify_keys if k.kind == "trust-root"]
        roots = roots or [c for c in trust if c.subject == c.issuer]
        bundled = x509.load_certificates(self.intermediates) if self.intermediates else []
        chain = [*certificates[1:], *bundled, *(c for c in trust if c.subject != c.issuer)]
        if not x509.verify_chain(
            certificates[0], chain, roots, now, server_names=self.server_names
        ):
            return "untrusted_chain"
        return ""

    def _test_certificates(self, private_key: Any) -> tuple[KeySource, list[Any]]:
        root_key = x509.derived_test_key(private_key, "paypal root")
        start, end = TEST_VALIDITY
        root = x509.issue_certificate(
            root_key,
            root_key,
            subject="hooksig test root",
            ca=True,
            not_before=start,
            not_after=end,
        )
        leaf = x509.issue_certificate(
            private_key,
            root_key,
            subject=SERVER_NAMES[1],
            issuer="hooksig test root",
            dns_names=(SERVER_NAMES[1],),
            not_before=start,
            not_after=end,
        )
        documents = {TEST_CERTIFICATE_URL: x509.pem(leaf)}
        return KeySource(documents=documents, fetch=None), [root]

    def _sign_units(
        self, keys: KeyRing, request: Any, timestamp: int | None, id: str | None
    ) -> dict[str, str]:
        import base64
        import uuid

        from hooksig.scheme.formats import format_rfc3339

        ident = str(uuid.uuid1())  # the transmission's id; the event's id is the body's
        stamp = format_rfc3339(timestamp or 0)
        content = f"{ident}|{stamp}|{self._ids()[0]}|{crc32_text(request.body)}".encode()
        signature = self._signature(keys, content, "sha256")
        return {
            "PAYPAL-TRANSMISSION-ID": ident,
            "PAYPAL-TRANSMISSION-TIME": stamp,
            "PAYPAL-TRANSMISSION-SIG": base64.b64encode(signature).decode("ascii"),
            "PAYPAL-CERT-URL": TEST_CERTIFICATE_URL,
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        }


#: How to build a verifier (shown on the provider page).
EXAMPLE = """
import hooksig

scheme = hooksig.schemes.configure("paypal", webhook_ids=("4JH86294D6297924G",))
verifier = hooksig.Verifier(scheme)  # the certificate is fetched under PayPal's rule
"""

SCHEME = PayPalScheme(
    name="paypal",
    key_kind="certificate",
    key_rule=CERTIFICATE_RULE,
    signature_header="PAYPAL-TRANSMISSION-SIG",
    tolerance=300,
    algorithm_text="RSA PKCS#1 v1.5 with SHA-256 (SHA256withRSA)",
    content_text="transmission id|transmission time|webhook id|CRC-32 of the body",
    secret_hint="none: the certificate comes from PAYPAL-CERT-URL; configure webhook_ids=",
    docs_url="https://developer.paypal.com/api/rest/webhooks/rest/",
    id_source=FirstOf(BodyField("id"), BodyDigest()),
    timestamp_headers=("PAYPAL-TRANSMISSION-TIME",),
    timestamp_unit="rfc3339",
    evidence=Evidence(
        kind="vector",
        against=(
            "the sandbox delivery of PayPal's SDK tests with the certificate its Node SDK "
            "mocks, chained to the DigiCert roots PayPal's SDK ships, also fetched over a "
            "real HTTPS server"
        ),
        tests=(
            "tests/vectors/providers/official/paypal.json",
            "tests/schemes/test_paypal.py",
        ),
    ),
)
