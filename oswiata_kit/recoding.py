"""Data migrations that rename stored codes (choice values): whole columns at once, never row by row.

A map is {old code: new code} for one field; `inverted` gives the map back for the reverse migration. The helpers
take the historical models of the migration (`apps.get_model`), so they do not depend on today's models:
- `recode_field`: a character column, one UPDATE per code;
- `recode_list_field`: a JSON list of codes, one UPDATE per distinct list;
- `recode_revisions`: the same keys in the stored revisions of a Wagtail page type (what its drafts, scheduled
  publishing and "revert to this revision" read), one UPDATE per code (PostgreSQL and SQLite).
"""

import json
from collections import defaultdict

from django.db.models import F, Func, JSONField


def inverted(codes: dict[str, str]) -> dict[str, str]:
    return {new: old for old, new in codes.items()}


def _changed(codes: dict[str, str]) -> dict[str, str]:
    changed = {old: new for old, new in codes.items() if old != new}
    if set(changed) & set(changed.values()):
        raise ValueError(f"A code is both renamed and a new name, the order of the updates would matter: {changed}")
    return changed


def recode_field(model, field: str, codes: dict[str, str]) -> None:
    for old, new in _changed(codes).items():
        model._base_manager.filter(**{field: old}).update(**{field: new})


def _recoded_list(value, codes: dict[str, str]):
    return [codes.get(item, item) for item in value] if isinstance(value, list) else value


def _pks_by_new_list(rows, codes: dict[str, str]) -> dict[str, list]:
    """{JSON of the recoded list: the pks whose list changes to it} from (pk, list) rows."""
    groups = defaultdict(list)
    for pk, value in rows:
        recoded = _recoded_list(value, codes)
        if recoded != value:
            groups[json.dumps(recoded)].append(pk)
    return groups


def recode_list_field(model, field: str, codes: dict[str, str]) -> None:
    codes = _changed(codes)
    for recoded, pks in _pks_by_new_list(model._base_manager.values_list("pk", field), codes).items():
        model._base_manager.filter(pk__in=pks).update(**{field: json.loads(recoded)})


class JSONSetKey(Func):
    """A JSON object with one top-level key set to a value (jsonb_set on PostgreSQL, json_set on SQLite)."""

    output_field = JSONField()

    def __init__(self, expression, key: str, value):
        self.key, self.value = key, json.dumps(value)
        super().__init__(expression)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        if connection.vendor == "postgresql":
            return f"jsonb_set({sql}, %s, %s::jsonb)", (*params, f"{{{self.key}}}", self.value)
        if connection.vendor == "sqlite":
            return f"json_set({sql}, %s, json(%s))", (*params, "$." + self.key, self.value)
        raise NotImplementedError(f"JSONSetKey does not know the database {connection.vendor}")


def recode_revisions(apps, app_label: str, model_name: str, fields=None, list_fields=None) -> None:
    """Recode keys of the stored revisions of one page type: `fields` and `list_fields` are {key: codes}."""
    revisions = apps.get_model("wagtailcore", "Revision")._base_manager.filter(
        content_type__app_label=app_label, content_type__model=model_name
    )
    for key, codes in (fields or {}).items():
        for old, new in _changed(codes).items():
            revisions.filter(**{f"content__{key}": old}).update(content=JSONSetKey(F("content"), key, new))
    for key, codes in (list_fields or {}).items():
        rows = revisions.filter(**{f"content__{key}__isnull": False}).values_list("pk", f"content__{key}")
        for recoded, pks in _pks_by_new_list(rows, _changed(codes)).items():
            revisions.filter(pk__in=pks).update(content=JSONSetKey(F("content"), key, json.loads(recoded)))
