"""Enrolment: self-enrolment within the rules, coordinators enrolling a list of people or a space's members."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange_groups.models import Membership, SpaceRole
from learning.models import CourseTeamMember, Enrolment
from tests.factories import SpaceFactory, UserFactory

from .conftest import make_person

pytestmark = pytest.mark.django_db


def _enrol(client, course):
    return client.post(reverse("learning:course_enrol", args=[course.pk]))


def test_enrol_self_creates_one_enrolment(learner_client, learner, course):
    _enrol(learner_client, course)
    _enrol(learner_client, course)
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


def test_enrol_get_changes_nothing(learner_client, learner, course):
    learner_client.get(reverse("learning:course_enrol", args=[course.pk]))
    assert not Enrolment.objects.exists()


def test_enrol_anonymous_is_sent_to_login(client, course):
    response = _enrol(client, course)
    assert response.status_code == 302
    assert reverse("exchange_groups:login") in response["Location"]


def test_enrol_refused_before_the_window_opens(learner_client, course):
    course.enrolment_opens = timezone.now() + datetime.timedelta(days=3)
    course.save()
    response = _enrol(learner_client, course)
    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_enrol_refused_after_the_window_closes_with_a_message(learner_client, course):
    course.enrolment_closes = timezone.now() - datetime.timedelta(minutes=1)
    course.save()
    response = _enrol(learner_client, course)
    assert response.status_code == 403
    assert "Enrolment in this course is closed." in response.content.decode() or "zamknięte" in (
        response.content.decode()
    )
    assert not Enrolment.objects.exists()


def test_enrol_refused_when_the_course_has_no_self_enrolment(learner_client, course):
    course.self_enrolment = False
    course.save()
    assert _enrol(learner_client, course).status_code == 403
    assert not Enrolment.objects.exists()


def test_enrol_refused_without_the_required_consents(client, course):
    person = UserFactory()
    client.force_login(person)
    assert _enrol(client, course).status_code == 403
    assert not Enrolment.objects.exists()


def test_enrol_others_by_list_enrols_everyone(client, coordinator, course):
    people = [make_person() for _i in range(3)]
    client.force_login(coordinator)
    response = client.post(
        reverse("learning:course_enrol_others", args=[course.pk]),
        {"action": "people", "people-emails": "\n".join(p.email.upper() for p in people)},
    )
    assert response.status_code == 302
    assert set(Enrolment.objects.values_list("user_id", flat=True)) == {p.pk for p in people}
    assert set(Enrolment.objects.values_list("source", flat=True)) == {"coordinator"}


def test_enrol_others_with_an_unknown_address_enrols_nobody(client, coordinator, course):
    person = make_person()
    client.force_login(coordinator)
    response = client.post(
        reverse("learning:course_enrol_others", args=[course.pk]),
        {"action": "people", "people-emails": f"{person.email}\nnikt@nieznany.example.pl"},
    )
    assert response.status_code == 400
    assert "nikt@nieznany.example.pl" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrol_others_ignores_the_window(client, coordinator, course):
    course.enrolment_closes = timezone.now() - datetime.timedelta(days=1)
    course.save()
    person = make_person()
    client.force_login(coordinator)
    client.post(
        reverse("learning:course_enrol_others", args=[course.pk]), {"action": "people", "people-emails": person.email}
    )
    assert Enrolment.objects.filter(user=person).exists()


def test_enrol_space_members_enrols_active_members_only(client, coordinator, course):
    space = SpaceFactory()
    active = [make_person() for _i in range(2)]
    for person in active:
        Membership.objects.create(space=space, user=person, role=SpaceRole.PARTICIPANT)
    former = make_person()
    Membership.objects.create(space=space, user=former, until=timezone.now())
    client.force_login(coordinator)
    client.post(reverse("learning:course_enrol_others", args=[course.pk]), {"action": "space", "space-space": space.pk})
    assert set(Enrolment.objects.values_list("user_id", flat=True)) == {p.pk for p in active}
    assert set(Enrolment.objects.values_list("source", flat=True)) == {"space"}


def test_enrol_others_refused_to_a_learner(learner_client, learner, course):
    response = learner_client.post(
        reverse("learning:course_enrol_others", args=[course.pk]), {"action": "people", "people-emails": learner.email}
    )
    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_enrol_others_allowed_to_the_course_team(client, course):
    tutor = make_person()
    CourseTeamMember.objects.create(course=course, user=tutor, role="tutor")
    person = make_person()
    client.force_login(tutor)
    client.post(
        reverse("learning:course_enrol_others", args=[course.pk]), {"action": "people", "people-emails": person.email}
    )
    assert Enrolment.objects.filter(user=person).exists()


def test_enrol_others_malformed_post_changes_nothing(client, coordinator, course):
    client.force_login(coordinator)
    response = client.post(reverse("learning:course_enrol_others", args=[course.pk]), {"action": "???"})
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_my_learning_lists_courses_with_progress_and_next_lesson(learner_client, enrolment, course):
    html = learner_client.get(reverse("learning:my_learning")).content.decode()
    assert course.title in html
    assert "<progress" in html
    assert course.lessons().first().title in html


def test_enrolled_by_a_coordinator_without_consents_is_asked_for_them(client, coordinator, course):
    from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
    from exchange_groups.accounts.services import give_consent
    from learning import services

    person = UserFactory()
    services.enrol(course, person, by=coordinator, source="coordinator")
    client.force_login(person)
    lesson = course.lessons().first()
    response = client.get(lesson.url)
    assert response.status_code == 403
    assert reverse("exchange_groups:profile") in response.content.decode()
    assert "Treść lekcji." not in response.content.decode()
    for purpose in REQUIRED_CONSENTS:
        give_consent(person, purpose)
    assert client.get(lesson.url).status_code == 200
