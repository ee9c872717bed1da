"""
Supabase Database Webhooks: a bearer token you configure, in ``Authorization``; no signature.

Source: https://supabase.com/docs/guides/database/webhooks (the webhook sends
the HTTP headers you configure; Supabase signs nothing).  The usual header
is ``Authorization: Bearer <secret>``, which this scheme reads; a header of
another name is your own ``HmacScheme(construction="token", ...)``.

The body is not signed.  A matching token proves only that the sender
knows a secret that travels in every request: anyone who sees one request
can forge any body and replay any old one, and nothing bounds replay.
hooksig compares the token after ``Bearer `` in constant time, through
SHA-256 digests.  Use HTTPS, keep the token out of logs, and re-read the row
from your database before acting on it.  Supabase Auth Hooks are a
different, signed product: the ``supabase`` scheme.

Delivery id: none is sent, so the key is the SHA-256 of the body
(:class:`~hooksig.scheme.BodyDigest`): byte-identical bodies share a key,
and a retry whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="supabase-db",
    signature_header="Authorization",
    prefix="Bearer ",
    construction="token",
    secret_hint="the token you put after Bearer in the webhook's Authorization header",
    docs_url="https://supabase.com/docs/guides/database/webhooks",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="no signature to check: the bearer token compared as configured, per Supabase's "
        "database webhook docs",
        tests=("tests/schemes/test_supabase_db.py",),
    ),
)
