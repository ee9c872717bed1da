"""
Grafana alerting: hex HMAC-SHA256 of the body, or ``<ts>:<body>``, in ``X-Grafana-Alerting-*``.

Source: https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/
and Grafana's source, grafana/alerting@2acbeef
``http/hmac.go``
(``HMACRoundTripper``: key = the secret's text, lowercase hex).

The webhook contact point signs when an HMAC secret is set.  ``grafana``
is the default: the body alone.  ``grafana-timestamped`` is for contact
points with a timestamp header set: the signed content is the Unix time in
seconds, a colon and the body.  Grafana gives that header no default name;
hooksig reads ``X-Grafana-Alerting-Timestamp``, the name Grafana's own tests
use.  Both header names can be changed in Grafana: declare your own
``HmacScheme`` if you change them.

Delivery id: none is sent, so the key is the SHA-256 of the body
(:class:`~hooksig.scheme.BodyDigest`): byte-identical bodies share a key,
and a retry whose body was re-serialised is handled again.
"""

from hooksig.scheme import BodyDigest, Evidence, HmacScheme

_URL = (
    "https://grafana.com/docs/grafana/latest/alerting/configure-notifications/"
    "manage-contact-points/integrations/webhook-notifier/"
)

SCHEME = HmacScheme(
    name="grafana",
    signature_header="X-Grafana-Alerting-Signature",
    encoding="hex",
    secret_hint="the contact point's HMAC secret, as text",
    docs_url=_URL,
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="Grafana publishes no fixed vector (its tests sign with the same code); recipe "
        "from grafana/alerting's hmac.go",
        tests=("tests/schemes/test_grafana.py",),
    ),
)

TIMESTAMPED = HmacScheme(
    name="grafana-timestamped",
    signature_header="X-Grafana-Alerting-Signature",
    timestamp_header="X-Grafana-Alerting-Timestamp",
    encoding="hex",
    content="{timestamp}:{body}",
    tolerance=300,
    secret_hint="the contact point's HMAC secret, as text",
    docs_url=_URL,
    id_source=BodyDigest(),
    evidence=Evidence(
        kind="none",
        against="Grafana publishes no fixed vector (its tests sign with the same code); recipe "
        "from grafana/alerting's hmac.go",
        tests=("tests/schemes/test_grafana.py",),
    ),
)
