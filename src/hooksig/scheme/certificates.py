"""
Certificates, for a provider that signs with one: read, judge and chain them; issue test ones.

Some providers hand their certificate over at run time, at a URL in the
delivery (AWS SNS, PayPal) or as a chain inside it (Apple).  These are the
functions the built-in providers use to read what came, judge its dates on
the verifier's clock, verify its chain to roots they pin (never the
system's), and issue certificates so that ``sign()`` and the testing
toolkit can sign as the provider would; a provider in another package
imports them from here.  They take and return ``cryptography`` objects and
need the ``crypto`` extra.
"""

from __future__ import annotations

from .._primitives.x509 import (
    MAX_CERTIFICATES,
    der,
    derived_test_key,
    has_extension,
    issue_certificate,
    load_certificates,
    pem,
    public_key,
    validity_error,
    verify_chain,
)

__all__ = [
    "MAX_CERTIFICATES",
    "der",
    "derived_test_key",
    "has_extension",
    "issue_certificate",
    "load_certificates",
    "pem",
    "public_key",
    "validity_error",
    "verify_chain",
]
