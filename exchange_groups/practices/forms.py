"""Forms of the good-practice base: the public filters and a member's submission."""

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from exchange_groups.models import PracticeTheme, UnitKind, is_school_year
from exchange_groups.registry.fields import TerritorialUnitField
from oswiata_kit.forms import AccessibleFormMixin

#: The JST kinds as addresses of the listing named them before the codes were English (`?rodzaj=gmina_wiejska`):
#: a bookmarked or shared link still filters the same.
FORMER_KIND_CODES = {
    "wojewodztwo": UnitKind.VOIVODESHIP,
    "miasto_npp": UnitKind.CITY_WITH_POWIAT_RIGHTS,
    "gmina_miejska": UnitKind.URBAN_GMINA,
    "gmina_wiejska": UnitKind.RURAL_GMINA,
    "gmina_miejsko_wiejska": UnitKind.URBAN_RURAL_GMINA,
}


def _attributes(attrs: dict) -> str:
    """HTML attributes as django/forms/widgets/attrs.html writes them (in order; True: the name alone)."""
    written = (
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )
    return mark_safe("".join(written))  # noqa: S308 - each part escaped by format_html


class PlainSelect(forms.Select):
    """Django's select, written out in Python: the same HTML as its templates, without a template include per
    option (the listing's filters offer every voivodeship and theme on every page view)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                value_text, label = str(option["value"]), option["label"]
                parts.append(
                    format_html('\n  <option value="{}"{}>{}</option>', value_text, _attributes(option["attrs"]), label)
                )
            if group_name:
                parts.append(mark_safe("\n  </optgroup>"))
        options = mark_safe("".join(parts))  # noqa: S308 - each part escaped by format_html
        return format_html('<select name="{}"{}>{}\n</select>', widget["name"], _attributes(widget["attrs"]), options)


class PracticeFilterForm(forms.Form):
    """GET filters of the listing; unknown values are simply invalid and ignored (everything is shown)."""

    q = forms.CharField(label=_("Words in the description"), required=False, max_length=200)
    woj = forms.ChoiceField(label=_("Voivodeship"), required=False, widget=PlainSelect)
    rodzaj = forms.ChoiceField(label=_("JST kind"), required=False, widget=PlainSelect)
    temat = forms.ChoiceField(label=_("Theme"), required=False, widget=PlainSelect)

    def __init__(self, data=None, *args, voivodeships=(), kinds=(), themes=(), **kwargs):
        if data is not None and data.get("rodzaj") in FORMER_KIND_CODES:
            data = data.copy()
            data["rodzaj"] = FORMER_KIND_CODES[data["rodzaj"]]
        super().__init__(data, *args, **kwargs)
        self.fields["woj"].choices = [("", _("All voivodeships")), *voivodeships]
        self.fields["rodzaj"].choices = [("", _("All kinds")), *kinds]
        self.fields["temat"].choices = [("", _("All themes")), *themes]
        self.fields["q"].widget = forms.TextInput(attrs={"type": "search"})


class PracticeSubmissionForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title of the practice"),
        max_length=200,
        help_text=_("Name the solution, for example “A local education strategy written with parents”."),
        error_messages={"required": _("Give the practice a title.")},
    )
    unit = TerritorialUnitField(
        label=_("JST where the practice was carried out"),
        error_messages={"required": _("Choose the JST where the practice was carried out.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes (optional)"),
        queryset=PracticeTheme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_start = forms.CharField(
        label=_("First school year"),
        max_length=9,
        help_text=_("For example 2017/2018."),
        error_messages={"required": _("Give the school year in which the practice started.")},
    )
    period_end = forms.CharField(
        label=_("Last school year (optional)"),
        max_length=9,
        required=False,
        help_text=_("Leave empty if the practice is still carried out."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        help_text=_("Two or three sentences shown in the listing."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a short summary of the practice.")},
    )
    local_context = forms.CharField(
        label=_("Local context"),
        max_length=10000,
        help_text=_("The local education system: schools, pupils, demography, finances."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe the local context.")},
    )
    problem = forms.CharField(
        label=_("The problem"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe the problem the practice solved.")},
    )
    solution = forms.CharField(
        label=_("The solution"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Describe the solution.")},
    )
    who_did_what = forms.CharField(
        label=_("Who did what and when (optional)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    effects = forms.CharField(
        label=_("Effects (optional)"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    cost = forms.CharField(
        label=_("Cost (optional)"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    why_promote = forms.CharField(
        label=_("Why it is worth promoting (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    replication_advice = forms.CharField(
        label=_("Advice for replication (optional)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        error_messages={"required": _("Give the name of the contact person.")},
    )
    contact_role = forms.CharField(label=_("Position of the contact person (optional)"), max_length=200, required=False)
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        error_messages={
            "required": _("Give the contact e-mail address."),
            "invalid": _("Enter a valid e-mail address, for example jan.kowalski@gmina.pl."),
        },
    )
    contact_phone = forms.CharField(label=_("Contact telephone (optional)"), max_length=40, required=False)
    source_space = forms.ModelChoiceField(
        label=_("Network or group the practice comes from (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Not from a network or group"),
    )
    publication_consent = forms.BooleanField(
        label=_(
            "I agree that, after review, the description and the contact details above are published in the "
            "public good-practice base."
        ),
        error_messages={"required": _("Agree to the publication, or the practice cannot be submitted.")},
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        from exchange_groups.models import Space

        self.fields["source_space"].queryset = spaces if spaces is not None else Space.objects.none()
        if not self.fields["source_space"].queryset.exists():
            del self.fields["source_space"]
        if not self.fields["themes"].queryset.exists():
            del self.fields["themes"]

    def _clean_year(self, name):
        value = self.cleaned_data[name].strip()
        if value and not is_school_year(value):
            raise forms.ValidationError(_("Write the school year as two consecutive years, for example 2019/2020."))
        return value

    def clean_period_start(self):
        return self._clean_year("period_start")

    def clean_period_end(self):
        return self._clean_year("period_end")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The last school year cannot come before the first one."))
        return cleaned
