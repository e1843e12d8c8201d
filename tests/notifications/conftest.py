"""Fixtures of the notification tests: a public space with members watching a topic, a private space, an outsider."""

import pytest

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.models import SpaceRole, SpaceVisibility
from exchange_groups.spaces import services as membership
from forums import services as forum_services
from forums.mentions import handle_of
from tests.factories import SpaceFactory, UserFactory


def consenting(user):
    for purpose in REQUIRED_CONSENTS:
        give_consent(user, purpose)
    return user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the code scheduled for after the commit (signals, tasks)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    admin = UserFactory(is_superuser=True, first_name="Ewa", last_name="Administratorka")
    space = SpaceFactory(name="Sieć współpracy gmin wiejskich", slug="siec-wiejska")
    private = SpaceFactory(name="Grupa powiatowa", slug="grupa-powiatowa", visibility=SpaceVisibility.PRIVATE)
    coordinator = UserFactory(first_name="Małgorzata", last_name="Zielińska")
    author = consenting(UserFactory(first_name="Anna", last_name="Nowak"))
    watcher = consenting(UserFactory(first_name="Łukasz", last_name="Wójcik"))
    other = consenting(UserFactory(first_name="Tomasz", last_name="Wiśniewski"))
    private_member = consenting(UserFactory(first_name="Piotr", last_name="Kamiński"))
    outsider = consenting(UserFactory(first_name="Jan", last_name="Obcy"))
    with django_capture_on_commit_callbacks(execute=True):
        membership.add_member(admin, space, coordinator, SpaceRole.COORDINATOR, notify=False)
        for person in (author, watcher, other):
            membership.add_member(admin, space, person, SpaceRole.PARTICIPANT, notify=False)
        membership.add_member(admin, private, private_member, SpaceRole.PARTICIPANT, notify=False)
        membership.add_member(admin, private, watcher, SpaceRole.PARTICIPANT, notify=False)
        forum = forum_services.ensure_forum(space)
        private_forum = forum_services.ensure_forum(private)
        topic = forum_services.create_topic(author, forum.categories.get(), "Subwencja oświatowa 2020", "Jak liczycie?")
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.watch(watcher, topic=topic)
    for person in (author, watcher, other, coordinator):
        handle_of(person)
    return {
        "admin": admin,
        "space": space,
        "private": private,
        "coordinator": coordinator,
        "author": author,
        "watcher": watcher,
        "other": other,
        "private_member": private_member,
        "outsider": outsider,
        "forum": forum,
        "private_forum": private_forum,
        "topic": topic,
    }


@pytest.fixture
def client(client):
    """The test client with English chosen by the language switch (the source strings are English)."""
    client.cookies["django_language"] = "en"
    return client
