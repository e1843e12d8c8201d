"""Forms of the meeting pages. Times are entered and shown in the meetings' time zone (Europe/Warsaw):
the views activate it around the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exchange_groups.meetings.services import MATERIAL_FILES
from exchange_groups.models import Attendance, MeetingMode
from oswiata_kit.forms import AccessibleFormMixin

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class MeetingForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the meeting a title.")},
    )
    mode = forms.ChoiceField(
        label=_("Form of the meeting"),
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the meeting is in person or online.")},
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        help_text=_("Polish time (Europe/Warsaw)."),
        widget=DateTimeLocalInput(),
        error_messages={
            "required": _("Give the date and time the meeting starts."),
            "invalid": _("Enter the date and time, for example 2026-03-12 10:00."),
        },
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        help_text=_("Polish time (Europe/Warsaw)."),
        widget=DateTimeLocalInput(),
        error_messages={
            "required": _("Give the date and time the meeting ends."),
            "invalid": _("Enter the date and time, for example 2026-03-12 14:00."),
        },
    )
    venue = forms.CharField(
        label=_("Venue (in-person meetings)"),
        help_text=_("For example: Urząd Miasta Lublin, sala konferencyjna nr 12."),
        max_length=200,
        required=False,
    )
    address = forms.CharField(
        label=_("Address (in-person meetings)"),
        help_text=_("Street, number, postal code and town."),
        max_length=300,
        required=False,
    )
    online_link = forms.URLField(
        label=_("Link to the online meeting (online meetings)"),
        help_text=_(
            "Shown only to registered people, from the number of minutes set below before the start until "
            "the end. It never appears in lists, e-mails or calendar files."
        ),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full address, for example https://spotkanie.example.pl/abc.")},
    )
    link_visible_minutes_before = forms.IntegerField(
        label=_("Show the link this many minutes before the start"),
        min_value=0,
        max_value=24 * 60,
        initial=60,
        error_messages={
            "required": _("Give the number of minutes (0 shows the link only from the start)."),
            "invalid": _("Enter a whole number of minutes."),
            "min_value": _("The number of minutes cannot be negative."),
            "max_value": _("The link can be shown at most 1440 minutes (24 hours) before the start."),
        },
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        help_text=_("One item per line."),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    capacity = forms.IntegerField(
        label=_("Number of places"),
        help_text=_("Leave empty for no limit. When the places are taken, people join the waiting list."),
        required=False,
        min_value=1,
        max_value=10000,
        error_messages={
            "invalid": _("Enter a whole number of places."),
            "min_value": _("The number of places must be at least 1; leave it empty for no limit."),
        },
    )
    registration_deadline = forms.DateTimeField(
        label=_("Registration deadline"),
        help_text=_("Polish time. Leave empty to take registrations until the start."),
        required=False,
        widget=DateTimeLocalInput(),
        error_messages={"invalid": _("Enter the date and time, for example 2026-03-10 23:59.")},
    )

    @classmethod
    def initial_from(cls, meeting) -> dict:
        from django.utils import timezone

        from exchange_groups.models import meeting_time_zone

        zone = meeting_time_zone()
        initial = {name: getattr(meeting, name) for name in cls.base_fields}
        for name in ("starts_at", "ends_at", "registration_deadline"):
            if initial[name] is not None:
                initial[name] = timezone.localtime(initial[name], zone)
        return initial


class CancelMeetingForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        help_text=_("Everyone registered or waiting receives it in an e-mail."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MinutesForm(AccessibleFormMixin, forms.Form):
    minutes = forms.CharField(
        label=_("Minutes (protokół)"),
        help_text=_("What was discussed and agreed. Members of the space can read it on the meeting page."),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 12}),
    )


class MaterialForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title of the material"),
        max_length=200,
        error_messages={"required": _("Give the material a title.")},
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
    )
    url = forms.URLField(
        label=_("…or a link"),
        help_text=_("For example a recording or a document on another site."),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full address, for example https://www.gov.pl/web/edukacja.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Allowed types: %(types)s. At most %(limit)s MB.") % {
            "types": MATERIAL_FILES.types_label(),
            "limit": MATERIAL_FILES.limit_mb(),
        }
        self.fields["file"].widget.attrs["aria-describedby"] = self._described_by("file", error=False)
        self.fields["file"].widget.attrs["accept"] = MATERIAL_FILES.accept()

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("file")) == bool(cleaned.get("url")):
            self.add_error("file", _("Add either a file or a link (one of them)."))
        return cleaned


class AttendanceForm(forms.Form):
    """One radio group per registered person: present / excused / absent (left unmarked when untouched)."""

    CHOICES = [
        (Attendance.PRESENT, Attendance.PRESENT.label),
        (Attendance.EXCUSED, Attendance.EXCUSED.label),
        (Attendance.ABSENT, Attendance.ABSENT.label),
    ]

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for registration in registrations:
            name = f"person_{registration.user_id}"
            initial = registration.attendance if registration.attendance != Attendance.UNKNOWN else None
            self.fields[name] = forms.ChoiceField(
                label=registration.user.get_full_name() or registration.user.email,
                choices=self.CHOICES,
                required=False,
                initial=initial,
                widget=forms.RadioSelect,
            )
            self.rows.append((registration, self[name]))

    def marks(self) -> dict[int, str]:
        """{user id: attendance} for the people whose choice was made (untouched rows are left alone)."""
        result = {}
        for name, value in self.cleaned_data.items():
            if value:
                result[int(name.removeprefix("person_"))] = value
        return result
