"""Against PostgreSQL with real concurrent transactions: a double submit and two tabs starting an attempt."""

import pytest

from learning import services
from learning.models import QuizAttempt
from tests.concurrency import run_concurrently

from .conftest import CORRECT_ANSWERS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_quiz_double_submit_in_parallel_scores_once(course, learner, enrolment):
    lesson = course.lessons().first()
    attempt = services.start_attempt(learner, lesson, "quiz1")
    answers = [CORRECT_ANSWERS, {"q1": "q1b"}]

    outcomes = run_concurrently(lambda i: services.submit_attempt(learner, attempt.pk, answers[i]))

    assert outcomes.errors == []
    results = outcomes.results
    attempt.refresh_from_db()
    assert {r.points for r in results} == {attempt.points}
    assert {r.submitted_at for r in results} == {attempt.submitted_at}
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_quiz_two_tabs_starting_get_one_open_attempt(course, learner, enrolment):
    lesson = course.lessons().first()

    outcomes = run_concurrently(lambda i: services.start_attempt(learner, lesson, "quiz1").pk, 4)

    assert outcomes.errors == []
    assert len(set(outcomes)) == 1
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_quiz_two_tabs_cannot_exceed_the_attempt_limit(course, learner, enrolment):
    lesson = course.lessons().first()
    first = services.start_attempt(learner, lesson, "quiz1")
    services.submit_attempt(learner, first.pk, {})

    def start_and_submit(_i):
        attempt = services.start_attempt(learner, lesson, "quiz1")
        return services.submit_attempt(learner, attempt.pk, {}).pk

    outcomes = run_concurrently(start_and_submit, 3)

    assert QuizAttempt.objects.filter(user=learner).count() == 2  # the limit of the quiz
    assert all(isinstance(e, services.AttemptLimitReached) for e in outcomes.errors)
