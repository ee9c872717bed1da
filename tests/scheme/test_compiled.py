"""A declared scheme's compiled route (``compile()``) agrees with the general route, always."""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hooksig
from hooksig import AsymmetricScheme, Verifier, WebhookError
from hooksig.scheme import CompilingScheme, HmacScheme, Pairs, Scheme, Versioned
from hooksig.scheme.formats import MAX_SIGNATURES
from hooksig.scheme.protocol import CompiledRoute
from tests.conftest import as_environ
from tests.properties.factories import ED25519_SEED, P256_PEM

NOW = 1_700_000_000
KEYS = [bytes(range(32)), b"another secret, 32 bytes long!!!"]
MAX_LAYOUTS = 64  # hooksig.scheme._compiled.MAX_LAYOUTS, as documented there


class GeneralOnly:
    """*scheme* through the Protocol alone: no compile(), so verify() takes the general route."""

    def __init__(self, scheme: Scheme) -> None:
        self._scheme = scheme
        self.name = scheme.name
        self.default_tolerance = scheme.default_tolerance
        self.info = scheme.info
        self.handshake = scheme.handshake
        self.load_keys = scheme.load_keys
        self.parse = scheme.parse
        self.signed_contents = scheme.signed_contents
        self.match = scheme.match
        self.sign = scheme.sign


def _scheme(name: str | Scheme) -> Scheme:
    return hooksig.schemes.get(name) if isinstance(name, str) else name


def _route(verifier: Verifier, **keys: Any) -> CompiledRoute | None:
    """The compiled route the verifier's scheme makes for these keys (public compile())."""
    scheme = verifier.scheme
    assert isinstance(scheme, CompilingScheme)
    ring = scheme.load_keys(keys.pop("secrets", ()), **keys)
    return scheme.compile(ring)


def _fast_schemes() -> list[str]:
    names = []
    for name in hooksig.schemes.names():
        scheme = hooksig.schemes.get(name)
        # Only HMAC constructions have a compiled route (a token or Basic credentials do not).
        if (
            isinstance(scheme, HmacScheme)
            and scheme.name == name  # aliases once
            and scheme.construction in ("hmac", "secret-prefix")
            and scheme.compile(scheme.load_keys(KEYS)) is not None
        ):
            names.append(name)
    return names


def _pair(name: str | HmacScheme, keys: list[bytes] = KEYS) -> tuple[Verifier, Verifier]:
    fast = Verifier(name, secrets=keys, clock=lambda: NOW)
    general = Verifier(GeneralOnly(_scheme(name)), secrets=keys, clock=lambda: NOW)  # type: ignore[arg-type]
    return fast, general


FAST: list[str | HmacScheme] = [*_fast_schemes()]
#: User-declared schemes: the shapes DESIGN.md allows beyond the built-in providers.
CUSTOM: list[str | HmacScheme] = [
    HmacScheme(
        name="acme",
        signature_header="X-Acme-Signature",
        algorithm="sha512",
        encoding="base64url",
        prefix="sha512=",
        timestamp_header="X-Acme-Timestamp",
        timestamp_unit="ms",
        content="{timestamp}.{body}",
        id_header=("X-Acme-Delivery", "Acme-Delivery"),
    ),
    HmacScheme(
        name="acme-pairs",
        signature_header="Acme-Signature",
        signature_format=Pairs(timestamp_key="ts", separator=";"),
        version="h1",
        algorithm="sha1",
        content="{id}:{timestamp}:{body}",
        id_header="Acme-Id",
    ),
    # The signed content around the body: fields after it, literals only, the body twice.
    HmacScheme(
        name="acme-tail",
        signature_header="X-Acme-Tail",
        timestamp_header="X-Acme-Time",
        id_header="X-Acme-Id",
        content="{body}.{timestamp}.{id}",
    ),
    HmacScheme(name="acme-literal", signature_header="X-Acme-Lit", content="::{body}!!"),
    HmacScheme(name="acme-twice", signature_header="X-Acme-Twice", content="{body}|{body}"),
    HmacScheme(
        name="acme-versioned",
        signature_header=("Acme-Sig", "X-Acme-Sig"),
        signature_format=Versioned(),
        encoding="base64",
        content="{body}",
    ),
]


def _outcome(verifier: Verifier, body: Any, headers: Any, now: float | None) -> tuple[Any, ...]:
    try:
        d = verifier.verify(body, headers, now=now)
    except WebhookError as exc:
        return (
            type(exc),
            str(exc),
            getattr(exc, "reason", None),
            getattr(exc, "header", None),
            getattr(exc, "scheme", None),
        )
    view = d.headers
    ident = "random:" if d.id and d.id.startswith("random:") else d.id  # Dropbox's, made anew
    return ("ok", d.scheme, ident, d.timestamp, d.key_id, d.body, sorted(view.items()), type(view))


def _recase(name: str, data: st.DataObject) -> str:
    flips = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    return "".join(c.swapcase() if flip else c for c, flip in zip(name, flips, strict=True))


HOSTILE_TEXT = st.sampled_from(
    [
        "", " ", "v1=", "t=", ",", "=", "sha256=", "v1,", "0", "00", "+1700000000", "1_700",
        "\uff11\uff17\uff10\uff10", "1e9", " 1700000000", "1700000000 ", "A" * 9000,
        "\x00", "é", "v0=ab",
        "t=1700000000,t=1700000000,v1=00", "v1,AAAA v1,AAAA", "msg_1", "a.b", "a b",
    ]
) | st.text(max_size=80)  # fmt: skip


def _mutate(headers: dict[str, str], data: st.DataObject) -> Any:
    """One hostile change to a signed delivery's headers, or none."""
    names = list(headers)
    kind = data.draw(
        st.sampled_from(
            [
                "none",
                "recase",
                "dup_casing",
                "pairs_dup",
                "drop",
                "replace",
                "edit_char",
                "append",
                "upper",
                "bytes",
                "noise",
                "many",
                "prefix_space",
                "swap_values",
            ]
        )
    )
    name = data.draw(st.sampled_from(names)) if names else "x"
    out = dict(headers)
    if kind == "recase":
        return {_recase(key, data): value for key, value in headers.items()}
    if kind == "dup_casing":
        out[name.upper() if name != name.upper() else name.lower()] = out[name]
    elif kind == "pairs_dup":
        return [
            *headers.items(),
            (_recase(name, data), data.draw(HOSTILE_TEXT | st.just(out[name]))),
        ]
    elif kind == "drop":
        out.pop(name, None)
    elif kind == "replace":
        out[name] = data.draw(HOSTILE_TEXT)
    elif kind == "edit_char" and out.get(name):
        value = out[name]
        at = data.draw(st.integers(0, len(value) - 1))
        out[name] = value[:at] + data.draw(st.characters(max_codepoint=0x3FF)) + value[at + 1 :]
    elif kind == "append":
        out[name] = out[name] + data.draw(HOSTILE_TEXT)
    elif kind == "upper":
        out[name] = out[name].upper()
    elif kind == "bytes":
        return [(key.encode(), value.encode("utf-8")) for key, value in headers.items()]
    elif kind == "noise":
        out[data.draw(st.text(min_size=1, max_size=20))] = data.draw(HOSTILE_TEXT)
    elif kind == "many":
        out.update({f"x-extra-{i}": "1" for i in range(data.draw(st.sampled_from([250, 260])))})
    elif kind == "prefix_space":
        out[name] = " " + out[name]
    elif kind == "swap_values" and len(names) > 1:
        other = data.draw(st.sampled_from(names))
        out[name], out[other] = out[other], out[name]
    return out


@pytest.mark.parametrize("name", [*FAST, *CUSTOM], ids=str)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_and_general_paths_agree(name: str | HmacScheme, data: st.DataObject) -> None:
    """Valid, tampered and hostile deliveries: the same Delivery, or the same error."""
    keys = data.draw(st.sampled_from([KEYS, KEYS[:1], KEYS[::-1]]))
    fast, general = _pair(name, keys)
    assert isinstance(fast.scheme, CompilingScheme)
    assert not isinstance(general.scheme, CompilingScheme)
    signer = Verifier(name, secret=data.draw(st.sampled_from(KEYS)), clock=lambda: NOW)
    _assert_agree(fast, general, signer, data)


def _assert_agree(fast: Verifier, general: Verifier, signer: Verifier, data: Any) -> None:
    """A delivery *signer* makes, maybe tampered or mangled: both paths answer the same."""
    body = data.draw(st.binary(max_size=300) | st.just(b'{"id":"evt_1","type":"x"}'))
    timestamp = NOW + data.draw(st.sampled_from([0, -10, 299, 301, -301, 10**6, -(10**6)]))
    delivery_id = data.draw(st.sampled_from([None, "msg_1", "72d3162e-cc78-11e3", "a" * 256]))
    headers = signer.sign(body, timestamp=timestamp, id=delivery_id)
    sent: Any = _mutate(headers, data)
    if isinstance(sent, dict) and len(sent) < 200 and data.draw(st.booleans()):  # an environ
        sent = hooksig.Headers.from_environ(as_environ(sent))
    if data.draw(st.booleans()):
        body = body + b" "  # tampered
    now = data.draw(st.sampled_from([None, float(NOW), NOW + 1000.0]))
    assert _outcome(fast, body, sent, now) == _outcome(general, body, sent, now)


_SECOND_ED25519 = bytes(range(40, 72))


def _second_p256() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.derive_private_key(0x5EC0D, ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


#: Public-key schemes and two private keys for each (a signing key also verifies).
#: (Standard Webhooks v1a is an HmacScheme with a public-key side: the general path.)
PUBLIC: list[tuple[str | AsymmetricScheme, list[Any]]] = [
    ("discord", [ED25519_SEED, _SECOND_ED25519]),
    ("sendgrid", [P256_PEM, _second_p256()]),
    (
        AsymmetricScheme(
            name="acme-ecdsa-raw",
            signature_header="X-Acme-Ecdsa",
            algorithm="ecdsa-p256",
            ecdsa_encoding="raw",
            encoding="base64url",
            signature_format=Pairs(timestamp_key="t"),
            version="s1",
            content="{timestamp}.{body}",
            public_key_format="pem",
            signing_key_format="pem",
        ),
        [P256_PEM, _second_p256()],
    ),
]


@pytest.mark.parametrize(("name", "pair"), PUBLIC, ids=lambda value: str(value)[:40])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_and_general_paths_agree_on_public_keys(
    name: str | AsymmetricScheme, pair: list[Any], data: st.DataObject
) -> None:
    """The same for Ed25519 and ECDSA: the right key or the wrong one, genuine or hostile."""
    key = data.draw(st.sampled_from(pair))
    fast = Verifier(name, signing_key=key, clock=lambda: NOW)
    general = Verifier(GeneralOnly(_scheme(name)), signing_key=key, clock=lambda: NOW)  # type: ignore[arg-type]
    assert _route(fast, signing_key=key) is not None
    signer = Verifier(name, signing_key=data.draw(st.sampled_from(pair)), clock=lambda: NOW)
    _assert_agree(fast, general, signer, data)


def test_every_offered_public_key_signature_is_tried() -> None:
    """A header offering two signatures, ours second: the fast path finds it."""
    scheme = PUBLIC[-1][0]
    fast = Verifier(scheme, signing_key=P256_PEM, clock=lambda: NOW)
    other = Verifier(scheme, signing_key=_second_p256(), clock=lambda: NOW)
    body = b'{"id":"evt_1"}'
    ours = fast.sign(body, timestamp=NOW)["X-Acme-Ecdsa"]
    theirs = other.sign(body, timestamp=NOW)["X-Acme-Ecdsa"]
    both = {"X-Acme-Ecdsa": theirs + "," + ours.split(",", 1)[1]}
    route = _route(fast, signing_key=P256_PEM)
    assert route is not None
    found = route(body, both, None, fast.clock, fast.replay_window)
    assert found is not None
    assert found.key_id == "0"
    with pytest.raises(hooksig.InvalidSignature):
        fast.verify(body + b" ", both)


@pytest.mark.parametrize(
    "name",
    ["stripe", "github", "shopify", "standard-webhooks", "slack", "paddle", "svix"],
)
def test_the_common_schemes_take_the_fast_path(name: str) -> None:
    """The providers measured in benchmarks/ are verified by the fast path, not deferred."""
    verifier = Verifier(name, secret=KEYS[0], clock=lambda: NOW)
    route = _route(verifier, secrets=[KEYS[0]])
    assert route is not None
    headers = verifier.sign(b'{"id":"evt_1"}', timestamp=NOW, id="msg_1")
    found = route(b'{"id":"evt_1"}', headers, None, verifier.clock, verifier.replay_window)
    assert found is not None
    assert found == verifier.verify(b'{"id":"evt_1"}', headers)


def test_what_compiles_and_what_does_not() -> None:
    """A template over body, timestamp and id compiles; a URL, a token or Protocol-only do not."""
    ring = HmacScheme(name="acme", signature_header="X-Acme").load_keys([KEYS[0]])
    plain = HmacScheme(name="acme", signature_header="X-Acme")
    assert plain.compile(ring) is not None
    url = HmacScheme(name="acme", signature_header="X-Acme", content="{url}{body}")
    assert url.compile(ring) is None
    token = HmacScheme(name="acme", signature_header="X-Acme", construction="token")
    assert token.compile(token.load_keys([KEYS[0]])) is None
    assert not isinstance(GeneralOnly(plain), CompilingScheme)


def test_a_subclass_compiles_its_own_declaration() -> None:
    """A subclass that overrides compile() is asked for its own route: here, none."""

    class Custom(HmacScheme):
        def compile(self, keys: Any) -> None:
            return None

        def match(self, keys: Any, content: Any, parsed: Any) -> str | None:
            return None

    custom = Custom(name="acme", signature_header="X-Acme")
    verifier = Verifier(custom, secret=KEYS[0])
    headers = Verifier(HmacScheme(name="acme", signature_header="X-Acme"), secret=KEYS[0]).sign(
        b"x"
    )
    with pytest.raises(hooksig.InvalidSignature):
        verifier.verify(b"x", headers)


@pytest.mark.parametrize("scheme", CUSTOM, ids=str)
def test_each_declared_shape_verifies_on_the_fast_path(scheme: HmacScheme) -> None:
    """One key, a genuine delivery: each shape the general path accepts is verified inline."""
    fast, general = _pair(scheme, KEYS[:1])
    body = b'{"id":"evt_1"}'
    headers = fast.sign(body, timestamp=NOW, id="msg_1")
    accepted = _outcome(general, body, headers, None)[0] == "ok"
    route = _route(fast, secrets=KEYS[:1])
    assert route is not None
    found = route(body, headers, None, fast.clock, fast.replay_window)
    assert (found is not None) is accepted
    assert _outcome(fast, body, headers, None) == _outcome(general, body, headers, None)


def _stripe_cases() -> list[Any]:
    digest = "ab" * 32
    many = ",".join(f"v1={digest}" for _ in range(MAX_SIGNATURES + 1))
    return [
        pytest.param({"Stripe-Signature": f"t={NOW},t={NOW},v1={digest}"}, id="timestamp-twice"),
        pytest.param({"Stripe-Signature": f"t={NOW},{many}"}, id="too-many-signatures"),
        pytest.param({"Stripe-Signature": f"v1={digest}"}, id="no-timestamp"),
        pytest.param({"Stripe-Signature": f"t={NOW},v1={digest * 200}"}, id="oversized-value"),
        pytest.param({"Stripe-Signature": f"t={NOW},v1={digest}", "X-Count": 5}, id="int-value"),
    ]


@pytest.mark.parametrize("headers", _stripe_cases())
def test_irregular_headers_are_left_to_the_general_path(headers: dict[str, Any]) -> None:
    """Each irregular shape is DEFERred, and verify() raises what the general path raises."""
    fast, general = _pair("stripe")
    body = b'{"id":"evt_1"}'
    route = _route(fast, secrets=KEYS)
    assert route is not None
    assert route(body, headers, None, fast.clock, fast.replay_window) is None
    outcome = _outcome(fast, body, headers, None)
    assert outcome[0] != "ok"  # a refusal, not a Delivery
    assert outcome == _outcome(general, body, headers, None)


def test_other_versions_beside_ours_and_no_window() -> None:
    """A v0 item beside v1 is skipped; with the window off the timestamp is still read."""
    verifier = Verifier("stripe", secret=KEYS[0], tolerance=math.inf)
    body = b'{"id":"evt_1"}'
    signed = verifier.sign(body, timestamp=NOW)["Stripe-Signature"]
    t_item, v1_item = signed.split(",")
    headers = {"Stripe-Signature": f"{t_item},v0={'cd' * 32},{v1_item}"}
    route = _route(verifier, secrets=[KEYS[0]])
    assert route is not None
    found = route(body, headers, None, verifier.clock, verifier.replay_window)
    assert found is not None
    assert found.timestamp == NOW


def test_another_accepted_version_is_parsed_and_passed_over() -> None:
    """Standard Webhooks: a v1a (Ed25519) item before our v1 is decoded, then not compared."""
    verifier = Verifier("standard-webhooks", secret=KEYS[0], clock=lambda: NOW)
    body = b'{"id":"evt_1"}'
    headers = verifier.sign(body, timestamp=NOW, id="msg_1")
    v1a = "v1a," + base64.b64encode(bytes(64)).decode()
    headers["webhook-signature"] = f"{v1a} {headers['webhook-signature']}"
    route = _route(verifier, secrets=[KEYS[0]])
    assert route is not None
    found = route(body, headers, None, verifier.clock, verifier.replay_window)
    assert found is not None
    assert found.id == "msg_1"


def _other_texts(text: str, encoding: str) -> list[str]:
    """Other spellings of the same bytes (case, padding, spaces), and a non-ASCII one."""
    if encoding == "hex":
        letter = next(at for at, char in enumerate(text) if char.isalpha())
        one_upper = text[:letter] + text[letter].upper() + text[letter + 1 :]
        return [text.upper(), one_upper, " " + text, text + "\u00e9"]
    padding = text.rstrip("=") if text.endswith("=") else text + "="
    return [padding, text + " ", text + "\u00e9"]


@pytest.mark.parametrize(
    ("name", "header", "lead"),
    [
        ("github", "X-Hub-Signature-256", "sha256="),
        ("stripe", "Stripe-Signature", "v1="),
        ("shopify", "X-Shopify-Hmac-Sha256", ""),
        ("standard-webhooks", "webhook-signature", "v1,"),
        (CUSTOM[0], "X-Acme-Signature", "sha512="),
    ],
    ids=lambda value: value if isinstance(value, str) else value.name,
)
def test_the_right_digest_in_another_text_is_malformed_on_both_routes(
    name: str | HmacScheme, header: str, lead: str
) -> None:
    """The compiled route compares the digest's canonical text: any other spelling is refused."""
    fast, general = _pair(name, KEYS[:1])
    scheme = _scheme(name)
    assert isinstance(scheme, HmacScheme)
    body = b'{"id":"evt_1"}'
    signed = fast.sign(body, timestamp=NOW, id="msg_1")
    value = signed[header]
    at = value.index(lead) + len(lead) if lead else 0
    assert _outcome(fast, body, signed, None)[0] == "ok"
    for other in _other_texts(value[at:], scheme.encoding):
        sent = {**signed, header: value[:at] + other}
        outcome = _outcome(fast, body, sent, None)
        assert outcome[0] is hooksig.MalformedSignature, other
        assert outcome == _outcome(general, body, sent, None)


def test_header_layouts_are_remembered_up_to_a_bound() -> None:
    """Each new layout of header names is learnt; past the bound it is worked out each time."""
    verifier = Verifier("github", secret=KEYS[0])
    route = _route(verifier, secrets=[KEYS[0]])
    assert route is not None
    body = b'{"id":"evt_1"}'
    signed = verifier.sign(body)
    for extra in range(MAX_LAYOUTS + 10):
        delivery = route(body, {**signed, f"X-Extra-{extra}": "1"}, None, verifier.clock, None)
        assert delivery is not None
        assert delivery.headers[f"x-extra-{extra}"] == "1"
    cells = route.__closure__ or ()  # the closure's cells hold the layout table
    tables = [cell.cell_contents for cell in cells if isinstance(cell.cell_contents, dict)]
    assert MAX_LAYOUTS in [len(table) for table in tables]


def test_the_clock_is_read_per_delivery() -> None:
    """Replacing verifier.clock after construction is honoured by the fast path."""
    verifier = Verifier("stripe", secret=KEYS[0], clock=lambda: NOW)
    headers = verifier.sign(b"{}", timestamp=NOW)
    verifier.clock = lambda: NOW + 10_000
    with pytest.raises(hooksig.TimestampOutOfTolerance):
        verifier.verify(b"{}", headers)


_: Callable[..., Any] = _outcome


def _shapes(headers: dict[str, str]) -> dict[str, Any]:
    return {
        "dict": dict(headers),
        "asgi": [
            (name.lower().encode("latin-1"), value.encode()) for name, value in headers.items()
        ],
        "view": hooksig.Headers(headers),
        "environ": hooksig.Headers.from_environ(as_environ(headers)),
    }


@pytest.mark.parametrize("name", ["github", "stripe", "standard-webhooks", "shopify", "slack"])
@pytest.mark.parametrize("shape", ["dict", "asgi", "view", "environ"])
def test_the_compiled_route_reads_the_shapes_adapters_have(name: str, shape: str) -> None:
    """A dict, ASGI's raw byte pairs and a Headers view: verified by the route, not deferred."""
    verifier = Verifier(name, secret=KEYS[0], clock=lambda: NOW)
    route = _route(verifier, secrets=[KEYS[0]])
    assert route is not None
    body = b'{"id":"evt_1"}'
    signed = verifier.sign(body, timestamp=NOW, id="msg_1")
    given = _shapes(signed)[shape]
    found = route(body, given, None, verifier.clock, verifier.replay_window)
    assert found is not None
    assert found == verifier.verify(body, _shapes(signed)["dict"])
    assert dict(found.headers) == {key.lower(): value for key, value in signed.items()}


@pytest.mark.parametrize(
    "pairs",
    [
        [(b"x-hub-signature-256", b"sha256=" + b"ab" * 32)] * 2,
        [(b"X-Hub-Signature-256", b"sha256=" + b"ab" * 32), (b"x-hub-signature-256", b"x")],
        [(b"x-hub-signature-256", b"sha256=" + b"ab" * 32, b"extra")],
        [(b"x-hub-signature-256",)],
        [(b"x-hub-signature-256", "sha256=" + "ab" * 32)],
        [("x-hub-signature-256", "sha256=" + "ab" * 32)],
        [(b"x-hub-signature-256", b"sha256=" + b"ab" * 32), ("x-github-delivery", b"d-1")],
        [],
    ],
    ids=[
        "repeated",
        "repeated-case",
        "three-items",
        "one-item",
        "str-value",
        "str-pairs",
        "mixed-name-types",
        "none",
    ],
)
def test_irregular_pairs_are_left_to_the_general_route(pairs: list[Any]) -> None:
    """Pairs the view must judge: the route answers None, verify() raises the view's error."""
    verifier = Verifier("github", secret=KEYS[0])
    route = _route(verifier, secrets=[KEYS[0]])
    assert route is not None
    assert route(b"{}", pairs, None, verifier.clock, None) is None
    fast, general = _pair("github", KEYS[:1])
    assert _outcome(fast, b"{}", pairs, None) == _outcome(general, b"{}", pairs, None)


@pytest.mark.parametrize(
    "headers",
    [
        {1: "x"},
        hooksig.Headers([("X-Hub-Signature-256", "a"), ("x-hub-signature-256", "b")]),
        hooksig.Headers({"Other": "x"}),
        hooksig.Headers.from_environ({"HTTP_X_HUB_SIGNATURE_256": b"sha256=" + b"ab" * 32}),
        hooksig.Headers.from_environ(
            {"HTTP_X_HUB_SIGNATURE_256": "sha256=" + "ab" * 32, "HTTP_X_GITHUB_DELIVERY": 7}
        ),
    ],
    ids=["int-names", "view-repeated", "view-without-signature", "environ-bytes", "environ-int"],
)
def test_what_the_view_decides(headers: Any) -> None:
    """Names that are not text, and views whose lookups refuse: the general route decides."""
    verifier = Verifier("github", secret=KEYS[0])
    route = _route(verifier, secrets=[KEYS[0]])
    assert route is not None
    assert route(b"{}", headers, None, verifier.clock, None) is None
    fast, general = _pair("github", KEYS[:1])
    assert _outcome(fast, b"{}", headers, None) == _outcome(general, b"{}", headers, None)


def test_a_public_key_scheme_without_a_key_to_verify_does_not_compile() -> None:
    """A ring that holds only a signing key leaves the general route to refuse."""
    scheme = hooksig.schemes.get("discord")
    assert isinstance(scheme, AsymmetricScheme)
    assert scheme.compile(hooksig.KeyRing((), None)) is None


@pytest.mark.parametrize("shape", ["dict", "asgi", "environ"])
@pytest.mark.parametrize(
    "sent",
    [
        {"X-GitHub-Delivery": "72d3162e-cc78-11e3"},
        {"X-GitHub-Delivery": "has a space"},
        {"X-GitHub-Delivery": "x" * 257},
        {"X-GitHub-Delivery": ""},
        {},
    ],
    ids=["id", "not-an-id", "too-long", "empty", "absent"],
)
def test_the_id_sources_header_is_read_with_the_signature(shape: str, sent: dict[str, str]) -> None:
    """GitHub's id header: read by the route when it is an id, else left to the id source."""
    fast, general = _pair("github", KEYS[:1])
    body = b'{"zen":"x"}'
    signature = fast.sign(body)["X-Hub-Signature-256"]  # sign() adds an id of its own
    signed = {"X-Hub-Signature-256": signature, **sent}
    found = fast.verify(body, _shapes(signed)[shape])
    assert found.id == general.verify(body, signed).id
    valid = sent.get("X-GitHub-Delivery") == "72d3162e-cc78-11e3"
    # Read with the signature (no headers view built for it), or left to the source.
    assert found._fields[1] == ("72d3162e-cc78-11e3" if valid else None)
    assert found.id == "72d3162e-cc78-11e3" if valid else found.id.startswith("body:")  # type: ignore[union-attr]
