"""A provider in another distribution is declared, found and used exactly like a built-in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLUGIN = Path(__file__).parent / "plugin_dist"

CHECK = """
import json, sys
import hooksig
from hooksig.scheme import CompilingScheme

scheme = hooksig.schemes.get("acme-plugin")
assert "acme-plugin" in hooksig.schemes.names()
assert type(scheme) is hooksig.HmacScheme, type(scheme)
assert isinstance(scheme, CompilingScheme)
verifier = hooksig.Verifier("acme-plugin", secret="an acme secret of 32 bytes......")
body = b'{"event": {"id": "evt_acme_1"}, "type": "thing.created"}'
headers = verifier.sign(body, timestamp=1700000000)
delivery = verifier.verify(body, headers, now=1700000000)
challenge = b'{"type": "challenge", "challenge": "c-1"}'
answer = verifier.handshake(
    verifier.verify(challenge, verifier.sign(challenge, timestamp=1700000000), now=1700000000)
)
try:
    verifier.verify(body + b" ", headers, now=1700000000)
    refused = None
except hooksig.InvalidSignature as exc:
    refused = exc.scheme
info = scheme.info
print(json.dumps({
    "id": delivery.id,
    "key_id": delivery.key_id,
    "timestamp": delivery.timestamp,
    "refused": refused,
    "answer": answer.body.decode(),
    "id_source": info.id_source.describe(),
    "evidence": info.evidence.kind,
}))
"""


def _python(*args: str, site: Path, timeout: float = 120) -> str:
    """Run this Python with *site* on the path; its output, after checking it succeeded."""
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


@pytest.mark.slow
def test_a_plugin_distribution_registers_its_scheme(tmp_path: Path) -> None:
    """Built, installed beside hooksig, found by entry point, verified, listed by the CLI."""
    site = tmp_path / "site"
    pip = ("-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(PLUGIN))
    _python(*pip, site=tmp_path, timeout=600)
    assert json.loads(_python("-c", CHECK, site=site)) == {
        "id": "evt_acme_1",
        "key_id": "0",
        "timestamp": 1_700_000_000,
        "refused": "acme-plugin",
        "answer": "c-1",
        "id_source": "body field `event.id`, else SHA-256 of the body",
        "evidence": "none",
    }
    assert "acme-plugin" in _python("-m", "hooksig", "schemes", site=site).split()
