"""The framework adapters' tests."""

import pytest

# The shared adapter suite lives outside test modules: let pytest explain its asserts.
pytest.register_assert_rewrite("tests.integrations.contract")
