"""The notifications demo: unread notifications of several kinds for the demo participant, loaded idempotently."""

import datetime

import pytest
from django.utils import timezone

from exchange_groups.meetings import services as meetings
from exchange_groups.models import MeetingMode
from forums import services as forum_services
from forums.mentions import handle_of
from notifications import demo, services
from notifications.models import DigestFrequency, Notification, NotificationKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(world, committed):
    participant, leader = world["author"], world["coordinator"]
    participant.email, leader.email = demo.PARTICIPANT, demo.DAILY_DIGEST
    participant.save(update_fields=["email"])
    leader.save(update_fields=["email"])
    start = timezone.now() + datetime.timedelta(days=10)
    with committed():
        forum_services.create_post(world["other"], world["topic"], "Odpowiedź w obserwowanym wątku.")
        forum_services.create_post(world["watcher"], world["topic"], f"@{handle_of(participant)} co Pani sądzi?")
        meeting = meetings.create_meeting(
            leader,
            world["space"],
            title="Spotkanie sieci: subwencja 2021",
            mode=MeetingMode.ONLINE,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            online_link="https://spotkania.example.pl/siec",
        )
        meetings.register_for_meeting(participant, meeting)
    Notification.objects.all().delete()
    return world


def test_demo_gives_the_participant_unread_notifications_of_several_kinds(demo_world):
    demo.load()
    kinds = set(
        Notification.objects.filter(recipient=demo_world["author"], read_at__isnull=True).values_list("kind", flat=True)
    )
    assert kinds == {NotificationKind.REPLY, NotificationKind.MENTION, NotificationKind.MEETING}
    assert services.get_preferences(demo_world["coordinator"]).digest == DigestFrequency.DAILY


def test_demo_loaded_twice_adds_nothing(demo_world):
    demo.load()
    count = Notification.objects.count()
    demo.load()
    assert Notification.objects.count() == count == 3
