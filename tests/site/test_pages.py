"""The site's pages: Polish first, an English switch, the accessibility statement, security headers."""

import re

import pytest
from django.test import Client
from django.utils import translation

from exchange_groups.models import Membership, Space, SpaceRole
from oswiata_site import demo as site_demo
from tests.db_state import page_queries
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_pages():
    return site_demo.load()


def test_home_page_renders_in_polish(client, site_pages):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="pl">' in html
    assert "Przejdź do treści" in html
    assert 'id="main"' in html
    assert "Zarządzanie oświatą w samorządach" in html


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 przestrzeń współpracy"),
        (2, "2 przestrzenie współpracy"),
        (5, "5 przestrzeni współpracy"),
        (12, "12 przestrzeni współpracy"),
        (22, "22 przestrzenie współpracy"),
    ],
)
def test_home_page_counts_spaces_with_polish_plural_forms(client, site_pages, count, expected):
    SpaceFactory.create_batch(count)
    html = client.get("/").content.decode()
    assert expected in html


def test_language_switch_to_english_and_back(client, site_pages):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    response = client.post("/i18n/setlang/", {"language": "pl", "next": "/"}, follow=True)
    assert '<html lang="pl">' in response.content.decode()


def test_accessibility_statement_has_required_ids_and_is_linked_from_every_page(client, site_pages):
    statement_url = site_pages["statement"].url
    for path in ["/", site_pages["about"].url, "/przestrzenie/", "/konto/logowanie/"]:
        html = client.get(path).content.decode()
        assert f'href="{statement_url}"' in html, path
    html = client.get(statement_url).content.decode()
    for element_id in [
        "a11y-wstep",
        "a11y-podmiot",
        "a11y-url",
        "a11y-data-publikacja",
        "a11y-data-aktualizacja",
        "a11y-status",
        "a11y-data-sporzadzenie",
        "a11y-kontakt",
        "a11y-osoba",
        "a11y-email",
        "a11y-telefon",
        "a11y-procedura",
        "a11y-architektura",
        "a11y-aplikacje",
    ]:
        assert f'id="{element_id}"' in html, element_id


def test_footer_carries_the_funding_note(client, site_pages):
    html = client.get("/").content.decode()
    assert "Europejskiego Funduszu Społecznego" in html


def test_public_page_csp_forbids_inline_script(client, site_pages):
    csp = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp


def test_admin_csp_is_relaxed_only_under_admin(admin_client, site_pages):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "object-src 'none'" in response["Content-Security-Policy"]


def test_security_headers_on_pages(client, site_pages):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_asset_is_loaded_from_another_host(client, site_pages):
    html = client.get("/").content.decode()
    assert re.findall(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=\"(?:https?:)?//", html) == []
    assert 'rel="stylesheet" href="/static/' in html


def test_health_endpoint_answers(client):
    assert Client().get("/zdrowie/").json() == {"status": "ok"}


def test_wagtail_admin_is_in_polish(admin_client, site_pages):
    with translation.override("pl"):
        html = admin_client.get("/admin/").content.decode()
    assert "Pulpit" in html or "Strony" in html


def test_browser_language_does_not_override_polish(client, site_pages):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="pl">' in html
    assert "Przejdź do treści" in html


def test_a_logged_in_persons_pages_are_not_cached_and_public_pages_may_be(client, admin_client, site_pages):
    """ASVS 14.3.2: a page made for one person is `private, no-store`; an anonymous visitor's page is not."""
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    cache_control = admin_client.get("/konto/profil/")["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_logout_clears_the_browsers_cache_of_the_persons_pages(admin_client, site_pages):
    """ASVS 14.3.1: logging out sends Clear-Site-Data for the cache; the person is logged out."""
    response = admin_client.post("/konto/wylogowanie/")
    assert response.status_code in (200, 302)
    assert response["Clear-Site-Data"] == '"cache"'
    assert admin_client.get("/konto/profil/").status_code == 302


def test_wagtail_admin_sends_people_to_the_one_login_page_and_has_no_reset_of_its_own(client, site_pages):
    """One login (throttled, confirmed accounts only) and one password reset for everybody."""
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logowanie/")
    assert client.get("/admin/password_reset/").status_code == 404


def test_pages_allow_sockets_only_to_their_own_host(client, site_pages):
    """connect-src 'self' (which covers ws:/wss: of the same host), not every WebSocket host on the internet."""
    policy = client.get("/")["Content-Security-Policy"]
    assert "connect-src 'self';" in policy
    assert "ws:" not in policy and "wss:" not in policy


def test_home_page_queries_do_not_grow_with_the_spaces_shown(client, site_pages):
    reader = UserFactory(first_name="Czytelnik", last_name="Strony")
    client.force_login(reader)
    SpaceFactory(name="Pierwsza sieć", slug="pierwsza-siec")
    few = page_queries(client, "/")
    for number in range(12):
        SpaceFactory(name=f"Sieć numer {number}", slug=f"siec-{number}")
    Membership.objects.create(space=Space.objects.get(slug="siec-11"), user=reader, role=SpaceRole.PARTICIPANT)
    assert "Sieć numer 11" in client.get("/").content.decode()  # of 13, shown as the reader's own
    assert page_queries(client, "/") == few


def test_home_page_shows_six_spaces_the_persons_own_first_the_true_count_and_a_link_to_all(client, site_pages):
    reader = UserFactory(first_name="Czytelnik", last_name="Strony")
    for number in range(10):
        SpaceFactory(name=f"Sieć numer {number:02}", slug=f"siec-{number}")
    own = SpaceFactory(name="Żywa sieć czytelnika", slug="zywa-siec")  # last by name, first as the reader's own
    Membership.objects.create(space=own, user=reader, role=SpaceRole.PARTICIPANT)
    anonymous = client.get("/").content.decode()
    assert anonymous.count('class="card__title"><a href="/przestrzenie/') == 6
    assert "Sieć numer 05" in anonymous and "Sieć numer 06" not in anonymous and "Żywa sieć" not in anonymous
    assert "11 przestrzeni współpracy" in anonymous
    assert 'href="/przestrzenie/">Zobacz wszystkie przestrzenie współpracy</a>' in anonymous
    client.force_login(reader)
    html = client.get("/").content.decode()
    assert html.count('class="card__title"><a href="/przestrzenie/') == 6
    assert "Żywa sieć czytelnika" in html and "Sieć numer 04" in html and "Sieć numer 05" not in html
    assert "11 przestrzeni współpracy" in html


def test_home_page_never_names_or_counts_a_private_space_to_anyone_but_its_members(client, site_pages):
    from exchange_groups.models import SpaceVisibility

    SpaceFactory(name="Jawna sieć", slug="jawna-siec")
    hidden = SpaceFactory(name="Zamknięta grupa wymiany", slug="zamknieta-gwd", visibility=SpaceVisibility.PRIVATE)
    member, outsider = UserFactory(), UserFactory()
    Membership.objects.create(space=hidden, user=member, role=SpaceRole.PARTICIPANT)
    for who in (None, outsider):
        if who is not None:
            client.force_login(who)
        html = client.get("/").content.decode()
        assert "Jawna sieć" in html and "1 przestrzeń współpracy" in html
        assert "Zamknięta grupa wymiany" not in html and "zamknieta-gwd" not in html
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "Zamknięta grupa wymiany" in html and "2 przestrzenie współpracy" in html
