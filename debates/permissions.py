"""Who may do what with debates: `can_*` answer, `check_*` raise PermissionDenied, `get_*_or_404`.

Rules (issue 6):
- the listing, the published debate pages, their published summaries and the summaries' print view and PDF
  are public (debates are ZMP's public face); a debate that is not published does not exist (404);
- the debate topics stay inside their forums with the forums' access rules: a debate page lists only the
  topics the visitor may read;
- the summary is written by the debate's moderators, by the editors (group `DEBATES_EDITOR_GROUP`, default
  "Redaktor ZMP") and by site administrators, once the debate is closed (phases "summary" and "closed": a
  published summary can still be corrected). Anybody else logged in gets a 403 page with the reason (the
  debate itself is public, so there is nothing to hide).

Quoting posts in the summary (issue 12): the summary is public, the debate's topics are not. The summary form
offers a writer only the posts they may read (`forums.permissions.can_read_forum`) and quote publicly:
- a post of the nationwide forum (read by every logged-in person: `forum_is_open_to_all`) — any writer;
- a post of a space's forum (members only, private and public spaces alike) — only a writer who moderates that
  forum (`forums.permissions.can_moderate`: its space's moderators and coordinators, and site administrators).
  Their citing is the forum moderators' consent, recorded as a `QuoteConsent`.
A summary shows the public a quoted post only while the post is still in the debate, not hidden, and its forum
is open to all or a consent is recorded (`services.publishable_post_ids`) — also for summaries stored earlier
or edited in the admin.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from forums.models import Forum
from forums.permissions import can_moderate, can_read_forum
from oswiata_kit.people import in_group, is_person, is_site_admin

from .conf import debates_settings
from .models import DebatePage, DebateSummaryPage


def is_debate_editor(user) -> bool:
    """Editors of debates across the site: the editors' group and site administrators."""
    return is_site_admin(user) or in_group(user, debates_settings.EDITOR_GROUP)


def is_debate_moderator(user, debate: DebatePage) -> bool:
    if not is_person(user):
        return False
    return debate.moderator_links.filter(user_id=user.pk).exists()


def can_write_summary(user, debate: DebatePage) -> bool:
    """Who may write the summary (whatever the phase; see `check_summary_phase`)."""
    return is_debate_editor(user) or is_debate_moderator(user, debate)


def check_can_write_summary(user, debate: DebatePage) -> None:
    if not can_write_summary(user, debate):
        raise PermissionDenied(_("Only the moderators of this debate and the ZMP editors can write its summary."))


def forum_is_open_to_all(forum: Forum) -> bool:
    """A forum whose posts every logged-in person reads (the nationwide one): quoting it needs no consent."""
    return forum.is_site_wide


def can_quote_forum(user, forum: Forum) -> bool:
    """May the person quote the forum's posts in a public summary (see the module's docstring)."""
    if not can_read_forum(user, forum):
        return False
    return forum_is_open_to_all(forum) or can_moderate(user, forum)


def check_summary_phase(debate: DebatePage) -> None:
    if debate.closed_at is None:
        raise PermissionDenied(_("The summary can be written once the debate has closed."))


def get_debate_or_404(debate_id) -> DebatePage:
    debate = DebatePage.objects.live().filter(pk=debate_id).first()
    if debate is None:
        raise Http404(_("No such debate."))
    return debate


def get_summary_or_404(debate: DebatePage) -> DebateSummaryPage:
    summary = debate.summary
    if summary is None:
        raise Http404(_("This debate has no published summary yet."))
    return summary
