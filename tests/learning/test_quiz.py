"""Quizzes in lessons: answers stay secret until submitted, scoring happens on the server, attempts are capped,
a double submit changes nothing, saved answers survive a dropped connection, and bad input saves nothing."""

import pytest
from django.urls import reverse

from learning import services
from learning.models import LessonProgress, QuizAttempt

from .conftest import CORRECT_ANSWERS, CORRECT_POST, SECRET_MARKERS, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(course):
    return course.lessons().first()


def _start(client, lesson):
    return client.post(reverse("learning:quiz_start", args=[lesson.pk, "quiz1"]))


def _attempt(learner):
    return QuizAttempt.objects.get(user=learner, submitted_at__isnull=True)


def test_quiz_page_never_shows_correct_answers_before_submission(learner_client, learner, enrolment, lesson):
    html_before = learner_client.get(lesson.url).content.decode()
    _start(learner_client, lesson)
    html_open = learner_client.get(lesson.url).content.decode()
    assert "Kto jest organem prowadzącym" in html_open  # the questions are there
    for html in (html_before, html_open):
        for marker in SECRET_MARKERS:
            assert marker not in html
        assert "correct" not in html.lower().replace("correct order", "")


def test_quiz_questions_are_fieldsets_with_legends(learner_client, enrolment, lesson):
    _start(learner_client, lesson)
    html = learner_client.get(lesson.url).content.decode()
    assert html.count("<fieldset") == 4
    assert html.count("<legend>") == 4


def test_quiz_ordering_items_are_not_shown_in_the_correct_order(learner_client, enrolment, lesson):
    _start(learner_client, lesson)
    html = learner_client.get(lesson.url).content.decode()
    positions = [html.index(f'id="q-q4-{item}"') for item in ("i1", "i2", "i3")]
    assert positions != sorted(positions)


def test_quiz_submit_scores_on_the_server_and_shows_feedback(learner_client, learner, enrolment, lesson):
    _start(learner_client, lesson)
    attempt = _attempt(learner)
    response = learner_client.post(
        reverse("learning:attempt", args=[attempt.pk]), {**CORRECT_POST, "action": "submit"}, follow=True
    )
    attempt.refresh_from_db()
    assert (attempt.points, attempt.max_points, attempt.passed) == (4, 4, True)
    html = response.content.decode()
    assert "FB-OK-1" in html
    assert "4 of 4 points" in html or "4 z 4" in html


def test_quiz_passed_completes_the_lesson(learner_client, learner, enrolment, lesson):
    attempt = services.start_attempt(learner, lesson, "quiz1")
    services.submit_attempt(learner, attempt.pk, CORRECT_ANSWERS)
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).how == "quiz"


def test_quiz_failed_does_not_complete_the_lesson(learner, enrolment, lesson):
    attempt = services.start_attempt(learner, lesson, "quiz1")
    attempt = services.submit_attempt(learner, attempt.pk, {"q1": "q1b"})
    assert attempt.passed is False
    assert not LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).exists()


def test_quiz_double_submit_keeps_one_score(learner_client, learner, enrolment, lesson):
    _start(learner_client, lesson)
    attempt = _attempt(learner)
    url = reverse("learning:attempt", args=[attempt.pk])
    learner_client.post(url, {"q-q1": "q1b", "action": "submit"})
    learner_client.post(url, {**CORRECT_POST, "action": "submit"})
    attempt.refresh_from_db()
    assert attempt.points == 0
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_quiz_second_start_returns_the_open_attempt(learner, enrolment, lesson):
    first = services.start_attempt(learner, lesson, "quiz1")
    second = services.start_attempt(learner, lesson, "quiz1")
    assert first.pk == second.pk


def test_quiz_attempt_limit_is_enforced(learner_client, learner, enrolment, lesson):
    for _n in range(2):
        attempt = services.start_attempt(learner, lesson, "quiz1")
        services.submit_attempt(learner, attempt.pk, {})
    response = _start(learner_client, lesson)
    assert response.status_code == 403
    assert "Wykorzystał(a) Pan/Pani wszystkie podejścia do tego quizu." in response.content.decode()
    assert QuizAttempt.objects.filter(user=learner).count() == 2


def test_quiz_saved_answers_are_restored_after_a_dropped_connection(learner_client, learner, enrolment, lesson):
    _start(learner_client, lesson)
    attempt = _attempt(learner)
    learner_client.post(reverse("learning:attempt", args=[attempt.pk]), {"q-q1": "q1c", "action": "save"})
    html = learner_client.get(lesson.url).content.decode()
    assert 'value="q1c" checked' in html
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers == {"q1": "q1c"}


def test_quiz_autosave_answers_with_json(learner_client, learner, enrolment, lesson):
    _start(learner_client, lesson)
    attempt = _attempt(learner)
    response = learner_client.post(
        reverse("learning:attempt", args=[attempt.pk]),
        {"q-q3": "false", "action": "save"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.json() == {"ok": True, "open": True}


def test_quiz_unknown_option_is_refused_and_nothing_saved(learner_client, learner, enrolment, lesson):
    _start(learner_client, lesson)
    attempt = _attempt(learner)
    url = reverse("learning:attempt", args=[attempt.pk])
    learner_client.post(url, {"q-q1": "q1a", "action": "save"})
    response = learner_client.post(url, {"q-q1": "nie-ma-takiej", "action": "submit"})
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers == {"q1": "q1a"}


def test_quiz_unknown_field_is_refused(learner_client, learner, enrolment, lesson):
    _start(learner_client, lesson)
    attempt = _attempt(learner)
    response = learner_client.post(reverse("learning:attempt", args=[attempt.pk]), {"q-zzz": "1", "action": "submit"})
    assert response.status_code == 400
    assert _attempt(learner).pk == attempt.pk


def test_quiz_attempt_of_another_person_is_not_found(client, learner, enrolment, lesson):
    attempt = services.start_attempt(learner, lesson, "quiz1")
    other = make_person()
    client.force_login(other)
    response = client.post(reverse("learning:attempt", args=[attempt.pk]), {"action": "submit"})
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open


def test_quiz_get_on_attempt_changes_nothing(learner_client, learner, enrolment, lesson):
    attempt = services.start_attempt(learner, lesson, "quiz1")
    assert learner_client.get(reverse("learning:attempt", args=[attempt.pk])).status_code == 405


def test_lesson_anonymous_is_sent_to_login(client, course):
    response = client.get(course.lessons().first().url)
    assert response.status_code == 302
    assert reverse("exchange_groups:login") in response["Location"]


def test_lesson_not_enrolled_is_invited_to_enrol(learner_client, course):
    response = learner_client.get(course.lessons().first().url)
    assert response.status_code == 403
    html = response.content.decode()
    assert reverse("learning:course_enrol", args=[course.pk]) in html
    assert "Treść lekcji." not in html


def test_quiz_start_not_enrolled_is_refused(learner_client, learner, course):
    response = _start(learner_client, course.lessons().first())
    assert response.status_code == 403
    assert not QuizAttempt.objects.exists()
