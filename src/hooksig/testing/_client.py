"""
`WebhookClient`: post signed deliveries through a framework's own test client.

Each framework is imported only when an application of its kind is given,
so this module loads with no extra installed.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ExtraNotInstalled
from ..verifier import Verifier
from ._bodies import Payload
from ._signing import SignedDelivery, Signer

__all__ = ["WebhookClient"]

# (path, body, headers, content type) -> the framework's response
_Post = Callable[[str, bytes, dict[str, str], str], Any]


def _module(obj: object) -> str:
    """The module that defines *obj*'s type."""
    return type(obj).__module__ or ""


def _is_asgi(app: object) -> bool:
    """Whether *app* is called as ``await app(scope, receive, send)``."""
    call = app if inspect.isfunction(app) else type(app).__call__
    return inspect.iscoroutinefunction(call)


def _starlette_client(app: Any) -> Any:
    """Starlette's TestClient for ASGI *app*, imported with its httpx notice silenced."""
    try:
        with warnings.catch_warnings():
            # Starlette 1.x prefers the httpx2 package and warns when it falls back to httpx.
            warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
            from starlette.testclient import TestClient
    except ImportError as exc:
        if exc.name == "starlette":
            raise ExtraNotInstalled("fastapi", "starlette") from None
        raise ImportError(
            "posting to an ASGI application needs starlette's TestClient, which needs httpx: "
            "pip install httpx"
        ) from exc
    return TestClient(app)


def _werkzeug_client(app: Any) -> Any:
    """Werkzeug's test client for WSGI *app*."""
    try:
        from werkzeug.test import Client
    except ImportError:
        raise ExtraNotInstalled("flask", "werkzeug") from None
    return Client(app)


def _form_post(client: Any) -> _Post:
    """Werkzeug-style clients (Flask's included): ``data=`` and ``content_type=``."""

    def post(path: str, body: bytes, headers: dict[str, str], content_type: str) -> Any:
        """Post with ``data=`` and ``content_type=``."""
        return client.post(path, data=body, headers=headers, content_type=content_type)

    return post


def _content_post(client: Any) -> _Post:
    """httpx-style clients (Starlette's TestClient): ``content=`` and the header."""

    def post(path: str, body: bytes, headers: dict[str, str], content_type: str) -> Any:
        """Post with ``content=`` and a Content-Type header."""
        return client.post(path, content=body, headers={"Content-Type": content_type, **headers})

    return post


def _django_post(client: Any) -> _Post:
    """Django's ``Client`` and ``AsyncClient``: ``content_type=`` and ``headers=`` (4.2+)."""

    def post(path: str, body: bytes, headers: dict[str, str], content_type: str) -> Any:
        """Post with Django's ``content_type=`` and ``headers=``."""
        return client.post(path, data=body, content_type=content_type, headers=headers)

    return post


class WebhookClient:
    """
    Post signed deliveries to your application through its framework's test client.

    Give it what your tests already have:

    - a Flask application (its ``test_client()`` is used) or a Flask/Werkzeug test client;
    - a Django ``django.test.Client`` (or ``AsyncClient``, whose responses you await);
    - a FastAPI or Starlette application, or any ASGI application such as
      :class:`hooksig.integrations.asgi.WebhookMiddleware` (through Starlette's
      ``TestClient``, which needs ``httpx``), or a ``TestClient`` you made;
    - any other WSGI application, such as
      :class:`hooksig.integrations.wsgi.WebhookMiddleware` (through Werkzeug's client).

    Each framework is imported only when you pass an application of its kind.
    The response is the framework's own: check ``response.status_code``.

    ::

        client = WebhookClient(app)
        response = client.send("github", {"zen": "hi"}, path="/hooks/github")
        assert response.status_code == 200

    Args:
        app: the application or test client.
        signer: makes the :class:`~hooksig.testing.Signer` for :meth:`send`;
            the pytest fixture binds it to ``hooksig_clock``.

    Raises:
        TypeError: *app* is none of the above.

    .. versionadded:: 0.1
    """

    def __init__(self, app: object, *, signer: Callable[..., Signer] = Signer) -> None:
        """Pick the way to post to *app*; see the class docstring."""
        self._signer = signer
        self._owned: Any = None
        self._post = self._poster(app)

    def _poster(self, app: object) -> _Post:
        """Return the function that posts to *app*, importing its framework now."""
        module = _module(app)
        if module.startswith("django.test"):
            return _django_post(app)
        if module.startswith(("starlette.testclient", "fastapi.testclient", "httpx")):
            return _content_post(app)
        if module.startswith(("werkzeug.test", "flask.testing")):
            return _form_post(app)
        test_client = getattr(app, "test_client", None)
        if callable(test_client):
            return _form_post(test_client())
        if not callable(app):
            raise TypeError(
                f"cannot post to a {type(app).__name__}: give a Flask, Starlette or FastAPI "
                "application, a Django test Client, or an ASGI or WSGI application"
            )
        if _is_asgi(app):
            self._owned = _starlette_client(app)
            return _content_post(self._owned)
        return _form_post(_werkzeug_client(app))

    def post(
        self,
        delivery: SignedDelivery,
        *,
        path: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """
        Post *delivery* (its body, headers and content type) and return the response.

        Args:
            delivery: what to send, from a :class:`~hooksig.testing.Signer` or a strategy.
            path: where to post it instead of ``delivery.path``; a scheme that
                signs the URL will then see another URL than the one signed.
            headers: more headers, sent after (and over) the delivery's.

        .. versionadded:: 0.1
        """
        sent = {**delivery.headers, **(headers or {})}
        target = delivery.path if path is None else path
        return self._post(target, delivery.body, sent, delivery.content_type)

    def send(
        self,
        scheme: str,
        body: Payload | None = None,
        *,
        path: str,
        timestamp: int | None = None,
        id: str | None = None,
        secret: str | bytes | None = None,
        verifier: Verifier | None = None,
    ) -> Any:
        """
        Sign *body* as provider *scheme* would, post it to *path*, and return the response.

        Your application's verifier must accept what is signed here: give it
        the same secret (:data:`~hooksig.testing.TEST_SECRET` by default), or
        pass *verifier* (your application's own, which signs as well).  For a
        scheme that signs the URL, the URL signed is the verifier's
        ``public_url`` joined with *path*, as your verifier rebuilds it.

        Args:
            scheme: a registered scheme name.
            body: as for :meth:`~hooksig.testing.Signer.delivery`; a sample body when omitted.
            path: where to post.
            timestamp: the Unix seconds to sign; the signer's clock by default.
            id: the delivery id; the scheme makes one up when omitted.
            secret: the shared secret, when not :data:`~hooksig.testing.TEST_SECRET`.
            verifier: sign with this verifier (then *secret* must be omitted).

        .. versionadded:: 0.1
        """
        options: dict[str, Any] = {}
        if secret is not None:
            options["secret"] = secret
        if verifier is not None:
            options["verifier"] = verifier
        signer = self._signer(scheme, **options)
        return self.post(signer.delivery(body, timestamp=timestamp, id=id, path=path))

    def close(self) -> None:
        """
        Close the test client this object made, if any.

        .. versionadded:: 0.1
        """
        owned, self._owned = self._owned, None
        if owned is not None:
            owned.close()

    def __enter__(self) -> WebhookClient:
        """Return this client, closed by ``__exit__``."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the test client this object made."""
        self.close()
