"""Who is a person, who is in a site group, who administers the site: one predicate each, asked the same way in
every app (views, consumers, services and admin hooks)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oswiata_kit import people
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_is_person_is_an_active_logged_in_account():
    assert people.is_person(UserFactory())
    assert not people.is_person(UserFactory(is_active=False))
    assert not people.is_person(AnonymousUser())
    assert not people.is_person(None)


def test_in_group_asks_the_database_once_per_group_and_request():
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=people.COORDINATOR)[0])
    with CaptureQueriesContext(connection) as queries:
        assert people.in_group(user, people.COORDINATOR)
        assert people.in_group(user, people.COORDINATOR)
        assert not people.in_group(user, people.EDITOR_ZMP)
        assert not people.in_group(user, people.EDITOR_ZMP)
    assert len(queries) == 2


def test_in_group_refuses_who_is_not_a_person():
    user = UserFactory(is_active=False)
    user.groups.add(Group.objects.get_or_create(name=people.COORDINATOR)[0])
    assert not people.in_group(user, people.COORDINATOR)
    assert not people.in_group(AnonymousUser(), people.COORDINATOR)


def test_is_site_admin_is_a_superuser_or_in_the_administrators_group(settings):
    member = UserFactory()
    member.groups.add(Group.objects.get_or_create(name=people.ADMINISTRATOR)[0])
    assert people.is_site_admin(UserFactory(is_superuser=True))
    assert people.is_site_admin(member)
    assert not people.is_site_admin(UserFactory())
    assert not people.is_site_admin(UserFactory(is_superuser=True, is_active=False))
    settings.EXCHANGE_GROUPS_ADMIN_GROUP = "Zarząd"
    renamed = UserFactory()
    renamed.groups.add(Group.objects.get_or_create(name="Zarząd")[0])
    assert people.is_site_admin(renamed)


def test_site_admin_q_finds_the_same_people_as_is_site_admin():
    group = Group.objects.get_or_create(name=people.ADMINISTRATOR)[0]
    in_group, superuser, plain = UserFactory(), UserFactory(is_superuser=True), UserFactory()
    in_group.groups.add(group)
    found = set(type(plain).objects.filter(people.site_admin_q()).values_list("pk", flat=True))
    assert found == {in_group.pk, superuser.pk}
    assert {user.pk for user in (in_group, superuser, plain) if people.is_site_admin(user)} == found


def test_site_roles_are_the_groups_the_site_creates():
    from oswiata_site import roles

    assert list(people.SITE_ROLES) == roles.SITE_ROLES
    assert (roles.COORDINATOR, roles.EDITOR_ZMP, roles.ADMINISTRATOR) == (
        "Koordynator",
        "Redaktor ZMP",
        "Administrator",
    )
    assert people.ADMINISTRATOR == "Administrator"


def test_site_admin_group_default_is_the_administrator_role(settings):
    from oswiata_kit.conf import kit_settings

    del settings.EXCHANGE_GROUPS_ADMIN_GROUP
    assert kit_settings.SITE_ADMIN_GROUP == people.ADMINISTRATOR
