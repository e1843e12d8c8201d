"""The JST registry: loading the TERYT TERC register (shipped file and later synthetic files)."""

import datetime
import os
import subprocess
import sys
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import translation

from exchange_groups.models import GMINA_KINDS, POWIAT_KINDS, TerritorialUnit, UnitKind
from exchange_groups.registry.services import TercFileError, load_terc, shipped_terc_path
from tests.factories import UserFactory, profile_of

REPO = Path(__file__).resolve().parents[2]
HEADER = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA"
BASE_ROWS = [
    "02;;;;DOLNOŚLĄSKIE;województwo",
    "02;01;;;bolesławiecki;powiat",
    "02;01;01;1;Bolesławiec;gmina miejska",
    "02;01;02;2;Bolesławiec;gmina wiejska",
    "02;01;03;2;Gromadka;gmina wiejska",
    "02;01;04;3;Nowogrodziec;gmina miejsko-wiejska",
    "02;01;04;4;Nowogrodziec;miasto",
    "02;01;04;5;Nowogrodziec;obszar wiejski",
    "02;06;;;jeleniogórski;powiat",
    "02;06;01;1;Karpacz;gmina miejska",
    "02;61;;;Jelenia Góra;miasto na prawach powiatu",
    "02;61;01;1;Jelenia Góra;gmina miejska",
]


def write_terc(directory: Path, rows: list[str], date: str = "2020-01-01", name: str = "terc.csv") -> Path:
    """A TERC file as GUS publishes it: UTF-8, CRLF, STAN_NA on every row, an empty last line."""
    path = directory / name
    lines = [HEADER, *(f"{row};{date}" for row in rows), ""]
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    return path


def unit(code: str) -> TerritorialUnit:
    return TerritorialUnit.objects.select_related("parent", "voivodeship").get(code=code)


@pytest.fixture
def empty_registry(db):
    """No units at all (the module's shipped register is removed inside this test's transaction)."""
    TerritorialUnit.objects.filter(kind__in=GMINA_KINDS).delete()
    TerritorialUnit.objects.filter(kind__in=POWIAT_KINDS).delete()
    TerritorialUnit.objects.all().delete()


@pytest.fixture
def snapshot():
    def take():
        return list(
            TerritorialUnit.objects.order_by("code").values_list(
                "code", "name", "name_folded", "kind", "parent_id", "voivodeship_id", "source_date", "active"
            )
        )

    return take


# --- the shipped register -------------------------------------------------------------------------------------


def test_shipped_terc_file_is_the_official_2020_file():
    import hashlib

    digest = hashlib.sha256(shipped_terc_path().read_bytes()).hexdigest()
    assert digest == "282be23cf1b1ecce9b1d917f33254ef7ab6c10cbb61a71db1051bfe2288a5dbe"


def test_load_terc_shipped_file_creates_16_voivodeships(registry):
    voivodeships = TerritorialUnit.objects.filter(kind=UnitKind.VOIVODESHIP)
    assert voivodeships.count() == 16
    assert set(voivodeships.values_list("code", flat=True)) == {f"{n:02d}" for n in range(2, 33, 2)}


def test_load_terc_shipped_file_creates_380_powiat_level_units(registry):
    assert TerritorialUnit.objects.filter(kind__in=POWIAT_KINDS).count() == 380
    assert TerritorialUnit.objects.filter(kind=UnitKind.CITY_WITH_POWIAT_RIGHTS).count() == 66
    assert TerritorialUnit.objects.filter(kind=UnitKind.POWIAT).count() == 314


def test_load_terc_shipped_file_creates_2477_gminas_by_kind(registry):
    assert TerritorialUnit.objects.filter(kind__in=GMINA_KINDS).count() == 2477
    assert TerritorialUnit.objects.filter(kind=UnitKind.URBAN_GMINA).count() == 302
    assert TerritorialUnit.objects.filter(kind=UnitKind.RURAL_GMINA).count() == 1533
    assert TerritorialUnit.objects.filter(kind=UnitKind.URBAN_RURAL_GMINA).count() == 642


def test_load_terc_shipped_file_reports_every_unit_created(registry):
    assert (registry.created, registry.updated, registry.deactivated, registry.unchanged) == (2873, 0, 0, 0)
    assert registry.source_date == datetime.date(2020, 1, 1)


def test_load_terc_shipped_file_skips_parts_of_gminas_and_districts(registry):
    # RODZ 4/5 (town and rural part), 8 (Warsaw district), 9 (delegatura) are not JST.
    assert not TerritorialUnit.objects.filter(code__regex=r"^\d{6}[4589]$").exists()
    assert TerritorialUnit.objects.count() == 2873


def test_load_terc_shipped_file_puts_every_gmina_under_a_powiat_of_its_voivodeship(registry):
    gminas = TerritorialUnit.objects.filter(kind__in=GMINA_KINDS)
    assert not gminas.exclude(parent__kind__in=POWIAT_KINDS).exists()
    assert not gminas.exclude(parent__voivodeship=F("voivodeship")).exists()
    assert not gminas.exclude(voivodeship__kind=UnitKind.VOIVODESHIP).exists()
    for gmina in gminas.select_related("parent", "voivodeship")[:50]:
        assert gmina.parent.code == gmina.code[:4]
        assert gmina.voivodeship.code == gmina.code[:2]


def test_load_terc_shipped_file_puts_powiats_under_voivodeships_and_voivodeships_at_the_top(registry):
    powiats = TerritorialUnit.objects.filter(kind__in=POWIAT_KINDS)
    assert not powiats.exclude(parent__kind=UnitKind.VOIVODESHIP).exists()
    assert not powiats.exclude(parent=F("voivodeship")).exists()
    voivodeships = TerritorialUnit.objects.filter(kind=UnitKind.VOIVODESHIP)
    assert not voivodeships.filter(parent__isnull=False).exists()
    assert not voivodeships.filter(voivodeship__isnull=False).exists()


def test_load_terc_shipped_file_stores_codes_names_kinds_and_date(registry):
    bolesławiec = unit("0201011")
    assert (bolesławiec.name, bolesławiec.kind) == ("Bolesławiec", UnitKind.URBAN_GMINA)
    assert bolesławiec.parent.code == "0201"
    assert bolesławiec.parent.name == "bolesławiecki"
    assert bolesławiec.voivodeship.name == "dolnośląskie"
    assert bolesławiec.name_folded == "boleslawiec"
    assert bolesławiec.source_date == datetime.date(2020, 1, 1)
    assert bolesławiec.active
    assert unit("0201022").kind == UnitKind.RURAL_GMINA
    assert unit("0201043").kind == UnitKind.URBAN_RURAL_GMINA
    warsaw = unit("1465")
    assert (warsaw.name, warsaw.kind) == ("Warszawa", UnitKind.CITY_WITH_POWIAT_RIGHTS)
    assert unit("1465011").kind == UnitKind.URBAN_GMINA  # "gmina miejska, miasto stołeczne"
    assert unit("1061").kind == UnitKind.CITY_WITH_POWIAT_RIGHTS
    assert unit("10").name == "łódzkie"
    assert not TerritorialUnit.objects.exclude(source_date=datetime.date(2020, 1, 1)).exists()


def test_load_terc_shipped_file_twice_changes_nothing(registry, snapshot):
    before = snapshot()
    report = load_terc(shipped_terc_path())
    assert (report.created, report.updated, report.deactivated, report.unchanged) == (0, 0, 0, 2873)
    assert snapshot() == before


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


@pytest.fixture
def english():
    """The messages are matched by their English source text (the Polish one is checked elsewhere)."""
    with translation.override("en"):
        yield


def test_load_terc_records_a_given_source_date(empty_registry, tmp_path):
    load_terc(write_terc(tmp_path, BASE_ROWS), source_date=datetime.date(2020, 6, 30))
    assert set(TerritorialUnit.objects.values_list("source_date", flat=True)) == {datetime.date(2020, 6, 30)}


def test_load_terc_refuses_a_file_older_than_the_loaded_register(empty_registry, tmp_path, snapshot, english):
    load_terc(write_terc(tmp_path, BASE_ROWS, date="2021-01-01"))
    before = snapshot()
    older = [row for row in BASE_ROWS if "Gromadka" not in row]
    with pytest.raises(TercFileError, match="older"):
        load_terc(write_terc(tmp_path, older, date="2020-01-01", name="old.csv"))
    assert snapshot() == before
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
def test_load_terc_refuses_a_malformed_row_and_changes_nothing(
    empty_registry, tmp_path, snapshot, rows, message, english
):
    load_terc(write_terc(tmp_path, BASE_ROWS))
    before = snapshot()
    renamed = [row.replace("Gromadka", "Gromadka Nowa") for row in BASE_ROWS]
    bad = write_terc(tmp_path, renamed + rows, date="2021-01-01", name="bad.csv")
    with pytest.raises(TercFileError, match=message) as error:
        load_terc(bad)
    assert "bad.csv" in str(error.value)
    assert snapshot() == before


def test_load_terc_refuses_a_bad_date_and_changes_nothing(empty_registry, tmp_path):
    path = tmp_path / "bad-date.csv"
    path.write_text(HEADER + "\r\n02;;;;DOLNOŚLĄSKIE;województwo;1 stycznia 2020\r\n", encoding="utf-8")
    with pytest.raises(TercFileError, match="STAN_NA"):
        load_terc(path)
    assert not TerritorialUnit.objects.exists()


def test_load_terc_refuses_a_wrong_header_and_changes_nothing(registry, tmp_path, snapshot):
    before = snapshot()
    path = tmp_path / "simc.csv"
    path.write_text("WOJ;POW;GMI;RODZ_GMI;RM;MZ;NAZWA;SYM;SYMPOD;STAN_NA\r\n02;01;01;1;01;1;X;1;1;2021-01-01\r\n")
    with pytest.raises(TercFileError, match="WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA"):
        load_terc(path)
    assert snapshot() == before


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
