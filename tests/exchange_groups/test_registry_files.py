"""The JST registry: loading TERC files (the shipped one, later and malformed synthetic ones) into an empty registry.

The shipped register loaded once for many tests: test_registry.py."""

import datetime
import os
import subprocess
import sys
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from exchange_groups.models import TerritorialUnit, UnitKind
from exchange_groups.registry.services import TercFileError, load_terc, shipped_terc_path
from tests.exchange_groups.terc_files import BASE_ROWS, HEADER, register_rows, unit, write_terc
from tests.factories import UserFactory, profile_of
from tests.terc_register import remove_terc_register

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_registry(db):
    """No units at all. No test of this module asks for the shipped register, so it is not in the database
    while they run (tests/terc_register.py); should it be, it is removed inside this test's
    transaction."""
    if TerritorialUnit.objects.exists():
        remove_terc_register()


@pytest.fixture
def english():
    """The messages are matched by their English source text (the Polish one is checked elsewhere)."""
    with translation.override("en"):
        yield


def test_load_terc_loads_a_whole_file_in_few_queries(empty_registry, django_assert_max_num_queries):
    with django_assert_max_num_queries(60):
        report = load_terc(shipped_terc_path())
    assert report.created == 2873


# --- later and malformed files (small synthetic registers) ---------------------------------------------------


def test_load_terc_synthetic_file_creates_units_without_parts_of_gminas(empty_registry, tmp_path):
    report = load_terc(write_terc(tmp_path, BASE_ROWS))
    assert report.created == 10
    assert unit("0201043").name == "Nowogrodziec"
    assert not TerritorialUnit.objects.filter(code__in=["0201044", "0201045"]).exists()


def test_load_terc_later_file_renames_adds_and_deactivates(empty_registry, tmp_path):
    load_terc(write_terc(tmp_path, BASE_ROWS))
    gromadka_pk = unit("0201032").pk
    later = [row for row in BASE_ROWS if "Gromadka" not in row]
    later = [row.replace("jeleniogórski", "karkonoski") for row in later]
    later.append("02;01;07;2;Nowa Gmina;gmina wiejska")

    report = load_terc(write_terc(tmp_path, later, date="2021-01-01", name="terc-2021.csv"))

    assert (report.created, report.updated, report.deactivated) == (1, 1, 1)
    assert report.unchanged == 8
    renamed = unit("0206")
    assert (renamed.name, renamed.name_folded, renamed.active) == ("karkonoski", "karkonoski", True)
    assert unit("0201072").name == "Nowa Gmina"
    assert unit("0201072").parent.code == "0201"
    dropped = unit("0201032")
    assert (dropped.pk, dropped.name, dropped.active) == (gromadka_pk, "Gromadka", False)
    assert dropped.source_date == datetime.date(2020, 1, 1)
    assert unit("0201011").source_date == datetime.date(2021, 1, 1)


def test_load_terc_later_file_reactivates_a_unit_that_returns(empty_registry, tmp_path):
    load_terc(write_terc(tmp_path, BASE_ROWS))
    without = [row for row in BASE_ROWS if "Gromadka" not in row]
    load_terc(write_terc(tmp_path, without, date="2021-01-01", name="2021.csv"))
    report = load_terc(write_terc(tmp_path, BASE_ROWS, date="2022-01-01", name="2022.csv"))
    assert report.updated == 1
    assert unit("0201032").active


def test_load_terc_later_file_keeps_dropped_unit_that_a_profile_uses(empty_registry, tmp_path):
    load_terc(write_terc(tmp_path, BASE_ROWS))
    profile = profile_of(UserFactory())
    profile.unit = unit("0201032")
    profile.save()
    without = [row for row in BASE_ROWS if "Gromadka" not in row]

    load_terc(write_terc(tmp_path, without, date="2021-01-01", name="2021.csv"))

    profile.refresh_from_db()
    assert profile.unit.code == "0201032"
    assert not profile.unit.active


def test_load_terc_later_file_updates_kind_of_powiat_level_unit(empty_registry, tmp_path):
    load_terc(write_terc(tmp_path, BASE_ROWS))
    city = "02;06;;;jeleniogórski;miasto na prawach powiatu"
    later = [city if row == "02;06;;;jeleniogórski;powiat" else row for row in BASE_ROWS]
    report = load_terc(write_terc(tmp_path, later, date="2021-01-01", name="2021.csv"))
    assert report.updated == 1
    assert unit("0206").kind == UnitKind.CITY_WITH_POWIAT_RIGHTS


def test_load_terc_accepts_an_open_binary_file(empty_registry, tmp_path):
    data = write_terc(tmp_path, BASE_ROWS).read_bytes()
    report = load_terc(BytesIO(data))
    assert report.created == 10


def test_load_terc_records_a_given_source_date(empty_registry, tmp_path):
    load_terc(write_terc(tmp_path, BASE_ROWS), source_date=datetime.date(2020, 6, 30))
    assert set(TerritorialUnit.objects.values_list("source_date", flat=True)) == {datetime.date(2020, 6, 30)}


def test_load_terc_refuses_a_file_older_than_the_loaded_register(empty_registry, tmp_path, english):
    load_terc(write_terc(tmp_path, BASE_ROWS, date="2021-01-01"))
    before = register_rows()
    older = [row for row in BASE_ROWS if "Gromadka" not in row]
    with pytest.raises(TercFileError, match="older"):
        load_terc(write_terc(tmp_path, older, date="2020-01-01", name="old.csv"))
    assert register_rows() == before
    report = load_terc(write_terc(tmp_path, older, date="2020-01-01", name="old.csv"), allow_older=True)
    assert report.deactivated == 1


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["02;01;0X;1;Bolesławiec;gmina miejska"], "GMI"),
        (["2;;;;DOLNOŚLĄSKIE;województwo"], "WOJ"),
        (["02;01;05;7;Coś;gmina"], "RODZ"),
        (["02;07;;;zamkowy;hrabstwo"], "NAZWA_DOD"),
        (["02;01;01;1;Bolesławiec"], "columns"),
        (["02;01;01;1;;gmina miejska"], "NAZWA"),
        (["02;01;01;1;Bolesławiec;gmina miejska"], "repeats"),
        (["02;09;01;2;Sierota;gmina wiejska"], "parent"),
    ],
)
def test_load_terc_refuses_a_malformed_row_and_changes_nothing(empty_registry, tmp_path, rows, message, english):
    load_terc(write_terc(tmp_path, BASE_ROWS))
    before = register_rows()
    renamed = [row.replace("Gromadka", "Gromadka Nowa") for row in BASE_ROWS]
    bad = write_terc(tmp_path, renamed + rows, date="2021-01-01", name="bad.csv")
    with pytest.raises(TercFileError, match=message) as error:
        load_terc(bad)
    assert "bad.csv" in str(error.value)
    assert register_rows() == before


def test_load_terc_refuses_a_bad_date_and_changes_nothing(empty_registry, tmp_path):
    path = tmp_path / "bad-date.csv"
    path.write_text(HEADER + "\r\n02;;;;DOLNOŚLĄSKIE;województwo;1 stycznia 2020\r\n", encoding="utf-8")
    with pytest.raises(TercFileError, match="STAN_NA"):
        load_terc(path)
    assert not TerritorialUnit.objects.exists()


def test_load_terc_refuses_a_file_that_is_not_utf8(empty_registry, tmp_path):
    path = tmp_path / "cp1250.csv"
    path.write_bytes((HEADER + "\r\n02;;;;DOLNOŚLĄSKIE;województwo;2020-01-01\r\n").encode("cp1250"))
    with pytest.raises(TercFileError, match="UTF-8"):
        load_terc(path)
    assert not TerritorialUnit.objects.exists()


def test_load_terc_refuses_a_missing_file(empty_registry, tmp_path):
    with pytest.raises(TercFileError, match="nie-ma.csv"):
        load_terc(tmp_path / "nie-ma.csv")


# --- the management command -----------------------------------------------------------------------------------


def test_load_teryt_command_loads_the_shipped_file_and_prints_the_report(empty_registry):
    out = StringIO()
    with translation.override("en"):
        call_command("load_teryt", stdout=out)
    text = out.getvalue()
    assert "2020-01-01" in text
    assert "created: 2873" in text
    assert "marked inactive: 0" in text
    assert TerritorialUnit.objects.count() == 2873


def test_load_teryt_command_reports_changes_of_a_later_file(empty_registry, tmp_path):
    call_command("load_teryt", str(write_terc(tmp_path, BASE_ROWS)), stdout=StringIO())
    later = [row for row in BASE_ROWS if "Gromadka" not in row]
    out = StringIO()
    with translation.override("en"):
        call_command("load_teryt", str(write_terc(tmp_path, later, date="2021-01-01", name="b.csv")), stdout=out)
    assert "created: 0, updated: 0, marked inactive: 1, unchanged: 9" in out.getvalue()


def test_load_teryt_command_raises_command_error_on_a_bad_file(empty_registry, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("not;a;terc;file\r\n", encoding="utf-8")
    with pytest.raises(CommandError, match="bad.csv"):
        call_command("load_teryt", str(bad), stdout=StringIO())
    assert not TerritorialUnit.objects.exists()


def test_load_teryt_command_exits_non_zero_with_a_message_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("not;a;terc;file\r\n", encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oswiata_site.settings.test", "OSWIATA_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # the bad file is refused before the database is touched
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "load_teryt", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode != 0
    assert "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA" in result.stderr
    assert "Traceback" not in result.stderr
