"""One domain error: every area's error is a `RuleError` with the same shape (message, code, field) and the same
`str()`, so views, forms and consumers treat a broken rule of any app alike."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from oswiata_kit.errors import RuleError


def test_rule_error_carries_message_code_and_field():
    error = RuleError("Give the meeting a title.", "title_required", "title")
    assert (error.message, error.code, error.field) == ("Give the meeting a title.", "title_required", "title")
    assert str(error) == "Give the meeting a title."


def test_rule_error_without_a_field_blames_the_whole_form():
    error = RuleError("This meeting has been cancelled.", "cancelled")
    assert error.field is None
    assert error.args == ("This meeting has been cancelled.",)


def test_rule_error_message_is_translated_when_raised():
    with translation.override("pl"):
        error = RuleError(gettext_lazy("This field is required."), "required")
    assert error.message == "To pole jest wymagane." and isinstance(error.message, str)
    with translation.override("en"):
        assert str(error) == "To pole jest wymagane."


def _area_errors():
    from debates.services import DebateError
    from exchange_groups.cycle.services import CycleError
    from exchange_groups.library.services import LibraryError
    from exchange_groups.meetings.services import MeetingError
    from exchange_groups.practices.services import PracticeError
    from exchange_groups.spaces.services import MembershipError
    from forums.attachments import AttachmentError
    from forums.services import ForumError
    from learning.services import AttemptLimitReached, LearningError

    return [
        DebateError,
        CycleError,
        LibraryError,
        MeetingError,
        PracticeError,
        MembershipError,
        AttachmentError,
        ForumError,
        LearningError,
        AttemptLimitReached,
    ]


@pytest.mark.parametrize("index", range(10))
def test_rule_error_every_area_error_is_one_and_keeps_its_name(index):
    area_error = _area_errors()[index]
    error = area_error("Nie wolno.", "refused", "title")
    assert isinstance(error, RuleError)
    assert (error.message, error.code, error.field, str(error)) == ("Nie wolno.", "refused", "title", "Nie wolno.")
    with pytest.raises(area_error):
        raise error


def test_rule_error_add_to_form_marks_the_field_it_names():
    from django import forms

    class MeetingForm(forms.Form):
        title = forms.CharField(required=False)

    form = MeetingForm(data={"title": ""})
    assert form.is_valid()
    RuleError("Give the meeting a title.", "title_required", "title").add_to_form(form)
    RuleError("This meeting has been cancelled.", "cancelled").add_to_form(form)
    RuleError("The link is wrong.", "link_scheme", "online_link").add_to_form(form)  # not a field of this form
    assert form.errors["title"] == ["Give the meeting a title."]
    assert form.non_field_errors() == ["This meeting has been cancelled.", "The link is wrong."]
