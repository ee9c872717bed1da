"""Send one signed GitHub-style delivery to a local example receiver.

    python examples/send.py http://127.0.0.1:8000/hooks/github [delivery-id]

Run it twice with the same id to see the duplicate answered 200 "already handled".
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
import uuid

import hooksig

SECRET = os.environ.get("HOOKSIG_GITHUB_SECRET", "demo-secret-change-me-0123456789")


def main() -> None:
    """Sign a small JSON body and POST it."""
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/hooks/github"
    delivery_id = sys.argv[2] if len(sys.argv) > 2 else str(uuid.uuid4())
    body = b'{"action":"opened","number":1}'
    headers = hooksig.Verifier("github", secret=SECRET).sign(body, id=delivery_id)
    headers.update({"X-GitHub-Delivery": delivery_id, "Content-Type": "application/json"})
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            print(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        print(error.code, error.read().decode())


if __name__ == "__main__":
    main()
