"""What the course, module and lesson pages show is built in `learning.pages`: the pages render without
`learning.views`, and the number of queries a page runs does not grow with its modules, lessons, team or quizzes."""

import sys

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning import services
from learning.models import CoursePage, CourseTeamMember, LessonPage, ModulePage

from .conftest import course_admin_form, make_person, quiz_block

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    """Queries of a page in the steady state: the request before it fills the caches (content types, site root
    paths, per-person facts that a first view after a change may look up once)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _add_module(course, number: int, lessons: int = 2) -> ModulePage:
    module = ModulePage(title=f"Moduł {number}", slug=f"modul-{number}")
    course.add_child(instance=module)
    for index in range(lessons):
        module.add_child(
            instance=LessonPage(title=f"Lekcja {number}.{index}", slug=f"lekcja-{number}-{index}", body=[])
        )
    return module


def _add_team_member(course, number: int) -> None:
    CourseTeamMember.objects.create(course=course, user=make_person(first_name=f"Autor{number}"), role="autor")


def _without_views(monkeypatch):
    reverse("learning:my_learning")  # the URLconf (which does import the views) is loaded first
    monkeypatch.setitem(sys.modules, "learning.views", None)  # importing it now raises ImportError


def test_course_pages_render_without_the_views_module(monkeypatch, learner_client, enrolment, course):
    lesson = course.lessons().first()
    module = course.modules().first()
    _without_views(monkeypatch)
    for page in (course, module, lesson):
        response = learner_client.get(page.url)
        assert response.status_code == 200
        assert page.title in response.content.decode()


def test_lesson_page_refusal_is_the_same_without_the_views_module(monkeypatch, learner_client, course):
    _without_views(monkeypatch)
    response = learner_client.get(course.lessons().first().url)
    assert response.status_code == 403
    html = response.content.decode()
    assert reverse("learning:course_enrol", args=[course.pk]) in html
    assert "Treść lekcji." not in html


def test_course_page_queries_do_not_grow_with_modules_lessons_and_team(learner_client, enrolment, course):
    _add_team_member(course, 1)
    learner_client.get(course.url)  # warm the per-process caches (content types, site root paths)
    before = _queries(learner_client, course.url)
    _add_module(course, 2)
    _add_module(course, 3, lessons=3)
    _add_team_member(course, 2)
    _add_team_member(course, 3)
    html = learner_client.get(course.url).content.decode()
    assert "Lekcja 3.2" in html and "Autor3" in html
    assert _queries(learner_client, course.url) == before


def test_module_page_queries_do_not_grow_with_the_course_modules(learner_client, enrolment, course):
    module = course.modules().first()
    learner_client.get(module.url)
    before = _queries(learner_client, module.url)
    _add_module(course, 2)
    _add_module(course, 3, lessons=3)
    assert _queries(learner_client, module.url) == before


def test_lesson_page_queries_do_not_grow_with_its_quizzes(learner_client, learner, enrolment, course):
    module = course.modules().first()
    one = LessonPage(title="Jeden quiz", slug="jeden-quiz", body=[quiz_block("qa")])
    module.add_child(instance=one)
    three = LessonPage(
        title="Trzy quizy", slug="trzy-quizy", body=[quiz_block("qb"), quiz_block("qc"), quiz_block("qd")]
    )
    module.add_child(instance=three)
    for lesson, quiz_ids in ((one, ["qa"]), (three, ["qb", "qc", "qd"])):
        for quiz_id in quiz_ids:
            services.start_attempt(learner, lesson, quiz_id)
    learner_client.get(one.url)
    with_one = _queries(learner_client, one.url)
    assert _queries(learner_client, three.url) == with_one


def test_lesson_page_queries_do_not_grow_with_the_course_and_the_progress(learner_client, enrolment, course):
    lesson = course.lessons().get(slug="lekcja-2")
    before = _queries(learner_client, lesson.url)
    _add_module(course, 2)
    _add_module(course, 3, lessons=4)
    for done in course.lessons().exclude(pk=lesson.pk)[:5]:
        services.mark_lesson_complete(enrolment, done)
    html = learner_client.get(lesson.url).content.decode()
    assert "Lekcja 2. Refleksja" in html
    assert _queries(learner_client, lesson.url) == before


def test_catalogue_queries_do_not_grow_with_the_courses(learner_client, catalogue, course):
    before = _queries(learner_client, catalogue.url)
    for number in range(2, 6):
        catalogue.add_child(instance=CoursePage(title=f"Kurs numer {number}", slug=f"kurs-{number}", summary="Opis."))
    assert "Kurs numer 5" in learner_client.get(catalogue.url).content.decode()
    assert _queries(learner_client, catalogue.url) == before


def test_catalogue_shows_twelve_courses_a_page_and_the_thirteenth_on_page_two(learner_client, catalogue, course):
    before = _queries(learner_client, catalogue.url)
    for number in range(2, 15):  # the course of the fixture is the first in the tree's order
        catalogue.add_child(instance=CoursePage(title=f"Kurs numer {number}", slug=f"kurs-{number}", summary="Opis."))
    first = learner_client.get(catalogue.url).content.decode()
    assert "Kurs numer 12" in first and "Kurs numer 13" not in first
    assert '<nav class="pagination" aria-label="Strony katalogu kursów">' in first
    assert "Strona 1 z 2" in first and 'href="?strona=2" rel="next"' in first
    second = learner_client.get(catalogue.url + "?strona=2").content.decode()
    assert "Kurs numer 13" in second and "Kurs numer 14" in second and "Kurs numer 12" not in second
    assert 'href="?strona=1" rel="prev"' in second
    assert "Kurs numer 13" in learner_client.get(catalogue.url + "?strona=99").content.decode()  # the last page
    assert "Kurs numer 12" in learner_client.get(catalogue.url + "?strona=abc").content.decode()  # the first
    assert _queries(learner_client, catalogue.url) == _queries(learner_client, catalogue.url + "?strona=2")
    assert _queries(learner_client, catalogue.url) <= before + 1  # the count of the pages, once


def test_course_page_shows_the_team_and_every_module_with_its_lessons(client, course):
    _add_team_member(course, 1)
    _add_module(course, 2)
    html = client.get(course.url).content.decode()
    assert "Autor1" in html and "autor" in html
    for title in ("Moduł 1. Subwencja", "Lekcja 1. Quiz", "Lekcja dodatkowa", "Moduł 2", "Lekcja 2.0", "Lekcja 2.1"):
        assert title in html
    assert html.index("Lekcja 1. Quiz") < html.index("Moduł 2") < html.index("Lekcja 2.0")


def test_course_page_module_rows_count_required_lessons_done(learner_client, learner, enrolment, course):
    first = course.lessons().get(slug="lekcja-2")
    services.mark_lesson_complete(enrolment, first)
    _add_module(course, 2)
    rows = learner_client.get(course.url).context["module_rows"]
    assert [(row["page"].title, row["done"], row["total"]) for row in rows] == [
        ("Moduł 1. Subwencja", 1, 2),
        ("Moduł 2", 0, 2),
    ]
    assert [item["done"] for item in rows[0]["lessons"]] == [False, True, False]


def test_course_page_leaves_out_lessons_of_a_module_that_is_not_live(client, course):
    hidden = _add_module(course, 2)
    hidden.unpublish()
    html = client.get(course.url).content.decode()
    assert "Lekcja 2.0" not in html


def test_course_page_for_a_coordinator_links_the_lessons(client, course):
    coordinator = make_person(first_name="Koordynatorka")
    coordinator.groups.add(Group.objects.get_or_create(name="Koordynator")[0])
    client.force_login(coordinator)
    response = client.get(course.url)
    assert response.context["can_manage"] is True
    assert course.lessons().first().url in response.content.decode()


def test_course_preview_shows_the_team_being_edited(admin_client, course):
    reviewer = make_person(first_name="Recenzentka")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[course.pk])
    team = {"team-TOTAL_FORMS": "1", "team-0-user": str(reviewer.pk), "team-0-role": "recenzja", "team-0-ORDER": "1"}
    assert admin_client.post(url, course_admin_form(course.title, course.slug, **team)).json()["is_valid"] is True
    html = admin_client.get(url).content.decode()
    assert "Recenzentka" in html and "recenzja" in html


def test_one_query_routing_finds_what_wagtail_finds(rf, course):
    """The home page routes a path in one query (oswiata_kit.routing): the same page, or the same 404."""
    from django.http import Http404
    from wagtail.models import Page

    from oswiata_kit.routing import route_in_one_query

    hidden = _add_module(course, 2)
    hidden.unpublish()  # its lessons still route (Wagtail routes through a page that is not live)
    course.lessons().first().unpublish()
    home = Page.objects.get(pk=course.get_parent().get_parent().pk)
    paths = [page.url_path[len(home.url_path) :] for page in Page.objects.descendant_of(home)]
    paths += ["kursy-test/nie-ma-takiego/", "kursy-test/finansowanie/modul-1/nie-ma/", "nie-ma/modul-1/"]

    def found(route, parts):
        try:
            page, args, kwargs = route(rf.get("/"), parts)
        except Http404:
            return "404"
        return type(page), page.pk, args, kwargs

    def in_one_query(request, parts):
        return route_in_one_query(home, request, parts) or home.route(request, parts)

    for path in paths:
        parts = [part for part in path.split("/") if part]
        assert found(in_one_query, parts) == found(home.route, parts), path
