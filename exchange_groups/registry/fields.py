"""Form field and widget for choosing a JST from the registry.

The field accepts what a person or the picker submits: a unit's TERYT code, its id, its full label
("Bolesławiec (gmina miejska, powiat bolesławiecki, dolnośląskie)", which the JavaScript combobox writes into
the input), or a name that identifies exactly one active unit. It cleans to a TerritorialUnit. Without
JavaScript an ambiguous name gets an error naming the candidates with their TERYT codes, so the person can
type the code or the full label.
"""

import json

from babel import Locale, UnknownLocaleError
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from exchange_groups.models import TerritorialUnit, fold
from exchange_groups.registry.services import search_units, short_query_hint

#: Most candidates an "ambiguous" error names.
MAX_CANDIDATES = 8


def _announcements() -> dict[str, str]:
    """Live-region messages "N units found" for each plural category of the active language.

    The browser picks the category with Intl.PluralRules and puts the count in place of "{count}".
    """
    try:
        locale = Locale.parse((get_language() or "en").replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("en")
    messages: dict[str, str] = {}
    for n in range(0, 200):
        category = locale.plural_form(n)
        if category not in messages:
            messages[category] = ngettext(
                "%(count)s unit found. Use the up and down arrow keys to choose one.",
                "%(count)s units found. Use the up and down arrow keys to choose one.",
                n,
            ) % {"count": "{count}"}
    return messages


class TerritorialUnitWidget(forms.TextInput):
    """A text input that the JST picker script turns into a WAI-ARIA combobox; plain text without JavaScript."""

    class Media:
        css = {"all": ["exchange_groups/css/jst-picker.css"]}
        js = [forms.Script("exchange_groups/js/jst-picker.js", defer=True)]

    def __init__(self, attrs=None, search_url=None):
        self.search_url = search_url
        base = {"autocomplete": "off", "spellcheck": "false", "data-jst-picker": ""}
        super().__init__({**base, **(attrs or {})})

    def get_search_url(self) -> str:
        if self.search_url:
            return str(self.search_url)
        try:
            return reverse("exchange_groups:unit_search")
        except NoReverseMatch:
            return ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.setdefault("data-jst-search-url", self.get_search_url())
        widget_attrs.setdefault("data-jst-msg-counts", json.dumps(_announcements(), ensure_ascii=False))
        widget_attrs.setdefault("data-jst-msg-none", gettext("No unit found. Try a shorter part of the name."))
        widget_attrs.setdefault("data-jst-msg-short", short_query_hint())
        widget_attrs.setdefault(
            "data-jst-msg-error",
            gettext("The list of units is not available right now. Type the name or the TERYT code and continue."),
        )
        widget_attrs.setdefault("data-jst-msg-chosen", gettext("Chosen: {label}"))
        widget_attrs.setdefault("data-jst-list-label", gettext("Matching local government units"))
        return context


class TerritorialUnitField(forms.Field):
    default_error_messages = {
        "not_found": _("No local government unit matches “%(value)s”. Check the spelling or type part of the name."),
        "ambiguous": _(
            "Several units match “%(value)s”: %(candidates)s. Type the TERYT code or the full name with the "
            "description in brackets of the one you mean."
        ),
    }
    widget = TerritorialUnitWidget
    default_help_text = _(
        "Type part of the name of your gmina or powiat (Polish letters are optional) or its TERYT code, "
        "for example “lodz” or “0201011”."
    )

    def __init__(self, *, queryset=None, **kwargs):
        self.queryset = queryset if queryset is not None else TerritorialUnit.objects.active().jst()
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)

    def _units(self):
        return self.queryset.select_related("parent", "voivodeship")

    def prepare_value(self, value):
        if isinstance(value, TerritorialUnit):
            return value.label
        if isinstance(value, int) and not isinstance(value, bool):
            unit = self._units().filter(pk=value).first()
            return unit.label if unit else value
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, TerritorialUnit):
            return value
        text = " ".join(str(value).split())
        if not text:
            return None
        if "\x00" in text:
            # As Django's text fields do (PostgreSQL cannot compare text with a NUL character).
            raise forms.ValidationError(ProhibitNullCharactersValidator.message, code="null_characters_not_allowed")
        if text.isdigit():
            # A TERYT code (02, 0201, 0201011) first; ids never start with 0.
            unit = self._units().filter(code=text).first()
            if unit is None and not text.startswith("0"):
                unit = self._units().filter(pk=int(text)).first()
            if unit:
                return unit
        unit = self._by_label(text)
        if unit:
            return unit
        return self._by_name(text)

    def _by_label(self, text: str):
        """The unit whose label is exactly the text ("Name (kind, powiat …, voivodeship)"), if any."""
        if not text.endswith(")"):
            return None
        names = {text[:i] for i in range(len(text)) if text.startswith(" (", i)}
        if not names:
            return None
        for unit in self._units().filter(name__in=names):
            if unit.label == text:
                return unit
        return None

    def _by_name(self, text: str):
        folded = fold(text)
        exact = list(self._units().filter(name_folded=folded).order_by("code")[: MAX_CANDIDATES + 1])
        if len(exact) == 1:
            return exact[0]
        candidates = exact or search_units(text, limit=MAX_CANDIDATES + 1, queryset=self.queryset)
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise forms.ValidationError(self.error_messages["not_found"], code="not_found", params={"value": text})
        shown = candidates[:MAX_CANDIDATES]
        listed = "; ".join(
            gettext("%(label)s – TERYT %(code)s") % {"label": unit.label, "code": unit.code} for unit in shown
        )
        if len(candidates) > MAX_CANDIDATES:
            listed = gettext("%(candidates)s; and more – type more of the name") % {"candidates": listed}
        raise forms.ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"value": text, "candidates": listed},
        )
