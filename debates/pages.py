"""What the debates' Wagtail pages show: the listing of debates by phase and one debate's page.

The rule of the house: what a page shows is built in `<app>/pages.py`; views serve URLs; services change state.
A page model's `get_context` (or `serve`) imports its function from here inside the method, as Wagtail does:
this module imports the models, so the models cannot import it at the top. A context of one line (one queryset,
as `CourseIndexPage` and `HomePage` have) may stay on the model. Nothing here writes.

These functions read the models and ask `permissions` and the read-only lookups of `services` (which topics a
person may read). The listing fetches the published summaries of all its debates in one query, so it runs the
same number of queries however many debates it lists.
"""

from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from .models import DebatePage, DebateSummaryPage, Phase
from .permissions import can_write_summary
from .services import readable_debate_topics


def _with_summaries(index, debates: list[DebatePage]) -> None:
    """Give each debate its published summary (`DebatePage.summary`) from one query instead of one per debate."""
    summaries = {}
    live = (
        DebateSummaryPage.objects.descendant_of(index)
        .live()
        .filter(depth=index.depth + 2)
        .defer_streamfields()
        .order_by("path")
    )
    for summary in live:
        summaries.setdefault(summary.path[: -summary.steplen], summary)  # the first by path, as `summary` takes
    for debate in debates:
        debate.__dict__["summary"] = summaries.get(debate.path)  # what the cached_property would have stored


DEBATES_PER_PAGE = 12


def debate_index_context(index, request) -> dict:
    """DebateIndexPage: one page (`?strona=`) of the published debates, in four sections (upcoming, open, being
    summarised, closed) in that order; a section the page does not reach is shown empty only on the first page."""
    # The model's own queryset gives specific pages (no `.specific()` query); the listing shows no streamfield.
    debates = list(DebatePage.objects.child_of(index).live().defer_streamfields().order_by("opens_at"))
    _with_summaries(index, debates)  # before the phases: a debate with a published summary is closed
    by_phase = {phase: [] for phase in Phase.values}
    for debate in debates:
        by_phase[debate.phase].append(debate)
    by_phase[Phase.SUMMARY].sort(key=lambda d: d.closed_at or d.closes_at, reverse=True)
    by_phase[Phase.CLOSED].sort(key=lambda d: d.closed_at or d.closes_at, reverse=True)
    titles = {
        Phase.ANNOUNCED: _("Upcoming debates"),
        Phase.DISCUSSION: _("Open debates"),
        Phase.SUMMARY: _("Debates being summarised"),
        Phase.CLOSED: _("Closed debates"),
    }
    ordered = [debate for phase in titles for debate in by_phase[phase]]
    page = Paginator(ordered, DEBATES_PER_PAGE).get_page(request.GET.get("strona"))
    shown = list(page.object_list)
    sections = []
    for phase, title in titles.items():
        on_page = [debate for debate in shown if debate.phase == phase]
        if on_page or page.number == 1 and not by_phase[phase]:
            sections.append({"phase": phase, "title": title, "debates": on_page})
    return {"sections": sections, "debates_page": page}


def debate_page_context(request, debate: DebatePage) -> dict:
    """DebatePage: the debate's topics the visitor may read, and whether they may write the summary now."""
    return {
        "debate_topics": readable_debate_topics(request.user, debate),
        "can_write_summary": can_write_summary(request.user, debate) and debate.closed_at is not None,
    }
