"""Polish demo data of the notifications: a few unread notifications for the demo participant (a reply in a
topic she watches, a mention of her, a change of a meeting she is registered for), made through the services
from the real demo objects, and a daily digest chosen by the demo leader.

`load(stdout=None)` runs after `forums.demo`. It is idempotent: the notifications' dedupe keys are those of the
events, so running it again adds nothing.
"""

from exchange_groups.models import MeetingStatus, Registration, User
from forums.models import Mention, Post, Watch
from notifications import services
from notifications.models import DigestFrequency, NotificationKind

PARTICIPANT = "uczestnik@demo.oswiata-jst.pl"
DAILY_DIGEST = "lider@demo.oswiata-jst.pl"


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _post_params(post: Post) -> dict:
    forum = post.topic.category.forum
    return {
        "post_id": post.pk,
        "topic_id": post.topic_id,
        "actor_name": post.author.get_full_name() if post.author else "",
        "space_name": forum.space.name if forum.space_id else "",
    }


def _reply(person) -> int:
    watched = Watch.objects.filter(user=person, topic__isnull=False).values("topic_id")
    post = (
        Post.objects.filter(topic_id__in=watched, hidden=False, seq__gt=1)
        .exclude(author=person)
        .exclude(mentions__user=person)
        .select_related("topic__category__forum__space", "author")
        .order_by("-created_at")
        .first()
    )
    if post is None:
        return 0
    return len(
        services.notify(
            NotificationKind.REPLY,
            [person.pk],
            f"post:{post.pk}:reply",
            actor=post.author,
            title=post.topic.title,
            url=post.get_absolute_url(),
            params=_post_params(post),
        )
    )


def _mention(person) -> int:
    mention = (
        Mention.objects.filter(user=person, post__hidden=False)
        .select_related("post__topic__category__forum__space", "post__author")
        .order_by("-post__created_at")
        .first()
    )
    if mention is None:
        return 0
    post = mention.post
    return len(
        services.notify(
            NotificationKind.MENTION,
            [person.pk],
            f"post:{post.pk}:mention",
            actor=post.author,
            title=post.topic.title,
            url=post.get_absolute_url(),
            params=_post_params(post),
        )
    )


def _meeting(person) -> int:
    registration = (
        Registration.objects.active()
        .filter(user=person, meeting__status=MeetingStatus.SCHEDULED)
        .select_related("meeting__space")
        .order_by("meeting__starts_at")
        .first()
    )
    if registration is None:
        return 0
    meeting = registration.meeting
    return len(
        services.notify(
            NotificationKind.MEETING,
            [person.pk],
            f"meeting:{meeting.pk}:updated:demo",
            title=meeting.title,
            url=meeting.get_absolute_url(),
            params={"meeting_id": meeting.pk, "change": "updated", "space_name": meeting.space.name},
        )
    )


def load(stdout=None) -> None:
    made = 0
    person = User.objects.filter(email__iexact=PARTICIPANT).first()
    if person is not None:
        made = _reply(person) + _mention(person) + _meeting(person)
    leader = User.objects.filter(email__iexact=DAILY_DIGEST).first()
    if leader is not None and services.get_preferences(leader).digest != DigestFrequency.DAILY:
        services.update_preferences(leader, digest=DigestFrequency.DAILY)
    _say(stdout, f"Notifications: {made} new demo notifications.\n")
