"""Daily and weekly digests: what is new in a person's spaces and watched topics, by e-mail, in Polish.

A period ends at midnight (the site's time zone): a daily digest covers yesterday, a weekly one the week from
Monday to Sunday. `send_digests(frequency, now)` handles everybody whose preference is that frequency; a
`DigestRun` (unique per person, frequency and period end) makes it idempotent — running it twice, or on two
workers, sends nobody the same period twice. Nothing new: no e-mail.

Cron (the production worker runs the tasks; these lines only start them):
    0 7 * * *   python manage.py send_digests daily
    0 7 * * 1   python manage.py send_digests weekly
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exchange_groups.models import Membership
from forums.models import Forum, Post, Watch
from forums.permissions import can_read_forum
from oswiata_kit.urls import absolute_url

from .models import DigestFrequency, DigestRun, EmailKind, Notification, NotificationKind
from .services import email_language, queue_email, render_email, unsubscribe_url
from .texts import show

PERIOD_DAYS = {DigestFrequency.DAILY: 1, DigestFrequency.WEEKLY: 7}


@dataclass
class TopicItem:
    title: str
    url: str
    new_topic: bool = False
    new_posts: int = 0


@dataclass
class Section:
    name: str
    topics: list[TopicItem] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # debates opened, meetings changed (already rendered)


@dataclass
class Digest:
    user: object
    period_start: datetime.datetime
    period_end: datetime.datetime
    sections: list[Section] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(section.topics or section.events for section in self.sections)


def period_for(frequency: str, now=None) -> tuple[datetime.datetime, datetime.datetime]:
    """The period that has just ended: [start, end) with `end` at the last midnight (Monday for weekly)."""
    if frequency not in PERIOD_DAYS:
        raise ValueError(f"unknown digest frequency: {frequency!r}")
    today = timezone.localtime(now or timezone.now()).date()
    if frequency == DigestFrequency.WEEKLY:
        today -= datetime.timedelta(days=today.weekday())
    start_day = today - datetime.timedelta(days=PERIOD_DAYS[frequency])
    midnight = datetime.time.min
    return (
        timezone.make_aware(datetime.datetime.combine(start_day, midnight)),
        timezone.make_aware(datetime.datetime.combine(today, midnight)),
    )


def _forum_name(forum: Forum) -> str:
    return forum.space.name if forum.space_id else forum.name


def build_digest(user, period_start, period_end) -> Digest:
    """New topics and posts of the person's spaces' forums and of the topics they watch (only what they may read
    now; hidden posts and their own posts left out), and the debates and meeting changes they were told of."""
    digest = Digest(user, period_start, period_end)
    sections: dict[str, Section] = {}
    spaces = Membership.objects.filter(user_id=user.pk, until__isnull=True).values("space_id")
    watches = Watch.objects.filter(user_id=user.pk)
    watched_topics = watches.filter(topic__isnull=False).values("topic_id")
    watched_categories = watches.filter(category__isnull=False).values("category_id")
    posts = (
        Post.objects.filter(
            created_at__gte=period_start, created_at__lt=period_end, hidden=False, topic__deleted_at__isnull=True
        )
        .filter(
            Q(topic__category__forum__space_id__in=spaces)
            | Q(topic_id__in=watched_topics)
            | Q(topic__category_id__in=watched_categories)
        )
        .exclude(author_id=user.pk)
        .select_related("topic__category__forum__space")
        .order_by("topic__category__forum_id", "topic_id", "seq")
    )
    readable: dict[int, bool] = {}
    items: dict[int, TopicItem] = {}
    for post in posts:
        topic = post.topic
        forum = topic.category.forum
        if forum.pk not in readable:
            readable[forum.pk] = can_read_forum(user, forum)
        if not readable[forum.pk]:
            continue
        section = sections.setdefault(_forum_name(forum), Section(_forum_name(forum)))
        item = items.get(topic.pk)
        if item is None:
            item = TopicItem(topic.title, absolute_url(topic.get_absolute_url()))
            items[topic.pk] = item
            section.topics.append(item)
        if post.seq == 1 and period_start <= topic.created_at < period_end:
            item.new_topic = True
        else:
            item.new_posts += 1
    told = Notification.objects.filter(
        recipient_id=user.pk,
        kind__in=[NotificationKind.DEBATE, NotificationKind.MEETING],
        created_at__gte=period_start,
        created_at__lt=period_end,
    ).order_by("created_at")
    for notification in told:
        shown = show(user, notification)
        if not shown.available:
            continue
        name = (notification.params or {}).get("space_name") or _("Nationwide forum")
        section = sections.setdefault(name, Section(name))
        text = shown.text
        if shown.url:
            text = f"{text} {absolute_url(shown.url)}"
        section.events.append(text)
    digest.sections = sorted(sections.values(), key=lambda s: s.name)
    return digest


def digest_recipients(frequency: str):
    users = get_user_model().objects.filter(is_active=True, email_confirmed_at__isnull=False)
    chosen = Q(notification_preferences__digest=frequency)
    if frequency == DigestFrequency.WEEKLY:  # the default for people who never saved their preferences
        chosen |= Q(notification_preferences__isnull=True)
    return users.filter(chosen).order_by("pk")


def render_digest(digest: Digest, unsubscribe_link: str | None = None) -> tuple[str, str]:
    with translation.override(email_language()):
        start = timezone.localtime(digest.period_start).date()
        last = timezone.localtime(digest.period_end).date() - datetime.timedelta(days=1)
        period = f"{start:%d.%m.%Y}" if start == last else f"{start:%d.%m.%Y}–{last:%d.%m.%Y}"
        return render_email(
            "notifications/email/digest",
            {
                "user": digest.user,
                "digest": digest,
                "period": period,
                "preferences_url": absolute_url(reverse("notifications:preferences")),
                "unsubscribe_url": unsubscribe_link or unsubscribe_url(digest.user, EmailKind.DIGEST),
            },
        )


def send_digest(user, frequency: str, period_start, period_end) -> bool:
    """The person's digest of the period, queued once; True when an e-mail was queued."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = DigestRun.objects.create(
                    user=user, frequency=frequency, period_start=period_start, period_end=period_end
                )
        except IntegrityError:
            return False  # this period has been handled already
        with translation.override(email_language()):
            digest = build_digest(user, period_start, period_end)
        if digest.is_empty:
            return False
        subject, body = render_digest(digest)
        key = f"digest:{frequency}:{period_end:%Y%m%d}"
        delivery = queue_email(user, EmailKind.DIGEST, key, subject, body)
        if delivery is None:
            return False
        run.delivery = delivery
        run.save(update_fields=["delivery"])
    return True


def send_digests(frequency: str, now=None) -> int:
    """Everybody's digest of the period that has just ended; returns the number of e-mails queued."""
    period_start, period_end = period_for(frequency, now)
    sent = 0
    for user in digest_recipients(frequency).iterator():
        if send_digest(user, frequency, period_start, period_end):
            sent += 1
    return sent
