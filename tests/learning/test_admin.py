"""The editors' side in the Wagtail admin: course, module and lesson forms and the snippets open."""

import pytest
from django.urls import reverse

from exchange_groups.models import PositionCategory
from learning.models import CompetenceArea
from tests.factories import UserFactory
from tests.learning.conftest import course_admin_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_admin_edit_forms_of_the_course_tree_open(admin_client, course):
    module = course.modules().first()
    lesson = module.lessons().first()
    for page in (course, module, lesson):
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page


def test_admin_add_course_form_opens_in_the_catalogue(admin_client, catalogue):
    url = reverse("wagtailadmin_pages:add", args=["learning", "coursepage", catalogue.pk])
    assert admin_client.get(url).status_code == 200


def test_admin_competence_areas_are_snippets(admin_client, areas):
    response = admin_client.get(reverse("wagtailsnippets_learning_competencearea:list"))
    assert response.status_code == 200
    assert CompetenceArea.objects.first().name in response.content.decode()


def test_admin_reports_menu_item_links_to_reports(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    assert reverse("learning:report_list") in response.content.decode()


def test_admin_preview_of_a_new_lesson_renders(admin_client, course):
    module = course.modules().first()
    url = reverse("wagtailadmin_pages:preview_on_add", args=["learning", "lessonpage", module.pk])
    data = {
        "title": "Nowa lekcja",
        "slug": "nowa-lekcja",
        "intro": "Wstęp",
        "required": "on",
        "duration_minutes": "15",
        "body-count": "0",
    }
    assert admin_client.post(url, data).json()["is_valid"] is True
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Nowa lekcja" in response.content.decode()


def test_admin_preview_of_an_existing_lesson_renders(admin_client, course):
    lesson = course.lessons().first()
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    data = {
        "title": lesson.title,
        "slug": lesson.slug,
        "intro": "",
        "required": "on",
        "duration_minutes": "30",
        "body-count": "0",
    }
    assert admin_client.post(url, data).json()["is_valid"] is True
    response = admin_client.get(url)
    assert response.status_code == 200
    assert lesson.title in response.content.decode()


def test_admin_course_form_accepts_audience_and_refuses_a_closed_window(admin_client, course):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[course.pk])
    data = course_admin_form(
        course.title, course.slug, audience=[PositionCategory.FINANCE, PositionCategory.COUNCILLOR]
    )
    assert admin_client.post(url, data).json()["is_valid"] is True
    bad = {**data, "audience": ["nie-ma-takiej"]}
    assert admin_client.post(url, bad).json()["is_valid"] is False
    closed = {**data, "enrolment_opens": "2026-10-10 10:00", "enrolment_closes": "2026-10-01 10:00"}
    assert admin_client.post(url, closed).json()["is_valid"] is False
