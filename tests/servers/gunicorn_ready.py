"""
gunicorn settings for the test servers (``--config python:tests.servers.gunicorn_ready``).

gunicorn's master listens before its workers have imported the app, so an
open port is not a server that answers: on a loaded machine the first request
can wait seconds for a worker still importing Django.  Each worker marks
itself ready in ``HOOKSIG_E2E_READY`` once its app is loaded, and `serve`
waits for every worker's mark.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def post_worker_init(worker: Any) -> None:
    """Mark this worker ready: its app is loaded and it is about to accept."""
    ready = os.environ.get("HOOKSIG_E2E_READY")
    if ready:
        Path(ready, str(os.getpid())).touch()
