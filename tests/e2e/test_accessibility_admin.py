"""axe-core in the Wagtail admin where the platform's staff work: their lists and the editors of our types.

Editors of the Association (Redaktor ZMP), coordinators and administrators work in the Polish Wagtail admin:
the dashboard, the page explorer, the editors of the platform's page types (debate, course, lesson, good
practice) and snippets (spaces), our listings (meetings, memberships, questionnaires, registrations,
competence areas, e-mail deliveries, the forum reports, log and sanctions). Two admin defects Wagtail has
not fixed yet (unnamed rich-text editors, wagtail/wagtail#14205; unlabelled simple StreamField blocks,
wagtail/wagtail#11179) are mended by oswiata_site/static/oswiata_site/js/admin_field_names.js; this test
keeps that true. Wagtail's own screens we do not change (e.g. the workflow list, whose task list markup
axe flags) are left to Wagtail.
"""

import pytest
from playwright.sync_api import expect

from exchange_groups.demo import DEMO_PASSWORD, DEMO_PEOPLE
from tests.e2e.conftest import describe_violations, run_axe, screenshot

pytestmark = pytest.mark.e2e

LISTINGS = [
    "/admin/",
    "/admin/forum_reports/",
    "/admin/forum_log/",
    "/admin/forum_sanctions/",
    "/admin/reports/workflow/",
    "/admin/snippets/",
    "/admin/snippets/exchange_groups/space/",
    "/admin/snippets/exchange_groups/meeting/",
    "/admin/snippets/exchange_groups/membership/",
    "/admin/snippets/exchange_groups/membershipevent/",
    "/admin/snippets/exchange_groups/questionnaire/",
    "/admin/snippets/exchange_groups/registration/",
    "/admin/snippets/learning/competencearea/",
    "/admin/snippets/notifications/emaildelivery/",
    "/admin/users/",
]


def log_in_to_admin(page, base_url, email):
    page.goto(base_url + "/admin/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def editor_urls() -> list[tuple[str, str]]:
    from debates.models import DebatePage
    from exchange_groups.models import GoodPracticePage, Space
    from learning.models import CoursePage, LessonPage

    pages = [(model.__name__, model.objects.first().pk) for model in (DebatePage, CoursePage, LessonPage)]
    pages.append(("GoodPracticePage", GoodPracticePage.objects.live().first().pk))
    urls = [(f"edit-{name}", f"/admin/pages/{pk}/edit/") for name, pk in pages]
    urls.append(("edit-space", f"/admin/snippets/exchange_groups/space/edit/{Space.objects.first().pk}/"))
    urls.append(("explorer", f"/admin/pages/{DebatePage.objects.first().get_parent().pk}/"))
    return urls


def test_admin_screens_of_the_platform_have_no_wcag_violations(demo_server, page):
    log_in_to_admin(page, demo_server.url, DEMO_PEOPLE["administrator"]["email"])
    failures = []
    for name, path in [(p.strip("/").replace("/", "-") or "admin", p) for p in LISTINGS] + editor_urls():
        response = page.goto(demo_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        if name.startswith("edit-"):
            # Every rich-text editor and simple block input is named (after the admin's scripts ran).
            page.wait_for_function(
                "() => [...document.querySelectorAll('[role=textbox][contenteditable=true]')]"
                ".every((el) => el.hasAttribute('aria-labelledby'))"
            )
        screenshot(page, f"admin-{name}")
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} {path}\n{describe_violations(violations)}")
    assert not failures, "\n\n".join(failures)


def test_the_rich_text_editor_is_named_by_its_visible_label(demo_server, page):
    """What a screen reader announces on entering the debate's background text: the block's visible type."""
    from debates.models import DebatePage

    log_in_to_admin(page, demo_server.url, DEMO_PEOPLE["redaktor"]["email"])
    page.goto(f"{demo_server.url}/admin/pages/{DebatePage.objects.first().pk}/edit/")
    question = page.locator("#questions-0-value")
    assert question.evaluate("(el) => el.labels.length") == 0  # what Wagtail renders: no <label> for it
    expect(question).to_have_accessible_name("Pytanie do dyskusji")
    # The rich-text paragraphs of the background, named by their block's visible type.
    expect(page.get_by_role("textbox", name="Treść").first).to_be_visible()
