"""Dropbox Sign against its SDK's EventCallbackHelper, both ways."""

from __future__ import annotations

import json
from typing import Any

from hooksig import Verifier
from tests.schemes.test_dropbox_sign import API_KEY, _signed


def _is_valid(document: Any) -> bool:
    # Imported here, not at the top: every test worker collects this module, and the
    # SDK takes seconds to import; only the worker that runs the test pays for it.
    from dropbox_sign import EventCallbackHelper
    from dropbox_sign.models.event_callback_request import EventCallbackRequest

    return bool(EventCallbackHelper.is_valid(API_KEY, EventCallbackRequest.init(document)))


def test_the_sdk_accepts_what_hooksig_signs() -> None:
    """EventCallbackHelper.is_valid accepts the event_hash sign() writes."""
    document = json.loads(_signed())
    assert _is_valid(document)


def test_hooksig_accepts_the_sdks_hash() -> None:
    """The SDK's own recipe (checked with is_valid) verifies here, also as multipart/form-data."""
    body = _signed()
    assert _is_valid(json.loads(body))
    verifier = Verifier("dropbox-sign", secret=API_KEY)
    assert verifier.verify(body, {}).timestamp == 1348177752
    boundary = "hooksigboundary"
    multipart = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="json"\r\n\r\n'.encode()
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    assert verifier.verify(multipart, headers).timestamp == 1348177752
