"""axe-core (WCAG 2.0/2.1 A and AA) on every page type, anonymous and logged in, in a real Chromium."""

import pytest

from exchange_groups.demo import DEMO_PASSWORD, DEMO_PEOPLE
from tests.e2e.conftest import describe_violations, run_axe, screenshot

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


def demo_page_urls() -> list[tuple[str, str]]:
    """Wagtail page types of the demo that have no fixed address: a good practice, a course, a debate."""
    from debates.models import DebateIndexPage, DebatePage
    from exchange_groups.models import GoodPracticePage
    from learning.models import CoursePage

    return [
        ("good-practice", GoodPracticePage.objects.live().public().first().url),
        ("course-page", CoursePage.objects.live().public().first().url),
        ("debate-index", DebateIndexPage.objects.live().public().first().url),
        ("debate-page", DebatePage.objects.live().public().first().url),
    ]


def test_every_page_type_has_no_wcag_violations(demo_server, page):
    failures = []
    for name, path in ANONYMOUS_PAGES + demo_page_urls():
        response = page.goto(demo_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        screenshot(page, name)
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} {path}\n{describe_violations(violations)}")
    log_in(page, demo_server.url, DEMO_PEOPLE["uczestnik"]["email"])
    for name, path in LOGGED_IN_PAGES + [(f"{name}-logged-in", path) for name, path in demo_page_urls()]:
        response = page.goto(demo_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        screenshot(page, name)
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} {path}\n{describe_violations(violations)}")
    assert not failures, "\n\n".join(failures)


def test_registration_errors_are_accessible(demo_server, page):
    page.goto(demo_server.url + "/konto/rejestracja/")
    page.get_by_role("button", name="Załóż konto").click()
    page.wait_for_load_state()
    screenshot(page, "registration-errors")
    assert page.locator("[aria-invalid=true]").count() > 0
    assert_no_violations(page, "registration with errors")


def test_skip_link_is_first_and_moves_focus_to_main(demo_server, page):
    page.goto(demo_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Przejdź do treści"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


FOCUS_PAGES = [
    "/",
    "/przestrzenie/siec-gminy-wiejskie/",
    "/przestrzenie/siec-gminy-wiejskie/spotkania/",
    "/kursy/",
    "/moja-nauka/",
    "/fora/przestrzen/siec-gminy-wiejskie/",
    "/powiadomienia/ustawienia/",
    "/konto/profil/",
]
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const rect = el.getBoundingClientRect();
  return {
    name: (el.getAttribute('aria-label') || el.textContent || el.name || el.id || el.tagName).trim().slice(0, 60),
    visible: outline || style.boxShadow !== 'none',
    onScreen: rect.width > 0 && rect.height > 0,
  };
}"""


def test_focus_is_visible_on_every_element_reached_with_tab(demo_server, page):
    """Tab through whole pages: every element that takes the focus shows it, and none is invisible."""
    log_in(page, demo_server.url, DEMO_PEOPLE["uczestnik"]["email"])
    problems, reached = [], 0
    for path in FOCUS_PAGES:
        page.goto(demo_server.url + path)
        seen = set()
        for _ in range(250):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STATE)
            if state is None:
                continue
            key = page.evaluate("() => { const e = document.activeElement; return e.outerHTML.slice(0, 200); }")
            if key in seen:
                break  # back at the start: the whole page has been walked
            seen.add(key)
            reached += 1
            if not state["visible"] or not state["onScreen"]:
                problems.append(f"{path}: {state}")
    assert reached > 100, f"only {reached} elements took the focus"
    assert not problems, "\n".join(problems)
