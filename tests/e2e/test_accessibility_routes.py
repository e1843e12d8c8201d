"""axe-core on every route of the permission matrix that renders a page, as the people who may see it.

The permission matrix (tests/site/test_permission_matrix.py) has a row for every URL pattern of the project
and knows which persona gets a page (200) from it. This test serves the same world from the test database
(tests/e2e/matrix_world.py) with daphne and, for every row, opens the URL in Chromium as the anonymous
visitor (when the page is public), as the least privileged person who may see it and as the most
privileged one (a moderator or coordinator sees other controls), then runs axe-core's WCAG 2.0/2.1 A and AA
rules. Wagtail pages (the catch-all route the matrix leaves out) are added: the course, its module and
lesson, and the debate.

Responses that are not HTML (CSV, ICS, PDF, JSON, downloads) are not pages and are counted separately.
Because the matrix fails when a route has no row, a new page cannot escape this test either.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.conftest import describe_violations, new_page, run_axe_with_rules, screenshot
from tests.e2e.matrix_world import session_cookie
from tests.site import matrix_data
from tests.site.test_permission_matrix import OK, ROWS

pytestmark = pytest.mark.e2e

# Least privileged first: the first persona with a 200 is "the least privileged who may see it".
LOGGED_IN_ORDER = ("plain", "member", "outsider", "moderator", "coordinator", "administrator")
PRIVILEGED = ("coordinator", "moderator")


def visits(world) -> list[tuple[str, str, str]]:
    """(label, url, persona) for every page the matrix says some persona may see."""
    from debates.models import DebateSummaryPage

    summary = DebateSummaryPage.objects.child_of(world["debate"]).live().get()
    found = []
    for row in ROWS:
        expected = {**row.expected, **matrix_data.RECORDED.get(row.id, {})}
        url = reverse(row.route, kwargs=row.kwargs(world)) + row.query
        personas = []
        if expected["anonymous"] == OK:
            personas.append("anonymous")
        allowed = [p for p in LOGGED_IN_ORDER if expected[p] == OK]
        if allowed:
            personas.append(allowed[0])
            privileged = next((p for p in PRIVILEGED if p in allowed), None)
            if privileged and privileged != allowed[0]:
                personas.append(privileged)
        found.extend((row.id, url, persona) for persona in personas)
    # Open only to a complete profile (the matrix's member has none; this test's member has).
    found.append(
        ("exchange_groups:practice_submit[complete profile]", reverse("exchange_groups:practice_submit"), "member")
    )
    # Wagtail pages: a lesson (and its module) is open to the enrolled member only; the others redirect.
    for label, page, personas in (
        ("page:course", world["course"], ("anonymous", "member")),
        ("page:module", world["module"], ("member",)),
        ("page:lesson", world["lesson"], ("member",)),
        ("page:lesson[media]", world["media_lesson"], ("member",)),
        ("page:debate-summary", summary, ("anonymous", "member")),
        ("page:debate", world["debate"], ("anonymous", "member", "moderator")),
    ):
        found.extend((label, page.specific.url, persona) for persona in personas)
    return found


def assert_media_has_text_alternatives(page):
    image = page.get_by_role("img", name="Mapa gminy z zaznaczonymi trzema szkołami podstawowymi")
    assert image.count() == 1, "the lesson's image lost its alternative text"
    assert page.locator('iframe[title="Rozmowa o subwencji oświatowej"]').count() == 1, "the video has no title"
    transcript = page.locator("details.transcript")
    text = transcript.get_by_text("Skarbnik gminy omawia podział subwencji.")
    expect(text).to_be_hidden()
    transcript.locator("summary").press("Enter")  # a keyboard user opens it
    expect(text).to_be_visible()


def test_every_page_route_has_no_wcag_violations(matrix_server, browser):
    world = matrix_server.world
    planned = visits(world)
    contexts = {}
    failures, checked, not_html = [], [], []
    rules: dict[str, int] = {}
    try:
        for label, url, persona in planned:
            if persona not in contexts:
                cookies = session_cookie(world, persona, matrix_server.url)
                contexts[persona] = new_page(browser, cookies=cookies)
            page = contexts[persona]
            try:
                response = page.goto(matrix_server.url + url, wait_until="load")
            except PlaywrightError as error:
                if "Download is starting" not in str(error):
                    raise
                not_html.append(f"{label} (attachment)")
                continue
            content_type = response.headers.get("content-type", "")
            if "text/html" not in content_type:
                not_html.append(f"{label} ({content_type})")
                continue
            assert response.status == 200, f"{label} {url} as {persona}: HTTP {response.status}"
            if label == "page:lesson[media]":
                assert_media_has_text_alternatives(page)
            violations, applied = run_axe_with_rules(page)
            for rule in applied:
                rules[rule] = rules.get(rule, 0) + 1
            checked.append((label, persona))
            if violations:
                screenshot(page, f"axe-failure-{label.replace(':', '-')}-{persona}")
                failures.append(f"{label} {url} as {persona}\n{describe_violations(violations)}")
    finally:
        for page in contexts.values():
            page.context.close()
    routes = {label for label, _persona in checked}
    print(f"\naxe: {len(checked)} page views of {len(routes)} routes; not pages: {', '.join(sorted(set(not_html)))}")
    print(f"{'axe rule (WCAG 2.0/2.1 A, AA)':40} pages where it applied")
    for rule, count in sorted(rules.items(), key=lambda item: (-item[1], item[0])):
        print(f"{rule:40} {count}")
    assert len(routes) > 80, f"only {len(routes)} routes rendered a page — the world is not what the matrix says"
    assert not failures, "\n\n".join(failures)
