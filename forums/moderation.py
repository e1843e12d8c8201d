"""Moderation services of the forums (issue 6): verb-named, each write in one transaction, each action logged.

Who may do what is decided in `forums.permissions` (`check_can_moderate`, `check_can_configure_forum`,
`check_can_restore_topic`, `check_can_report_post`); rules broken by the input raise `ForumError` with a
translated message and the form field, and nothing is changed.

Live: a topic change (pin, lock, move, delete, restore, slow mode) calls `publisher.publish_topic_changed`
inside its transaction; a post change (hide, restore, moderator edit) goes through the post-writing core of
`forums.services` (`set_hidden`, `edit_post`: the topic's next seq, a PostEvent), so live readers see it. A
decision that concerns a person is announced with the `moderation_decided` signal after the commit (the
notifications app tells them); a suspension closes the person's live sockets of that space after the commit.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange_groups.accounts.realtime import CLOSE_FORBIDDEN, close_user_sockets
from exchange_groups.models import Membership
from exchange_groups.spaces.permissions import is_site_admin

from . import publisher, services
from .models import (
    Category,
    Forum,
    ModerationAction,
    ModerationActionKind,
    Post,
    Report,
    ReportStatus,
    Sanction,
    SanctionKind,
    Topic,
)
from .permissions import (
    can_moderate,
    can_read_forum,
    check_can_configure_forum,
    check_can_moderate,
    check_can_report_post,
    check_can_restore_topic,
)
from .services import ForumError
from .signals import moderation_decided, send_after_commit

MAX_REASON_LENGTH = 1000
MAX_SLOW_MODE_SECONDS = 24 * 60 * 60
MAX_REPORT_THRESHOLD = 100
MAX_SANCTION_DAYS = 366


class Decision:
    """What a moderator does with the reports of one post."""

    HIDE = "hide"
    DISMISS = "dismiss"
    WARN = "warn"
    ALL = (HIDE, DISMISS, WARN)


def pending_review_reason() -> str:
    return _("Hidden pending review: several members reported this post.")


# --- helpers -----------------------------------------------------------------------------------------


def clean_reason(reason, *, required: bool = True, field: str = "reason") -> str:
    reason = " ".join(str(reason or "").split())
    if required and not reason:
        raise ForumError(_("Please give a reason."), "reason_required", field)
    if len(reason) > MAX_REASON_LENGTH:
        raise ForumError(
            _("The reason can be at most %(limit)s characters long.") % {"limit": MAX_REASON_LENGTH},
            "reason_long",
            field,
        )
    return reason


def _forum_of(topic: Topic) -> Forum:
    return topic.category.forum


def log_action(actor, forum: Forum, kind: str, *, topic=None, post=None, target_user=None, reason="", details=""):
    return ModerationAction.objects.create(
        forum=forum,
        actor=actor,
        kind=kind,
        topic=topic,
        post=post,
        target_user=target_user,
        reason=reason,
        details=details[:300],
    )


def _decided(action: str, target, actor, *, affected=(), reason="", reporters=()) -> None:
    sender = Post if isinstance(target, Post) else Topic
    send_after_commit(
        moderation_decided,
        sender,
        action=action,
        target=target,
        actor=actor,
        affected_user_ids=[pk for pk in affected if pk is not None and pk != getattr(actor, "pk", None)],
        reason=reason,
        reporter_user_ids=list(reporters),
    )


def _locked_topic(topic: Topic) -> Topic:
    current = Topic.objects.select_for_update().select_related("category__forum").get(pk=topic.pk)
    return current


def _refresh(topic: Topic) -> Topic:
    topic.refresh_from_db()
    return topic


# --- topics ------------------------------------------------------------------------------------------


def pin_topic(actor, topic: Topic, pinned: bool = True) -> Topic:
    check_can_moderate(actor, _forum_of(topic))
    with transaction.atomic():
        current = _locked_topic(topic)
        if current.pinned != pinned:
            Topic.objects.filter(pk=current.pk).update(pinned=pinned)
            kind = ModerationActionKind.PIN if pinned else ModerationActionKind.UNPIN
            log_action(actor, current.category.forum, kind, topic=current)
            publisher.publish_topic_changed(current)
    return _refresh(topic)


def lock_topic(actor, topic: Topic, locked: bool = True, reason: str = "") -> Topic:
    check_can_moderate(actor, _forum_of(topic))
    reason = clean_reason(reason, required=False)
    with transaction.atomic():
        current = _locked_topic(topic)
        if current.locked != locked:
            Topic.objects.filter(pk=current.pk).update(locked=locked)
            kind = ModerationActionKind.LOCK if locked else ModerationActionKind.UNLOCK
            log_action(actor, current.category.forum, kind, topic=current, target_user=current.author, reason=reason)
            publisher.publish_topic_changed(current)
            if locked:
                _decided("lock", current, actor, affected=[current.author_id], reason=reason)
    return _refresh(topic)


def move_topic(actor, topic: Topic, category: Category, reason: str = "") -> Topic:
    forum = _forum_of(topic)
    check_can_moderate(actor, forum)
    reason = clean_reason(reason, required=False)
    if category is None or category.forum_id != forum.pk:
        raise ForumError(_("Please choose a category of this forum."), "move_category", "category")
    with transaction.atomic():
        current = _locked_topic(topic)
        if current.category_id != category.pk:
            old = current.category
            Topic.objects.filter(pk=current.pk).update(category=category)
            log_action(
                actor,
                forum,
                ModerationActionKind.MOVE,
                topic=current,
                reason=reason,
                details=f"{old.name} → {category.name}",
            )
            current.category = category
            publisher.publish_topic_changed(current)
    return _refresh(topic)


def delete_topic(actor, topic: Topic, reason: str) -> Topic:
    """Soft delete: the topic vanishes for everyone but administrators, who may restore it."""
    forum = _forum_of(topic)
    check_can_moderate(actor, forum)
    reason = clean_reason(reason)
    with transaction.atomic():
        current = _locked_topic(topic)
        if current.deleted_at is None:
            Topic.objects.filter(pk=current.pk).update(
                deleted_at=timezone.now(), deleted_by=actor, deleted_reason=reason
            )
            log_action(
                actor, forum, ModerationActionKind.DELETE, topic=current, target_user=current.author, reason=reason
            )
            publisher.publish_topic_changed(current)
            _decided("delete", current, actor, affected=[current.author_id], reason=reason)
    return _refresh(topic)


def restore_topic(actor, topic: Topic) -> Topic:
    check_can_restore_topic(actor, topic)
    with transaction.atomic():
        current = _locked_topic(topic)
        if current.deleted_at is not None:
            Topic.objects.filter(pk=current.pk).update(deleted_at=None, deleted_by=None, deleted_reason="")
            log_action(actor, current.category.forum, ModerationActionKind.UNDELETE, topic=current)
            publisher.publish_topic_changed(current)
    return _refresh(topic)


def _seconds(value, *, limit: int, field: str) -> int:
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        seconds = -1
    if seconds < 0 or seconds > limit:
        raise ForumError(
            _("Please give a whole number of seconds from 0 to %(limit)s.") % {"limit": limit}, "seconds", field
        )
    return seconds


def set_topic_slow_mode(actor, topic: Topic, seconds) -> Topic:
    check_can_moderate(actor, _forum_of(topic))
    seconds = _seconds(seconds, limit=MAX_SLOW_MODE_SECONDS, field="slow_mode_seconds")
    with transaction.atomic():
        current = _locked_topic(topic)
        if current.slow_mode_seconds != seconds:
            Topic.objects.filter(pk=current.pk).update(slow_mode_seconds=seconds)
            log_action(
                actor,
                current.category.forum,
                ModerationActionKind.SLOW_MODE,
                topic=current,
                details=f"{current.slow_mode_seconds} s → {seconds} s",
            )
            publisher.publish_topic_changed(current)
    return _refresh(topic)


def update_forum_settings(actor, forum: Forum, *, slow_mode_seconds, report_threshold, public_moderation_log) -> Forum:
    """The coordinator's settings: the forum's slow mode, its report threshold (None: the site default), and
    whether members see the public moderation log."""
    check_can_configure_forum(actor, forum)
    seconds = _seconds(slow_mode_seconds, limit=MAX_SLOW_MODE_SECONDS, field="slow_mode_seconds")
    if report_threshold in (None, ""):
        threshold = None
    else:
        try:
            threshold = int(report_threshold)
        except (TypeError, ValueError):
            threshold = 0
        if not 1 <= threshold <= MAX_REPORT_THRESHOLD:
            raise ForumError(
                _("Please give a number from 1 to %(limit)s, or leave the field empty.")
                % {"limit": MAX_REPORT_THRESHOLD},
                "threshold",
                "report_threshold",
            )
    public = bool(public_moderation_log)
    with transaction.atomic():
        current = Forum.objects.select_for_update().get(pk=forum.pk)
        before = (current.slow_mode_seconds, current.report_threshold, current.public_moderation_log)
        after = (seconds, threshold, public)
        if before != after:
            Forum.objects.filter(pk=current.pk).update(
                slow_mode_seconds=seconds, report_threshold=threshold, public_moderation_log=public
            )
            details = "; ".join(
                f"{name}: {old} → {new}"
                for name, old, new in zip(("slow_mode", "report_threshold", "public_log"), before, after, strict=True)
                if old != new
            )
            log_action(actor, current, ModerationActionKind.SETTINGS, details=details)
    forum.refresh_from_db()
    return forum


# --- posts -------------------------------------------------------------------------------------------


def _open_reports(post: Post):
    return Report.objects.filter(post=post, status=ReportStatus.OPEN)


def _close_reports(post: Post, actor, status: str, reason: str) -> list[int]:
    reports = _open_reports(post)
    reporters = list(reports.values_list("reporter_id", flat=True))
    reports.update(status=status, decided_by=actor, decided_at=timezone.now(), decision_reason=reason)
    return reporters


def hide_post(actor, post: Post, reason: str) -> Post:
    """Hide a post with a reason shown to its author; open reports of it are accepted (reporters told)."""
    forum = _forum_of(post.topic)
    check_can_moderate(actor, forum)
    reason = clean_reason(reason)
    with transaction.atomic():
        post = services.set_hidden(actor, post, True, reason=reason)
        reporters = _close_reports(post, actor, ReportStatus.HIDDEN, reason)
        if post.changed or reporters:
            log_action(
                actor,
                forum,
                ModerationActionKind.HIDE,
                topic=post.topic,
                post=post,
                target_user=post.author,
                reason=reason,
            )
            _decided("hide", post, actor, affected=[post.author_id], reason=reason, reporters=reporters)
    return post


def restore_post(actor, post: Post, reason: str = "") -> Post:
    forum = _forum_of(post.topic)
    check_can_moderate(actor, forum)
    reason = clean_reason(reason, required=False)
    with transaction.atomic():
        post = services.set_hidden(actor, post, False)
        if post.changed:
            log_action(
                actor,
                forum,
                ModerationActionKind.RESTORE,
                topic=post.topic,
                post=post,
                target_user=post.author,
                reason=reason,
            )
            _decided("restore", post, actor, affected=[post.author_id], reason=reason)
    return post


def moderator_edit_post(actor, post: Post, body: str, reason: str = "") -> Post:
    """Edit any post (no time window), with a reason (required: it goes to the moderation log and the author).

    What the edit removes disappears for the members: the earlier versions stay in the history for the author,
    the moderators and administrators only; members see that a moderator changed the post and when (the reason
    too where the forum's moderation log is public). Posts that quoted the old text are not changed: the edit
    page lists them (`posts_quoting`) so the moderator can edit them as well.
    """
    forum = _forum_of(post.topic)
    check_can_moderate(actor, forum)
    reason = clean_reason(reason)
    with transaction.atomic():
        before = post.edited_at
        post = services.edit_post(actor, post, body, as_moderator=True, reason=reason)
        if post.edited_at != before:
            log_action(
                actor,
                forum,
                ModerationActionKind.EDIT,
                topic=post.topic,
                post=post,
                target_user=post.author,
                reason=reason,
            )
            _decided("edit", post, actor, affected=[post.author_id], reason=reason)
    return post


def posts_quoting(post: Post):
    """The replies that quote the post (their bodies may hold a copy of text a moderator removes from it)."""
    return Post.objects.filter(quoted_post=post).select_related("author").order_by("seq")


# --- reports -----------------------------------------------------------------------------------------


def report_post(reporter, post: Post, reason: str) -> Report:
    """A member reports a post. One report per post and person (a second one is refused; a double submit
    makes one). When the forum's threshold of distinct members is reached the post is hidden pending review
    and stays in the queue."""
    check_can_report_post(reporter, post)
    reason = clean_reason(reason)
    forum = _forum_of(post.topic)
    if Report.objects.filter(post=post, reporter=reporter).exists():
        raise ForumError(_("You have already reported this post."), "already_reported", "reason")
    try:
        with transaction.atomic():
            # The topic row first (the order every post writer keeps): concurrent reports of one post queue here,
            # so exactly one of them sees the threshold reached.
            Topic.objects.select_for_update().filter(pk=post.topic_id).first()
            current = Post.objects.select_for_update().get(pk=post.pk)
            report = Report.objects.create(post=current, reporter=reporter, reason=reason)
            count = _open_reports(current).values("reporter_id").distinct().count()
            if not current.hidden and count >= forum.effective_report_threshold():
                auto_reason = pending_review_reason()
                current = services.set_hidden(None, current, True, reason=auto_reason, pending_review=True)
                log_action(
                    None,
                    forum,
                    ModerationActionKind.AUTO_HIDE,
                    topic=post.topic,
                    post=current,
                    target_user=current.author,
                    reason=auto_reason,
                    details=str(count),
                )
                _decided("hide", current, None, affected=[current.author_id], reason=auto_reason)
    except IntegrityError:
        raise ForumError(_("You have already reported this post."), "already_reported", "reason") from None
    return report


def decide_reports(actor, post: Post, decision: str, reason: str = "") -> Post:
    """Act on the open reports of a post: hide it (with a reason), dismiss them, or warn the author (a reason).

    Dismissing the reports of a post hidden pending review restores it. The reporters are told the outcome.
    """
    forum = _forum_of(post.topic)
    check_can_moderate(actor, forum)
    if decision not in Decision.ALL:
        raise ForumError(_("Please choose what to do with the reports."), "decision", "decision")
    if decision == Decision.HIDE:
        return hide_post(actor, post, reason)
    reason = clean_reason(reason, required=decision == Decision.WARN)
    with transaction.atomic():
        if not _open_reports(post).exists():
            raise ForumError(_("These reports have already been decided."), "decided", "decision")
        if decision == Decision.DISMISS:
            if post.hidden and post.hidden_pending_review:
                post = services.set_hidden(actor, post, False)
            reporters = _close_reports(post, actor, ReportStatus.DISMISSED, reason)
            log_action(actor, forum, ModerationActionKind.DISMISS, topic=post.topic, post=post, reason=reason)
            _decided("dismiss", post, actor, reason=reason, reporters=reporters)
        else:
            reporters = _close_reports(post, actor, ReportStatus.WARNED, reason)
            log_action(
                actor,
                forum,
                ModerationActionKind.WARN,
                topic=post.topic,
                post=post,
                target_user=post.author,
                reason=reason,
            )
            _decided("warn", post, actor, affected=[post.author_id], reason=reason, reporters=reporters)
    post.refresh_from_db()
    return post


def warn_author(actor, post: Post, reason: str) -> None:
    """Warn a post's author without reports (logged and signalled)."""
    forum = _forum_of(post.topic)
    check_can_moderate(actor, forum)
    reason = clean_reason(reason)
    with transaction.atomic():
        reporters = _close_reports(post, actor, ReportStatus.WARNED, reason)
        log_action(
            actor, forum, ModerationActionKind.WARN, topic=post.topic, post=post, target_user=post.author, reason=reason
        )
        _decided("warn", post, actor, affected=[post.author_id], reason=reason, reporters=reporters)


# --- sanctions ---------------------------------------------------------------------------------------


def sanctionable_people(forum: Forum):
    """Whom a moderator may sanction in the forum: active members without a moderator's role (site forum:
    people who wrote there), never administrators."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if forum.is_site_wide:
        people = User.objects.filter(forum_posts__topic__category__forum=forum).distinct()
    else:
        members = Membership.objects.filter(space_id=forum.space_id, until__isnull=True)
        people = User.objects.filter(pk__in=members.values("user_id"))
    people = people.filter(is_active=True, is_superuser=False).order_by("last_name", "first_name", "pk")
    return [person for person in people if not can_moderate(person, forum)]


def sanction_member(actor, forum: Forum, person, kind: str, reason: str, ends_at: datetime.datetime) -> Sanction:
    check_can_moderate(actor, forum)
    if kind not in SanctionKind.values:
        raise ForumError(_("Please choose the kind of sanction."), "kind", "kind")
    reason = clean_reason(reason)
    now = timezone.now()
    if ends_at is None or ends_at <= now:
        raise ForumError(_("The end of the sanction must be in the future."), "ends_past", "ends_at")
    if ends_at > now + datetime.timedelta(days=MAX_SANCTION_DAYS):
        raise ForumError(
            _("A sanction can last at most %(days)s days.") % {"days": MAX_SANCTION_DAYS}, "ends_far", "ends_at"
        )
    if person is None or person.pk == actor.pk:
        raise ForumError(_("Please choose a member to sanction."), "person", "person")
    if is_site_admin(person) or can_moderate(person, forum):
        raise ForumError(_("Moderators, coordinators and administrators cannot be sanctioned."), "person", "person")
    if (
        not forum.is_site_wide
        and not Membership.objects.filter(space_id=forum.space_id, user_id=person.pk, until__isnull=True).exists()
    ):
        raise ForumError(_("Please choose a member of this space."), "person", "person")
    with transaction.atomic():
        sanction = Sanction.objects.create(
            space=forum.space,
            user=person,
            kind=kind,
            reason=reason,
            starts_at=now,
            ends_at=ends_at,
            created_by=actor,
        )
        suspended = kind == SanctionKind.SUSPENSION
        log_action(
            actor,
            forum,
            ModerationActionKind.SUSPEND if suspended else ModerationActionKind.SILENCE,
            target_user=person,
            reason=reason,
            details=timezone.localtime(ends_at).strftime("%Y-%m-%d %H:%M"),
        )
        if suspended:
            close_user_sockets(person.pk, code=CLOSE_FORBIDDEN, space_id=forum.space_id)
        _decided("suspend" if suspended else "silence", None, actor, affected=[person.pk], reason=reason)
    return sanction


def lift_sanction(actor, sanction: Sanction, forum: Forum) -> Sanction:
    check_can_moderate(actor, forum)
    if sanction.space_id != forum.space_id:
        raise ForumError(_("This sanction belongs to another forum."), "sanction", None)
    with transaction.atomic():
        current = Sanction.objects.select_for_update().get(pk=sanction.pk)
        if current.is_active():
            now = timezone.now()
            Sanction.objects.filter(pk=current.pk).update(lifted_at=now, lifted_by=actor)
            log_action(actor, forum, ModerationActionKind.LIFT, target_user=current.user, reason=current.reason)
            _decided("lift", None, actor, affected=[current.user_id], reason="")
    sanction.refresh_from_db()
    return sanction


# --- queries -----------------------------------------------------------------------------------------


def report_queue(forum: Forum):
    """Posts of the forum with open reports, most reported first: each with `report_count` and `open_reports`."""
    open_reports = Report.objects.filter(status=ReportStatus.OPEN).select_related("reporter").order_by("created_at")
    return (
        Post.objects.filter(topic__category__forum=forum, reports__status=ReportStatus.OPEN)
        .annotate(report_count=Count("reports", distinct=True), last_report=Max("reports__created_at"))
        .select_related("topic", "author")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .order_by("-report_count", "-last_report")
    )


def moderation_log(forum: Forum):
    return ModerationAction.objects.filter(forum=forum).select_related("actor", "topic", "target_user")


def public_log(forum: Forum):
    """What members see when the forum shows its log: actions with reasons (no reporters, no persons)."""
    return (
        ModerationAction.objects.filter(forum=forum)
        .select_related("topic")
        .exclude(kind__in=[ModerationActionKind.SETTINGS, ModerationActionKind.SLOW_MODE])
    )


def reports_of(user):
    return Report.objects.filter(reporter=user).select_related("post__topic__category__forum__space")


def with_availability(user, reports) -> list[Report]:
    """The person's reports, each with `available`: whether they may still read the reported post's topic.

    A report of a deleted topic (for anyone but administrators) or of a forum the person can no longer read
    (they left the space) shows neither the topic's title nor a link nor the moderator's decision text.
    """
    readable: dict[int, bool] = {}
    reports = list(reports)
    for report in reports:
        topic = report.post.topic
        forum = topic.category.forum
        if forum.pk not in readable:
            readable[forum.pk] = can_read_forum(user, forum)
        report.available = readable[forum.pk] and (topic.deleted_at is None or is_site_admin(user))
    return reports


def deleted_topics():
    return Topic.objects.filter(deleted_at__isnull=False).select_related("category__forum", "deleted_by", "author")


def sanctions_in(forum: Forum):
    sanctions = Sanction.objects.select_related("user", "created_by", "lifted_by")
    if forum.is_site_wide:
        return sanctions.filter(space__isnull=True)
    return sanctions.filter(space_id=forum.space_id)
