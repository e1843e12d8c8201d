"""The course page tree can only be built one way: catalogue → course → module → lesson."""

import pytest

from learning.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

pytestmark = pytest.mark.django_db


def test_course_can_only_be_created_in_a_catalogue(course, catalogue):
    home = catalogue.get_parent()
    assert CoursePage.can_create_at(catalogue)
    assert not CoursePage.can_create_at(home)
    assert not CoursePage.can_create_at(course)


def test_module_can_only_be_created_in_a_course(course, catalogue):
    assert ModulePage.can_create_at(course)
    assert not ModulePage.can_create_at(catalogue)
    assert not ModulePage.can_create_at(course.modules().first())


def test_lesson_can_only_be_created_in_a_module(course):
    module = course.modules().first()
    lesson = module.lessons().first()
    assert LessonPage.can_create_at(module)
    assert not LessonPage.can_create_at(course)
    assert not LessonPage.can_create_at(lesson)


def test_lesson_takes_no_subpages(course):
    lesson = course.lessons().first()
    assert lesson.specific_class.allowed_subpage_models() == []


def test_course_page_lists_modules_and_lessons_to_anyone(client, course):
    response = client.get(course.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moduł 1. Subwencja" in html
    assert "Lekcja 1. Quiz" in html
    assert "Analizuje wydatki na oświatę." in html


def test_catalogue_takes_only_courses():
    assert CourseIndexPage.allowed_subpage_models() == [CoursePage]


def test_catalogue_url_name_leads_to_the_catalogue_page(client, catalogue):
    from django.urls import reverse

    response = client.get(reverse("learning:catalogue"))
    assert response.status_code == 302
    assert response["Location"] == catalogue.url
