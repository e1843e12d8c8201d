"""One refusal path (issue 13): a PermissionDenied raised anywhere reaches the site's handler403, which sends an
anonymous visitor to log in and shows anybody else a 403 page with the reason, in the site's frame."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from oswiata_site import views
from tests.factories import UserFactory

LOGIN = "/konto/logowanie/"


def test_handler403_is_the_sites_refusal_view():
    assert get_resolver().resolve_error_handler(403) is views.permission_denied


def test_permission_denied_sends_an_anonymous_visitor_to_log_in_with_next():
    request = RequestFactory().get("/fora/usuniete/?strona=2")
    request.user = AnonymousUser()
    response = views.permission_denied(request, PermissionDenied("Usunięte wątki widzą tylko administratorzy."))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/fora/usuniete/%3Fstrona%3D2"


@pytest.mark.django_db
def test_permission_denied_shows_a_logged_in_person_the_reason_in_the_sites_frame(client):
    """A bare PermissionDenied (here from the deleted-topics page) gets the site's 403 page, not Django's."""
    client.force_login(UserFactory())
    response = client.get(reverse("forums:deleted_topics"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Usunięte wątki widzą tylko administratorzy." in html
    assert '<main id="main"' in html
    assert "<h1>Brak uprawnień</h1>" in html
