"""TerritorialUnitField and its widget: what a form accepts as a JST, with and without JavaScript."""

import json
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from exchange_groups.models import TerritorialUnit
from exchange_groups.registry.fields import TerritorialUnitField, TerritorialUnitWidget


class UnitForm(forms.Form):
    unit = TerritorialUnitField()


def clean(value):
    return TerritorialUnitField().clean(value)


def error_of(value) -> forms.ValidationError:
    with pytest.raises(forms.ValidationError) as error:
        clean(value)
    return error.value


def test_unit_field_cleans_an_id(registry):
    gmina = TerritorialUnit.objects.get(code="0201022")
    assert clean(str(gmina.pk)) == gmina


def test_unit_field_cleans_a_teryt_code(registry):
    assert clean("0201011").code == "0201011"
    assert clean(" 1061 ").code == "1061"


def test_unit_field_reads_a_code_with_leading_zero_as_a_code_not_an_id(registry):
    assert clean("0201").name == "bolesławiecki"


def test_unit_field_cleans_a_name_that_matches_one_unit(registry):
    assert clean("Gromadka").code == "0201032"
    assert clean("gromadka").code == "0201032"


def test_unit_field_cleans_an_exact_label(registry):
    rural = TerritorialUnit.objects.get(code="0201022")
    assert clean(rural.label) == rural
    assert clean("Bolesławiec (gmina miejska, powiat bolesławiecki, dolnośląskie)").code == "0201011"


def test_unit_field_cleans_a_label_whose_name_has_brackets(registry):
    dobra = TerritorialUnit.objects.get(code="3211012")
    assert dobra.name == "Dobra (Szczecińska)"
    assert clean(dobra.label) == dobra


def test_unit_field_refuses_an_ambiguous_name_and_lists_the_candidates(registry):
    error = error_of("Bolesławiec")
    assert error.code == "ambiguous"
    message = error.messages[0]
    for code in ("0201011", "0201022", "1018012"):
        unit = TerritorialUnit.objects.get(code=code)
        assert unit.label in message
        assert code in message


def test_unit_field_lists_at_most_eight_candidates(registry):
    error = error_of("Nowa")
    assert error.code == "ambiguous"
    assert len(re.findall(r"TERYT \d{4,7}", error.messages[0])) == 8


def test_unit_field_candidates_can_be_typed_back(registry):
    # Without JavaScript the person copies a code from the error message into the field.
    message = error_of("Łódź").messages[0]
    assert "1061011" in message and "1061" in message
    assert clean("1061011").code == "1061011"


def test_unit_field_refuses_an_unknown_name(registry):
    assert error_of("Qwertyzxcv").code == "not_found"


def test_unit_field_refuses_an_inactive_unit(registry):
    gmina = TerritorialUnit.objects.get(code="0201032")
    TerritorialUnit.objects.filter(pk=gmina.pk).update(active=False)
    assert error_of("0201032").code == "not_found"
    assert error_of(str(gmina.pk)).code == "not_found"
    assert error_of(gmina.label).code == "not_found"
    assert error_of("Gromadka").code == "not_found"


def test_unit_field_refuses_a_voivodeship(registry):
    voivodeship = TerritorialUnit.objects.get(code="02")
    assert error_of("dolnośląskie").code == "not_found"
    assert error_of(voivodeship.label).code == "not_found"


def test_unit_field_optional_empty_value_is_none(registry):
    assert TerritorialUnitField(required=False).clean("  ") is None


def test_unit_field_renders_a_unit_as_its_label_that_cleans_back(registry):
    # With JavaScript the picker writes the label into the input; a redisplayed form shows the label too.
    gmina = TerritorialUnit.objects.get(code="0201022")
    html = str(UnitForm(initial={"unit": gmina})["unit"])
    assert f'value="{gmina.label}"' in html
    form = UnitForm(data={"unit": gmina.label})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == gmina


def test_unit_field_form_shows_the_ambiguous_error(registry):
    form = UnitForm(data={"unit": "Bolesławiec"})
    assert not form.is_valid()
    assert "0201022" in form.errors["unit"][0]


def test_unit_widget_renders_a_picker_input_with_search_url(registry):
    html = str(UnitForm()["unit"])
    assert "data-jst-picker" in html
    assert f'data-jst-search-url="{reverse("exchange_groups:unit_search")}"' in html
    assert 'autocomplete="off"' in html
    assert 'type="text"' in html


def test_unit_widget_carries_live_region_messages_for_each_plural_form(registry):
    with translation.override("pl"):
        attrs = TerritorialUnitWidget().get_context("unit", None, {"id": "id_unit"})["widget"]["attrs"]
    counts = json.loads(attrs["data-jst-msg-counts"])
    assert set(counts) == {"one", "few", "many"}
    assert all("{count}" in message for message in counts.values())
    for key in ("data-jst-msg-none", "data-jst-msg-short", "data-jst-msg-error", "data-jst-list-label"):
        assert attrs[key]
    with translation.override("en"):
        attrs = TerritorialUnitWidget().get_context("unit", None, {})["widget"]["attrs"]
    assert set(json.loads(attrs["data-jst-msg-counts"])) == {"one", "other"}


def test_unit_field_has_help_text_about_typing_part_of_the_name(registry):
    with translation.override("en"):
        assert "part of the name" in str(UnitForm()["unit"].help_text)


def test_unit_widget_brings_its_script_and_styles_as_form_media(registry):
    media = str(UnitForm().media)
    assert "exchange_groups/js/jst-picker.js" in media
    assert "exchange_groups/css/jst-picker.css" in media
    assert "defer" in media


def test_unit_field_uses_few_queries_for_a_label(registry, django_assert_max_num_queries):
    label = TerritorialUnit.objects.get(code="0201022").label
    with django_assert_max_num_queries(3):
        assert clean(label).code == "0201022"
