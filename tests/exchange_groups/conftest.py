"""Fixtures of the exchange_groups tests.

`registry`: the shipped TERC register (tests/conftest.py:terc_registry loads it once and removes it after the last
test that uses it, so tests elsewhere keep an empty registry). Each test still runs in its own transaction, so
whatever a test changes is rolled back before the next one.
"""

import pytest

from exchange_groups.registry.services import LoadReport


@pytest.fixture
def registry(terc_registry, db) -> LoadReport:
    """Database access plus the shipped register (use this one in tests)."""
    return terc_registry
