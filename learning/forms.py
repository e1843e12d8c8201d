"""Forms of the learning pages, and reading quiz answers from a POST."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oswiata_kit.forms import AccessibleFormMixin

from .scoring import AnswerError
from .services import parse_emails


class EnrolPeopleForm(AccessibleFormMixin, forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One address per line. People need an account on the platform. When any address is unknown, "
            "nobody is enrolled and the unknown addresses are listed."
        ),
    )

    def clean_emails(self):
        emails = parse_emails(self.cleaned_data["emails"])
        if not emails:
            raise forms.ValidationError(_("Give at least one e-mail address."))
        bad = [email for email in emails if "@" not in email]
        if bad:
            raise forms.ValidationError(_("These are not e-mail addresses: %(list)s") % {"list": ", ".join(bad)})
        return emails


class EnrolSpaceForm(AccessibleFormMixin, forms.Form):
    space = forms.ModelChoiceField(
        label=_("Space"),
        queryset=None,
        empty_label=_("— choose a space —"),
        help_text=_("Every active member of the space is enrolled; people already enrolled stay as they are."),
    )

    def __init__(self, *args, spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces


class ReflectionForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000)


class VerifyForm(AccessibleFormMixin, forms.Form):
    kod = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the certificate, for example ZJST-7KQ4-M9XD-2HRW."),
    )


def answers_from_post(questions: list[dict], data) -> dict:
    """Answers by id from the fields q-<question id> (and q-<question id>-<item id> for ordering).

    A field that belongs to no question raises AnswerError: nothing is saved from a tampered form.
    """
    expected = set()
    answers: dict = {}
    for question in questions:
        name = f"q-{question['id']}"
        if question["type"] in ("single", "true_false"):
            expected.add(name)
            values = data.getlist(name)
            if len(values) > 1:
                raise AnswerError("one answer expected")
            if values and values[0]:
                answers[question["id"]] = values[0]
        elif question["type"] == "multiple":
            expected.add(name)
            values = [v for v in data.getlist(name) if v]
            if values:
                answers[question["id"]] = values
        elif question["type"] == "ordering":
            positions = {}
            for item in question["options"]:
                item_name = f"{name}-{item['id']}"
                expected.add(item_name)
                value = data.get(item_name, "")
                if value:
                    positions[item["id"]] = value
            if positions:
                answers[question["id"]] = positions
    unknown = [key for key in data if key.startswith("q-") and key not in expected]
    if unknown:
        raise AnswerError(f"unknown fields: {unknown}")
    return answers
