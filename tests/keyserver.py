"""
A real HTTPS server on 127.0.0.1 with its own test CA, serving key documents to KeySource.

The CA and the server's certificate (for the IP address 127.0.0.1) are made
here with ``cryptography``; a client trusts the CA through :attr:`KeyServer.context`.
Each route answers with a fixed status, headers and body, optionally after a
stall or dripping its body byte by byte; every request is recorded, so a test
can count what reached the server (and assert that nothing did).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import ssl
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from hooksig.keysource import HttpsFetch, UrlRule


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    stall: float = 0.0
    drip: float = 0.0
    length: bool = True
    drip_head: bool = False


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    method: str
    path: str
    body: bytes


def _certificate(
    subject: str, key: object, issuer: tuple[str, object] | None, ip: bool
) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    issuer_name, issuer_key = issuer or (subject, key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(key.public_key())  # type: ignore[attr-defined]
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=not ip, path_length=None), critical=True)
        # What Python 3.13's strict verification (VERIFY_X509_STRICT) asks of a chain.
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()),  # type: ignore[attr-defined]
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                issuer_key.public_key()  # type: ignore[attr-defined]
            ),
            critical=False,
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=not ip,
                crl_sign=not ip,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if ip:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())  # type: ignore[arg-type]


class KeyServer:
    """An HTTPS server on a free loopback port; ``routes`` maps a path to its :class:`Route`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        ca_key = ec.generate_private_key(ec.SECP256R1())
        self.ca = _certificate("hooksig test CA", ca_key, None, ip=False)
        server_key = ec.generate_private_key(ec.SECP256R1())
        certificate = _certificate("127.0.0.1", server_key, ("hooksig test CA", ca_key), ip=True)
        self._dir = tempfile.TemporaryDirectory()
        chain = Path(self._dir.name) / "server.pem"
        chain.write_bytes(
            certificate.public_bytes(serialization.Encoding.PEM)
            + server_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(chain)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        # The handshake runs in the request's thread, where a failed one is closed cleanly.
        self._httpd.socket = server_context.wrap_socket(
            self._httpd.socket, server_side=True, do_handshake_on_connect=False
        )
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def context(self) -> ssl.SSLContext:
        """A client context that trusts this server's CA (and nothing else)."""
        pem = self.ca.public_bytes(serialization.Encoding.PEM).decode("ascii")
        return ssl.create_default_context(cadata=pem)

    def url(self, path: str) -> str:
        """The https URL of *path* on this server."""
        return f"https://127.0.0.1:{self.port}{path}"

    def rule(self, path: str = r"/.*", query: str | None = None) -> UrlRule:
        """A rule admitting this server (for tests only: providers' rules name their hosts)."""
        return UrlRule(host=r"127\.0\.0\.1", path=path, query=query, port=self.port)

    def fetch(self, timeout: float = 2.0, max_bytes: int = 65536) -> HttpsFetch:
        """The standard-library fetch, trusting this server's CA."""
        return HttpsFetch(timeout=timeout, max_bytes=max_bytes, ssl_context=self.context)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

            def handle(self) -> None:
                """Serve, and let a client that went away go: its test checks its own side."""
                # A fetch past its deadline, or one that refused the certificate, closes
                # the connection under a stalled or dripping route; socketserver would
                # print the write's traceback to stderr, after the test that caused it.
                with contextlib.suppress(ConnectionError, ssl.SSLError, TimeoutError):
                    super().handle()

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.seen.append(Seen(self.command, self.path, body))
                route = server.routes.get(self.path.split("?")[0], Route(b"not found", 404))
                time.sleep(route.stall)
                if route.drip_head:
                    self._drip_all(route)
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                if route.drip:
                    for index in range(len(route.body)):
                        self.wfile.write(route.body[index : index + 1])
                        self.wfile.flush()
                        time.sleep(route.drip)
                else:
                    self.wfile.write(route.body)

            def _drip_all(self, route: Route) -> None:
                # The status line and headers too, a byte at a time.
                head = f"HTTP/1.1 {route.status} OK\r\nContent-Length: {len(route.body)}\r\n\r\n"
                data = head.encode("ascii") + route.body
                self.close_connection = True
                for index in range(len(data)):
                    self.wfile.write(data[index : index + 1])
                    self.wfile.flush()
                    time.sleep(route.drip)

            do_GET = _answer  # noqa: N815
            do_POST = _answer  # noqa: N815

        return Handler

    def start(self) -> KeyServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and remove the key material."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._dir.cleanup()


@contextmanager
def key_server() -> Iterator[KeyServer]:
    """A running :class:`KeyServer`, stopped afterwards."""
    server = KeyServer().start()
    try:
        yield server
    finally:
        server.stop()
