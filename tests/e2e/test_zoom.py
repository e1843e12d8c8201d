"""200% zoom and reflow (WCAG 1.4.4, 1.4.10) on the main page types, in a real Chromium.

200% zoom of a 1280×900 window is a 640×450 CSS px viewport; reflow is checked at 320 CSS px (1280 px at 400%).
On each page: the document does not scroll horizontally (content meant to scroll inside its own box, such as
a table in `.table-wrap`, does not count: it does not widen the document), the main heading is visible and
within the width, and every link of the main menu is visible within the width (the menu wraps; there is no
toggle). A screenshot per page and width goes to tests/e2e/screenshots/zoom-<width>-<page>.png.
"""

import pytest

from exchange_groups.demo import DEMO_PEOPLE
from tests.e2e.conftest import screenshot
from tests.e2e.test_accessibility import log_in

pytestmark = pytest.mark.e2e

VIEWPORTS = {
    "200pct": {"width": 640, "height": 450},
    "320px": {"width": 320, "height": 256},
}

ANONYMOUS_PAGES = [
    ("home", "/"),
    ("space-list", "/przestrzenie/"),
    ("space", "/przestrzenie/siec-gminy-wiejskie/"),
    ("login", "/konto/logowanie/"),
    ("registration", "/konto/rejestracja/"),
    ("course-catalogue", "/kursy/"),
    ("good-practices", "/dobre-praktyki/"),
]
LOGGED_IN_PAGES = [
    ("forum-index", "/fora/"),
    ("space-forum", "/fora/przestrzen/siec-gminy-wiejskie/"),
    ("meetings", "/przestrzenie/siec-gminy-wiejskie/spotkania/"),
    ("work-plan", "/przestrzenie/siec-gminy-wiejskie/plan-pracy/"),
    ("library", "/przestrzenie/siec-gminy-wiejskie/biblioteka/"),
    ("profile", "/konto/profil/"),
    ("my-learning", "/moja-nauka/"),
]

# Elements sticking out of the viewport, outside any box that scrolls or clips its overflow itself.
OVERFLOW_JS = """
() => {
  const width = window.innerWidth;
  const clipped = (el) => {
    // An absolutely positioned box is clipped only by the overflow of its containing block and above.
    const position = getComputedStyle(el).position;
    if (position === "fixed") return false;
    const start = position === "absolute" ? el.offsetParent : el.parentElement;
    for (let p = start; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > width + 1 || r.left < -1) && !clipped(el)) {
      const names = typeof el.className === "string" ? el.className.trim().split(/\\s+/).filter(Boolean) : [];
      const cls = names.map((name) => "." + name).join("");
      const id = el.id ? "#" + el.id : "";
      out.push(`${el.tagName.toLowerCase()}${id}${cls} [${Math.round(r.left)}..${Math.round(r.right)}]`);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: width,
    offenders: out.slice(0, 8),
  };
}
"""


def _dynamic_pages() -> list[tuple[str, str]]:
    """A lesson of a course the participant is enrolled in, and the demo forum's best-known topic."""
    from forums.models import Topic
    from learning.models import Enrolment, LessonPage

    pages = []
    enrolment = Enrolment.objects.filter(user__email=DEMO_PEOPLE["uczestnik"]["email"]).select_related("course")
    enrolment = enrolment.first()
    if enrolment is not None:
        lesson = LessonPage.objects.live().descendant_of(enrolment.course).first()
        if lesson is not None:
            pages.append(("lesson", lesson.url))
    topic = Topic.objects.filter(title__startswith="Subwencja oświatowa 2020").first()
    if topic is not None:
        pages.append(("topic", f"/watki/{topic.pk}/"))
    assert len(pages) == 2, f"the demo data has no lesson or no topic to check: {pages}"
    return pages


def _check_page(page, name: str, viewport: str) -> list[str]:
    problems = []
    layout = page.evaluate(OVERFLOW_JS)
    if layout["scrollWidth"] > layout["innerWidth"] + 1:
        problems.append(
            f"scrolls horizontally: {layout['scrollWidth']} > {layout['innerWidth']} px; "
            f"sticking out: {', '.join(layout['offenders']) or '?'}"
        )
    width = layout["innerWidth"]
    heading = page.locator("main h1").first
    if not heading.is_visible():
        problems.append("the main heading (h1) is not visible")
    else:
        box = heading.bounding_box()
        if box["x"] < -1 or box["x"] + box["width"] > width + 1:
            problems.append(f"the main heading is cut off: {box}")
    nav = page.get_by_role("navigation", name="Menu główne")
    if not nav.is_visible():
        problems.append("the main menu is not visible (and has no toggle)")
    links = nav.get_by_role("link")
    for index in range(links.count()):
        link = links.nth(index)
        text = link.inner_text().strip()
        if not link.is_visible():
            problems.append(f"menu link {text!r} is not visible")
            continue
        box = link.bounding_box()
        if box["x"] < -1 or box["x"] + box["width"] > width + 1:
            problems.append(f"menu link {text!r} is outside the viewport: {box}")
    screenshot(page, f"zoom-{viewport}-{name}")
    return problems


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_pages_reflow_without_horizontal_scrolling(demo_server, page, viewport):
    dynamic = _dynamic_pages()
    page.set_viewport_size(VIEWPORTS[viewport])
    failures = []

    def visit(name, path):
        response = page.goto(demo_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
        problems = _check_page(page, name, viewport)
        if problems:
            failures.append(f"{name} {path} at {viewport}:\n    " + "\n    ".join(problems))

    for name, path in ANONYMOUS_PAGES:
        visit(name, path)
    log_in(page, demo_server.url, DEMO_PEOPLE["uczestnik"]["email"])
    for name, path in [*LOGGED_IN_PAGES, *dynamic]:
        visit(name, path)
    assert not failures, "\n\n".join(failures)
