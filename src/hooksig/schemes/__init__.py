"""
The scheme registry: ``get``, ``names`` and ``register``.

Built-in providers sit in a static name -> module table and are imported
only when their name is first asked for, so ``import hooksig`` loads no
provider.  Other packages add providers through the ``hooksig.schemes``
entry-point group, read once, on the first lookup of a name that is
neither registered nor built in.

.. versionadded:: 0.1
"""

from __future__ import annotations

import dataclasses
import importlib
import threading
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from hooksig.errors import ConfigurationError
from hooksig.scheme import Scheme

__all__ = ["configure", "get", "names", "register"]

#: Built-in providers: registry name -> module defining ``SCHEME``
#: (or ``module:ATTRIBUTE`` where one module declares a provider's variants).
BUILTINS: dict[str, str] = {
    "adyen": "hooksig.schemes.adyen",
    "airtable": "hooksig.schemes.airtable",
    "apple-app-store": "hooksig.schemes.apple_app_store",
    "asana": "hooksig.schemes.asana",
    "auth0": "hooksig.schemes.auth0",
    "aws-sns": "hooksig.schemes.aws_sns",
    "azure-event-grid": "hooksig.schemes.azure_event_grid",
    "basic-auth": "hooksig.schemes.basic_auth",
    "bitbucket": "hooksig.schemes.bitbucket",
    "box": "hooksig.schemes.box",
    "braintree": "hooksig.schemes.braintree",
    "cal-com": "hooksig.schemes.cal_com",
    "calendly": "hooksig.schemes.calendly",
    "cashfree": "hooksig.schemes.cashfree",
    "checkout": "hooksig.schemes.checkout",
    "clickup": "hooksig.schemes.clickup",
    "cloudflare": "hooksig.schemes.cloudflare",
    "coinbase-commerce": "hooksig.schemes.coinbase_commerce",
    "contentful": "hooksig.schemes.contentful",
    "discord": "hooksig.schemes.discord",
    "dixa": "hooksig.schemes.dixa",
    "docusign": "hooksig.schemes.docusign",
    "dropbox": "hooksig.schemes.dropbox",
    "dropbox-sign": "hooksig.schemes.dropbox_sign",
    "easypost": "hooksig.schemes.easypost",
    "figma": "hooksig.schemes.figma",
    "github": "hooksig.schemes.github",
    "gitlab": "hooksig.schemes.gitlab",
    "gitlab-signed": "hooksig.schemes.gitlab:SIGNED",
    "gocardless": "hooksig.schemes.gocardless",
    "google-pubsub": "hooksig.schemes.google_pubsub",
    "grafana": "hooksig.schemes.grafana",
    "grafana-timestamped": "hooksig.schemes.grafana:TIMESTAMPED",
    "hubspot": "hooksig.schemes.hubspot",
    "hubspot-v1": "hooksig.schemes.hubspot:V1",
    "hubspot-v2": "hooksig.schemes.hubspot:V2",
    "intercom": "hooksig.schemes.intercom",
    "jira": "hooksig.schemes.jira",
    "lemon-squeezy": "hooksig.schemes.lemon_squeezy",
    "line": "hooksig.schemes.line",
    "linear": "hooksig.schemes.linear",
    "mailgun": "hooksig.schemes.mailgun",
    "mandrill": "hooksig.schemes.mandrill",
    "meta": "hooksig.schemes.meta",
    "microsoft-graph": "hooksig.schemes.microsoft_graph",
    "mollie": "hooksig.schemes.mollie",
    "mux": "hooksig.schemes.mux",
    "notion": "hooksig.schemes.notion",
    "okta": "hooksig.schemes.okta",
    "onfido": "hooksig.schemes.onfido",
    "paddle": "hooksig.schemes.paddle",
    "paddle-classic": "hooksig.schemes.paddle_classic",
    "paypal": "hooksig.schemes.paypal",
    "paystack": "hooksig.schemes.paystack",
    "persona": "hooksig.schemes.persona",
    "plaid": "hooksig.schemes.plaid",
    "plivo": "hooksig.schemes.plivo",
    "plivo-v2": "hooksig.schemes.plivo:V2",
    "polar": "hooksig.schemes.polar",
    "razorpay": "hooksig.schemes.razorpay",
    "recurly": "hooksig.schemes.recurly",
    "revolut": "hooksig.schemes.revolut",
    "sanity": "hooksig.schemes.sanity",
    "segment": "hooksig.schemes.segment",
    "sendgrid": "hooksig.schemes.sendgrid",
    "sentry": "hooksig.schemes.sentry",
    "shopify": "hooksig.schemes.shopify",
    "sinch": "hooksig.schemes.sinch",
    "slack": "hooksig.schemes.slack",
    "square": "hooksig.schemes.square",
    "square-sha1": "hooksig.schemes.square:SHA1",
    "standard-webhooks": "hooksig.schemes.standard_webhooks",
    "stripe": "hooksig.schemes.stripe",
    "supabase": "hooksig.schemes.supabase",
    "supabase-db": "hooksig.schemes.supabase_db",
    "telegram": "hooksig.schemes.telegram",
    "telnyx": "hooksig.schemes.telnyx",
    "trello": "hooksig.schemes.trello",
    "twilio": "hooksig.schemes.twilio",
    "twilio-sha256": "hooksig.schemes.twilio:SHA256",
    "twitch": "hooksig.schemes.twitch",
    "typeform": "hooksig.schemes.typeform",
    "vercel": "hooksig.schemes.vercel",
    "vonage": "hooksig.schemes.vonage",
    "webflow": "hooksig.schemes.webflow",
    "wise": "hooksig.schemes.wise",
    "woocommerce": "hooksig.schemes.woocommerce",
    "workos": "hooksig.schemes.workos",
    "x": "hooksig.schemes.x",
    "xero": "hooksig.schemes.xero",
    "zendesk": "hooksig.schemes.zendesk",
    "zoom": "hooksig.schemes.zoom",
}

#: Other names for a built-in scheme.
ALIASES: dict[str, str] = {
    "anthropic": "standard-webhooks",
    "brevo": "basic-auth",
    "chargebee": "basic-auth",
    "clerk": "standard-webhooks",
    "customer-io-cdp": "segment",
    "dodo-payments": "standard-webhooks",
    "instagram": "meta",
    "mailjet": "basic-auth",
    "messenger": "meta",
    "openai": "standard-webhooks",
    "pipedrive": "basic-auth",
    "postmark": "basic-auth",
    "render": "standard-webhooks",
    "replicate": "standard-webhooks",
    "resend": "standard-webhooks",
    "sparkpost": "basic-auth",
    "svix": "standard-webhooks",
    "whatsapp": "meta",
}

#: Aliases whose provider sends the headers under other names: the declaration
#: (``module:ATTRIBUTE``) that spells them so.  It has the scheme's name and reads
#: every spelling, as the scheme does; only ``sign()`` writes the alias's own.
SPELLINGS: dict[str, str] = {
    "clerk": "hooksig.schemes.standard_webhooks:SVIX",  # Clerk's SDK reads svix-* only
    "resend": "hooksig.schemes.standard_webhooks:SVIX",
    "svix": "hooksig.schemes.standard_webhooks:SVIX",
}

ENTRY_POINT_GROUP = "hooksig.schemes"

_registered: dict[str, Scheme] = {}
_lock = threading.Lock()
_plugins: dict[str, EntryPoint] | None = None


def register(scheme: Scheme, *, replace: bool = False) -> Scheme:
    """
    Add *scheme* to the registry under ``scheme.name`` and return it.

    Raises:
        ConfigurationError: *scheme* does not implement :class:`~hooksig.Scheme`,
            or its name is taken (pass ``replace=True`` to override deliberately).
    """
    if not isinstance(scheme, Scheme):
        raise ConfigurationError("register() takes an object implementing hooksig.Scheme")
    name = scheme.name
    with _lock:
        taken = name in _registered or name in BUILTINS or name in ALIASES
        if taken and not replace:
            raise ConfigurationError(f"a scheme named {name!r} is already registered")
        _registered[name] = scheme
    return scheme


def names() -> list[str]:
    """Every name :func:`get` accepts: built-ins, aliases, registered and plugin schemes."""
    return sorted({*BUILTINS, *ALIASES, *_registered, *_load_plugins()})


def get(name: str) -> Scheme:
    """
    Return the scheme registered under *name* (or an alias of it).

    Raises:
        ConfigurationError: no such scheme, or its plugin failed to load.
    """
    if not isinstance(name, str):
        raise ConfigurationError("a scheme name is a string")
    spelled = SPELLINGS.get(name)
    if spelled is not None:
        scheme = _declared(spelled)
        if not isinstance(scheme, Scheme) or scheme.name != ALIASES[name]:
            raise ConfigurationError(f"the {name!r} spelling is not a {ALIASES[name]!r} scheme")
        return scheme
    name = ALIASES.get(name, name)
    found = _registered.get(name)
    if found is not None:
        return found
    module_name = BUILTINS.get(name)
    if module_name is not None:
        scheme = _declared(module_name)
    else:
        plugin = _load_plugins().get(name)
        if plugin is None:
            raise ConfigurationError(f"unknown scheme {name!r}; see hooksig.schemes.names()")
        scheme = _load_plugin(name, plugin)
    if not isinstance(scheme, Scheme):
        raise ConfigurationError(f"the {name!r} entry is not a hooksig.Scheme")
    with _lock:
        return _registered.setdefault(name, scheme)


def configure(scheme: str | Scheme, /, **settings: Any) -> Scheme:
    """
    Return *scheme* (a name or a Scheme) with *settings* changed: a provider's options.

    Some providers need settings beyond a key: Google Pub/Sub the service
    account its tokens name (``email=``), Apple the app (``bundle_id=``),
    AWS SNS the topics you expect (``topics=``), and a scheme answers an
    unsigned endpoint check only once given a ``challenge=``.  The result is
    a new scheme under the same name; pass it to :class:`hooksig.Verifier`.

    Raises:
        ConfigurationError: unknown scheme, or a setting it does not have.

    .. versionadded:: 0.1
    """
    base = get(scheme) if isinstance(scheme, str) else scheme
    if not isinstance(base, Scheme):
        raise ConfigurationError("configure() takes a registry name or a Scheme")
    hook = getattr(base, "configured", None)
    if hook is not None:
        configured: Scheme = hook(**settings)
        return configured
    known: set[str] = (
        {f.name for f in dataclasses.fields(base) if f.init}
        if dataclasses.is_dataclass(base)
        else set()
    )
    unknown = sorted(set(settings) - known)
    if unknown:
        raise ConfigurationError(f"the {base.name} scheme has no setting {unknown[0]!r}")
    return dataclasses.replace(base, **settings)  # type: ignore[type-var]


def _declared(entry: str) -> object:
    """The object a ``module`` or ``module:ATTRIBUTE`` table entry names (``SCHEME`` by default)."""
    module_name, _, attribute = entry.partition(":")
    return getattr(importlib.import_module(module_name), attribute or "SCHEME")


def _load_plugins() -> dict[str, EntryPoint]:
    global _plugins  # noqa: PLW0603 - read once, lazily, then cached for the process
    if _plugins is None:
        _plugins = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return _plugins


def _load_plugin(name: str, entry_point: EntryPoint) -> object:
    try:
        loaded = entry_point.load()
        return loaded() if callable(loaded) and not isinstance(loaded, Scheme) else loaded
    except Exception as exc:
        # A broken plugin (or plugin factory) fails loudly, but only for the name asked for.
        raise ConfigurationError(f"the plugin scheme {name!r} failed to load: {exc}") from exc
