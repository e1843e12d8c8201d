"""Nothing a person may no longer read reaches them through the notifications: a digest built after they left
(or were removed from) a space, a notification made while they were a member, and an e-mail queued while they
were a member but sent after they left. The forums' read predicates decide (a sanction does not stop reading,
so it does not stop the digest either)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange_groups.meetings import services as meetings
from exchange_groups.models import MeetingMode, Membership
from exchange_groups.spaces import services as membership
from forums import moderation
from forums import services as forum_services
from notifications import services
from notifications.digest import build_digest, period_for, send_digest, send_digests
from notifications.models import DeliveryStatus, DigestFrequency, EmailDelivery, Notification, NotificationKind
from notifications.tasks import send_email_delivery

pytestmark = pytest.mark.django_db

SECRET_TOPIC = "Tajny budżet powiatu"
SECRET_TEXT = "Poufne dane o wynagrodzeniach nauczycieli."


def this_week():
    return period_for(DigestFrequency.WEEKLY, timezone.now() + datetime.timedelta(days=7))


def titles(digest) -> list[str]:
    return [item.title for section in digest.sections for item in section.topics]


def events(digest) -> list[str]:
    return [event for section in digest.sections for event in section.events]


@pytest.fixture
def secret(world, committed):
    """A topic of the private space that the watcher (a member of it) watches, with a new reply."""
    with committed():
        topic = forum_services.create_topic(
            world["private_member"], world["private_forum"].categories.get(), SECRET_TOPIC, "Pierwszy wpis."
        )
        forum_services.watch(world["watcher"], topic=topic)
        reply, _is_new = forum_services.create_post(world["private_member"], topic, SECRET_TEXT)
    return {"topic": topic, "reply": reply}


def leave_private(world, committed):
    with committed():
        membership.leave_space(world["watcher"], world["private"])


# --- digests -----------------------------------------------------------------------------------------


def test_digest_of_a_member_lists_the_watched_private_topic(world, secret):
    assert SECRET_TOPIC in titles(build_digest(world["watcher"], *this_week()))


def test_digest_after_leaving_a_private_space_leaves_out_its_watched_topics(world, secret, committed):
    leave_private(world, committed)
    digest = build_digest(world["watcher"], *this_week())
    assert SECRET_TOPIC not in titles(digest)
    assert "Grupa powiatowa" not in [section.name for section in digest.sections]


def test_digest_after_leaving_a_public_space_leaves_out_its_watched_topics(world, committed):
    with committed():
        forum_services.create_post(world["author"], world["topic"], "Nowa odpowiedź w obserwowanym wątku.")
        membership.leave_space(world["watcher"], world["space"])
    assert "Subwencja oświatowa 2020" not in titles(build_digest(world["watcher"], *this_week()))


def test_digest_after_being_removed_leaves_out_a_watched_category(world, committed):
    category = world["private_forum"].categories.get()
    with committed():
        forum_services.watch(world["watcher"], category=category)
        forum_services.create_topic(world["private_member"], category, "Arkusze organizacyjne", "Terminy.")
    assert "Arkusze organizacyjne" in titles(build_digest(world["watcher"], *this_week()))
    with committed():
        membership.remove_member(
            world["admin"], Membership.objects.get(space=world["private"], user=world["watcher"]), "Koniec kadencji"
        )
    assert "Arkusze organizacyjne" not in titles(build_digest(world["watcher"], *this_week()))


def test_digest_leaves_out_a_deleted_watched_topic(world, secret, committed):
    with committed():
        moderation.delete_topic(world["admin"], secret["topic"], "Dane osobowe")
    assert SECRET_TOPIC not in titles(build_digest(world["watcher"], *this_week()))


def test_digest_leaves_out_meeting_and_debate_news_of_a_space_the_person_left(world, secret, committed):
    start = timezone.now() + datetime.timedelta(days=10)
    with committed():
        meeting = meetings.create_meeting(
            world["admin"],
            world["private"],
            title="Poufne spotkanie powiatu",
            mode=MeetingMode.IN_PERSON,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            venue="Starostwo",
            address="ul. Główna 1",
        )
        meetings.register_for_meeting(world["watcher"], meeting)
    with committed():
        meetings.cancel_meeting(world["admin"], meeting, "Zmiana terminu")
    services.notify(
        NotificationKind.DEBATE,
        [world["watcher"].pk],
        "debate:test:open",
        title="Debata o sieci szkół powiatu",
        url=secret["topic"].get_absolute_url(),
        params={"topic_id": secret["topic"].pk, "space_name": "Grupa powiatowa"},
    )
    assert len(events(build_digest(world["watcher"], *this_week()))) == 2
    leave_private(world, committed)
    texts = " ".join(events(build_digest(world["watcher"], *this_week())))
    assert "Poufne spotkanie powiatu" not in texts
    assert "Debata o sieci szkół powiatu" not in texts


def test_weekly_digest_e_mail_after_leaving_has_nothing_of_the_space(world, secret, committed, mailoutbox):
    leave_private(world, committed)
    with committed():
        send_digests(DigestFrequency.WEEKLY, now=timezone.now() + datetime.timedelta(days=7))
    for message in mailoutbox:
        assert SECRET_TOPIC not in message.body
        assert "Grupa powiatowa" not in message.body


def test_digest_queued_before_leaving_and_sent_after_leaves_out_the_space(
    world, secret, committed, django_capture_on_commit_callbacks, mailoutbox
):
    services.update_preferences(world["watcher"], digest=DigestFrequency.WEEKLY)
    with committed():
        forum_services.create_post(world["author"], world["topic"], "Wpis w sieci publicznej.")
    start, end = this_week()
    with django_capture_on_commit_callbacks(execute=False):  # queued, but the worker has not run yet
        assert send_digest(world["watcher"], DigestFrequency.WEEKLY, start, end)
    delivery = EmailDelivery.objects.get(recipient=world["watcher"], kind="digest")
    assert SECRET_TOPIC in delivery.body
    leave_private(world, committed)
    send_email_delivery.call(delivery.pk)
    (message,) = [m for m in mailoutbox if m.to == [world["watcher"].email]]
    assert SECRET_TOPIC not in message.body
    assert "Subwencja oświatowa 2020" in message.body
    assert message.extra_headers["List-Unsubscribe"].strip("<>") in message.body
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert SECRET_TOPIC not in delivery.body


def test_digest_queued_before_leaving_with_nothing_left_is_not_sent(
    world, secret, committed, django_capture_on_commit_callbacks, mailoutbox
):
    with committed():
        membership.leave_space(world["watcher"], world["space"])  # the private space is all their digest has
    start, end = this_week()
    with django_capture_on_commit_callbacks(execute=False):
        assert send_digest(world["watcher"], DigestFrequency.WEEKLY, start, end)
    delivery = EmailDelivery.objects.get(recipient=world["watcher"], kind="digest")
    leave_private(world, committed)
    assert send_email_delivery.call(delivery.pk) == "skipped"
    assert mailoutbox == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SKIPPED


# --- mention e-mails ---------------------------------------------------------------------------------


def test_mention_e_mail_queued_before_leaving_is_not_sent_after(
    world, committed, django_capture_on_commit_callbacks, mailoutbox
):
    from forums.mentions import handle_of

    handle = handle_of(world["watcher"])
    with committed():
        topic = forum_services.create_topic(
            world["private_member"], world["private_forum"].categories.get(), SECRET_TOPIC, "Start."
        )
    with django_capture_on_commit_callbacks(execute=False) as pending:
        forum_services.create_post(world["private_member"], topic, f"@{handle} {SECRET_TEXT}")
    for callback in pending:  # the post is announced; the e-mail task is only queued
        with django_capture_on_commit_callbacks(execute=False):
            callback()
    delivery = EmailDelivery.objects.get(recipient=world["watcher"], kind="mention")
    leave_private(world, committed)
    assert send_email_delivery.call(delivery.pk) == "skipped"
    assert mailoutbox == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SKIPPED


def test_mention_e_mail_of_a_member_is_sent(world, committed, mailoutbox):
    from forums.mentions import handle_of

    with committed():
        topic = forum_services.create_topic(
            world["private_member"], world["private_forum"].categories.get(), SECRET_TOPIC, "Start."
        )
    with committed():
        forum_services.create_post(world["private_member"], topic, f"@{handle_of(world['watcher'])} spójrz")
    assert [m.to for m in mailoutbox] == [[world["watcher"].email]]
    assert EmailDelivery.objects.get(recipient=world["watcher"]).status == DeliveryStatus.SENT


def test_mention_e_mail_of_a_post_hidden_before_sending_is_not_sent(
    world, committed, django_capture_on_commit_callbacks, mailoutbox
):
    from forums.mentions import handle_of

    with django_capture_on_commit_callbacks(execute=False) as pending:
        post, _is_new = forum_services.create_post(
            world["author"], world["topic"], f"@{handle_of(world['other'])} obraźliwe"
        )
    for callback in pending:
        with django_capture_on_commit_callbacks(execute=False):
            callback()
    delivery = EmailDelivery.objects.get(recipient=world["other"], kind="mention")
    with committed():
        forum_services.set_hidden(world["coordinator"], post, True)
    assert send_email_delivery.call(delivery.pk) == "skipped"
    assert mailoutbox == []


# --- the notification pages --------------------------------------------------------------------------


@pytest.fixture
def secret_notification(world, secret):
    return Notification.objects.get(recipient=world["watcher"], dedupe_key=f"post:{secret['reply'].pk}:reply")


def test_member_sees_the_private_reply_notification(client, world, secret_notification):
    client.force_login(world["watcher"])
    assert SECRET_TOPIC in client.get(reverse("notifications:list")).content.decode()


def test_notification_of_a_private_space_the_person_left_shows_no_title_or_link(
    client, world, secret, secret_notification, committed
):
    leave_private(world, committed)
    client.force_login(world["watcher"])
    for url in (reverse("notifications:list"), reverse("notifications:detail", args=[secret_notification.pk])):
        content = client.get(url).content.decode()
        assert "Content unavailable" in content, url
        assert SECRET_TOPIC not in content, url
        assert SECRET_TEXT not in content, url
        assert "Grupa powiatowa" not in content, url
        assert secret["reply"].get_absolute_url() not in content, url
    response = client.post(reverse("notifications:open", args=[secret_notification.pk]))
    assert response["Location"] == reverse("notifications:detail", args=[secret_notification.pk])


def test_moderation_notification_about_a_private_space_the_person_left_is_neutral(client, world, secret, committed):
    with committed():
        own, _is_new = forum_services.create_post(world["watcher"], secret["topic"], "Mój wpis w grupie powiatowej.")
        moderation.hide_post(world["admin"], own, "Nie na temat")
    notification = Notification.objects.get(recipient=world["watcher"], kind=NotificationKind.MODERATION)
    client.force_login(world["watcher"])
    assert SECRET_TOPIC in client.get(reverse("notifications:list")).content.decode()
    leave_private(world, committed)
    content = client.get(reverse("notifications:detail", args=[notification.pk])).content.decode()
    assert "Content unavailable" in content
    assert SECRET_TOPIC not in content
    assert "Nie na temat" not in content


def test_sanctioned_member_still_reads_so_the_digest_keeps_the_space(world, secret, committed):
    from forums.models import SanctionKind

    with committed():
        moderation.sanction_member(
            world["admin"],
            world["private_forum"],
            world["watcher"],
            SanctionKind.SILENCE,
            "Wpisy nie na temat",
            timezone.now() + datetime.timedelta(days=3),
        )
    assert SECRET_TOPIC in titles(build_digest(world["watcher"], *this_week()))
