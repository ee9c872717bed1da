"""The streamed form (hooksig.scheme._form) against the twilio SDK's RequestValidator."""

from __future__ import annotations

import tracemalloc
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

import hooksig
from tests.scheme.test_form import TOKEN, URL, _big_form


def test_large_form_verifies_with_a_small_constant_above_the_body() -> None:
    """An 8 MiB form: the twilio SDK's signature verifies, holding under 1 MiB above the body."""
    body, params = _big_form(8 * 1024 * 1024)
    signature = RequestValidator(TOKEN).compute_signature(URL, params)
    verifier = hooksig.Verifier(
        "twilio", secret=TOKEN, public_url=hooksig.PerCallUrl(), max_body_size=len(body)
    )
    headers = {"X-Twilio-Signature": signature}
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        assert verifier.verify(body, headers, url=URL).key_id == "0"
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024, f"{peak / 1024:.0f} KiB above the body"


@settings(max_examples=200, deadline=None)
@given(
    params=st.dictionaries(
        st.text(max_size=4),
        st.text(max_size=6) | st.lists(st.text(max_size=6), max_size=3),
        max_size=5,
    )
)
def test_parsed_params_match_twilio_sdk(params: dict[str, Any]) -> None:
    """Fields a framework parsed (text, no surrogates) are signed as twilio-python signs them."""
    validator = RequestValidator(TOKEN)

    class MultiDict(dict[str, Any]):
        def getlist(self, name: str) -> list[str]:
            value = self[name]
            return [value] if isinstance(value, str) else list(value)

    expected = validator.compute_signature(URL, MultiDict(params))
    verifier = hooksig.Verifier("twilio", secret=TOKEN, public_url=hooksig.PerCallUrl())
    headers = {"X-Twilio-Signature": expected}
    assert verifier.verify(b"", headers, url=URL, params=params).key_id == "0"


def test_large_parsed_params_are_never_joined() -> None:
    """An 8 MiB parsed value is hashed 8 KiB at a time: under 1 MiB above the value."""
    _, params = _big_form(8 * 1024 * 1024)
    signature = RequestValidator(TOKEN).compute_signature(URL, params)
    verifier = hooksig.Verifier("twilio", secret=TOKEN, public_url=hooksig.PerCallUrl())
    lists = {name: [value] for name, value in params.items()}
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        headers = {"X-Twilio-Signature": signature}
        assert verifier.verify(b"", headers, url=URL, params=lists).key_id == "0"
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024, f"{peak / 1024:.0f} KiB above the value"
