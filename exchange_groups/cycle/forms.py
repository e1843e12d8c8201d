"""Forms of the yearly cycle: questionnaires and their questions (coordinators), the work plan.

The answer form of a questionnaire is not a Django form: its fields follow the questions, and
`cycle.submit_response` validates the answers (the same rules for the site and for any other caller).
"""

import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from exchange_groups.cycle.services import SCALE_HIGHEST, SCALE_LOWEST
from exchange_groups.models import QuestionKind, QuestionnaireKind, WorkPlanItemKind
from oswiata_kit.forms import AccessibleFormMixin

DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_INPUT_FORMAT)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _datetime_field(label, help_text):
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_INPUT_FORMAT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        error_messages={"invalid": _("Enter a date and time, for example 15.09.2019 12:00.")},
    )


class QuestionnaireForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of questionnaire"),
        choices=QuestionnaireKind.choices,
        help_text=_("The needs diagnosis opens the cycle; the evaluation closes it."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the questionnaire a title.")},
    )
    intro = forms.CharField(
        label=_("Introduction (optional)"),
        help_text=_("What the questionnaire is for and how long it takes. Members see it above the questions."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    opens_at = _datetime_field(_("Open from (optional)"), _("Leave empty to open it as soon as it is published."))
    closes_at = _datetime_field(_("Open until (optional)"), _("Leave empty to close it by hand."))

    def __init__(self, *args, with_kind=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_kind:
            del self.fields["kind"]

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The questionnaire must close after it opens."))
        return cleaned


class QuestionForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=500, error_messages={"required": _("Write the question.")})
    help_text = forms.CharField(label=_("Hint (optional)"), max_length=500, required=False)
    key = forms.CharField(
        label=_("Key (optional)"),
        max_length=50,
        required=False,
        help_text=_(
            "A short identifier such as “finansowanie”. Give the same key to the matching questions of the "
            "diagnosis and the evaluation so that their results are shown side by side. Left empty, it is "
            "made from the question."
        ),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Answer options (single and multiple choice)"),
        help_text=_("One option per line. You can add and remove options later, until the questionnaire is published."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    scale_min = forms.IntegerField(
        label=_("Scale: lowest value"), min_value=SCALE_LOWEST, max_value=SCALE_HIGHEST, initial=1, required=False
    )
    scale_max = forms.IntegerField(
        label=_("Scale: highest value"), min_value=SCALE_LOWEST, max_value=SCALE_HIGHEST, initial=5, required=False
    )
    scale_min_label = forms.CharField(
        label=_("Scale: label of the lowest value (optional)"),
        max_length=100,
        required=False,
        help_text=_("For example: “not at all”."),
    )
    scale_max_label = forms.CharField(
        label=_("Scale: label of the highest value (optional)"),
        max_length=100,
        required=False,
        help_text=_("For example: “to a very large extent”."),
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            del self.fields["kind"]
            del self.fields["choices"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if not self.editing and kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            options = [line.strip() for line in (cleaned.get("choices") or "").splitlines() if line.strip()]
            if len(options) < 2:
                self.add_error("choices", _("Give at least two answer options, one per line."))
            cleaned["choice_list"] = options
        else:
            cleaned["choice_list"] = []
        low = cleaned.get("scale_min")
        high = cleaned.get("scale_max")
        low = 1 if low is None else low
        high = 5 if high is None else high
        if (kind == QuestionKind.SCALE or self.editing) and low >= high:
            self.add_error("scale_max", _("The highest value must be greater than the lowest."))
        cleaned["scale_min"], cleaned["scale_max"] = low, high
        return cleaned


class ChoiceForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label=_("New answer option"), max_length=300, error_messages={"required": _("Write the answer option.")}
    )


class WorkPlanForm(AccessibleFormMixin, forms.Form):
    goals = forms.CharField(
        label=_("Goals of the year"),
        help_text=_("One goal per line."),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    themes = forms.CharField(
        label=_("Themes"),
        help_text=_("One theme per line."),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


def cycle_months(cycle: str) -> list[datetime.date]:
    """The months of a school year "2019/2020": September 2019 to August 2020 (empty if it is not one)."""
    first, _sep, _second = (cycle or "").partition("/")
    if not (first.isdigit() and len(first) == 4):
        return []
    year = int(first)
    return [datetime.date(year + (month < 9), month, 1) for month in (*range(9, 13), *range(1, 9))]


class WorkPlanItemForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkPlanItemKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, error_messages={"required": _("Give the item a title.")})
    description = forms.CharField(
        label=_("Description (optional)"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    month = forms.ChoiceField(label=_("Planned month"), required=False)
    date = forms.DateField(
        label=_("Exact date (optional)"),
        help_text=_("When the date is known. It takes precedence over the month."),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("Enter a date, for example 15.10.2019.")},
    )
    link = forms.URLField(
        label=_("Link (optional)"),
        help_text=_("For example the address of the online meeting, the task or the material."),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, for example https://www.ore.edu.pl/.")},
    )

    def __init__(self, *args, cycle: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", _("— not set —"))] + [
            (month.strftime("%Y-%m"), date_format(month, "F Y")) for month in cycle_months(cycle)
        ]

    def clean_month(self):
        value = self.cleaned_data.get("month")
        if not value:
            return None
        year, _sep, month = value.partition("-")
        return datetime.date(int(year), int(month), 1)

    @classmethod
    def initial_for(cls, item) -> dict:
        return {
            "kind": item.kind,
            "title": item.title,
            "description": item.description,
            "month": item.month.strftime("%Y-%m") if item.month else "",
            "date": item.date,
            "link": item.link,
        }
