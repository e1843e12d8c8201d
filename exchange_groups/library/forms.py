"""Forms of the resource library: adding, editing, and the search form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exchange_groups.library.services import MAX_TAGS, RESOURCE_FILES
from exchange_groups.models import ResourceKind
from oswiata_kit.forms import AccessibleFormMixin

TAGS_HELP = _("Separate tags with commas, for example: budżet, subwencja oświatowa. At most %(limit)s.")


class ResourceForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you adding?"),
        choices=ResourceKind.choices,
        initial=ResourceKind.FILE,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the resource a title.")},
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(label=_("File"), required=False, max_length=255)
    url = forms.CharField(
        label=_("Link"),
        help_text=_("A full address, for example https://www.gov.pl/web/edukacja."),
        required=False,
        max_length=500,
        widget=forms.URLInput,
    )
    tags = forms.CharField(label=_("Tags (optional)"), required=False, max_length=600)
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Allowed types: %(types)s. At most %(limit)s MB.") % {
            "types": RESOURCE_FILES.types_label(),
            "limit": RESOURCE_FILES.limit_mb(),
        }
        self.fields["file"].widget.attrs["accept"] = RESOURCE_FILES.accept()
        self.fields["tags"].help_text = TAGS_HELP % {"limit": MAX_TAGS}
        for name in ("file", "tags"):
            self.fields[name].widget.attrs["aria-describedby"] = self._described_by(name, error=False)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ResourceKind.FILE and not cleaned.get("file") and "file" not in self.errors:
            self.add_error("file", _("Choose a file to add."))
        if kind == ResourceKind.LINK and not (cleaned.get("url") or "").strip() and "url" not in self.errors:
            self.add_error("url", _("Enter the address of the link."))
        return cleaned


class ResourceEditForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the resource a title.")},
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    url = forms.CharField(
        label=_("Link"),
        help_text=_("A full address, for example https://www.gov.pl/web/edukacja."),
        max_length=500,
        widget=forms.URLInput,
        error_messages={"required": _("Enter the address of the link.")},
    )
    tags = forms.CharField(label=_("Tags (optional)"), required=False, max_length=600)

    def __init__(self, *args, is_link: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_link:
            del self.fields["url"]
        self.fields["tags"].help_text = TAGS_HELP % {"limit": MAX_TAGS}
        self.fields["tags"].widget.attrs["aria-describedby"] = self._described_by("tags", error=False)


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search in titles, descriptions and tags"), required=False, max_length=200)
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("All tags")), *[(tag.slug, tag.name) for tag in tags]]
