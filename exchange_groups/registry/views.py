"""The JST picker: search the registry by part of a name or a TERYT code.

One public, read-only URL serves both the page (a search form and a results table, no JavaScript needed) and
the JSON the combobox script asks for (`Accept: application/json` or `?format=json`).
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from exchange_groups.models import UnitKind
from exchange_groups.registry.services import MIN_QUERY_LENGTH, search_units, short_query_hint

RESULT_LIMIT = 20
MAX_QUERY_CHARS = 100


def _wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _powiat_text(unit) -> str:
    """The powiat a gmina lies in, as the results table shows it ("" for powiat-level units)."""
    if not unit.is_gmina or unit.parent is None:
        return ""
    if unit.parent.kind == UnitKind.POWIAT:
        return gettext("powiat %(name)s") % {"name": unit.parent.name}
    return gettext("%(name)s (city with powiat rights)") % {"name": unit.parent.name}


@require_safe
def unit_search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_CHARS]
    too_short = len(query.replace(" ", "")) < MIN_QUERY_LENGTH
    hint = ""
    if too_short and (query or _wants_json(request)):
        hint = short_query_hint()
    found = [] if too_short else search_units(query, limit=RESULT_LIMIT + 1)
    units, more = found[:RESULT_LIMIT], len(found) > RESULT_LIMIT

    if _wants_json(request):
        response = JsonResponse(
            {
                "query": query,
                "hint": hint or None,
                "more": more,
                "results": [
                    {
                        "id": unit.pk,
                        "code": unit.code,
                        "name": unit.name,
                        "label": unit.label,
                        "kind": unit.kind,
                        "kind_label": unit.get_kind_display(),
                    }
                    for unit in units
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
        patch_vary_headers(response, ["Accept"])
        return response
    rows = [{"unit": unit, "powiat": _powiat_text(unit)} for unit in units]
    context = {
        "query": query,
        "searched": bool(query) and not too_short,
        "hint": hint,
        "rows": rows,
        "more": more,
        "limit": RESULT_LIMIT,
        "min_length": MIN_QUERY_LENGTH,
    }
    response = render(request, "exchange_groups/registry/unit_search.html", context)
    patch_vary_headers(response, ["Accept"])
    return response
