"""Supabase Database Webhooks: Authorization: Bearer <token>, through the token contract."""

from __future__ import annotations

from typing import ClassVar

import pytest

from hooksig import InvalidSignature, MalformedSignature, Verifier
from tests.schemes.contract import BODY, TokenContract

TOKEN = "supabase-db-webhook-token-0123456789"


class TestSupabaseDb(TokenContract):
    """The token after Bearer, compared in constant time."""

    scheme = "supabase-db"
    token_header = "Authorization"
    keys: ClassVar = {"secret": TOKEN}
    signs_timestamp = False
    id_source = "derived"


def test_bearer_prefix_is_required_and_not_part_of_the_token() -> None:
    """sign() writes Bearer <token>; a bare token or another token is refused."""
    verifier = Verifier("supabase-db", secret=TOKEN)
    assert verifier.sign(BODY) == {"Authorization": f"Bearer {TOKEN}"}
    assert verifier.verify(BODY, {"Authorization": f"Bearer {TOKEN}"}).key_id == "0"
    with pytest.raises(MalformedSignature):
        verifier.verify(BODY, {"Authorization": TOKEN})
    with pytest.raises(InvalidSignature):
        verifier.verify(BODY, {"Authorization": f"Bearer {TOKEN}x"})
