"""The apps' pages extend the base template the host names (OSWIATA_BASE_TEMPLATE), "base.html" by default."""

from pathlib import Path

import pytest
from django.urls import reverse

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
ROUTES = ["exchange_groups:terms", "exchange_groups:profile", "learning:verify", "forums:index", "notifications:list"]


@pytest.fixture
def person_client(client):
    person = UserFactory()
    for purpose in REQUIRED_CONSENTS:
        give_consent(person, purpose)
    client.force_login(person)
    return client


@pytest.fixture
def host_base(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [TEMPLATES_DIR, *settings.TEMPLATES[0]["DIRS"]]},
        *settings.TEMPLATES[1:],
    ]
    settings.OSWIATA_BASE_TEMPLATE = "hosts/test_base.html"


@pytest.mark.parametrize("route", ROUTES)
def test_app_page_extends_the_base_template_the_host_names(person_client, host_base, route):
    response = person_client.get(reverse(route))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-host-base="tests"' in html
    assert "site-header" not in html  # the site's own base.html is not used


@pytest.mark.parametrize("route", ROUTES)
def test_app_page_extends_the_site_base_template_by_default(person_client, settings, route):
    if hasattr(settings, "OSWIATA_BASE_TEMPLATE"):
        del settings.OSWIATA_BASE_TEMPLATE
    html = person_client.get(reverse(route)).content.decode()
    assert "site-header" in html
