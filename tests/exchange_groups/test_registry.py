"""The JST registry: the shipped TERYT TERC register, loaded once for the tests that use it (`registry`).

Loading other files into an empty registry: test_registry_files.py."""

import datetime

import pytest
from django.db.models import F

from exchange_groups.models import GMINA_KINDS, POWIAT_KINDS, TerritorialUnit, UnitKind
from exchange_groups.registry.services import TercFileError, load_terc, shipped_terc_path
from tests.exchange_groups.terc_files import register_rows, unit


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


def test_load_terc_shipped_file_twice_changes_nothing(registry):
    before = register_rows()
    report = load_terc(shipped_terc_path())
    assert (report.created, report.updated, report.deactivated, report.unchanged) == (0, 0, 0, 2873)
    assert register_rows() == before


def test_load_terc_refuses_a_wrong_header_and_changes_nothing(registry, tmp_path):
    before = register_rows()
    path = tmp_path / "simc.csv"
    path.write_text("WOJ;POW;GMI;RODZ_GMI;RM;MZ;NAZWA;SYM;SYMPOD;STAN_NA\r\n02;01;01;1;01;1;X;1;1;2021-01-01\r\n")
    with pytest.raises(TercFileError, match="WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA"):
        load_terc(path)
    assert register_rows() == before
