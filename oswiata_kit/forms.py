"""The accessible form mixin every app's forms use, with its two templates:

- `oswiata_kit/_field.html` renders one field: label, help text (`<id>-help`), errors (`<id>-error`), the widget;
- `oswiata_kit/_error_summary.html` announces a form's errors (`role="alert"`) and links each to its field.
"""


class AccessibleFormMixin:
    """Links each field to its help text and errors (aria-describedby) and marks invalid fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = self._described_by(name, error=False)

    def _described_by(self, name: str, *, error: bool) -> str:
        auto_id = self[name].auto_id
        ids = []
        if error:
            ids.append(f"{auto_id}-error")
        if self.fields[name].help_text:
            ids.append(f"{auto_id}-help")
        return " ".join(ids)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = self._described_by(name, error=True)
