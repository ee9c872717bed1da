"""
X.509 certificates: reading them, their dates, their chain to a pinned root.

Providers that sign with a certificate (AWS SNS, PayPal, Apple) hand over
the certificate at run time: a URL in the delivery, or a chain inside it.
This module reads what came (PEM or DER, a bounded number of
certificates), judges its validity dates against the verifier's clock, and
verifies a chain with ``cryptography.x509.verification`` to roots given
here, never the system's.  It also issues certificates, so that tests and
the testing toolkit can sign as such a provider would.

Every function takes and returns ``cryptography`` objects; a certificate
that cannot be read is a :class:`ValueError` for the caller to map, since
the same bytes are a configuration error when given offline and a fetch
failure when downloaded.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from ..errors import ExtraNotInstalled

#: A document holding more certificates than this is refused unread.
MAX_CERTIFICATES = 8


def _x509() -> ModuleType:
    """cryptography's ``x509`` module, or :class:`ExtraNotInstalled`."""
    try:
        from cryptography import x509
    except ImportError:  # pragma: no cover - exercised by the no-extras test run
        raise ExtraNotInstalled("crypto", "cryptography") from None
    return x509


def _utc(seconds: float) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc)


def load_certificates(data: bytes) -> list[Any]:
    """
    Read one or more certificates: concatenated PEM blocks, or one DER certificate.

    Raises:
        ValueError: not a certificate, no certificate, or more than ``MAX_CERTIFICATES`` (8).
    """
    x509 = _x509()
    if data.count(b"-----BEGIN") > MAX_CERTIFICATES:
        raise ValueError("too many certificates")
    if b"-----BEGIN" in data:
        found = x509.load_pem_x509_certificates(data)
    else:
        found = [x509.load_der_x509_certificate(data)]
    return list(found)


def validity_error(certificate: Any, now: float) -> str | None:
    """``certificate_expired``, ``certificate_not_yet_valid``, or ``None`` if valid at *now*."""
    moment = _utc(now)
    if moment > certificate.not_valid_after_utc:
        return "certificate_expired"
    if moment < certificate.not_valid_before_utc:
        return "certificate_not_yet_valid"
    return None


def has_extension(certificate: Any, oid: str) -> bool:
    """Whether *certificate* carries the extension *oid* (dotted form)."""
    x509 = _x509()
    try:
        certificate.extensions.get_extension_for_oid(x509.ObjectIdentifier(oid))
    except x509.ExtensionNotFound:
        return False
    return True


def public_key(certificate: Any) -> Any:
    """The certificate's public key."""
    return certificate.public_key()


def verify_chain(
    leaf: Any,
    intermediates: Sequence[Any],
    roots: Sequence[Any],
    now: float,
    *,
    server_names: Sequence[str] = (),
    lenient_ca: bool = False,
) -> bool:
    """
    Whether *leaf* chains through *intermediates* to one of *roots*, all valid at *now*.

    With *server_names*, the leaf must be a TLS server certificate for one
    of them (PayPal's ``messageverificationcerts`` hosts).  Without, the
    leaf is checked as a signing certificate: the CA certificates follow the
    Web PKI rules, the leaf's extensions are the caller's to check (Apple's
    leaf carries no subject alternative name).  *lenient_ca* accepts CA
    certificates whose basic constraints are not marked critical: only a
    provider's test CA needs it (Apple's mock notifications).
    """
    x509 = _x509()
    from cryptography.x509 import verification

    builder = verification.PolicyBuilder().store(verification.Store(list(roots))).time(_utc(now))
    try:
        if server_names:
            for name in server_names:
                verifier = builder.build_server_verifier(x509.DNSName(name))
                try:
                    verifier.verify(leaf, list(intermediates))
                except verification.VerificationError:
                    continue
                return True
            return False
        policy = verification.ExtensionPolicy
        ca_policy = policy.webpki_defaults_ca()
        if lenient_ca:
            ca_policy = policy.permit_all().require_present(
                x509.BasicConstraints, verification.Criticality.AGNOSTIC, None
            )
        client = builder.extension_policies(
            ca_policy=ca_policy, ee_policy=policy.permit_all()
        ).build_client_verifier()
        client.verify(leaf, list(intermediates))
    except (verification.VerificationError, ValueError, x509.DuplicateExtension):
        return False
    return True


def issue_certificate(
    subject_key: Any,
    issuer_key: Any,
    *,
    subject: str,
    issuer: str | None = None,
    not_before: float,
    not_after: float,
    ca: bool = False,
    dns_names: Sequence[str] = (),
    marker_oids: Sequence[str] = (),
) -> Any:
    """
    Issue a certificate for *subject_key*, signed by *issuer_key* (self-signed when the same).

    For tests and the testing toolkit: a root (``ca=True``), an intermediate
    or a leaf with the subject alternative names and marker extensions a
    provider's verifier looks for.  Never used to verify.
    """
    x509 = _x509()
    import hashlib

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    def name(common_name: str) -> Any:
        return x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, common_name)])

    signer_public = issuer_key.public_key()
    spki = subject_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # Deterministic (serial from the subject, ECDSA per RFC 6979): one key, one certificate.
    serial = int.from_bytes(hashlib.sha256(subject.encode() + spki).digest()[:16], "big") >> 1
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(subject))
        .issuer_name(name(issuer or subject))
        .public_key(subject_key.public_key())
        .serial_number(serial)
        .not_valid_before(_utc(not_before))
        .not_valid_after(_utc(not_after))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_public), critical=False
        )
    )
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    else:
        usage = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    builder = builder.add_extension(usage, critical=True)
    if dns_names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names]), critical=False
        )
    for oid in marker_oids:
        builder = builder.add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier(oid), b"\x05\x00"), critical=False
        )
    deterministic = True if isinstance(issuer_key, ec.EllipticCurvePrivateKey) else None
    return builder.sign(issuer_key, hashes.SHA256(), ecdsa_deterministic=deterministic)


def derived_test_key(private_key: Any, label: str) -> Any:
    """
    A P-256 key derived from *private_key* and *label*: the same test CA for the same signing key.

    Verifiers built from one ``signing_key=`` must trust each other's test
    chains; only tests and the testing toolkit use these keys.
    """
    import hashlib

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    seed = int.from_bytes(hashlib.sha256(der + label.encode()).digest(), "big")
    return ec.derive_private_key(seed % (order - 1) + 1, ec.SECP256R1())


def pem(certificate: Any) -> bytes:
    """The certificate as PEM."""
    from cryptography.hazmat.primitives import serialization

    data: bytes = certificate.public_bytes(serialization.Encoding.PEM)
    return data


def der(certificate: Any) -> bytes:
    """The certificate as DER."""
    from cryptography.hazmat.primitives import serialization

    data: bytes = certificate.public_bytes(serialization.Encoding.DER)
    return data
