"""hooksig.schemes: get/names/register, aliases, lazy built-ins and entry-point plugins."""

from __future__ import annotations

import re
import sys
import types
from dataclasses import replace
from typing import Any

import pytest

import hooksig
from hooksig import ConfigurationError, HmacScheme, Scheme
from hooksig import schemes as registry


@pytest.fixture(autouse=True)
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give every test an empty registration table and an unread plugin table."""
    monkeypatch.setattr(registry, "_registered", {})
    monkeypatch.setattr(registry, "_plugins", None)


def _acme(name: str = "acme") -> HmacScheme:
    return HmacScheme(name=name, signature_header="X-Acme-Signature")


class _EntryPoint:
    def __init__(self, name: str, target: Any) -> None:
        self.name = name
        self.target = target
        self.loads = 0

    def load(self) -> Any:
        self.loads += 1
        if isinstance(self.target, BaseException):
            raise self.target
        return self.target


def _plugins(monkeypatch: pytest.MonkeyPatch, *eps: _EntryPoint) -> list[str]:
    groups: list[str] = []

    def entry_points(*, group: str) -> list[_EntryPoint]:
        groups.append(group)
        return list(eps)

    monkeypatch.setattr(registry, "entry_points", entry_points)
    return groups


class TestBuiltins:
    """Built-ins load lazily from the static table."""

    @pytest.mark.parametrize("name", ["github", "stripe", "shopify", "standard-webhooks"])
    def test_get_builtin(self, name: str) -> None:
        """A built-in name returns its Scheme, named the same, the same object each time."""
        scheme = registry.get(name)
        assert isinstance(scheme, Scheme)
        assert scheme.name == name
        assert registry.get(name) is scheme

    def test_every_listed_name_resolves(self) -> None:
        """Every name in names() resolves to a Scheme whose name is the canonical one."""
        for name in registry.names():
            scheme = registry.get(name)
            assert isinstance(scheme, Scheme)
            assert scheme.name == registry.ALIASES.get(name, name)

    def test_names_are_lowercase_and_hyphenated(self) -> None:
        """Registry names follow the DESIGN's naming rule and are sorted."""
        names = registry.names()
        assert names == sorted(names)
        assert {"github", "stripe", "shopify", "standard-webhooks", "svix"} <= set(names)
        for name in names:
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name

    def test_aliases_are_their_scheme(self) -> None:
        """An alias is its canonical scheme, or a declaration of it that spells the headers."""
        assert {"svix", "clerk", "resend"} <= set(registry.ALIASES)
        for alias, name in registry.ALIASES.items():
            assert registry.get(alias).name == name, alias
            if alias not in registry.SPELLINGS:
                assert registry.get(alias) is registry.get(name), alias

    def test_a_spelled_alias_differs_only_in_the_names_it_signs(self) -> None:
        """svix, clerk and resend read both spellings as standard-webhooks does, sign svix-*."""
        canonical = registry.get("standard-webhooks")
        for alias in ("svix", "clerk", "resend"):
            spelled = registry.get(alias)
            assert spelled is registry.get("svix")
            for option in ("signature_header", "timestamp_header", "id_header"):
                names = getattr(spelled, option)
                assert names[0].startswith("svix-")
                assert set(names) == set(getattr(canonical, option))
            assert replace(spelled, signature_header=canonical.signature_header,
                           timestamp_header=canonical.timestamp_header,
                           id_header=canonical.id_header, asymmetric=None) == replace(
                canonical, asymmetric=None)  # fmt: skip

    def test_a_spelling_that_is_not_its_scheme_is_refused(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A SPELLINGS entry naming another scheme's declaration is a ConfigurationError."""
        monkeypatch.setitem(registry.SPELLINGS, "svix", "hooksig.schemes.stripe")
        with pytest.raises(ConfigurationError, match="spelling"):
            registry.get("svix")

    def test_builtin_entry_that_is_not_a_scheme(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A table entry whose SCHEME is not a Scheme is a ConfigurationError."""
        module = types.ModuleType("tests_fake_provider")
        setattr(module, "SCHEME", "not a scheme")  # noqa: B010 - a module attribute made up
        monkeypatch.setitem(sys.modules, "tests_fake_provider", module)
        monkeypatch.setitem(registry.BUILTINS, "fake", "tests_fake_provider")
        with pytest.raises(ConfigurationError, match=r"not a hooksig\.Scheme"):
            registry.get("fake")

    def test_builtins_do_not_read_entry_points(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Looking up a built-in never reads the entry-point group."""
        groups = _plugins(monkeypatch)
        registry.get("github")
        registry.get("svix")
        assert groups == []


class TestGet:
    """get() refuses what it cannot resolve."""

    @pytest.mark.parametrize("bad", [None, 1, b"github"])
    def test_name_must_be_str(self, bad: Any) -> None:
        """A non-str name is a ConfigurationError."""
        with pytest.raises(ConfigurationError):
            registry.get(bad)

    def test_unknown_name(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """An unknown name (after reading plugins) is a ConfigurationError pointing at names()."""
        _plugins(monkeypatch)
        with pytest.raises(ConfigurationError, match=r"unknown scheme 'nope'.*names\(\)"):
            registry.get("nope")
        with pytest.raises(ValueError):
            registry.get("GitHub")


class TestRegister:
    """register() adds schemes and refuses clashes and non-schemes."""

    def test_register_and_get(self) -> None:
        """A registered scheme is returned by get(), listed by names() and usable by name."""
        scheme = _acme()
        assert registry.register(scheme) is scheme
        assert registry.get("acme") is scheme
        assert "acme" in registry.names()
        assert hooksig.Verifier("acme", secret="k" * 32).scheme is scheme

    def test_duplicate_name(self) -> None:
        """Registering a taken name is a ConfigurationError; the first stays."""
        first = registry.register(_acme())
        with pytest.raises(ConfigurationError, match="already registered"):
            registry.register(_acme())
        assert registry.get("acme") is first

    @pytest.mark.parametrize("name", ["github", "svix", "standard-webhooks"])
    def test_builtin_and_alias_names_are_taken(self, name: str) -> None:
        """A built-in or alias name cannot be registered by accident."""
        with pytest.raises(ConfigurationError):
            registry.register(_acme(name))

    def test_replace(self) -> None:
        """replace=True overrides deliberately, built-ins included."""
        registry.register(_acme())
        second = registry.register(_acme(), replace=True)
        assert registry.get("acme") is second
        github = registry.register(_acme("github"), replace=True)
        assert registry.get("github") is github

    @pytest.mark.parametrize("bad", [None, "github", object(), HmacScheme])
    def test_non_scheme_is_refused(self, bad: Any) -> None:
        """An object that does not implement Scheme is a ConfigurationError (a ValueError)."""
        with pytest.raises(ConfigurationError, match=r"hooksig\.Scheme"):
            registry.register(bad)

    def test_protocol_without_inheritance(self) -> None:
        """A third-party class need not inherit: implementing the Protocol is enough."""

        class Custom:
            name = "custom"
            default_tolerance = None
            info = hooksig.scheme.SchemeInfo(name="custom")
            handshake = None

            def load_keys(self, secrets: Any, **kwargs: Any) -> Any:
                return HmacScheme(name="x", signature_header="X").load_keys(secrets)

            def parse(self, request: Any) -> Any:
                raise hooksig.MissingSignature("never")

            def signed_contents(self, parsed: Any, request: Any) -> Any:
                return [[b""]]

            def match(self, keys: Any, content: Any, parsed: Any) -> str | None:
                return None

            def sign(self, keys: Any, request: Any, *, timestamp: Any, id: Any) -> dict[str, str]:
                return {}

        registry.register(Custom())  # type: ignore[arg-type]
        with pytest.raises(hooksig.MissingSignature) as info:
            hooksig.Verifier("custom", secret="k" * 32).verify(b"", {})
        assert info.value.scheme == "custom"


class TestPlugins:
    """Entry points in the hooksig.schemes group, read lazily, failing only for their name."""

    def test_plugin_scheme(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A plugin exposing a Scheme is found by name, listed, and loaded once."""
        ep = _EntryPoint("acme", _acme())
        groups = _plugins(monkeypatch, ep)
        assert registry.get("acme") is ep.target
        assert registry.get("acme") is ep.target
        assert "acme" in registry.names()
        assert groups == ["hooksig.schemes"]
        assert ep.loads == 1

    def test_plugin_factory(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A plugin may point at a factory, which is called."""
        scheme = _acme()
        _plugins(monkeypatch, _EntryPoint("acme", lambda: scheme))
        assert registry.get("acme") is scheme

    @pytest.mark.parametrize(
        "target",
        [ImportError("No module named 'acme_hooks'"), RuntimeError("boom")],
        ids=["import-error", "runtime-error"],
    )
    def test_broken_plugin_fails_only_for_its_name(
        self, monkeypatch: pytest.MonkeyPatch, target: BaseException
    ) -> None:
        """A plugin that fails to load raises ConfigurationError for its name; others still work."""
        good = _acme("good")
        _plugins(monkeypatch, _EntryPoint("broken", target), _EntryPoint("good", good))
        with pytest.raises(ConfigurationError, match="'broken' failed to load") as info:
            registry.get("broken")
        assert info.value.__cause__ is target
        assert registry.get("good") is good
        assert registry.get("github").name == "github"
        assert {"broken", "good"} <= set(registry.names())

    def test_failing_factory(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A plugin factory that raises is a ConfigurationError too."""

        def factory() -> Scheme:
            raise KeyError("missing setting")

        _plugins(monkeypatch, _EntryPoint("acme", factory))
        with pytest.raises(ConfigurationError, match="'acme' failed to load"):
            registry.get("acme")

    def test_plugin_that_is_not_a_scheme(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A plugin resolving to a non-Scheme is refused."""
        _plugins(monkeypatch, _EntryPoint("acme", 42))
        with pytest.raises(ConfigurationError, match=r"not a hooksig\.Scheme"):
            registry.get("acme")

    def test_builtins_win_over_plugins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A plugin cannot shadow a built-in name."""
        ep = _EntryPoint("github", _acme("github"))
        _plugins(monkeypatch, ep)
        assert registry.get("github") is not ep.target
        assert ep.loads == 0


def test_every_builtin_scheme_says_what_it_is_checked_against() -> None:
    """Each built-in declares its evidence, and its claims match the test tree."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    official = {path.stem for path in (root / "tests/vectors/providers/official").glob("*.json")}
    on_node = {path.name for path in (root / "tests/sdk_node").iterdir() if path.is_dir()}
    stated: set[str] = set()
    for name in registry.names():
        info = registry.get(name).info
        # Every scheme declares its evidence; an alias may have its own (its
        # provider's vector or SDK), else its scheme's covers it.
        assert all(registry.ALIASES.get(alias) == info.name for alias, _ in info.alias_evidence)
        if name in registry.ALIASES and name not in dict(info.alias_evidence):
            continue
        evidence = info.evidence_for(name)
        assert evidence is not None, name
        stated.add(name)
        assert evidence.kind in {"vector", "sdk", "both", "none"}, name
        assert evidence.against.strip(), name
        assert evidence.tests, name
        for test in evidence.tests:
            assert (root / test).is_file(), f"{name}: {test} does not exist"
        if name in official:
            assert evidence.kind in {"vector", "both"}, name
        if name in on_node:
            assert evidence.kind in {"sdk", "both"}, name
    assert official <= stated, "an official vector file has no evidence"


def test_configure_checks_what_it_is_given() -> None:
    """configure() takes a name or a Scheme, and only settings the scheme has."""
    with pytest.raises(ConfigurationError, match="registry name or a Scheme"):
        registry.configure(42)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="no setting 'nope'"):
        registry.configure("github", nope=1)
    changed = registry.configure("stripe", tolerance=60)
    assert (changed.name, changed.default_tolerance) == ("stripe", 60)
