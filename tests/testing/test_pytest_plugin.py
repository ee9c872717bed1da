"""The pytest plugin, from a user's point of view: small test files run with pytester."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest

pytest_plugins = ["pytester"]

#: Each user suite runs with warnings as errors, like ours.
INI = """
[pytest]
filterwarnings = error
"""


@pytest.fixture
def user(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester directory with a strict ini, as a user's project."""
    pytester.makeini(INI)
    return pytester


def test_plugin_is_registered_through_the_pytest11_entry_point() -> None:
    """The distribution declares the plugin under pytest11 as hooksig."""
    found = {
        entry.name: entry.value
        for entry in importlib.metadata.entry_points(group="pytest11")
        if entry.dist is not None and entry.dist.name == "hooksig"
    }
    assert found == {"hooksig": "hooksig.testing.pytest_plugin"}


def test_plugin_loads_without_being_named(user: pytest.Pytester) -> None:
    """A user's suite gets the plugin from the entry point, with no -p and no conftest."""
    user.makepyfile(
        """
        import hooksig.testing.pytest_plugin as plugin

        def test_loaded(request):
            assert request.config.pluginmanager.get_plugin("hooksig") is plugin
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_plugin_can_be_disabled(user: pytest.Pytester) -> None:
    """-p no:hooksig removes the fixtures."""
    user.makepyfile(
        """
        def test_clock(hooksig_clock):
            pass
        """
    )
    result = user.runpytest("-p", "no:hooksig")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'hooksig_clock' not found*"])


def test_clock_and_signer_fixtures(user: pytest.Pytester) -> None:
    """hooksig_signer stamps hooksig_clock's time; advancing the clock makes a delivery stale."""
    user.makepyfile(
        """
        import pytest
        import hooksig

        def test_fresh_then_stale(hooksig_clock, hooksig_signer):
            hooksig_clock.now = 1_700_000_000
            signer = hooksig_signer("stripe", secret="a-stripe-secret-0123456789abcdef")
            delivery = signer.delivery({"type": "invoice.paid"}, id="evt_1")
            assert delivery.timestamp == 1_700_000_000
            assert signer.verifier.verify(delivery.body, delivery.headers).json() == {
                "type": "invoice.paid"
            }
            assert hooksig_clock.advance(301) == 1_700_000_301
            with pytest.raises(hooksig.TimestampOutOfTolerance):
                signer.verifier.verify(delivery.body, delivery.headers)

        def test_clock_is_a_verifier_clock(hooksig_clock, hooksig_signer):
            verifier = hooksig.Verifier("slack", secret="s" * 32, clock=hooksig_clock)
            delivery = hooksig_signer("slack", verifier=verifier).delivery(b"{}")
            assert verifier.verify(delivery.body, delivery.headers).timestamp == hooksig_clock.now

        def test_each_test_gets_a_fresh_clock(hooksig_clock):
            import time
            assert abs(hooksig_clock.now - time.time()) < 60
        """
    )
    user.runpytest().assert_outcomes(passed=3)


def test_store_and_guard_fixtures(user: pytest.Pytester) -> None:
    """hooksig_guard refuses a duplicate, and its leases expire only on hooksig_clock."""
    user.makepyfile(
        """
        import pytest
        import hooksig
        from hooksig.idempotency import MemoryStore

        def test_duplicate(hooksig_guard, hooksig_store):
            assert isinstance(hooksig_store, MemoryStore)
            assert hooksig_guard.store is hooksig_store
            with hooksig_guard.claim("evt_1"):
                pass
            with pytest.raises(hooksig.DuplicateDelivery):
                with hooksig_guard.claim("evt_1"):
                    pass

        def test_lease_follows_the_clock(hooksig_guard, hooksig_clock):
            hooksig_guard.claim("evt_2").__enter__()
            with pytest.raises(hooksig.DuplicateDelivery):
                hooksig_guard.claim("evt_2").__enter__()
            hooksig_clock.advance(hooksig_guard.lease + 1)
            with hooksig_guard.claim("evt_2"):
                pass

        def test_stores_are_fresh_per_test(hooksig_store):
            assert len(hooksig_store) == 0
        """
    )
    user.runpytest().assert_outcomes(passed=3)


def test_client_fixture_with_flask(user: pytest.Pytester) -> None:
    """hooksig_client posts signed deliveries to a Flask app: genuine 200, forged and stale 403."""
    user.makepyfile(
        """
        from flask import Flask
        import hooksig
        from hooksig.testing import TEST_SECRET
        from hooksig.integrations.flask import webhook

        app = Flask(__name__)
        seen = []
        twilio_verifier = hooksig.Verifier(
            "twilio", secret=TEST_SECRET, public_url="https://example.com"
        )

        @app.post("/hooks/twilio")
        @webhook(twilio_verifier)
        def twilio(delivery):
            return delivery.body

        @app.post("/hooks/github")
        @webhook(hooksig.Verifier("github", secret=TEST_SECRET))
        def github(delivery):
            seen.append(delivery.json())
            return "ok"

        def test_genuine(hooksig_client):
            response = hooksig_client(app).send("github", {"zen": "hi"}, path="/hooks/github")
            assert response.status_code == 200
            assert seen[-1] == {"zen": "hi"}

        def test_forged(hooksig_client):
            client = hooksig_client(app)
            response = client.send(
                "github", b"{}", path="/hooks/github", secret="wrong-secret-0123456789abcdef"
            )
            assert response.status_code == 403

        def test_twilio_url(hooksig_client, hooksig_signer):
            signer = hooksig_signer("twilio", verifier=twilio_verifier)
            delivery = signer.delivery({"Body": "hi"}, path="/hooks/twilio")
            response = hooksig_client(app).post(delivery)
            assert (response.status_code, response.data) == (200, b"Body=hi")
        """
    )
    user.runpytest().assert_outcomes(passed=3)


def test_client_fixture_with_fastapi(user: pytest.Pytester) -> None:
    """hooksig_client posts to a FastAPI app; a clock moved past the window makes it answer 403."""
    user.makepyfile(
        """
        from typing import Annotated
        from fastapi import Depends, FastAPI
        import hooksig
        from hooksig.integrations.fastapi import VerifiedDelivery

        def make_app(verifier):
            app = FastAPI()

            @app.post("/hooks/stripe")
            async def stripe(
                delivery: Annotated[hooksig.Delivery, Depends(VerifiedDelivery(verifier))],
            ) -> dict:
                return delivery.json()

            return app

        def test_fresh_and_stale(hooksig_client, hooksig_signer, hooksig_clock):
            signer = hooksig_signer("stripe")
            client = hooksig_client(make_app(signer.verifier))
            fresh = signer.delivery({"type": "invoice.paid"}, path="/hooks/stripe")
            response = client.post(fresh)
            assert (response.status_code, response.json()) == (200, {"type": "invoice.paid"})
            hooksig_clock.advance(3600)
            assert client.post(fresh).status_code == 403
        """
    )
    user.runpytest().assert_outcomes(passed=1)


def test_client_fixture_with_django(user: pytest.Pytester) -> None:
    """hooksig_client posts through Django's test Client (run in its own process)."""
    user.makeconftest(
        """
        import django
        from django.conf import settings

        settings.configure(
            DEBUG=False,
            SECRET_KEY="user-tests-" + "x" * 40,
            ALLOWED_HOSTS=["testserver"],
            ROOT_URLCONF="test_django_user",
            INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
            DATABASES={},
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        )
        django.setup()
        """
    )
    user.makepyfile(
        test_django_user="""
        from django.test import Client
        from django.urls import path
        import hooksig
        from hooksig.testing import TEST_SECRET
        from hooksig.integrations.django import webhook_view

        @webhook_view(hooksig.Verifier("shopify", secret=TEST_SECRET))
        def shopify(request, delivery):
            from django.http import HttpResponse
            return HttpResponse(delivery.id)

        urlpatterns = [path("hooks/shopify/", shopify)]

        def test_genuine_and_duplicate_ids(hooksig_client):
            client = hooksig_client(Client())
            response = client.send("shopify", {"id": 1}, path="/hooks/shopify/", id="w-9")
            assert (response.status_code, response.content) == (200, b"w-9")
            forged = client.send("shopify", b"{}", path="/hooks/shopify/", secret="z" * 32)
            assert forged.status_code == 403
        """
    )
    user.runpytest_subprocess().assert_outcomes(passed=1)


def test_strategies_in_a_user_suite(user: pytest.Pytester) -> None:
    """A user's @given test composes their payload strategy with deliveries()."""
    user.makepyfile(
        """
        import pytest
        from hypothesis import given, settings, strategies as st
        from hooksig.testing.strategies import deliveries, tampered_deliveries

        events = st.fixed_dictionaries({"type": st.sampled_from(["a", "b"])})

        @settings(max_examples=5)
        @given(deliveries("stripe", bodies=events))
        def test_accepts(delivery):
            assert delivery.verify().json()["type"] in {"a", "b"}

        @settings(max_examples=5)
        @given(tampered_deliveries("stripe", bodies=events))
        def test_refuses(delivery):
            with pytest.raises(delivery.error):
                delivery.verify()
        """
    )
    user.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_plugin_imports_no_framework_or_hypothesis() -> None:
    """The plugin module loads with every framework and Hypothesis unimportable."""
    code = (
        "import sys\n"
        "for name in ('hypothesis', 'flask', 'werkzeug', 'django', 'starlette', 'fastapi', "
        "'httpx'):\n"
        "    sys.modules[name] = None\n"
        "import hooksig.testing.pytest_plugin as plugin\n"
        "print(sorted(n for n in plugin.__all__ if n.startswith('hooksig_')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == [
        "['hooksig_client',",
        "'hooksig_clock',",
        "'hooksig_guard',",
        "'hooksig_signer',",
        "'hooksig_store']",
    ]
