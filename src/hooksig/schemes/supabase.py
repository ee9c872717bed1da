"""
Supabase Auth Hooks: Standard Webhooks signatures, secrets shown as ``v1,whsec_<base64>``.

Source: https://supabase.com/docs/guides/auth/auth-hooks and Supabase Auth's
source, supabase/auth@3ca1e88 ``internal/hooks/hookshttp/hookshttp.go``
(``generateSignatures``) and supabase/auth@bc32168
``internal/conf/configuration.go`` (the secret format).

``webhook-signature: v1,<base64 HMAC-SHA256(key, id.timestamp.body)>`` with
``webhook-id`` and ``webhook-timestamp``, as Standard Webhooks; the key is
the base64 after ``v1,whsec_`` (paste the secret as shown).  With several
secrets Supabase joins the items with ``", "`` (comma and space), which the
``standardwebhooks`` library misreads (only the last item can match);
hooksig reads every item.  ``webhook-id`` is a fresh UUID per attempt, so
it cannot dedupe retries: Auth Hooks are synchronous calls, and the
timestamp window is what refuses replays.
"""

from hooksig.scheme import Evidence, HmacScheme, Versioned

SCHEME = HmacScheme(
    name="supabase",
    signature_header="webhook-signature",
    timestamp_header="webhook-timestamp",
    id_header="webhook-id",
    signature_format=Versioned(separator=", "),
    version="v1",
    encoding="base64",
    content="{id}.{timestamp}.{body}",
    secret_format="whsec",
    tolerance=300,
    secret_hint="the hook's secret, v1,whsec_ + base64, as shown",
    docs_url="https://supabase.com/docs/guides/auth/auth-hooks",
    evidence=Evidence(
        kind="none",
        against="Supabase has no verifier and signs with a Go Standard Webhooks library: the "
        'Python standardwebhooks library\'s signatures verify here, and its ", "-joined '
        "rotation header is recomputed",
        tests=("tests/schemes/test_supabase.py",),
    ),
)
