"""Fixtures of the exchange_groups tests.

`terc_registry` loads the shipped TERC register (4,194 rows, 2,873 units) once per test module and removes it
when the module is done, so tests elsewhere keep an empty registry. Each test still runs in its own transaction,
so whatever a test changes is rolled back before the next one.
"""

import pytest

from exchange_groups.models import GMINA_KINDS, POWIAT_KINDS, TerritorialUnit
from exchange_groups.registry.services import LoadReport, load_terc, shipped_terc_path


def _remove_registry() -> None:
    # Children first: parent and voivodeship are PROTECT foreign keys to the same table.
    TerritorialUnit.objects.filter(kind__in=GMINA_KINDS).delete()
    TerritorialUnit.objects.filter(kind__in=POWIAT_KINDS).delete()
    TerritorialUnit.objects.all().delete()


@pytest.fixture(scope="module")
def terc_registry(django_db_setup, django_db_blocker) -> LoadReport:
    """The shipped register, loaded for the module; the value is the report of that first load."""
    with django_db_blocker.unblock():
        _remove_registry()
        report = load_terc(shipped_terc_path())
    yield report
    with django_db_blocker.unblock():
        _remove_registry()


@pytest.fixture
def registry(terc_registry, db) -> LoadReport:
    """Database access plus the shipped register (use this one in tests)."""
    return terc_registry
