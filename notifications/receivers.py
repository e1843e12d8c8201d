"""Signal receivers that turn events of the other apps into notifications.

Every source signal is sent after its transaction commits (see forums/signals.py, debates/signals.py,
exchange_groups/meetings/signals.py), and each receiver is connected with a `dispatch_uid`, so a source that
does not send yet breaks nothing. Each event has a dedupe key; `services.notify` makes at most one
notification per (recipient, key), so a signal delivered twice changes nothing.

A change of a person's password (the change form, a reset link, the admin) revokes their unsubscribe links:
`pre_save` of the user model notes that the stored hash is about to change, `post_save` gives them a new key.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from debates.signals import debate_opened
from exchange_groups.meetings.signals import meeting_changed
from exchange_groups.models import Membership
from forums.models import ModerationAction, Post, Topic, Watch
from forums.permissions import can_read_forum
from forums.signals import moderation_decided, post_published

from . import services
from .conf import notifications_settings
from .models import NotificationKind

logger = logging.getLogger(__name__)


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or ""


def _readers(user_ids, forum) -> list:
    """The people among `user_ids` who still read the forum (fetched fresh: active, still members)."""
    users = get_user_model().objects.filter(pk__in=set(user_ids), is_active=True)
    return [user for user in users if can_read_forum(user, forum)]


# --- forum posts -------------------------------------------------------------------------------------


@receiver(post_published, dispatch_uid="notifications.post_published")
def on_post_published(sender, post, created, mentioned_user_ids=(), **kwargs):
    """Queued for the background worker (`manage.py db_worker`): a post's author is answered without waiting
    for its readers' notifications. The task is `tasks.notify_post_published` (`notify_about_post` below)."""
    from .tasks import notify_post_published

    notify_post_published.using(backend=notifications_settings.POST_TASK_BACKEND).enqueue(
        post.pk, bool(created), [int(pk) for pk in mentioned_user_ids or ()]
    )


def notify_about_post(post_id: int, created: bool, mentioned_user_ids=()) -> None:
    """The notifications of a post just published or edited: mentions (and their e-mails), replies to watchers."""
    post = Post.objects.select_related("topic__category__forum__space", "author").filter(pk=post_id).first()
    if post is None or post.hidden:
        return
    topic = post.topic
    forum = topic.category.forum
    params = {
        "post_id": post.pk,
        "topic_id": topic.pk,
        "actor_name": _name(post.author),
        "space_name": forum.space.name if forum.space_id else "",
        "new_topic": post.seq == 1,
    }
    url = post.get_absolute_url()
    mentioned = [u for u in _readers(mentioned_user_ids or (), forum) if u.pk != post.author_id]
    services.notify(
        NotificationKind.MENTION,
        [u.pk for u in mentioned],
        f"post:{post.pk}:mention",
        actor=post.author,
        title=topic.title,
        url=url,
        params=params,
    )
    prefs = services.preferences_for([u.pk for u in mentioned])
    for user in mentioned:
        if prefs[user.pk].email_mentions and user.email_confirmed:
            services.queue_mention_email(
                user,
                actor_name=params["actor_name"],
                topic_title=topic.title,
                post_url=url,
                dedupe_key=f"post:{post.pk}:mention",
            )
    if not created:
        return
    watcher_ids = set(Watch.objects.filter(topic=topic).values_list("user_id", flat=True)) | set(
        Watch.objects.filter(category_id=topic.category_id).values_list("user_id", flat=True)
    )
    watcher_ids -= {post.author_id}
    watcher_ids -= {u.pk for u in mentioned}  # one notification for one post: the mention
    watcher_ids -= set(mentioned_user_ids or ())
    watchers = _readers(watcher_ids, forum)
    services.notify(
        NotificationKind.REPLY,
        [u.pk for u in watchers],
        f"post:{post.pk}:reply",
        actor=post.author,
        title=topic.title,
        url=url,
        params=params,
    )


# --- moderation --------------------------------------------------------------------------------------


def _decision_key(action, target, affected_ids, kwargs) -> str:
    """A key that is the same for a repeated signal of one decision and differs for a later decision: the
    moderation log entry of the decision (the latest of its kind on the target), else the target's state."""
    explicit = kwargs.get("action_id") or getattr(kwargs.get("moderation_action"), "pk", None)
    if explicit:
        return f"moderation:{explicit}"
    logged = ModerationAction.objects.filter(kind=action)
    if isinstance(target, Post):
        logged = logged.filter(post_id=target.pk)
    elif isinstance(target, Topic):
        logged = logged.filter(topic_id=target.pk, post__isnull=True)
    else:
        logged = logged.filter(target_user_id__in=affected_ids)
    latest = logged.order_by("-pk").values_list("pk", flat=True).first()
    if latest is not None:
        return f"moderation:{latest}"
    if isinstance(target, Post):
        current = Post.objects.filter(pk=target.pk).values_list("changed_seq", flat=True).first()
        return f"moderation:{action}:post:{target.pk}:{current or target.changed_seq}"
    if isinstance(target, Topic):
        current = Topic.objects.filter(pk=target.pk).values_list("last_seq", flat=True).first()
        return f"moderation:{action}:topic:{target.pk}:{current or target.last_seq}"
    return f"moderation:{action}:{timezone.now():%Y%m%d%H%M}"


@receiver(moderation_decided, dispatch_uid="notifications.moderation_decided")
def on_moderation_decided(
    sender, action, target=None, actor=None, affected_user_ids=(), reason="", reporter_user_ids=(), **kwargs
):
    params = {"action": str(action), "reason": str(reason or "")[:2000]}
    title, url = "", ""
    if isinstance(target, Post):
        post = Post.objects.select_related("topic__category__forum__space").filter(pk=target.pk).first()
        topic = post.topic if post is not None else None
        params["post_id"] = target.pk
        url = target.get_absolute_url()
    elif isinstance(target, Topic):
        topic = Topic.objects.select_related("category__forum__space").filter(pk=target.pk).first()
        url = target.get_absolute_url()
    else:
        topic = None
    if topic is not None:
        title = topic.title
        params["topic_id"] = topic.pk
        forum = topic.category.forum
        params["space_name"] = forum.space.name if forum.space_id else ""
    affected = {int(uid) for uid in affected_user_ids or () if uid}
    key = _decision_key(action, target, affected, kwargs)
    actor_id = getattr(actor, "pk", None)
    services.notify(
        NotificationKind.MODERATION,
        affected - {actor_id},
        f"{key}:affected"[:120],
        actor=actor,
        title=title,
        url=url,
        params={**params, "role": "affected"},
    )
    reporters = {int(uid) for uid in reporter_user_ids or () if uid} - affected - {actor_id}
    services.notify(
        NotificationKind.MODERATION,
        reporters,
        f"{key}:reporter"[:120],
        actor=None,  # reporters are not told which moderator decided
        title=title,
        url=url,
        params={**params, "role": "reporter", "reason": ""},
    )


# --- debates -----------------------------------------------------------------------------------------


def _site_debate_readers() -> list[int]:
    from django.db.models import Q

    users = get_user_model().objects.filter(is_active=True, email_confirmed_at__isnull=False)
    users = users.filter(Q(notification_preferences__isnull=True) | Q(notification_preferences__site_debates=True))
    return list(users.values_list("pk", flat=True))


@receiver(debate_opened, dispatch_uid="notifications.debate_opened")
def on_debate_opened(sender, debate, topics=(), **kwargs):
    title = str(getattr(debate, "title", "") or "")
    for topic in topics or ():
        topic = Topic.objects.select_related("category__forum__space").filter(pk=topic.pk).first()
        if topic is None:
            continue
        forum = topic.category.forum
        if forum.is_site_wide:
            recipients = _site_debate_readers()
        else:
            member_ids = Membership.objects.filter(space_id=forum.space_id, until__isnull=True).values_list(
                "user_id", flat=True
            )
            recipients = [u.pk for u in _readers(member_ids, forum)]
        services.notify(
            NotificationKind.DEBATE,
            recipients,
            f"debate:{debate.pk}:open:{forum.pk}",
            title=title or topic.title,
            url=topic.get_absolute_url(),
            params={
                "debate_id": debate.pk,
                "topic_id": topic.pk,
                "forum_id": forum.pk,
                "space_name": forum.space.name if forum.space_id else "",
            },
        )


# --- meetings ----------------------------------------------------------------------------------------


@receiver(meeting_changed, dispatch_uid="notifications.meeting_changed")
def on_meeting_changed(sender, meeting, kind, user_ids=(), **kwargs):
    if kind == "cancelled":
        key = f"meeting:{meeting.pk}:cancelled"
    else:
        key = f"meeting:{meeting.pk}:updated:{meeting.sequence}:{meeting.updated_at:%Y%m%d%H%M%S%f}"
    services.notify(
        NotificationKind.MEETING,
        user_ids,
        key,
        title=meeting.title,
        url=meeting.get_absolute_url(),
        params={"meeting_id": meeting.pk, "change": kind, "space_name": meeting.space.name},
    )


# --- password changes --------------------------------------------------------------------------------

_CREDENTIAL_CHANGE_MARK = "_notifications_credential_changed"


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="notifications.password_before_save")
def note_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    setattr(instance, _CREDENTIAL_CHANGE_MARK, False)
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return  # e.g. the last_login update of every login
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    setattr(instance, _CREDENTIAL_CHANGE_MARK, stored is not None and stored != instance.password)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="notifications.password_after_save")
def revoke_links_on_password_change(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or not getattr(instance, _CREDENTIAL_CHANGE_MARK, False):
        return
    setattr(instance, _CREDENTIAL_CHANGE_MARK, False)
    services.revoke_saved_unsubscribe_links(instance.pk)
