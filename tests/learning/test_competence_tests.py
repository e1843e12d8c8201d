"""Pre- and post-tests mapped to competence areas, with versions swapped between them."""

import pytest
from django.urls import reverse

from learning import services
from learning.models import CompetenceTestResult

pytestmark = pytest.mark.django_db


def _finish_lessons(enrolment, course):
    for lesson in course.lessons():
        if lesson.required:
            services.mark_lesson_complete(enrolment, lesson)


def test_competence_pre_test_uses_version_a_and_post_test_version_b(course):
    assert services.competence_questions(course, "pre")[1] == "a"
    assert services.competence_questions(course, "post")[1] == "b"
    course.pre_test_version = "b"
    assert services.competence_questions(course, "pre")[1] == "b"
    assert services.competence_questions(course, "post")[1] == "a"


def test_competence_single_version_is_used_for_both(course):
    course.competence_test_b = []
    assert [q["id"] for q in services.competence_questions(course, "post")[0]] == ["a1", "a2", "a3"]


def test_competence_pre_test_records_results_per_area(learner_client, enrolment, course, areas):
    response = learner_client.post(
        reverse("learning:pre_test", args=[course.pk]), {"q-a1": "a1a", "q-a2": "true", "q-a3": "a3b"}
    )
    assert response.status_code == 302
    result = CompetenceTestResult.objects.get(enrolment=enrolment, kind="pre")
    assert result.area_scores[str(areas[0].pk)]["percent"] == 50.0
    assert result.area_scores[str(areas[1].pk)]["percent"] == 100.0
    html = learner_client.get(reverse("learning:my_course", args=[course.pk])).content.decode()
    assert areas[0].name in html and "50%" in html


def test_competence_test_page_hides_the_answers(learner_client, enrolment, course):
    html = learner_client.get(reverse("learning:pre_test", args=[course.pk])).content.decode()
    assert "Pytanie 1" in html
    assert "correct" not in html.lower().replace("correct order", "")


def test_competence_test_is_taken_once(learner_client, enrolment, course):
    url = reverse("learning:pre_test", args=[course.pk])
    learner_client.post(url, {"q-a1": "a1a"})
    learner_client.post(url, {"q-a1": "a1b", "q-a2": "false", "q-a3": "a3b"})
    result = CompetenceTestResult.objects.get(enrolment=enrolment, kind="pre")
    assert result.answers == {"a1": "a1a"}


def test_competence_post_test_needs_pre_test_and_lessons(learner_client, enrolment, course):
    url = reverse("learning:post_test", args=[course.pk])
    assert learner_client.post(url, {"q-b1": "b1a"}).status_code == 403
    services.record_competence_test(enrolment, "pre", {})
    assert learner_client.post(url, {"q-b1": "b1a"}).status_code == 403
    _finish_lessons(enrolment, course)
    assert learner_client.post(url, {"q-b1": "b1a"}).status_code == 302
    assert CompetenceTestResult.objects.get(enrolment=enrolment, kind="post").version == "b"


def test_competence_test_unknown_option_saves_nothing(learner_client, enrolment, course):
    response = learner_client.post(reverse("learning:pre_test", args=[course.pk]), {"q-a1": "b1a"})
    assert response.status_code == 400
    assert not CompetenceTestResult.objects.exists()


def test_competence_raised_shown_to_the_learner(learner_client, enrolment, course):
    services.record_competence_test(enrolment, "pre", {"a1": "a1b"})
    _finish_lessons(enrolment, course)
    services.record_competence_test(enrolment, "post", {"b1": "b1a", "b2": "false", "b3": "b3b"})
    html = learner_client.get(reverse("learning:my_course", args=[course.pk])).content.decode()
    assert "Podniósł/Podniosła Pan/Pani swoje kompetencje w tym kursie." in html


def test_competence_test_not_enrolled_is_refused(learner_client, course):
    assert learner_client.get(reverse("learning:pre_test", args=[course.pk])).status_code == 403
