"""The demo data: two Polish courses with a quiz and pre/post tests, learners at various stages; idempotent."""

import pytest

from exchange_groups import demo as people_demo
from learning import demo
from learning.models import Certificate, CoursePage, Enrolment, QuizAttempt

# The demo's people need the TERC register: loaded once for every test that uses it (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("terc_registry")]


def test_demo_load_creates_courses_and_learners_at_various_stages():
    people_demo.load()
    demo.load()
    courses = CoursePage.objects.live()
    assert courses.count() == 2
    assert all(course.specific.lessons().exists() for course in courses)
    assert all(course.specific.has_competence_test() for course in courses)
    assert Certificate.objects.exists()
    assert Enrolment.objects.filter(completed_at__isnull=True).exists()
    assert QuizAttempt.objects.filter(submitted_at__isnull=True).exists()  # an attempt to resume


def test_demo_load_twice_adds_nothing():
    people_demo.load()
    demo.load()
    counts = (CoursePage.objects.count(), Enrolment.objects.count(), QuizAttempt.objects.count())
    demo.load()
    assert (CoursePage.objects.count(), Enrolment.objects.count(), QuizAttempt.objects.count()) == counts
