"""Against PostgreSQL with real concurrent transactions: a double submit and two tabs starting an attempt."""

import threading

import pytest
from django.db import connection

from learning import services
from learning.models import QuizAttempt

from .conftest import CORRECT_ANSWERS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_together(target, count=2):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait(timeout=10)
            results.append(target(index))
        except Exception as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def test_quiz_double_submit_in_parallel_scores_once(course, learner, enrolment):
    lesson = course.lessons().first()
    attempt = services.start_attempt(learner, lesson, "quiz1")
    answers = [CORRECT_ANSWERS, {"q1": "q1b"}]

    results, errors = _run_together(lambda i: services.submit_attempt(learner, attempt.pk, answers[i]))

    assert errors == []
    attempt.refresh_from_db()
    assert {r.points for r in results} == {attempt.points}
    assert {r.submitted_at for r in results} == {attempt.submitted_at}
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_quiz_two_tabs_starting_get_one_open_attempt(course, learner, enrolment):
    lesson = course.lessons().first()

    results, errors = _run_together(lambda i: services.start_attempt(learner, lesson, "quiz1").pk, count=4)

    assert errors == []
    assert len(set(results)) == 1
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_quiz_two_tabs_cannot_exceed_the_attempt_limit(course, learner, enrolment):
    lesson = course.lessons().first()
    first = services.start_attempt(learner, lesson, "quiz1")
    services.submit_attempt(learner, first.pk, {})

    def start_and_submit(_i):
        attempt = services.start_attempt(learner, lesson, "quiz1")
        return services.submit_attempt(learner, attempt.pk, {}).pk

    results, errors = _run_together(start_and_submit, count=3)

    assert QuizAttempt.objects.filter(user=learner).count() == 2  # the limit of the quiz
    assert all(isinstance(e, services.AttemptLimitReached) for e in errors)
