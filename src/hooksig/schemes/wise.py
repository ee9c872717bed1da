"""
Wise: RSA PKCS #1 v1.5 with SHA-256 over the body, base64, in ``X-Signature-SHA256``.

Sources: https://docs.wise.com/guides/developer/webhooks/event-handling and Wise's
examples, transferwise/digital-signatures-examples@9d99fd9
(``verify-webhook-signature/verify-signature.js``, which uses the sandbox key).

Recipe: ``RSA_verify(public_key, raw body, base64_decode(X-Signature-SHA256))``
with SHA-256, under the key Wise publishes for production or for the
sandbox (both below, as Wise prints them):
``Verifier("wise", public_key=hooksig.schemes.wise.PRODUCTION_KEY)``.
``X-Delivery-Id`` is "a unique delivery UUID" per notification
(``Delivery.id``; that a redelivery keeps it is UNCONFIRMED); a test
notification carries ``X-Test-Notification: true``.  No timestamp is signed:
rely on the idempotency guard.
"""

from hooksig.scheme import Evidence
from hooksig.scheme.asymmetric import AsymmetricScheme

#: Wise's production webhook key (SHA-256 of its DER: e86411cd...0a0834a).
PRODUCTION_KEY = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvO8vXV+JksBzZAY6GhSO
XdoTCfhXaaiZ+qAbtaDBiu2AGkGVpmEygFmWP4Li9m5+Ni85BhVvZOodM9epgW3F
bA5Q1SexvAF1PPjX4JpMstak/QhAgl1qMSqEevL8cmUeTgcMuVWCJmlge9h7B1CS
D4rtlimGZozG39rUBDg6Qt2K+P4wBfLblL0k4C4YUdLnpGYEDIth+i8XsRpFlogx
CAFyH9+knYsDbR43UJ9shtc42Ybd40Afihj8KnYKXzchyQ42aC8aZ/h5hyZ28yVy
Oj3Vos0VdBIs/gAyJ/4yyQFCXYte64I7ssrlbGRaco4nKF3HmaNhxwyKyJafz19e
HwIDAQAB
-----END PUBLIC KEY-----
"""
#: Wise's sandbox webhook key.
SANDBOX_KEY = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwpb91cEYuyJNQepZAVfP
ZIlPZfNUefH+n6w9SW3fykqKu938cR7WadQv87oF2VuT+fDt7kqeRziTmPSUhqPU
ys/V2Q1rlfJuXbE+Gga37t7zwd0egQ+KyOEHQOpcTwKmtZ81ieGHynAQzsn1We3j
wt760MsCPJ7GMT141ByQM+yW1Bx+4SG3IGjXWyqOWrcXsxAvIXkpUD/jK/L958Cg
nZEgz0BSEh0QxYLITnW1lLokSx/dTianWPFEhMC9BgijempgNXHNfcVirg1lPSyg
z7KqoKUN0oHqWLr2U1A+7kqrl6O2nx3CKs1bj1hToT1+p4kcMoHXA7kA+VBLUpEs
VwIDAQAB
-----END PUBLIC KEY-----
"""

SCHEME = AsymmetricScheme(
    name="wise",
    algorithm="rsa-sha256",
    signature_header="X-Signature-SHA256",
    encoding="base64",
    id_header="X-Delivery-Id",
    public_key_format="pem",
    signing_key_format="pem",
    secret_hint="public_key=: hooksig.schemes.wise.PRODUCTION_KEY or SANDBOX_KEY; no secret",
    docs_url="https://docs.wise.com/guides/developer/webhooks/event-handling",
    evidence=Evidence(
        kind="vector",
        against=("the sandbox example of Wise's digital-signatures-examples repository"),
        tests=(
            "tests/vectors/providers/official/wise.json",
            "tests/schemes/test_wise.py",
        ),
    ),
)
