"""Forms of the forums: new topic, reply, edit, search. Every form carries a hidden client_msg_id made
when the form is shown, so a second submit of the same form finds the post made by the first."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oswiata_kit.forms import AccessibleFormMixin

from .attachments import ALLOWED_EXTENSIONS, allowed_types_label, max_attachment_bytes, max_attachments
from .sanitize import max_post_chars
from .services import MAX_TAGS, MAX_TITLE_LENGTH


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class BodyMixin:
    def _setup_body(self):
        body = self.fields["body"]
        body.widget.attrs.update(
            {"rows": 10, "class": "forum-body", "data-mentions-label": _("People you can mention")}
        )
        body.help_text = _("Markdown is allowed (see the help below). At most %(limit)s characters.") % {
            "limit": max_post_chars()
        }
        body.widget.attrs["aria-describedby"] = self._described_by("body", error=False)

    def _setup_attachments(self):
        field = self.fields["attachments"]
        field.help_text = _("At most %(count)s files, each up to %(limit)s MB. Allowed types: %(types)s.") % {
            "count": max_attachments(),
            "limit": max_attachment_bytes() // (1024 * 1024),
            "types": allowed_types_label(),
        }
        field.widget.attrs["accept"] = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)
        field.widget.attrs["aria-describedby"] = self._described_by("attachments", error=False)


class ReplyForm(BodyMixin, AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea,
        strip=False,
        error_messages={"required": _("Write the content of the post.")},
    )
    attachments = MultipleFileField(label=_("Attachments (optional)"), required=False)
    quoted_post = forms.IntegerField(widget=forms.HiddenInput, required=False)
    client_msg_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_msg_id", uuid.uuid4())
        self._setup_body()
        self._setup_attachments()


class TopicForm(BodyMixin, AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE_LENGTH,
        error_messages={"required": _("Give the topic a title.")},
    )
    body = forms.CharField(
        label=_("First post"),
        widget=forms.Textarea,
        strip=False,
        error_messages={"required": _("Write the content of the post.")},
    )
    tags = forms.CharField(label=_("Tags (optional)"), required=False, max_length=300)
    attachments = MultipleFileField(label=_("Attachments (optional)"), required=False)
    client_msg_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_msg_id", uuid.uuid4())
        self.fields["tags"].help_text = _(
            "Separate tags with commas, for example: subwencja oświatowa, dowozy. At most %(limit)s."
        ) % {"limit": MAX_TAGS}
        self.fields["tags"].widget.attrs["aria-describedby"] = self._described_by("tags", error=False)
        self._setup_body()
        self._setup_attachments()


class EditForm(BodyMixin, AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Content of the post"),
        widget=forms.Textarea,
        strip=False,
        error_messages={"required": _("Write the content of the post.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_body()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the forums"), max_length=200, required=False)


# --- moderation (issue 6) ----------------------------------------------------------------------------

REASON_MAX = 1000


def _reason_field(label, *, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": _("Please give a reason.")},
    )


class HideForm(AccessibleFormMixin, forms.Form):
    reason = _reason_field(_("Reason"), help_text=_("The author sees this reason next to the hidden post."))


class RestoreForm(AccessibleFormMixin, forms.Form):
    reason = _reason_field(_("Reason (optional)"), required=False)


class LockForm(AccessibleFormMixin, forms.Form):
    reason = _reason_field(_("Reason (optional)"), required=False)


class DeleteTopicForm(AccessibleFormMixin, forms.Form):
    reason = _reason_field(
        _("Reason"), help_text=_("Only administrators can restore a deleted topic. The author is told the reason.")
    )


class MoveTopicForm(AccessibleFormMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=pgettext_lazy("forum moderation", "New category"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Please choose a category of this forum.")},
    )
    reason = _reason_field(_("Reason (optional)"), required=False)

    def __init__(self, *args, forum=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = forum.categories.all()


class ModeratorEditForm(BodyMixin, AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Content of the post"),
        widget=forms.Textarea,
        strip=False,
        error_messages={"required": _("Write the content of the post.")},
    )
    reason = _reason_field(
        _("Reason for the change"),
        help_text=_("The author is told the reason and it is written to the moderation log."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_body()


class ReportForm(AccessibleFormMixin, forms.Form):
    reason = _reason_field(
        _("Why are you reporting this post?"),
        help_text=_("The moderators of this forum see your report and your name; the author does not."),
    )


class DecisionForm(AccessibleFormMixin, forms.Form):
    DECISIONS = [
        ("hide", _("Hide the post")),
        ("warn", _("Warn the author (the post stays)")),
        ("dismiss", _("Dismiss the reports (the post stays or is restored)")),
    ]
    decision = forms.ChoiceField(
        label=pgettext_lazy("forum moderation", "Decision"),
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose what to do with the reports.")},
    )
    reason = _reason_field(
        _("Reason"),
        required=False,
        help_text=_("Required when hiding the post or warning the author; the author and the reporters are told."),
    )


class SanctionForm(AccessibleFormMixin, forms.Form):
    person = forms.TypedChoiceField(
        label=pgettext_lazy("forum moderation", "Member"),
        coerce=int,
        error_messages={"required": _("Please choose a member to sanction.")},
    )
    kind = forms.ChoiceField(label=_("Kind of sanction"), choices=(), widget=forms.RadioSelect)
    reason = _reason_field(_("Reason"), help_text=_("The member sees this reason and the end date."))
    ends_at = forms.DateTimeField(
        label=pgettext_lazy("forum moderation", "Until"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Date and time, for example 25.11.2026 18:00."),
        error_messages={
            "required": _("Please give the end of the sanction."),
            "invalid": _("Please give a valid date and time."),
        },
    )

    def __init__(self, *args, people=(), **kwargs):
        from .models import SanctionKind

        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("— choose —"))] + [
            (person.pk, person.get_full_name() or person.email) for person in people
        ]
        self.fields["kind"].choices = SanctionKind.choices


class ForumSettingsForm(AccessibleFormMixin, forms.Form):
    slow_mode_seconds = forms.IntegerField(
        label=_("Slow mode in the whole forum (seconds)"),
        min_value=0,
        max_value=24 * 60 * 60,
        help_text=_("The shortest time between two posts of one member; 0 turns slow mode off. Moderators are exempt."),
    )
    report_threshold = forms.IntegerField(
        label=_("Report threshold"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_(
            "How many different members have to report a post before it is hidden pending review. "
            "Empty: the site default (%(default)s)."
        ),
    )
    public_moderation_log = forms.BooleanField(
        label=_("Show members the public moderation log (actions with reasons, without reporters' names)"),
        required=False,
    )

    def __init__(self, *args, default_threshold=3, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["report_threshold"]
        field.help_text = field.help_text % {"default": default_threshold}


class TopicSlowModeForm(AccessibleFormMixin, forms.Form):
    slow_mode_seconds = forms.IntegerField(
        label=_("Slow mode in this topic (seconds)"),
        min_value=0,
        max_value=24 * 60 * 60,
        help_text=_("0 turns slow mode off."),
    )
