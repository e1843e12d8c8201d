"""Digests: what is new in the person's spaces and watched topics, once per period, with an unsubscribe link."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from forums import services as forum_services
from notifications import services
from notifications.digest import build_digest, period_for, send_digests
from notifications.models import DigestFrequency, DigestRun, EmailDelivery

pytestmark = pytest.mark.django_db


def next_week():
    """A moment whose weekly period (the previous Monday–Sunday) contains today."""
    return timezone.now() + datetime.timedelta(days=7)


def this_week():
    return period_for(DigestFrequency.WEEKLY, next_week())


@pytest.fixture
def news(world, committed):
    with committed():
        visible, _is_new = forum_services.create_post(
            world["author"], world["topic"], "Nowe dane o subwencji na 2021 rok."
        )
        hidden, _is_new = forum_services.create_post(world["author"], world["topic"], "Reklama, której nikt nie chce.")
        forum_services.set_hidden(world["coordinator"], hidden, True)
        secret = forum_services.create_topic(
            world["private_member"], world["private_forum"].categories.get(), "Tajny budżet powiatu", "Poufne."
        )
    return {"visible": visible, "hidden": hidden, "secret": secret}


def texts(digest):
    return [
        (section.name, item.title, item.new_posts, item.new_topic)
        for section in digest.sections
        for item in section.topics
    ]


def test_digest_has_new_posts_of_the_persons_space(world, news):
    digest = build_digest(world["other"], *this_week())
    assert ("Sieć współpracy gmin wiejskich", "Subwencja oświatowa 2020", 1, True) in texts(digest)


def test_digest_leaves_out_a_private_space_the_person_is_not_in(world, news):
    digest = build_digest(world["other"], *this_week())
    assert all(title != "Tajny budżet powiatu" for _name, title, *_rest in texts(digest))
    member_digest = build_digest(world["watcher"], *this_week())
    assert any(title == "Tajny budżet powiatu" for _name, title, *_rest in texts(member_digest))


def test_digest_leaves_out_hidden_posts_and_the_persons_own(world, news):
    (item,) = [i for s in build_digest(world["other"], *this_week()).sections for i in s.topics]
    assert item.new_posts == 1  # the topic's first post counts as the new topic, the hidden post not at all
    own = build_digest(world["author"], *this_week())
    assert own.is_empty


def test_digest_outside_the_period_is_empty(world, news):
    start, end = this_week()
    assert build_digest(world["other"], start - datetime.timedelta(days=7), start).is_empty


def test_weekly_digest_is_sent_once_per_period_with_an_unsubscribe_link(world, news, committed, mailoutbox):
    with committed():
        send_digests(DigestFrequency.WEEKLY, now=next_week())
    mine = [m for m in mailoutbox if m.to == [world["other"].email]]
    assert len(mine) == 1
    message = mine[0]
    assert "Subwencja oświatowa 2020" in message.body
    assert "Tajny budżet powiatu" not in message.body
    assert "Reklama" not in message.body
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    with committed():
        send_digests(DigestFrequency.WEEKLY, now=next_week())
    assert len([m for m in mailoutbox if m.to == [world["other"].email]]) == 1
    assert DigestRun.objects.filter(user=world["other"]).count() == 1


def test_digest_unsubscribe_link_stops_digests(client, world, news, committed, mailoutbox):
    with committed():
        send_digests(DigestFrequency.WEEKLY, now=next_week())
    message = next(m for m in mailoutbox if m.to == [world["other"].email])
    path = re.search(r"http://testserver(/powiadomienia/wypisz/[^/\s]+/)", message.body).group(1)
    client.post(path)
    assert services.get_preferences(world["other"]).digest == DigestFrequency.NONE


def test_nothing_new_sends_no_digest(world, committed, mailoutbox):
    with committed():
        send_digests(DigestFrequency.WEEKLY, now=next_week() + datetime.timedelta(days=14))
    assert mailoutbox == []
    assert EmailDelivery.objects.count() == 0


def test_daily_digest_only_for_people_who_chose_it(world, news, committed, mailoutbox):
    services.update_preferences(world["other"], digest=DigestFrequency.DAILY)
    services.update_preferences(world["coordinator"], digest=DigestFrequency.NONE)
    with committed():
        send_digests(DigestFrequency.DAILY, now=timezone.now() + datetime.timedelta(days=1))
    assert [m.to for m in mailoutbox] == [[world["other"].email]]


def test_digest_lists_meeting_changes_the_person_was_told_of(world, news, committed):
    services.notify(
        "meeting",
        [world["other"].pk],
        "meeting:x",
        title="Spotkanie sieci",
        url="/",
        params={"meeting_id": 0, "change": "cancelled", "space_name": "Sieć współpracy gmin wiejskich"},
    )
    # A meeting that no longer exists is not readable: it is left out.
    digest = build_digest(world["other"], *this_week())
    assert all(not s.events for s in digest.sections)


def test_send_digests_command(world, news, committed, mailoutbox):
    with committed():
        call_command("send_digests", "weekly", stdout=io.StringIO())
    # The period that has just ended does not contain today's posts: nothing is sent yet, but the run is recorded.
    assert mailoutbox == []
    assert DigestRun.objects.filter(frequency="weekly").exists()


def test_digest_lists_a_change_of_the_persons_meeting(world, committed):
    from exchange_groups.meetings import services as meetings
    from exchange_groups.models import MeetingMode

    start = timezone.now() + datetime.timedelta(days=10)
    with committed():
        meeting = meetings.create_meeting(
            world["coordinator"],
            world["space"],
            title="Spotkanie sieci: arkusze organizacyjne",
            mode=MeetingMode.IN_PERSON,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            venue="Urząd Gminy",
            address="ul. Teatralna 1a",
        )
        meetings.register_for_meeting(world["other"], meeting)
    with committed():
        meetings.cancel_meeting(world["coordinator"], meeting, "Choroba prowadzącej")
    digest = build_digest(world["other"], *this_week())
    events = [event for section in digest.sections for event in section.events]
    assert len(events) == 1
    assert "Spotkanie sieci: arkusze organizacyjne" in events[0]
    assert meeting.get_absolute_url() in events[0]
