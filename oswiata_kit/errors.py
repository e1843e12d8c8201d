"""The one domain error of every app: a rule was broken, and the person is told which and why.

`RuleError(message, code, field=None)`:
- `message` — the translated sentence for the person (a lazy string is made a `str` when raised, so it is in the
  language active where the rule was checked);
- `code` — names the rule (tests, JSON answers and logs use it, never the sentence);
- `field` — the form field to blame, or None for the whole form.

Each area keeps a thin subclass with its own name (`MeetingError`, `ForumError`, ...) so that `except MeetingError`
still reads well; the shape and `str()` are the same everywhere. A refusal because of *who* is asking is not a
RuleError: that is `PermissionDenied` from the area's `check_*` predicates.
"""


class RuleError(Exception):
    """A domain rule was broken: `message` (translated, for the person), `code` (the rule), `field` (or None)."""

    def __init__(self, message, code: str, field: str | None = None):
        message = str(message)
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def __str__(self):
        return self.message

    def add_to_form(self, form) -> None:
        """Show the error on `form`: at its field when the form has that field, else above the form."""
        form.add_error(self.field if self.field in form.fields else None, self.message)
