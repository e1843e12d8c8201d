"""TERC files for the registry tests: the columns GUS publishes, a small synthetic register and a writer."""

from pathlib import Path

from exchange_groups.models import TerritorialUnit

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


def register_rows() -> list[tuple]:
    """Every unit of the register as stored, to compare before and after a load."""
    return list(
        TerritorialUnit.objects.order_by("code").values_list(
            "code", "name", "name_folded", "kind", "parent_id", "voivodeship_id", "source_date", "active"
        )
    )
