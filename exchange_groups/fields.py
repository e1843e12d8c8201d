"""Form field for choosing a JST from the registry.

The field accepts what the picker submits: a unit's id (the JavaScript combobox fills it), its TERYT
code, or a name that identifies exactly one active unit. It cleans to a TerritorialUnit.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TerritorialUnit


class TerritorialUnitField(forms.Field):
    default_error_messages = {
        "not_found": _("No local government unit matches “%(value)s”. Check the spelling or type part of the name."),
        "ambiguous": _("Several units match “%(value)s”. Choose one of them from the list."),
    }
    widget = forms.TextInput

    def __init__(self, *, queryset=None, **kwargs):
        self.queryset = queryset if queryset is not None else TerritorialUnit.objects.active().jst()
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, TerritorialUnit):
            return value.label
        if isinstance(value, int):
            unit = self.queryset.filter(pk=value).first()
            return unit.label if unit else value
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, TerritorialUnit):
            return value
        text = str(value).strip()
        if text.isdigit():
            unit = self.queryset.filter(pk=int(text)).first() or self.queryset.filter(code=text).first()
            if unit:
                return unit
        exact = [u for u in self.queryset.select_related("parent", "voivodeship") if u.label == text]
        if len(exact) == 1:
            return exact[0]
        matches = list(self.queryset.search(text)[:2])
        if len(matches) == 1:
            return matches[0]
        code = "ambiguous" if matches else "not_found"
        raise forms.ValidationError(self.error_messages[code], code=code, params={"value": text})
