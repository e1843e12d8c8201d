"""What a notification says, rendered when it is shown (in the reader's language) from its kind and params,
and whether its target is still readable by the person (the list and the detail page use the same answer)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from exchange_groups.meetings.permissions import can_view_meetings
from exchange_groups.models import Meeting
from forums.models import Post, Topic
from forums.permissions import can_read_forum, can_read_topic

from .models import Notification, NotificationKind


def action_label(action: str) -> str:
    labels = {
        "hide": pgettext("moderation action", "the post was hidden"),
        "restore": pgettext("moderation action", "the post was restored"),
        "warn": pgettext("moderation action", "a warning was given"),
        "dismiss": pgettext("moderation action", "no action was needed"),
        "lock": pgettext("moderation action", "the topic was closed"),
        "delete": pgettext("moderation action", "the content was deleted"),
        "suspend": pgettext("moderation action", "the account was suspended"),
        "silence": pgettext("moderation action", "writing was blocked for a time"),
    }
    return labels.get(action, pgettext("moderation action", "a decision was taken"))


@dataclass
class Shown:
    """A notification as the reader sees it: `available` False means "Content unavailable", no text, no link."""

    notification: Notification
    available: bool
    text: str
    reason: str
    url: str

    @property
    def pk(self):
        return self.notification.pk

    @property
    def is_unread(self):
        return self.notification.is_unread

    @property
    def created_at(self):
        return self.notification.created_at

    @property
    def kind_label(self):
        return self.notification.get_kind_display()


def _post(pk):
    if not pk:
        return None
    return Post.objects.select_related("topic__category__forum__space").filter(pk=pk).first()


def _topic(pk):
    if not pk:
        return None
    return Topic.objects.select_related("category__forum__space").filter(pk=pk).first()


def target_state(user, notification: Notification) -> tuple[bool, bool]:
    """(readable, linkable): may the person see what the notification is about, and follow its link."""
    params = notification.params or {}
    kind = notification.kind
    if kind in (NotificationKind.REPLY, NotificationKind.MENTION):
        post = _post(params.get("post_id"))
        ok = post is not None and not post.hidden and can_read_topic(user, post.topic)
        return ok, ok
    if kind == NotificationKind.DEBATE:
        topic = _topic(params.get("topic_id"))
        ok = topic is not None and can_read_topic(user, topic)
        return ok, ok
    if kind == NotificationKind.MODERATION:
        # The decision is addressed to the person: its text stays readable while they still read the forum,
        # the link only while the post (or topic) itself is there for them.
        post = _post(params.get("post_id"))
        topic = post.topic if post is not None else _topic(params.get("topic_id"))
        if topic is None:
            readable = not params.get("post_id") and not params.get("topic_id")
            return readable, False
        readable = can_read_forum(user, topic.category.forum)
        linkable = readable and can_read_topic(user, topic) and (post is None or not post.hidden)
        linkable = linkable and bool(notification.url)
        if params.get("post_id") and post is None:
            linkable = False
        return readable, linkable
    if kind == NotificationKind.MEETING:
        meeting = Meeting.objects.select_related("space").filter(pk=params.get("meeting_id")).first()
        ok = meeting is not None and can_view_meetings(user, meeting.space)
        return ok, ok
    return False, False


def _text(notification: Notification) -> str:
    params = notification.params or {}
    title = notification.title
    actor = params.get("actor_name") or _("Somebody")
    kind = notification.kind
    if kind == NotificationKind.REPLY and params.get("new_topic"):
        return _("%(actor)s started a new topic “%(topic)s”.") % {"actor": actor, "topic": title}
    if kind == NotificationKind.REPLY:
        return _("%(actor)s replied in the topic “%(topic)s”.") % {"actor": actor, "topic": title}
    if kind == NotificationKind.MENTION:
        return _("%(actor)s mentioned you in the topic “%(topic)s”.") % {"actor": actor, "topic": title}
    if kind == NotificationKind.DEBATE:
        return _("A debate has opened: “%(title)s” (%(place)s).") % {
            "title": title,
            "place": params.get("space_name") or _("Nationwide forum"),
        }
    if kind == NotificationKind.MEETING:
        if params.get("change") == "cancelled":
            return _("The meeting “%(title)s” has been cancelled.") % {"title": title}
        return _("The time or place of the meeting “%(title)s” has changed.") % {"title": title}
    if kind == NotificationKind.MODERATION:
        action = params.get("action", "")
        if params.get("role") == "reporter":
            if action == "dismiss":
                return _("Your report about a post in “%(topic)s” has been reviewed: no action was needed.") % {
                    "topic": title
                }
            return _("Your report about a post in “%(topic)s” has been reviewed: %(outcome)s.") % {
                "topic": title,
                "outcome": action_label(action),
            }
        if action == "hide":
            return _("Your post in the topic “%(topic)s” has been hidden by the moderators.") % {"topic": title}
        if action == "restore":
            return _("Your post in the topic “%(topic)s” has been restored.") % {"topic": title}
        if action == "lock":
            return _("The moderators have closed the topic “%(topic)s”.") % {"topic": title}
        if action == "delete":
            return _("The moderators have deleted your content in “%(topic)s”.") % {"topic": title}
        if action == "warn":
            return _("The moderators have given you a warning.")
        if action == "suspend":
            return _("The moderators have suspended your account in the forum.")
        if action == "silence":
            return _("The moderators have stopped you from writing in the forum for a time.")
        return _("The moderators have taken a decision about your content: %(outcome)s.") % {
            "outcome": action_label(action)
        }
    return ""


def show(user, notification: Notification) -> Shown:
    readable, linkable = target_state(user, notification)
    if not readable:
        return Shown(notification, False, _("Content unavailable"), "", "")
    reason = (notification.params or {}).get("reason", "") if notification.kind == NotificationKind.MODERATION else ""
    return Shown(notification, True, _text(notification), reason, notification.url if linkable else "")
