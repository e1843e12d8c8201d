"""axe-core (WCAG 2.0/2.1 A and AA) on every page type, anonymous and logged in, in a real Chromium."""

import pytest

from exchange_groups.demo import DEMO_PASSWORD, DEMO_PEOPLE
from tests.e2e.conftest import describe_violations, load_demo_data_in_thread, run_axe, screenshot

pytestmark = pytest.mark.e2e

ANONYMOUS_PAGES = [
    ("home", "/"),
    ("standard-page", "/o-programie/"),
    ("accessibility-statement", "/deklaracja-dostepnosci/"),
    ("space-list", "/przestrzenie/"),
    ("login", "/konto/logowanie/"),
    ("registration", "/konto/rejestracja/"),
    ("privacy-notice", "/informacja-o-przetwarzaniu-danych/"),
    ("jst-picker", "/jst/szukaj/?q=boleslawiec"),
    ("password-reset", "/konto/haslo/reset/"),
    ("terms", "/regulamin/"),
    ("space-detail", "/przestrzenie/siec-gminy-wiejskie/"),
    ("good-practice-list", "/dobre-praktyki/"),
    ("course-catalogue", "/kursy/"),
    ("certificate-verification", "/zaswiadczenia/weryfikacja/"),
]
LOGGED_IN_PAGES = [
    ("profile", "/konto/profil/"),
    ("home-logged-in", "/"),
    ("my-spaces", "/moje-przestrzenie/"),
    ("space-members", "/przestrzenie/siec-gminy-wiejskie/czlonkowie/"),
    ("meetings", "/przestrzenie/siec-gminy-wiejskie/spotkania/"),
    ("my-meetings", "/moje-spotkania/"),
    ("work-plan", "/przestrzenie/siec-gminy-wiejskie/plan-pracy/"),
    ("questionnaires", "/przestrzenie/siec-gminy-wiejskie/ankiety/"),
    ("library", "/przestrzenie/siec-gminy-wiejskie/biblioteka/"),
    ("my-learning", "/moja-nauka/"),
    ("forums", "/fora/"),
    ("space-forum", "/fora/przestrzen/siec-gminy-wiejskie/"),
]


def log_in(page, base_url, email, password=DEMO_PASSWORD):
    page.goto(f"{base_url}/konto/logowanie/")
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_load_state()


def assert_no_violations(page, name):
    violations = run_axe(page)
    assert violations == [], f"{name}: {page.url}\n{describe_violations(violations)}"


def test_every_page_type_has_no_wcag_violations(daphne_server, page):
    load_demo_data_in_thread()
    failures = []
    for name, path in ANONYMOUS_PAGES:
        response = page.goto(daphne_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        screenshot(page, name)
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} {path}\n{describe_violations(violations)}")
    log_in(page, daphne_server.url, DEMO_PEOPLE["uczestnik"]["email"])
    for name, path in LOGGED_IN_PAGES:
        response = page.goto(daphne_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        screenshot(page, name)
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} {path}\n{describe_violations(violations)}")
    assert not failures, "\n\n".join(failures)


def test_registration_errors_are_accessible(daphne_server, page):
    load_demo_data_in_thread()
    page.goto(daphne_server.url + "/konto/rejestracja/")
    page.get_by_role("button", name="Załóż konto").click()
    page.wait_for_load_state()
    screenshot(page, "registration-errors")
    assert page.locator("[aria-invalid=true]").count() > 0
    assert_no_violations(page, "registration with errors")


def test_skip_link_is_first_and_moves_focus_to_main(daphne_server, page):
    load_demo_data_in_thread()
    page.goto(daphne_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Przejdź do treści"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
