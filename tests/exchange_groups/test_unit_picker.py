"""The JST picker: searching the registry by part of a name (service, JSON and the page without JavaScript)."""

import pytest
from django.urls import reverse

from exchange_groups.models import TerritorialUnit, UnitKind, fold
from exchange_groups.registry.services import search_units

URL = reverse("exchange_groups:unit_search")


def codes(units) -> list[str]:
    return [unit.code for unit in units]


def get_json(client, q, **extra):
    response = client.get(URL, {"q": q, "format": "json"}, HTTP_ACCEPT_LANGUAGE="pl", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# --- search_units -----------------------------------------------------------------------------------------------


def test_search_units_finds_lodz_without_diacritics(registry):
    # The gmina first (exact name, gminas before powiat-level units), then the city with powiat rights.
    assert codes(search_units("lodz"))[:2] == ["1061011", "1061"]


def test_search_units_finds_lodz_in_capitals_with_diacritics(registry):
    assert codes(search_units("ŁÓDŹ"))[:2] == ["1061011", "1061"]


def test_search_units_ranks_exact_name_then_prefix_then_substring(registry):
    results = search_units("lodz")
    folded = [fold(unit.name) for unit in results]
    exact = [name for name in folded if name == "lodz"]
    prefix = [name for name in folded if name.startswith("lodz") and name != "lodz"]
    assert folded[: len(exact) + len(prefix)] == exact + prefix
    assert prefix  # "łódzki wschodni" and the like
    assert len(folded) > len(exact) + len(prefix)  # "Aleksandrów Łódzki" and the like come last
    assert all("lodz" in name for name in folded)


def test_search_units_bolesławiec_returns_urban_and_rural_gmina_of_powiat_bolesławiecki(registry):
    results = search_units("Bolesławiec")
    assert codes(results)[:2] == ["0201011", "0201022"]
    urban, rural = results[0], results[1]
    assert (urban.kind, rural.kind) == (UnitKind.URBAN_GMINA, UnitKind.RURAL_GMINA)
    assert "powiat bolesławiecki" in urban.label
    assert "powiat bolesławiecki" in rural.label
    assert str(UnitKind.URBAN_GMINA.label) in urban.label
    assert str(UnitKind.RURAL_GMINA.label) in rural.label


def test_search_units_finds_part_of_a_name(registry):
    results = search_units("oleslawie")
    assert {"0201011", "0201022", "0201"} <= set(codes(results))
    assert all("oleslawie" in unit.name_folded for unit in results)


def test_search_units_several_words_must_all_match_name_or_label(registry):
    results = codes(search_units("bolesławiec wiejska"))
    assert "0201022" in results
    assert "0201011" not in results  # gmina miejska


def test_search_units_several_words_of_a_name(registry):
    assert codes(search_units("warta boleslawiecka")) == ["0201062"]


def test_search_units_never_returns_voivodeships(registry):
    assert search_units("łódzkie") == []
    assert all(unit.kind != UnitKind.VOIVODESHIP for unit in search_units("mazow", limit=50))


def test_search_units_leaves_out_inactive_units(registry):
    TerritorialUnit.objects.filter(code="0201011").update(active=False)
    results = codes(search_units("Bolesławiec"))
    assert "0201011" not in results
    assert "0201022" in results


def test_search_units_ignores_a_query_shorter_than_two_characters(registry):
    assert search_units("ł") == []
    assert search_units("  ") == []


def test_search_units_finds_units_by_teryt_code_prefix(registry):
    results = codes(search_units("0201"))
    assert results[0] == "0201"
    assert set(results) == {"0201", "0201011", "0201022", "0201032", "0201043", "0201052", "0201062"}


def test_search_units_returns_at_most_the_limit(registry):
    assert len(search_units("ow", limit=20)) == 20
    assert len(search_units("ow", limit=5)) == 5


# --- the JSON answer --------------------------------------------------------------------------------------------


def test_unit_search_json_has_the_documented_shape(registry, client):
    data = get_json(client, "Bolesławiec")
    first = data["results"][0]
    assert set(first) == {"id", "code", "name", "label", "kind", "kind_label"}
    gmina = TerritorialUnit.objects.get(code="0201011")
    assert first == {
        "id": gmina.pk,
        "code": "0201011",
        "name": "Bolesławiec",
        "label": "Bolesławiec (gmina miejska, powiat bolesławiecki, dolnośląskie)",
        "kind": UnitKind.URBAN_GMINA,
        "kind_label": "gmina miejska",
    }


def test_unit_search_json_bolesławiec_labels_both_gminas_with_kind_and_powiat(registry, client):
    results = get_json(client, "Bolesławiec")["results"]
    labels = {item["code"]: item["label"] for item in results}
    assert labels["0201011"] == "Bolesławiec (gmina miejska, powiat bolesławiecki, dolnośląskie)"
    assert labels["0201022"] == "Bolesławiec (gmina wiejska, powiat bolesławiecki, dolnośląskie)"


def test_unit_search_answers_json_to_an_accept_header(registry, client):
    response = client.get(URL, {"q": "lodz"}, HTTP_ACCEPT="application/json")
    assert response["Content-Type"].startswith("application/json")
    assert [item["code"] for item in response.json()["results"]][:2] == ["1061011", "1061"]
    assert "Accept" in response["Vary"]


def test_unit_search_answers_html_to_a_browser_accept_header(registry, client):
    response = client.get(URL, {"q": "lodz"}, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response["Content-Type"].startswith("text/html")


def test_unit_search_json_short_query_gives_no_results_and_a_hint(registry, client):
    data = get_json(client, "b")
    assert data["results"] == []
    assert "2" in data["hint"]


def test_unit_search_json_limits_the_results(registry, client):
    data = get_json(client, "ow")
    assert len(data["results"]) == 20
    assert data["more"] is True


def test_unit_search_is_read_only(registry, client):
    assert client.post(URL, {"q": "lodz"}).status_code == 405


# --- the page without JavaScript --------------------------------------------------------------------------------


def test_unit_search_page_lists_results_without_javascript(registry, client):
    response = client.get(URL, {"q": "Bolesławiec"}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="get"' in html
    assert 'name="q"' in html and 'value="Bolesławiec"' in html
    assert "<table" in html
    for text in ("0201011", "0201022", "gmina miejska", "gmina wiejska", "powiat bolesławiecki", "dolnośląskie"):
        assert text in html


def test_unit_search_page_without_query_shows_only_the_form(registry, client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in html
    assert "<table" not in html
    assert 'aria-invalid="true"' not in html


def test_unit_search_page_short_query_shows_a_hint_and_no_results(registry, client):
    response = client.get(URL, {"q": "ł"})
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="jst-query-error"' in html
    assert 'class="error-summary"' in html and 'href="#jst-query"' in html
    assert "<table" not in html


def test_unit_search_page_says_when_nothing_matches(registry, client):
    client.cookies["django_language"] = "en"  # the language switch; the browser language does not count
    response = client.get(URL, {"q": "Qwertyzxcv"})
    html = response.content.decode()
    assert "No unit matches “Qwertyzxcv”" in html
    assert "<table" not in html


def test_unit_search_page_escapes_the_query(registry, client):
    response = client.get(URL, {"q": "<script>alert(1)</script>"})
    assert b"<script>alert(1)" not in response.content


@pytest.mark.parametrize("q", ["0201011", "lodz"])
def test_unit_search_page_is_public(registry, client, q):
    assert client.get(URL, {"q": q}).status_code == 200
