"""Fixtures of the forum tests: a public and a private space with members, outsiders and an administrator."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.models import SpaceRole, SpaceVisibility
from exchange_groups.spaces import services as membership
from forums import services
from tests.factories import SpaceFactory, UserFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT = str(tmp_path / "private-media")
    return tmp_path / "private-media"


def consenting(user):
    for purpose in REQUIRED_CONSENTS:
        give_consent(user, purpose)
    return user


@pytest.fixture
def world(db):
    admin = UserFactory(is_superuser=True, first_name="Ewa", last_name="Administratorka")
    space = SpaceFactory(name="Sieć współpracy gmin wiejskich", slug="siec-wiejska")
    private = SpaceFactory(name="Grupa powiatowa", slug="grupa-powiatowa", visibility=SpaceVisibility.PRIVATE)
    coordinator = UserFactory(first_name="Małgorzata", last_name="Zielińska")
    membership.add_member(admin, space, coordinator, SpaceRole.COORDINATOR, notify=False)
    author = consenting(UserFactory(first_name="Anna", last_name="Nowak"))
    membership.add_member(admin, space, author, SpaceRole.PARTICIPANT, notify=False)
    other = UserFactory(first_name="Łukasz", last_name="Wójcik")
    membership.add_member(admin, space, other, SpaceRole.PARTICIPANT, notify=False)
    private_member = UserFactory(first_name="Piotr", last_name="Kamiński")
    membership.add_member(admin, private, private_member, SpaceRole.PARTICIPANT, notify=False)
    outsider = consenting(UserFactory(first_name="Jan", last_name="Obcy"))
    forum = services.ensure_forum(space)
    private_forum = services.ensure_forum(private)
    category = forum.categories.get()
    private_category = private_forum.categories.get()
    return {
        "admin": admin,
        "space": space,
        "private": private,
        "coordinator": coordinator,
        "author": author,
        "other": other,
        "private_member": private_member,
        "outsider": outsider,
        "forum": forum,
        "private_forum": private_forum,
        "category": category,
        "private_category": private_category,
    }


@pytest.fixture
def topic(world):
    return services.create_topic(
        world["author"], world["category"], "Subwencja oświatowa 2020", "Jak liczycie **wagi**?", tags="subwencja"
    )


@pytest.fixture
def private_topic(world):
    return services.create_topic(
        world["private_member"], world["private_category"], "Tajny budżet powiatu", "Sieć szkół ponadpodstawowych"
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
