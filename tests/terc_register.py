"""The shipped TERC register, committed once for the tests that use it.

Loading the register (4,194 rows, 2,873 units) takes seconds, and removing it inside a test's transaction as
long again. So the first test that asks for it (`terc_registry` in tests/conftest.py, or `registry` in
tests/exchange_groups) loads it outside any test transaction; it stays while the tests that use it run, one
after another (tests/conftest.py groups them), and is removed after the last one, so tests elsewhere keep an
empty registry. Each test still runs in its own transaction: what a test changes in the register is rolled back.
"""

FIXTURE = "terc_registry"


class TercRegister:
    def __init__(self):
        self.report = None  # the LoadReport of the load, while the register is in the database
        self.blocker = None  # pytest-django's database blocker, to remove the register between tests

    def ensure(self):
        """The report of the load, loading the register unless it is in the database."""
        from exchange_groups.models import TerritorialUnit
        from exchange_groups.registry.services import load_terc, shipped_terc_path

        # A transactional test empties every table: then the register is loaded again.
        if self.report is None or not TerritorialUnit.objects.exists():
            remove_terc_register()
            self.report = load_terc(shipped_terc_path())
        return self.report

    def done_after(self, item, nextitem) -> bool:
        """Whether the register can go after `item`: the next test does not use it. Inside one module it stays
        until the module ends (the module-scoped fixture that loads it is not set up again inside a module)."""
        if self.report is None:
            return False
        if nextitem is None:
            # The session's last test: its teardown has already dropped the test database (or, with --reuse-db,
            # the next run's django_db_setup removes what is left), so there is nothing to remove from.
            return False
        same_module = getattr(nextitem, "module", None) is getattr(item, "module", None)
        return FIXTURE not in getattr(nextitem, "fixturenames", ()) and not same_module

    def remove(self) -> None:
        with self.blocker.unblock():
            remove_terc_register()
        self.report = None


def remove_terc_register() -> None:
    from exchange_groups.models import GMINA_KINDS, POWIAT_KINDS, TerritorialUnit

    # Children first: parent and voivodeship are PROTECT foreign keys to the same table.
    TerritorialUnit.objects.filter(kind__in=GMINA_KINDS).delete()
    TerritorialUnit.objects.filter(kind__in=POWIAT_KINDS).delete()
    TerritorialUnit.objects.all().delete()


TERC_REGISTER = TercRegister()
