"""Services of the debates: opening and closing on schedule, the summary, and lookups for the forum pages.

Opening (`open_debate`) is idempotent and safe against retries and two workers racing: the debate's page row
is locked (`select_for_update`), each (debate, forum) pair has one `DebateTopic` (a unique constraint), and the
topic's first post carries a `client_msg_id` derived from (debate, forum) with uuid5, so the forums' own
idempotency returns the topic made the first time. `debate_opened` / `debate_closed` are sent after the commit.

Times come from `now=` (tests pass a controllable clock) or `timezone.now()`.
"""

import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from forums import services as forum_services
from forums.models import Forum, Post, Topic
from forums.permissions import can_post, can_read_forum
from oswiata_kit.errors import RuleError
from oswiata_kit.on_commit import send_signal_on_commit
from oswiata_kit.urls import absolute_url

from .conf import debates_settings
from .models import DebatePage, DebateSummaryPage, DebateTopic, QuoteConsent, SummaryKind
from .permissions import can_quote_forum, check_can_write_summary, check_summary_phase, forum_is_open_to_all
from .signals import debate_closed, debate_opened

logger = logging.getLogger("debates")

CLIENT_MSG_NAMESPACE = uuid.UUID("6f0f7a52-4d0e-5c1e-9b1e-6465626174ef")
EXCERPT_LENGTH = 300


class DebateError(RuleError):
    """A rule of the debates was broken (see `oswiata_kit.errors.RuleError`)."""


# --- forums of a debate ------------------------------------------------------------------------------


def target_forums(debate: DebatePage) -> list[Forum]:
    """The forums the debate opens in: each target space's forum, then the nationwide one (made if missing)."""
    forums = [forum_services.ensure_forum(space) for space in debate.target_spaces.order_by("name")]
    if debate.site_wide:
        forums.append(forum_services.ensure_site_forum())
    return forums


def topic_client_msg_id(debate: DebatePage, forum: Forum) -> uuid.UUID:
    return uuid.uuid5(CLIENT_MSG_NAMESPACE, f"debate:{debate.pk}:forum:{forum.pk}")


def topic_author(debate: DebatePage, forum: Forum):
    """Who opens the topic: the first moderator who may write in the forum, else the page's owner, else None."""
    candidates = [*debate.moderator_users()]
    if debate.owner_id:
        candidates.append(debate.owner)
    for person in candidates:
        if can_post(person, forum):
            return person
    return None


def topic_body(debate: DebatePage) -> str:
    """The first post of a debate topic (Markdown): the lead, the questions and a link to the debate page."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [debate.lead.strip(), "", f"**{_('Questions for discussion')}**", ""]
        lines += [f"{n}. {' '.join(text.split())}" for n, text in enumerate(debate.question_texts(), start=1)]
        url = debate.get_url()
        if url:
            lines += ["", f"[{_('The debate page: background, documents and recordings')}]({absolute_url(url)})"]
    return "\n".join(lines)


# --- opening and closing -----------------------------------------------------------------------------


def open_debate(debate: DebatePage, now=None) -> list[Topic]:
    """Open the debate when its time has come: a topic in each target forum. Returns the topics made now.

    Idempotent: a second call (or a second worker) makes nothing new. A forum where nobody named on the
    debate may write is skipped and logged; opening again later adds the topic there.
    """
    now = now or timezone.now()
    created: list[Topic] = []
    with transaction.atomic():
        locked = DebatePage.objects.select_for_update().filter(pk=debate.pk, live=True).first()
        if locked is None or locked.opens_at > now or locked.closed_at is not None:
            return []
        title = locked.title
        body = topic_body(locked)
        existing = set(DebateTopic.objects.filter(debate=locked).values_list("forum_id", flat=True))
        for forum in target_forums(locked):
            if forum.pk in existing:
                continue
            author = topic_author(locked, forum)
            if author is None:
                logger.error(
                    "debate %s: nobody on the debate may write in forum %s; topic not opened", locked.pk, forum.pk
                )
                continue
            category = forum.categories.order_by("order", "pk").first()
            if category is None:
                logger.error("debate %s: forum %s has no category; topic not opened", locked.pk, forum.pk)
                continue
            topic = forum_services.create_topic(
                author, category, title, body, client_msg_id=topic_client_msg_id(locked, forum)
            )
            DebateTopic.objects.create(debate=locked, forum=forum, topic=topic, created_at=now)
            created.append(topic)
        if locked.opened_at is None:
            DebatePage.objects.filter(pk=locked.pk).update(opened_at=now)
            locked.opened_at = now
        if created:
            send_signal_on_commit(debate_opened, DebatePage, debate=locked, topics=created)
    debate.opened_at = locked.opened_at
    return created


def close_debate(debate: DebatePage, now=None) -> list[Topic]:
    """Close the debate when its time has come: lock its topics. Returns the topics (empty when nothing changed).

    A debate that was never opened (the worker was down the whole time) is opened first, so its topics exist
    (locked) and its members are told about it. Closing is the schedule's doing, not a moderator's decision:
    `forums.services.lock_topic_for_schedule` (no actor, nobody told but the topics' live readers).
    """
    now = now or timezone.now()
    if debate.opened_at is None:
        open_debate(debate, now)
    with transaction.atomic():
        locked = DebatePage.objects.select_for_update().filter(pk=debate.pk, live=True).first()
        if locked is None or locked.closed_at is not None or locked.closes_at > now or locked.opened_at is None:
            return []
        topics = [link.topic for link in DebateTopic.objects.filter(debate=locked).select_related("topic__category")]
        for topic in topics:
            forum_services.lock_topic_for_schedule(topic)
        DebatePage.objects.filter(pk=locked.pk).update(closed_at=now)
        locked.closed_at = now
        send_signal_on_commit(debate_closed, DebatePage, debate=locked, topics=topics)
    debate.closed_at = locked.closed_at
    return topics


def open_due_debates(now=None) -> list[DebatePage]:
    """Open every published debate whose time has come (idempotent). Returns the debates opened now."""
    now = now or timezone.now()
    opened = []
    due = DebatePage.objects.live().filter(opened_at__isnull=True, closed_at__isnull=True, opens_at__lte=now)
    for debate in due.order_by("opens_at", "pk"):
        open_debate(debate, now)
        if debate.opened_at is not None:
            opened.append(debate)
    return opened


def close_due_debates(now=None) -> list[DebatePage]:
    """Close every published debate whose closing time has passed (idempotent). Returns the debates closed now."""
    now = now or timezone.now()
    closed = []
    for debate in DebatePage.objects.live().filter(closed_at__isnull=True, closes_at__lte=now).order_by("closes_at"):
        close_debate(debate, now)
        if debate.closed_at is not None:
            closed.append(debate)
    return closed


def run_schedule(now=None) -> tuple[list[DebatePage], list[DebatePage]]:
    """Open and close whatever is due (the safety net beside the scheduled tasks)."""
    now = now or timezone.now()
    return open_due_debates(now), close_due_debates(now)


# --- scheduling ------------------------------------------------------------------------------------


def task_backend_alias() -> str:
    return debates_settings.TASK_BACKEND


def schedule_debate(debate: DebatePage, now=None) -> list:
    """Queue the opening and closing tasks of a published debate (called after each publish).

    Times in the past are queued to run at once; future times need a backend that supports `run_after`
    (the database backend does); otherwise `manage.py run_debate_schedule` (cron) does the work.
    A task that runs early — the times changed after it was queued — finds nothing due and does nothing.
    """
    from . import tasks

    now = now or timezone.now()
    alias = task_backend_alias()
    results = []
    plan = []
    if debate.closed_at is None:
        # Also after the opening: a target added later gets its topic (opening is idempotent).
        plan.append((tasks.open_debate_task, debate.opens_at))
        plan.append((tasks.close_debate_task, debate.closes_at))
    for task, when in plan:
        configured = task.using(backend=alias)
        if when > now:
            if not configured.get_backend().supports_defer:
                logger.info("debate %s: backend %s cannot defer; run_debate_schedule will do it", debate.pk, alias)
                continue
            configured = configured.using(run_after=when)
        results.append(configured.enqueue(debate.pk))
    return results


# --- lookups for pages -------------------------------------------------------------------------------


def debate_for_topic(topic: Topic) -> DebatePage | None:
    """The debate a forum topic belongs to, or None."""
    link = DebateTopic.objects.filter(topic_id=topic.pk).select_related("debate").first()
    return link.debate if link is not None else None


def readable_debate_topics(user, debate: DebatePage) -> list[DebateTopic]:
    """The debate's topics the person may read (the others are not even named)."""
    links = DebateTopic.objects.filter(debate=debate).select_related("topic", "forum__space").order_by("pk")
    return [link for link in links if can_read_forum(user, link.forum)]


def citable_posts(debate: DebatePage) -> list[Post]:
    """The visible posts of the debate's topics, topic by topic in order (all a summary could ever cite).

    Who may cite which of them: `quotable_posts`; which of them a published summary may show: `publishable_post_ids`.
    """
    return list(
        Post.objects.filter(topic__debate_link__debate=debate, hidden=False, topic__deleted_at__isnull=True)
        .select_related("author", "topic__category__forum__space")
        .order_by("topic__debate_link__pk", "seq")
    )


def _forum_rule(user, rule):
    """`rule(user, forum)` asked once per forum (a debate has a handful of forums and many posts)."""
    answers: dict[int, bool] = {}

    def ask(post: Post) -> bool:
        forum = post.topic.category.forum
        if forum.pk not in answers:
            answers[forum.pk] = rule(user, forum)
        return answers[forum.pk]

    return ask


def quotable_posts(user, debate: DebatePage, posts: list[Post] | None = None) -> list[Post]:
    """The debate's posts the person may read and quote in the public summary (`permissions.can_quote_forum`)."""
    allowed = _forum_rule(user, can_quote_forum)
    return [post for post in (citable_posts(debate) if posts is None else posts) if allowed(post)]


def unquotable_forums(user, debate: DebatePage) -> list[Forum]:
    """The debate's forums the person reads but may not quote from (named on the form, with the reason)."""
    forums = [link.forum for link in readable_debate_topics(user, debate)]
    return [forum for forum in forums if not can_quote_forum(user, forum)]


def publishable_post_ids(debate: DebatePage, post_ids) -> set[int]:
    """Which of these posts a published summary of the debate may show the public today.

    A post still in the debate's topics and not hidden, from a forum open to all or with a recorded consent of
    its forum's moderators (`QuoteConsent`). Everything else is left out of the page, the print view and the PDF.
    """
    wanted = {int(pk) for pk in post_ids}
    if not wanted:
        return set()
    posts = (
        Post.objects.filter(pk__in=wanted, topic__debate_link__debate=debate, hidden=False)
        .filter(topic__deleted_at__isnull=True)
        .select_related("topic__category__forum")
    )
    consented = set(QuoteConsent.objects.filter(debate=debate, post_id__in=wanted).values_list("post_id", flat=True))
    return {post.pk for post in posts if forum_is_open_to_all(post.topic.category.forum) or post.pk in consented}


def excerpt_of(post: Post) -> str:
    return Truncator(" ".join(post.body_source.split())).chars(EXCERPT_LENGTH)


def author_name_of(post: Post) -> str:
    if post.author is None:
        with translation.override(settings.LANGUAGE_CODE):
            return _("a former participant")
    return str(post.author)


# --- the summary -------------------------------------------------------------------------------------


def _summary_stream(body: str, posts: list[Post]) -> list[dict]:
    stream = [{"type": "text", "value": body}]
    for post in posts:
        stream.append(
            {
                "type": "cited_post",
                "value": {"post_id": post.pk, "excerpt": excerpt_of(post), "author_name": author_name_of(post)},
            }
        )
    return stream


def _comparable(stream) -> list:
    return [(child.block_type, _plain(child.value)) for child in stream]


def _plain(value):
    if hasattr(value, "items"):
        return sorted((key, _plain(item)) for key, item in value.items())
    return value


def refused_citation_message() -> str:
    return _(
        "Cite only the posts offered on this form: posts of this debate that you may read and quote. "
        "Posts of a space's forum can be quoted only by the moderators of that forum."
    )


def save_summary(user, debate: DebatePage, *, body: str, cited_post_ids=(), kind: str = SummaryKind.SUMMARY):
    """Write (or correct) the debate's summary and publish it. Returns (summary page, changed).

    The writer cites only posts they may quote (`quotable_posts`); anything else is refused and nothing changes.
    Quotes already in the summary that the writer may not quote (another forum's moderator chose them) stay as
    they are. Citing a post of a members-only forum records its moderator's consent (`QuoteConsent`).
    Submitting the same text twice publishes one revision: an unchanged summary is left as it is.
    """
    check_can_write_summary(user, debate)
    body = "\n".join(line.rstrip() for line in str(body or "").replace("\r\n", "\n").split("\n")).strip()
    if not body:
        raise DebateError(_("Write the summary before publishing it."), "summary_empty", "body")
    if kind not in SummaryKind.values:
        raise DebateError(_("Choose the kind of the text."), "summary_kind", "kind")
    wanted = {int(pk) for pk in cited_post_ids}
    with transaction.atomic():
        locked = DebatePage.objects.select_for_update().get(pk=debate.pk)
        check_summary_phase(locked)
        every = citable_posts(locked)
        quotable = {post.pk for post in quotable_posts(user, locked, every)}
        if not wanted <= quotable:
            raise DebateError(refused_citation_message(), "summary_posts", "cited_posts")
        summary = DebateSummaryPage.objects.child_of(locked).first()
        summary = summary.specific if summary is not None else None
        already = set(summary.cited_post_ids()) if summary is not None else set()
        kept = publishable_post_ids(locked, already - quotable)
        posts = [post for post in every if post.pk in wanted or post.pk in kept]
        stream = _summary_stream(body, posts)
        with translation.override(settings.LANGUAGE_CODE):
            title = (_("Position paper: %(debate)s") if kind == SummaryKind.POSITION else _("Summary: %(debate)s")) % {
                "debate": locked.title
            }
        title = title[:255]
        _record_consents(user, locked, [post for post in posts if post.pk in wanted], keep={post.pk for post in posts})
        if summary is None:
            summary = DebateSummaryPage(title=title, slug="podsumowanie", kind=kind, body=stream, owner=user)
            locked.add_child(instance=summary)
        else:
            same = (
                summary.live
                and not summary.has_unpublished_changes
                and summary.title == title
                and summary.kind == kind
                and _comparable(summary.body) == _comparable(DebateSummaryPage(body=stream).body)
            )
            if same:
                return summary, False
            summary.title, summary.kind, summary.body = title, kind, stream
        # Who may publish is decided by check_can_write_summary (debate moderators have no page permissions).
        summary.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    summary.refresh_from_db()
    return summary, True


def _record_consents(user, debate: DebatePage, quoted: list[Post], keep: set[int]) -> None:
    """The writer's citing of a members-only forum's post is its moderators' consent; a quote dropped from the
    summary takes its consent with it."""
    QuoteConsent.objects.filter(debate=debate).exclude(post_id__in=keep).delete()
    for post in quoted:
        if not forum_is_open_to_all(post.topic.category.forum):
            QuoteConsent.objects.get_or_create(debate=debate, post=post, defaults={"given_by": user})


__all__ = [
    "DebateError",
    "close_debate",
    "close_due_debates",
    "debate_for_topic",
    "open_debate",
    "open_due_debates",
    "publishable_post_ids",
    "quotable_posts",
    "run_schedule",
    "save_summary",
    "schedule_debate",
]
