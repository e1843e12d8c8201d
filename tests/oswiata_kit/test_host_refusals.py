"""A host site that names the kit's ready handler403 (`oswiata_kit.views.permission_denied`) gets the one refusal
path without the site: anonymous visitors go to log in, others see the refusal's own page or the kit's page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from exchange_groups.models import SpaceRole
from exchange_groups.spaces import services
from oswiata_kit.views import permission_denied
from tests.factories import SpaceFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.oswiata_kit.host_urls")]


@pytest.fixture
def space():
    space = SpaceFactory(slug="siec-gmin")
    services.add_member(UserFactory(is_superuser=True), space, UserFactory(), SpaceRole.COORDINATOR, notify=False)
    return space


def test_host_handler_sends_an_anonymous_visitor_of_a_member_page_to_log_in(client, space):
    url = reverse("exchange_groups:space_members", kwargs={"slug": space.slug})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?next={url}")


def test_host_handler_shows_a_non_member_the_spaces_members_only_page(client, space):
    client.force_login(UserFactory())
    response = client.get(reverse("exchange_groups:space_members", kwargs={"slug": space.slug}))
    assert response.status_code == 403
    assert "Ta część przestrzeni jest widoczna tylko dla jej członków." in response.content.decode()


def test_host_handler_shows_a_bare_refusal_with_the_kits_page_and_the_reason():
    request = RequestFactory().get("/fora/")
    request.user = UserFactory()
    # A bare RequestFactory request passes no LocaleMiddleware: the language is the one the site would pick.
    with translation.override("pl"):
        response = permission_denied(request, PermissionDenied("Tylko dla redaktorów."))
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Brak uprawnień</h1>" in html and "Tylko dla redaktorów." in html
