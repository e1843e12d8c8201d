"""The JST registry: loading the TERYT TERC register and finding units in it.

`load_terc` reads a TERC file (the shipped one or a newer one from GUS) and brings the TerritorialUnit table in
line with it: new units are created, names, kinds and parents are updated, units missing from the file are marked
inactive (never deleted: profiles point at them). `search_units` is the picker's search.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Case, IntegerField, Max, Q, Value, When
from django.utils.translation import gettext, ngettext

from exchange_groups.models import GMINA_KINDS, POWIAT_KINDS, TerritorialUnit, UnitKind, fold

SHIPPED_TERC_FILE = "TERC_Urzedowy_2020-01-01.csv"
TERC_HEADER = ("WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD", "STAN_NA")

#: Shortest query (in letters or digits after folding) the picker answers.
MIN_QUERY_LENGTH = 2
#: Most results the picker ever returns.
MAX_RESULTS = 50

GMINA_KIND_BY_RODZ = {"1": UnitKind.URBAN_GMINA, "2": UnitKind.RURAL_GMINA, "3": UnitKind.URBAN_RURAL_GMINA}
#: RODZ codes of rows that are parts of gminas (town/rural part, Warsaw district, delegatura): not JST.
SKIPPED_RODZ = {"4", "5", "8", "9"}
POWIAT_KIND_BY_NAZWA_DOD = {
    "powiat": UnitKind.POWIAT,
    "miasto na prawach powiatu": UnitKind.CITY_WITH_POWIAT_RIGHTS,
    "miasto stołeczne, na prawach powiatu": UnitKind.CITY_WITH_POWIAT_RIGHTS,
}
MAX_REPORTED_ERRORS = 10

_TWO_DIGITS = re.compile(r"\d{2}")
_UPDATED_FIELDS = ["name", "name_folded", "kind", "parent", "voivodeship", "source_date", "active"]


class TercFileError(ValueError):
    """The file is not a TERC register this loader understands; nothing was changed.

    `str(error)` is a translated message ready for a person (and for a management command's CommandError);
    `errors` lists the individual problems.
    """

    def __init__(self, message: str, errors: Iterable[str] = ()):
        self.errors = list(errors)
        super().__init__(message)


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    source_date: datetime.date | None = None

    @property
    def total(self) -> int:
        """Units the file contains (created + updated + unchanged)."""
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class _Row:
    code: str
    kind: str
    name: str
    parent_code: str | None
    voivodeship_code: str | None
    level: int  # 0 voivodeship, 1 powiat-level, 2 gmina


def shipped_terc_path() -> Path:
    """The TERC file that ships with the app (state 2020-01-01)."""
    return Path(__file__).resolve().parent / "data" / SHIPPED_TERC_FILE


def _read_text(path_or_file) -> tuple[str, str]:
    """Return (text, name for messages) of a path or an open file (text or binary)."""
    if isinstance(path_or_file, str | os.PathLike):
        name = str(path_or_file)
        try:
            raw = Path(path_or_file).read_bytes()
        except OSError as exc:
            raise TercFileError(
                gettext("Cannot read the file %(name)s: %(error)s") % {"name": name, "error": exc.strerror or exc}
            ) from exc
    else:
        name = getattr(path_or_file, "name", None) or gettext("(uploaded file)")
        raw = path_or_file.read()
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff"), str(name)
    try:
        return raw.decode("utf-8-sig"), str(name)
    except UnicodeDecodeError as exc:
        raise TercFileError(
            gettext("The file %(name)s is not UTF-8 text (byte %(position)d). Save the TERC file as UTF-8.")
            % {"name": name, "position": exc.start}
        ) from exc


def _parse(text: str, name: str) -> tuple[list[_Row], set[datetime.date]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = next(reader, None)
    header = tuple(cell.strip() for cell in header) if header else ()
    if header != TERC_HEADER:
        raise TercFileError(
            gettext("%(name)s is not a TERC file: its first line must be %(expected)s, but it is %(found)s.")
            % {"name": name, "expected": ";".join(TERC_HEADER), "found": ";".join(header) or gettext("(an empty line)")}
        )

    errors: list[str] = []
    rows: list[_Row] = []
    dates: set[datetime.date] = set()
    seen: dict[str, int] = {}

    def error(line: int, message: str) -> None:
        errors.append(gettext("line %(line)d: %(message)s") % {"line": line, "message": message})

    for index, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank line (the official file ends with one)
        if len(cells) != len(TERC_HEADER):
            error(
                index,
                gettext("expected %(expected)d columns, found %(found)d")
                % {"expected": len(TERC_HEADER), "found": len(cells)},
            )
            continue
        woj, pow_, gmi, rodz, nazwa, nazwa_dod, stan_na = (cell.strip() for cell in cells)
        try:
            dates.add(datetime.date.fromisoformat(stan_na))
        except ValueError:
            error(index, gettext("STAN_NA “%(value)s” is not a date (YYYY-MM-DD)") % {"value": stan_na})
        if not nazwa:
            error(index, gettext("NAZWA is empty"))
        if not _TWO_DIGITS.fullmatch(woj):
            error(index, gettext("WOJ “%(value)s” is not a two-digit code") % {"value": woj})
            continue
        if not pow_:
            if gmi or rodz:
                error(index, gettext("a row without POW must not have GMI or RODZ"))
                continue
            row = _Row(woj, UnitKind.VOIVODESHIP, nazwa.lower(), None, None, 0)
        elif not _TWO_DIGITS.fullmatch(pow_):
            error(index, gettext("POW “%(value)s” is not a two-digit code") % {"value": pow_})
            continue
        elif not gmi:
            if rodz:
                error(index, gettext("a row without GMI must not have RODZ"))
                continue
            kind = POWIAT_KIND_BY_NAZWA_DOD.get(nazwa_dod.casefold())
            if kind is None:
                error(
                    index,
                    gettext("NAZWA_DOD “%(value)s” is not a kind of powiat-level unit this loader knows")
                    % {"value": nazwa_dod},
                )
                continue
            row = _Row(woj + pow_, kind, nazwa, woj, woj, 1)
        elif not _TWO_DIGITS.fullmatch(gmi):
            error(index, gettext("GMI “%(value)s” is not a two-digit code") % {"value": gmi})
            continue
        elif rodz in SKIPPED_RODZ:
            continue  # part of a gmina, a Warsaw district or a delegatura: not a JST
        elif rodz not in GMINA_KIND_BY_RODZ:
            error(index, gettext("RODZ “%(value)s” is not a known kind of gmina (1–5, 8, 9)") % {"value": rodz})
            continue
        else:
            row = _Row(woj + pow_ + gmi + rodz, GMINA_KIND_BY_RODZ[rodz], nazwa, woj + pow_, woj, 2)
        if row.code in seen:
            error(index, gettext("code %(code)s repeats line %(line)d") % {"code": row.code, "line": seen[row.code]})
            continue
        seen[row.code] = index
        rows.append(row)

    if not errors:
        for row in rows:
            if row.parent_code and row.parent_code not in seen:
                errors.append(
                    gettext("line %(line)d: unit %(code)s has no parent unit %(parent)s in the file")
                    % {"line": seen[row.code], "code": row.code, "parent": row.parent_code}
                )
        if not rows:
            errors.append(gettext("the file has no units"))
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > len(shown):
            shown.append(gettext("… and %(count)d more") % {"count": len(errors) - len(shown)})
        raise TercFileError(
            gettext("%(name)s is not a valid TERC file; nothing was changed.") % {"name": name}
            + "\n"
            + "\n".join(shown),
            errors,
        )
    return rows, dates


def load_terc(
    path_or_file=None,
    *,
    source_date: datetime.date | None = None,
    allow_older: bool = False,
) -> LoadReport:
    """Bring the registry in line with a TERC file (by default the shipped one) and report what changed.

    Idempotent: loading the same file again changes nothing. Units missing from the file are marked inactive.
    The whole load is one transaction; a malformed file raises TercFileError and changes nothing. A file older
    than the register already loaded is refused unless `allow_older` (it would undo a newer load).
    """
    text, name = _read_text(shipped_terc_path() if path_or_file is None else path_or_file)
    rows, dates = _parse(text, name)
    file_date = source_date or max(dates)

    with transaction.atomic():
        latest = TerritorialUnit.objects.active().aggregate(latest=Max("source_date"))["latest"]
        if latest and file_date < latest and not allow_older:
            raise TercFileError(
                gettext(
                    "%(name)s holds the register as of %(file_date)s, older than the register already loaded "
                    "(%(latest)s); nothing was changed. Load it only if you mean to go back to that state."
                )
                % {"name": name, "file_date": file_date.isoformat(), "latest": latest.isoformat()}
            )
        report = LoadReport(source_date=file_date)
        existing = {unit.code: unit for unit in TerritorialUnit.objects.all()}
        ids = {code: unit.pk for code, unit in existing.items()}
        to_update: list[TerritorialUnit] = []

        for level in (0, 1, 2):
            to_create: list[TerritorialUnit] = []
            for row in rows:
                if row.level != level:
                    continue
                wanted = {
                    "name": row.name,
                    "name_folded": fold(row.name),
                    "kind": row.kind,
                    "parent_id": ids[row.parent_code] if row.parent_code else None,
                    "voivodeship_id": ids[row.voivodeship_code] if row.voivodeship_code else None,
                    "active": True,
                }
                unit = existing.get(row.code)
                if unit is None:
                    to_create.append(TerritorialUnit(code=row.code, source_date=file_date, **wanted))
                    continue
                changed = any(getattr(unit, field) != value for field, value in wanted.items())
                if changed or unit.source_date != file_date:
                    for field, value in wanted.items():
                        setattr(unit, field, value)
                    unit.source_date = file_date
                    to_update.append(unit)
                if changed:
                    report.updated += 1
                else:
                    report.unchanged += 1
            if to_create:
                TerritorialUnit.objects.bulk_create(to_create, batch_size=500)
                report.created += len(to_create)
                # Not every database returns primary keys from bulk_create; read them back by code.
                new_codes = [unit.code for unit in to_create]
                for start in range(0, len(new_codes), 500):
                    batch = TerritorialUnit.objects.filter(code__in=new_codes[start : start + 500])
                    ids.update(batch.values_list("code", "pk"))
        if to_update:
            TerritorialUnit.objects.bulk_update(to_update, _UPDATED_FIELDS, batch_size=500)

        file_codes = {row.code for row in rows}
        vanished = [unit.pk for code, unit in existing.items() if unit.active and code not in file_codes]
        for start in range(0, len(vanished), 500):
            TerritorialUnit.objects.filter(pk__in=vanished[start : start + 500]).update(active=False)
        report.deactivated = len(vanished)
    return report


#: How the register itself names each kind of JST (data, not UI text: these match whatever the UI language).
KIND_REGISTER_NAMES = {
    UnitKind.POWIAT: "powiat",
    UnitKind.CITY_WITH_POWIAT_RIGHTS: "miasto na prawach powiatu",
    UnitKind.URBAN_GMINA: "gmina miejska",
    UnitKind.RURAL_GMINA: "gmina wiejska",
    UnitKind.URBAN_RURAL_GMINA: "gmina miejsko-wiejska",
}


def short_query_hint() -> str:
    """What to tell a person whose query is too short to search."""
    return ngettext(
        "Type at least %(count)d character of the name or the TERYT code.",
        "Type at least %(count)d characters of the name or the TERYT code.",
        MIN_QUERY_LENGTH,
    ) % {"count": MIN_QUERY_LENGTH}


def _kinds_matching(word: str) -> list[str]:
    """Kinds whose register name or name in the active language contains the folded word."""
    return [
        kind
        for kind, register_name in KIND_REGISTER_NAMES.items()
        if word in fold(register_name) or word in fold(str(kind.label))
    ]


def search_units(query: str, *, limit: int = 20, queryset=None) -> list[TerritorialUnit]:
    """Active JST (gminas and powiat-level units) matching a query, best first.

    Matching ignores case and Polish diacritics ("lodz" finds Łódź). Every word of the query must occur in the
    unit's name or its label (kind, powiat, voivodeship), and at least one in the name, so "bolesławiec wiejska"
    finds the rural gmina. A query of digits matches TERYT codes by prefix. Ranking: exact name, then names that
    start with the query, then the rest; within a rank gminas before powiat-level units, then by name.
    Queries shorter than MIN_QUERY_LENGTH return nothing.
    """
    # A NUL character is no part of any name, and PostgreSQL refuses it in a query parameter.
    folded = " ".join(fold(query).replace("\x00", " ").split())
    limit = max(0, min(int(limit), MAX_RESULTS))
    if len(folded.replace(" ", "")) < MIN_QUERY_LENGTH or not limit:
        return []
    qs = (queryset if queryset is not None else TerritorialUnit.objects.all()).active().jst()

    if folded.isdigit():
        qs = qs.filter(code__startswith=folded)
        rank = Case(When(code=folded, then=Value(0)), default=Value(1), output_field=IntegerField())
    else:
        words = folded.split()
        in_name = Q()
        for word in words:
            name_match = Q(name_folded__contains=word)
            in_name |= name_match
            label_match = Q(parent__name_folded__contains=word) | Q(voivodeship__name_folded__contains=word)
            kinds = _kinds_matching(word)
            if kinds:
                label_match |= Q(kind__in=kinds)
            qs = qs.filter(name_match | label_match)
        qs = qs.filter(in_name)
        rank = Case(
            When(name_folded=folded, then=Value(0)),
            When(name_folded__startswith=folded, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    level = Case(When(kind__in=GMINA_KINDS, then=Value(0)), default=Value(1), output_field=IntegerField())
    qs = (
        qs.annotate(rank=rank, level=level)
        .select_related("parent", "voivodeship")
        .order_by("rank", "level", "name_folded", "code")
    )
    return list(qs[:limit])


__all__ = [
    "GMINA_KINDS",
    "LoadReport",
    "MIN_QUERY_LENGTH",
    "POWIAT_KINDS",
    "TercFileError",
    "load_terc",
    "search_units",
    "shipped_terc_path",
    "short_query_hint",
]
