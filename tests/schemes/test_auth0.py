"""Auth0 log streams: the Authorization token through the token contract."""

from __future__ import annotations

from typing import ClassVar

import pytest

from hooksig import InvalidSignature, Verifier
from tests.schemes.contract import BODY, TokenContract

TOKEN = "Bearer auth0-log-stream-token-0123456789"


class TestAuth0(TokenContract):
    """Auth0 Authorization header: compared exactly as configured."""

    scheme = "auth0"
    token_header = "Authorization"
    keys: ClassVar = {"secret": TOKEN}
    signs_timestamp = False
    id_source = "derived"


def test_header_is_compared_exactly_as_configured() -> None:
    """What was typed in Auth0 (here with "Bearer ") is what must arrive."""
    verifier = Verifier("auth0", secret=TOKEN)
    assert verifier.verify(BODY, {"Authorization": TOKEN}).key_id == "0"
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY, {"Authorization": TOKEN.removeprefix("Bearer ")})
