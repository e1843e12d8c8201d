"""The terms a person accepts at registration exist and are reachable from the form and every page."""

import pytest

pytestmark = pytest.mark.django_db


def test_registration_links_to_the_terms_it_asks_to_accept(client):
    html = client.get("/konto/rejestracja/").content.decode()
    assert 'href="/regulamin/"' in html


def test_terms_page_shows_the_version_accepted_at_registration(client, settings):
    settings.TERMS_VERSION = "2026-11-01"
    response = client.get("/regulamin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Regulamin" in html
    assert "2026-11-01" in html
