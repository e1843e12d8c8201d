"""What the debates' Wagtail pages show: the listing of debates by phase and one debate's page.

The rule of the house: what a page shows is built in `<app>/pages.py`; views serve URLs; services change state.
A page model's `get_context` (or `serve`) imports its function from here inside the method, as Wagtail does:
this module imports the models, so the models cannot import it at the top. A context of one line (one queryset,
as `CourseIndexPage` and `HomePage` have) may stay on the model. Nothing here writes.

These functions read the models and ask `permissions` and the read-only lookups of `services` (which topics a
person may read). The listing fetches the published summaries of all its debates in one query, so it runs the
same number of queries however many debates it lists.
"""

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


def debate_index_context(index) -> dict:
    """DebateIndexPage: the published debates in four sections (upcoming, open, being summarised, closed)."""
    # The model's own queryset gives specific pages (no `.specific()` query); the listing shows no streamfield.
    debates = list(DebatePage.objects.child_of(index).live().defer_streamfields().order_by("opens_at"))
    _with_summaries(index, debates)
    sections = {phase: [] for phase in Phase.values}
    for debate in debates:
        sections[debate.phase].append(debate)
    sections[Phase.SUMMARY].sort(key=lambda d: d.closed_at or d.closes_at, reverse=True)
    sections[Phase.CLOSED].sort(key=lambda d: d.closed_at or d.closes_at, reverse=True)
    return {
        "sections": [
            {"phase": Phase.ANNOUNCED, "title": _("Upcoming debates"), "debates": sections[Phase.ANNOUNCED]},
            {"phase": Phase.DISCUSSION, "title": _("Open debates"), "debates": sections[Phase.DISCUSSION]},
            {"phase": Phase.SUMMARY, "title": _("Debates being summarised"), "debates": sections[Phase.SUMMARY]},
            {"phase": Phase.CLOSED, "title": _("Closed debates"), "debates": sections[Phase.CLOSED]},
        ]
    }


def debate_page_context(request, debate: DebatePage) -> dict:
    """DebatePage: the debate's topics the visitor may read, and whether they may write the summary now."""
    return {
        "debate_topics": readable_debate_topics(request.user, debate),
        "can_write_summary": can_write_summary(request.user, debate) and debate.closed_at is not None,
    }
