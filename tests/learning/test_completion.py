"""Progress and completion: lessons marked or passed, resume point, the post-test and meeting attendance rules."""

import datetime

import pytest
from django.urls import reverse

from learning import services
from learning.models import AttendanceRecord, Certificate, CourseMeetingRequirement, LessonProgress

from .conftest import CORRECT_ANSWERS

pytestmark = pytest.mark.django_db


def _pass_tests(enrolment):
    services.record_competence_test(enrolment, "pre", {"a1": "a1b"})
    services.record_competence_test(enrolment, "post", {"b1": "b1a", "b2": "false", "b3": "b3b"})


def _required(course):
    return [lesson for lesson in course.lessons() if lesson.required]


def test_progress_resumes_at_the_first_lesson_not_done(enrolment, course):
    first, second = _required(course)
    services.mark_lesson_complete(enrolment, first)
    progress = services.course_progress(enrolment)
    assert (progress.done, progress.total, progress.next_lesson.pk) == (1, 2, second.pk)


def test_progress_is_shown_as_text_and_progress_element(learner_client, enrolment, course):
    services.mark_lesson_complete(enrolment, _required(course)[0])
    html = learner_client.get(course.url).content.decode()
    assert "<progress" in html
    assert 'value="1"' in html and 'max="2"' in html
    assert "1 of 2" in html or "1 z 2" in html


def test_lesson_mark_complete_by_post(learner_client, enrolment, course):
    lesson = _required(course)[1]
    response = learner_client.post(reverse("learning:lesson_complete", args=[lesson.pk]))
    assert response.status_code == 302
    assert LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson, how="marked").exists()


def test_a_lesson_with_a_quiz_is_not_completed_by_the_button(learner_client, enrolment, course):
    lesson = next(lesson for lesson in course.lessons() if lesson.specific.quiz_blocks())
    page = learner_client.get(lesson.url).content.decode()
    assert reverse("learning:lesson_complete", args=[lesson.pk]) not in page
    assert "complete once you pass its quiz" in page or "po zaliczeniu quizu" in page
    response = learner_client.post(reverse("learning:lesson_complete", args=[lesson.pk]))
    assert response.status_code == 400
    assert not LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).exists()
    assert services.course_completion_status(enrolment).rule("lessons").met is False


def test_lesson_mark_complete_twice_keeps_one_row(enrolment, course):
    lesson = _required(course)[0]
    services.mark_lesson_complete(enrolment, lesson)
    services.mark_lesson_complete(enrolment, lesson)
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1


def test_completion_needs_all_required_lessons(enrolment, course):
    services.mark_lesson_complete(enrolment, _required(course)[0])
    status = services.course_completion_status(enrolment)
    assert status.rule("lessons").met is False
    assert status.complete is False


def test_completion_needs_the_post_test(enrolment, course):
    for lesson in _required(course):
        services.mark_lesson_complete(enrolment, lesson)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    assert services.course_completion_status(enrolment).rule("post_test").met is False
    _pass_tests(enrolment)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert Certificate.objects.filter(enrolment=enrolment).exists()


def test_completion_quiz_pass_counts_as_lesson_done(learner, enrolment, course):
    first, second = _required(course)
    attempt = services.start_attempt(learner, first, "quiz1")
    services.submit_attempt(learner, attempt.pk, CORRECT_ANSWERS)
    services.mark_lesson_complete(enrolment, second)
    assert services.course_completion_status(enrolment).rule("lessons").met is True


def test_completion_optional_lessons_do_not_count(enrolment, course):
    for lesson in _required(course):
        services.mark_lesson_complete(enrolment, lesson)
    assert services.course_completion_status(enrolment).rule("lessons").met is True


def _blended(course, required=2):
    course.is_blended = True
    course.save()
    CourseMeetingRequirement.objects.create(course=course, description="Spotkania sieci", required_count=required)


def test_completion_blended_course_needs_meeting_attendance(enrolment, course, learner):
    _blended(course)
    for lesson in _required(course):
        services.mark_lesson_complete(enrolment, lesson)
    _pass_tests(enrolment)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    assert services.course_completion_status(enrolment).rule("meetings").met is False
    for day in (1, 2):
        AttendanceRecord.objects.create(
            course=course, user=learner, meeting="Spotkanie sieci", date=datetime.date(2026, 10, day)
        )
    assert services.course_completion_status(enrolment).rule("meetings").met is True
    assert services.complete_course_if_done(enrolment) is not None


def attend_everything(user, course):
    return 99


def test_completion_attendance_provider_setting_is_used(settings, enrolment, course):
    _blended(course)
    settings.LEARNING_ATTENDANCE_PROVIDER = "tests.learning.test_completion.attend_everything"
    assert services.course_completion_status(enrolment).rule("meetings").met is True


def test_completion_not_blended_has_no_meeting_rule(enrolment, course):
    CourseMeetingRequirement.objects.create(course=course, description="Spotkania", required_count=2)
    assert services.course_completion_status(enrolment).rule("meetings") is None


def test_completion_finish_button_completes_when_rules_are_met(learner_client, enrolment, course, learner, settings):
    _blended(course, required=1)
    for lesson in _required(course):
        services.mark_lesson_complete(enrolment, lesson)
    _pass_tests(enrolment)
    settings.LEARNING_ATTENDANCE_PROVIDER = "tests.learning.test_completion.attend_everything"
    learner_client.post(reverse("learning:course_finish", args=[course.pk]))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_completion_finish_refused_when_rules_are_not_met(learner_client, enrolment, course):
    learner_client.post(reverse("learning:course_finish", args=[course.pk]))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None


def test_reflection_is_kept_in_the_portfolio(learner_client, enrolment, course):
    lesson = _required(course)[1]
    learner_client.post(
        reverse("learning:reflection_save", args=[lesson.pk, "r1"]), {"r-r1-text": "Analizujemy prognozy."}
    )
    html = learner_client.get(reverse("learning:my_course", args=[course.pk])).content.decode()
    assert "Analizujemy prognozy." in html


def test_reflection_empty_answer_is_refused(learner_client, enrolment, course):
    lesson = _required(course)[1]
    response = learner_client.post(reverse("learning:reflection_save", args=[lesson.pk, "r1"]), {"r-r1-text": " "})
    assert response.status_code == 400
    assert not enrolment.reflections.exists()


def test_completion_counts_presence_marked_at_the_linked_spaces_meetings(enrolment, course, learner):
    """The networks' meetings feed the blended rule: presence marked by the coordinator counts, other marks don't."""
    from datetime import timedelta

    from exchange_groups.meetings import services as meetings
    from exchange_groups.models import Attendance, SpaceRole
    from exchange_groups.spaces import services as membership
    from tests.exchange_groups.meetings_helpers import make_meeting, make_space

    space, coordinator, admin = make_space()
    membership.add_member(admin, space, learner, SpaceRole.PARTICIPANT, notify=False)
    course.is_blended = True
    course.save()
    CourseMeetingRequirement.objects.create(course=course, description="Spotkania sieci", space=space, required_count=2)
    first, second = make_meeting(coordinator, space), make_meeting(coordinator, space, title="Finansowanie oświaty")
    for meeting in (first, second):
        meetings.register_for_meeting(learner, meeting)
    later = max(first.ends_at, second.ends_at) + timedelta(hours=1)
    meetings.mark_attendance(coordinator, first, {learner.pk: Attendance.PRESENT}, now=later)
    meetings.mark_attendance(coordinator, second, {learner.pk: Attendance.EXCUSED}, now=later)
    assert services.attended_meetings(learner, course) == 1
    assert services.course_completion_status(enrolment).rule("meetings").met is False
    meetings.mark_attendance(coordinator, second, {learner.pk: Attendance.PRESENT}, now=later)
    assert services.attended_meetings(learner, course) == 2
    assert services.course_completion_status(enrolment).rule("meetings").met is True
