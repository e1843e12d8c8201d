"""The apps work under any URL prefix the host gives them: nothing in them assumes the site's addresses."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from notifications.templatetags.notifications_tags import notification_bell
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.hosts.urlconfs.prefixed")]


@pytest.fixture
def person(db):
    person = UserFactory()
    for purpose in REQUIRED_CONSENTS:
        give_consent(person, purpose)
    return person


def test_notification_bell_marks_the_notifications_page_under_the_hosts_prefix(person):
    request = RequestFactory().get(reverse("notifications:list"))
    request.user = person
    assert reverse("notifications:list").startswith("/inne/")
    assert notification_bell({"request": request})["active"] is True


def test_notification_bell_is_not_marked_on_other_pages(person):
    request = RequestFactory().get(reverse("forums:index"))
    request.user = person
    assert notification_bell({"request": request})["active"] is False


@override_settings(OSWIATA_BASE_TEMPLATE="hosts/test_base.html")
def test_profile_page_without_the_notifications_app_leaves_out_the_link_to_its_settings(client, person, settings):
    from pathlib import Path

    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [Path(__file__).resolve().parent / "templates"]},
    ]
    settings.ROOT_URLCONF = "tests.hosts.urlconfs.without_notifications"
    client.force_login(person)
    response = client.get(reverse("exchange_groups:profile"))
    assert response.status_code == 200
    assert "/inne/" not in response.content.decode()
