"""Forms of the forums: new topic, reply, edit, search. Every form carries a hidden client_msg_id made
when the form is shown, so a second submit of the same form finds the post made by the first."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from exchange_groups.space_forms import AccessibleFormMixin

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
