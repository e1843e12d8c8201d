"""Notifications are created exactly once per event and recipient, for the right people, from every source."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from debates.signals import debate_opened
from exchange_groups.meetings import services as meetings
from exchange_groups.models import MeetingMode, SpaceRole
from exchange_groups.spaces import services as membership
from forums import services as forum_services
from forums.mentions import handle_of
from forums.models import Post, Topic
from forums.signals import moderation_decided, post_published
from notifications import services
from notifications.models import DeliveryStatus, EmailDelivery, Notification, NotificationKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def kinds_of(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def reply(world, committed, author_key="other", body="Zgadzam się z przedmówcą."):
    with committed():
        post, _is_new = forum_services.create_post(world[author_key], world["topic"], body)
    return post


# --- replies and mentions ------------------------------------------------------------------------------


def test_reply_notifies_a_watcher_once(world, committed):
    post = reply(world, committed)
    notification = Notification.objects.get(recipient=world["watcher"])
    assert notification.kind == NotificationKind.REPLY
    assert notification.dedupe_key == f"post:{post.pk}:reply"
    assert notification.url == post.get_absolute_url()
    assert notification.params["actor_name"] == "Tomasz Wiśniewski"


def test_reply_does_not_notify_its_author_or_people_not_watching(world, committed):
    reply(world, committed, author_key="watcher")
    # The topic's author watches it (made when the topic was created): she is told; the replying watcher is not.
    assert kinds_of(world["author"]) == [NotificationKind.REPLY]
    assert kinds_of(world["watcher"]) == []
    assert kinds_of(world["other"]) == []
    assert kinds_of(world["coordinator"]) == []


def test_repeated_signal_makes_no_second_notification(world, committed):
    post = reply(world, committed)
    for _ in range(2):
        post_published.send(sender=Post, post=post, created=True, mentioned_user_ids=[])
    assert Notification.objects.filter(recipient=world["watcher"]).count() == 1


def test_watcher_who_left_the_space_is_not_notified(world, committed):
    with committed():
        membership.leave_space(world["watcher"], world["space"])
    reply(world, committed)
    assert kinds_of(world["watcher"]) == []


def test_category_watch_notifies_about_replies(world, committed):
    with committed():
        forum_services.watch(world["coordinator"], category=world["topic"].category)
    reply(world, committed)
    assert kinds_of(world["coordinator"]) == [NotificationKind.REPLY]


def test_mentioned_watcher_gets_one_notification_the_mention(world, committed):
    post = reply(world, committed, body=f"@{handle_of(world['watcher'])} co Pan o tym sądzi?")
    notifications = list(Notification.objects.filter(recipient=world["watcher"]))
    assert [n.kind for n in notifications] == [NotificationKind.MENTION]
    assert notifications[0].dedupe_key == f"post:{post.pk}:mention"


def test_mention_sends_one_email_with_unsubscribe_headers(world, committed, mailoutbox):
    post = reply(world, committed, body=f"@{handle_of(world['coordinator'])} proszę o opinię.")
    post_published.send(sender=Post, post=post, created=True, mentioned_user_ids=[world["coordinator"].pk])
    delivery = EmailDelivery.objects.get(recipient=world["coordinator"])
    assert delivery.status == DeliveryStatus.SENT
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [world["coordinator"].email]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/powiadomienia/wypisz/" in link
    assert link in message.body
    assert "Subwencja oświatowa 2020" in message.body


def test_mention_email_respects_the_preference(world, committed, mailoutbox):
    services.update_preferences(world["coordinator"], email_mentions=False)
    reply(world, committed, body=f"@{handle_of(world['coordinator'])} proszę o opinię.")
    assert kinds_of(world["coordinator"]) == [NotificationKind.MENTION]
    assert EmailDelivery.objects.count() == 0
    assert mailoutbox == []


def test_in_app_preference_off_skips_the_notification_but_not_the_email(world, committed, mailoutbox):
    services.update_preferences(world["coordinator"], inapp_mention=False)
    reply(world, committed, body=f"@{handle_of(world['coordinator'])} proszę o opinię.")
    assert kinds_of(world["coordinator"]) == []
    assert len(mailoutbox) == 1


def test_edit_adding_a_mention_notifies_only_the_new_mention(world, committed):
    post = reply(world, committed)
    Notification.objects.all().delete()
    with committed():
        forum_services.edit_post(world["other"], post, f"Poprawka: @{handle_of(world['coordinator'])}")
    assert kinds_of(world["coordinator"]) == [NotificationKind.MENTION]
    assert kinds_of(world["watcher"]) == []


def test_mention_of_someone_who_cannot_read_the_forum_is_ignored(world, committed):
    post = reply(world, committed)
    post_published.send(sender=Post, post=post, created=False, mentioned_user_ids=[world["outsider"].pk])
    assert kinds_of(world["outsider"]) == []


def test_new_notification_pushes_the_unread_count(world, committed, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "notify_user", lambda user_id, payload: sent.append((user_id, payload)))
    reply(world, committed)
    assert (world["watcher"].pk, {"type": "notifications.count", "unread": 1}) in sent


# --- moderation --------------------------------------------------------------------------------------


def decide(world, post, action="hide", reason="Wpis narusza regulamin.", **extra):
    moderation_decided.send(
        sender=Post,
        action=action,
        target=post,
        actor=world["coordinator"],
        affected_user_ids=[post.author_id],
        reason=reason,
        reporter_user_ids=[world["watcher"].pk],
        **extra,
    )


def test_moderation_decision_notifies_the_author_and_the_reporter_once(world, committed):
    post = reply(world, committed)
    Notification.objects.all().delete()
    decide(world, post)
    decide(world, post)
    affected = Notification.objects.get(recipient=world["other"])
    assert affected.kind == NotificationKind.MODERATION
    assert affected.params["reason"] == "Wpis narusza regulamin."
    assert affected.params["role"] == "affected"
    reported = Notification.objects.get(recipient=world["watcher"])
    assert reported.params["role"] == "reporter"
    assert reported.actor is None  # reporters are not told which moderator decided
    assert kinds_of(world["coordinator"]) == []


def test_later_decision_about_the_same_post_is_a_new_notification(world, committed):
    post = reply(world, committed)
    with committed():
        forum_services.set_hidden(world["coordinator"], post, True)
    decide(world, Post.objects.get(pk=post.pk), "hide")
    with committed():
        forum_services.set_hidden(world["coordinator"], post, False)
    decide(world, Post.objects.get(pk=post.pk), "restore", reason="")
    actions = Notification.objects.filter(recipient=world["other"]).values_list("params__action", flat=True)
    assert sorted(actions) == ["hide", "restore"]


# --- debates -----------------------------------------------------------------------------------------


def open_debate(world, topics, pk=7):
    debate = SimpleNamespace(pk=pk, title="Debata: finansowanie oświaty po 2025 roku")
    debate_opened.send(sender=object, debate=debate, topics=topics)


def test_debate_opening_notifies_the_members_of_the_space_once(world, committed):
    with committed():
        topic = forum_services.create_topic(
            world["coordinator"], world["forum"].categories.get(), "Debata: finansowanie", "Zapraszamy."
        )
    open_debate(world, [topic])
    open_debate(world, [topic])
    for key in ("author", "watcher", "other", "coordinator"):
        assert kinds_of(world[key]) == [NotificationKind.DEBATE], key
    assert kinds_of(world["private_member"]) == []
    assert kinds_of(world["outsider"]) == []
    assert Notification.objects.filter(kind=NotificationKind.DEBATE).first().url == topic.get_absolute_url()


def test_site_wide_debate_notifies_only_people_who_want_it(world, committed):
    site_forum = forum_services.ensure_site_forum()
    with committed():
        topic = forum_services.create_topic(
            world["author"], site_forum.categories.first(), "Debata ogólnopolska", "Zapraszamy wszystkich."
        )
    services.update_preferences(world["outsider"], site_debates=False)
    open_debate(world, [topic], pk=8)
    assert kinds_of(world["outsider"]) == []
    assert kinds_of(world["private_member"]) == [NotificationKind.DEBATE]


# --- meetings ----------------------------------------------------------------------------------------


@pytest.fixture
def meeting(world, committed):
    start = timezone.now() + datetime.timedelta(days=10)
    with committed():
        made = meetings.create_meeting(
            world["coordinator"],
            world["space"],
            title="Spotkanie sieci: arkusze organizacyjne",
            mode=MeetingMode.IN_PERSON,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            venue="Urząd Gminy Bolesławiec",
            address="ul. Teatralna 1a",
        )
        meetings.register_for_meeting(world["watcher"], made)
    return made


def test_meeting_time_change_notifies_registered_people_once(world, committed, meeting, mailoutbox):
    with committed():
        meetings.update_meeting(
            world["coordinator"], meeting, starts_at=meeting.starts_at + datetime.timedelta(hours=1)
        )
    notification = Notification.objects.get(recipient=world["watcher"])
    assert notification.kind == NotificationKind.MEETING
    assert notification.params["change"] == "updated"
    assert kinds_of(world["other"]) == []
    assert len(mailoutbox) == 1  # the meetings' own e-mail; the notification adds none
    assert EmailDelivery.objects.count() == 0


def test_meeting_agenda_change_is_not_a_notification(world, committed, meeting):
    with committed():
        meetings.update_meeting(world["coordinator"], meeting, agenda="1. Arkusze\n2. Wnioski")
    assert kinds_of(world["watcher"]) == []


def test_meeting_cancellation_notifies_registered_people(world, committed, meeting):
    with committed():
        meetings.cancel_meeting(world["coordinator"], meeting, "Choroba prowadzącej")
    with committed():
        meetings.cancel_meeting(world["coordinator"], meeting, "Choroba prowadzącej")
    notification = Notification.objects.get(recipient=world["watcher"])
    assert notification.params["change"] == "cancelled"


def test_receivers_tolerate_a_new_member_without_preferences(world, committed):
    newcomer = UserFactory(first_name="Zofia", last_name="Nowa")
    with committed():
        membership.add_member(world["admin"], world["space"], newcomer, SpaceRole.PARTICIPANT, notify=False)
        forum_services.watch(newcomer, topic=Topic.objects.get(pk=world["topic"].pk))
    reply(world, committed)
    assert kinds_of(newcomer) == [NotificationKind.REPLY]
