"""
Auth0 custom log streams: the stream's Authorization Token itself in ``Authorization``.

Source: https://auth0.com/docs/customize/log-streams/custom-log-streams
(the optional "Authorization Token" is sent as the ``Authorization``
header value).

The body is not signed.  The header is compared exactly as you configured
it (if you typed ``Bearer ...`` in Auth0, pass ``Bearer ...`` here), in
constant time through SHA-256 digests.  A matching token proves only that
the sender knows it: anyone who sees one request can forge any body and
replay any old one, and nothing bounds replay.  Without a token set in
Auth0, nothing authenticates the stream at all.  No delivery id is sent
(each log entry carries its own ``log_id``).

Delivery id: none is sent, so the key is the SHA-256 of the batch
(:class:`~hooksig.scheme.BodyDigest`): a batch resent byte for byte is
recognised; deduplicate entries on their ``log_id`` in your handler too.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

SCHEME = HmacScheme(
    name="auth0",
    signature_header="Authorization",
    construction="token",
    secret_hint="the log stream's Authorization Token, exactly as configured",
    docs_url="https://auth0.com/docs/customize/log-streams/custom-log-streams",
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="no signature to check: the token is compared as configured, per Auth0's log "
        "stream docs",
        tests=("tests/schemes/test_auth0.py",),
    ),
)
