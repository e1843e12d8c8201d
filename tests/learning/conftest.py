"""Fixtures of the learning tests: a small course tree built the way editors build it, and people."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.models import PositionCategory
from learning import services
from learning.models import CompetenceArea, CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.factories import UserFactory

# Markers that only the answers carry: none may appear in a page before the answers are submitted.
SECRET_MARKERS = ["FB-OK-", "FB-BAD-", "OPTFB-"]


def _option(oid, text, correct=False, feedback=""):
    return {"type": "item", "id": oid, "value": {"text": text, "correct": correct, "feedback": feedback}}


def quiz_block(block_id="quiz1", pass_mark=75, max_attempts=2):
    return {
        "type": "quiz",
        "id": block_id,
        "value": {
            "title": "Sprawdź swoją wiedzę",
            "intro": "",
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            "questions": [
                {
                    "type": "single",
                    "id": "q1",
                    "value": {
                        "prompt": "Kto jest organem prowadzącym szkołę podstawową?",
                        "feedback_correct": "FB-OK-1 Tak, gmina.",
                        "feedback_incorrect": "FB-BAD-1 Szkoły podstawowe prowadzą gminy.",
                        "options": [
                            _option("q1a", "Gmina", True, "OPTFB-1a"),
                            _option("q1b", "Powiat", False, "OPTFB-1b"),
                            _option("q1c", "Kurator oświaty", False, "OPTFB-1c"),
                        ],
                    },
                },
                {
                    "type": "multiple",
                    "id": "q2",
                    "value": {
                        "prompt": "Co finansuje subwencja oświatowa?",
                        "feedback_correct": "FB-OK-2",
                        "feedback_incorrect": "FB-BAD-2",
                        "options": [
                            _option("q2a", "Wynagrodzenia nauczycieli", True),
                            _option("q2b", "Zadania bieżące szkół", True),
                            _option("q2c", "Drogi gminne", False, "OPTFB-2c"),
                        ],
                    },
                },
                {
                    "type": "true_false",
                    "id": "q3",
                    "value": {
                        "prompt": "Prognoza demograficzna pomaga planować sieć szkół.",
                        "correct_answer": True,
                        "feedback_correct": "FB-OK-3",
                        "feedback_incorrect": "FB-BAD-3",
                    },
                },
                {
                    "type": "ordering",
                    "id": "q4",
                    "value": {
                        "prompt": "Ułóż etapy w kolejności.",
                        "feedback_correct": "FB-OK-4",
                        "feedback_incorrect": "FB-BAD-4",
                        "items": [
                            {"type": "item", "id": "i1", "value": {"text": "Diagnoza potrzeb"}},
                            {"type": "item", "id": "i2", "value": {"text": "Plan działań"}},
                            {"type": "item", "id": "i3", "value": {"text": "Ewaluacja"}},
                        ],
                    },
                },
            ],
        },
    }


CORRECT_POST = {"q-q1": "q1a", "q-q2": ["q2a", "q2b"], "q-q3": "true", "q-q4-i1": "1", "q-q4-i2": "2", "q-q4-i3": "3"}
CORRECT_ANSWERS = {"q1": "q1a", "q2": ["q2a", "q2b"], "q3": "true", "q4": {"i1": 1, "i2": 2, "i3": 3}}


def competence_test(prefix, areas):
    a1, a2 = areas
    return [
        {
            "type": "single",
            "id": f"{prefix}1",
            "value": {
                "area": a1.pk,
                "prompt": "Pytanie 1",
                "feedback_correct": "",
                "feedback_incorrect": "",
                "options": [_option(f"{prefix}1a", "Tak", True), _option(f"{prefix}1b", "Nie")],
            },
        },
        {
            "type": "true_false",
            "id": f"{prefix}2",
            "value": {
                "area": a1.pk,
                "prompt": "Pytanie 2",
                "correct_answer": False,
                "feedback_correct": "",
                "feedback_incorrect": "",
            },
        },
        {
            "type": "single",
            "id": f"{prefix}3",
            "value": {
                "area": a2.pk,
                "prompt": "Pytanie 3",
                "feedback_correct": "",
                "feedback_incorrect": "",
                "options": [_option(f"{prefix}3a", "A"), _option(f"{prefix}3b", "B", True)],
            },
        },
    ]


@pytest.fixture
def areas(db):
    return (
        CompetenceArea.objects.create(name="Planowanie sieci szkół i demografia", sort_order=1),
        CompetenceArea.objects.create(name="Finansowanie oświaty", sort_order=2),
    )


@pytest.fixture
def catalogue(db):
    # A transactional test starts from an empty database (the migration-made root page is flushed).
    Locale.objects.get_or_create(language_code="pl")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = Page.objects.filter(depth=2).first() or root
    page = CourseIndexPage(title="Kursy e-learningowe", slug="kursy-test")
    home.add_child(instance=page)
    return page


@pytest.fixture
def course(catalogue, areas):
    course = CoursePage(
        title="Finansowanie zadań oświatowych",
        slug="finansowanie",
        summary="Kurs o subwencji i potrzebach oświatowych.",
        duration_hours=8,
        audience=[PositionCategory.FINANCE, PositionCategory.EDUCATION_DEPARTMENT],
        learning_outcomes=[{"type": "outcome", "value": "Analizuje wydatki na oświatę."}],
        competence_test_a=competence_test("a", areas),
        competence_test_b=competence_test("b", areas),
        competence_threshold=10,
    )
    catalogue.add_child(instance=course)
    course.competence_areas.set(areas)
    course.save_revision().publish()
    module = ModulePage(title="Moduł 1. Subwencja", slug="modul-1")
    course.add_child(instance=module)
    lesson1 = LessonPage(
        title="Lekcja 1. Quiz",
        slug="lekcja-1",
        body=[{"type": "paragraph", "value": "<p>Treść lekcji.</p>", "id": "p1"}, quiz_block()],
    )
    module.add_child(instance=lesson1)
    lesson2 = LessonPage(
        title="Lekcja 2. Refleksja",
        slug="lekcja-2",
        body=[
            {"type": "heading", "value": "Twoja gmina", "id": "h1"},
            {"type": "reflection", "value": {"prompt": "Jak planujecie sieć szkół?", "guidance": ""}, "id": "r1"},
        ],
    )
    module.add_child(instance=lesson2)
    optional = LessonPage(title="Lekcja dodatkowa", slug="dodatkowa", required=False, body=[])
    module.add_child(instance=optional)
    return CoursePage.objects.get(pk=course.pk)


def lessons_of(course):
    return list(course.lessons())


def make_person(**kwargs):
    user = UserFactory(**kwargs)
    for purpose in REQUIRED_CONSENTS:
        give_consent(user, purpose)
    return user


@pytest.fixture
def learner(db):
    return make_person(first_name="Zofia", last_name="Żółkiewska")


@pytest.fixture
def enrolment(course, learner):
    enrolment, _created = services.enrol(course, learner)
    return enrolment


@pytest.fixture
def coordinator(db):
    user = make_person(first_name="Małgorzata", last_name="Koordynator")
    group, _ = Group.objects.get_or_create(name="Koordynator")
    user.groups.add(group)
    return user


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def course_admin_form(title: str, slug: str, **extra) -> dict:
    """The POST data of the Wagtail course editor with every required field and empty inline formsets."""
    return {
        "title": title,
        "slug": slug,
        "summary": "Streszczenie",
        "duration_hours": "8",
        "organiser": "ORE",
        "pre_test_version": "a",
        "competence_threshold": "10",
        "learning_outcomes-count": "0",
        "competence_test_a-count": "0",
        "competence_test_b-count": "0",
        "team-TOTAL_FORMS": "0",
        "team-INITIAL_FORMS": "0",
        "team-MIN_NUM_FORMS": "0",
        "team-MAX_NUM_FORMS": "1000",
        "meeting_requirements-TOTAL_FORMS": "0",
        "meeting_requirements-INITIAL_FORMS": "0",
        "meeting_requirements-MIN_NUM_FORMS": "0",
        "meeting_requirements-MAX_NUM_FORMS": "1000",
        **extra,
    }
