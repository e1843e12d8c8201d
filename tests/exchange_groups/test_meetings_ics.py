"""Calendar files: the .ics of one meeting and the personal feed (secret, revocable), parsed back with the
icalendar library as a calendar app would read them."""

import datetime
import re

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from exchange_groups.meetings import calendars, services
from exchange_groups.models import CalendarFeed, MeetingMode
from tests.exchange_groups.meetings_helpers import add_members, in_days, make_meeting, make_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    space, coordinator, admin = make_space(name="Grupa Wymiany Doświadczeń: powiaty", slug="gwd-powiaty")
    (member,) = add_members(admin, space, 1)
    return {"space": space, "coordinator": coordinator, "admin": admin, "member": member}


def _events(content: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert "PRODID" in calendar
    return list(calendar.walk("VEVENT"))


def _ics_url(meeting) -> str:
    return reverse("exchange_groups:meeting_ics", kwargs={"slug": meeting.space.slug, "pk": meeting.pk})


def test_meeting_ics_is_a_calendar_attachment_with_times_in_warsaw(world):
    meeting = make_meeting(world["coordinator"], world["space"], starts_at=in_days(20, 10), ends_at=in_days(20, 14))
    client = Client()
    client.force_login(world["member"])
    response = client.get(_ics_url(meeting))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment")
    (event,) = _events(response.content)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@oswiata-jst"
    start = event.decoded("DTSTART")
    assert start == meeting.starts_at
    assert str(start.tzinfo) == "Europe/Warsaw"
    assert (start.hour, event.decoded("DTEND").hour) == (10, 14)
    assert event.decoded("DTEND") == meeting.ends_at
    assert str(event["SUMMARY"]) == meeting.title
    assert meeting.venue in str(event["LOCATION"])
    assert str(event["URL"]).endswith(meeting.get_absolute_url())
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"


def test_meeting_ics_carries_a_vtimezone_for_warsaw(world):
    meeting = make_meeting(world["coordinator"], world["space"])
    calendar = icalendar.Calendar.from_ical(calendars.ics_for_meeting(meeting))
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/Warsaw"]


def test_meeting_ics_of_a_changed_then_cancelled_meeting_raises_sequence_and_says_cancelled(world):
    meeting = make_meeting(world["coordinator"], world["space"])
    services.update_meeting(world["coordinator"], meeting, starts_at=in_days(14, 9))
    meeting = services.cancel_meeting(world["coordinator"], meeting, "Brak sali")
    (event,) = _events(calendars.ics_for_meeting(meeting))
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2
    assert str(event["UID"]) == f"meeting-{meeting.pk}@oswiata-jst"


def test_meeting_ics_of_an_online_meeting_points_to_the_page_not_the_link(world):
    meeting = make_meeting(
        world["coordinator"], world["space"], mode=MeetingMode.ONLINE, online_link="https://meet.example.pl/tajne"
    )
    services.register_for_meeting(world["member"], meeting)
    content = calendars.ics_for_meeting(meeting, world["member"])
    (event,) = _events(content)
    assert b"meet.example.pl" not in content
    assert meeting.get_absolute_url() in str(event["DESCRIPTION"])


def test_meeting_ics_keeps_a_polish_title_intact(world):
    meeting = make_meeting(world["coordinator"], world["space"], title="Żółć: subwencja oświatowa w gminach ąęśćńź")
    (event,) = _events(calendars.ics_for_meeting(meeting))
    assert str(event["SUMMARY"]) == "Żółć: subwencja oświatowa w gminach ąęśćńź"


# --- the personal feed -------------------------------------------------------------------------------


def _create_feed_through_the_page(client) -> str:
    response = client.post(reverse("exchange_groups:calendar_feed_create"), follow=True)
    match = re.search(r'value="(http[^"]+/kalendarz/[^"]+\.ics)"', response.content.decode())
    assert match, "the new calendar address is shown after it is created"
    return match.group(1)


def test_calendar_feed_lists_registered_and_waiting_meetings_only(world):
    registered = make_meeting(world["coordinator"], world["space"], title="Zapisany")
    waiting = make_meeting(world["coordinator"], world["space"], title="Rezerwowa", capacity=1)
    withdrawn = make_meeting(world["coordinator"], world["space"], title="Wycofany")
    make_meeting(world["coordinator"], world["space"], title="Niezapisany")
    services.register_for_meeting(world["member"], registered)
    services.register_for_meeting(world["coordinator"], waiting)
    services.register_for_meeting(world["member"], waiting)
    services.register_for_meeting(world["member"], withdrawn)
    services.cancel_registration(world["member"], withdrawn)
    client = Client()
    client.force_login(world["member"])
    url = _create_feed_through_the_page(client)
    response = Client().get(url)  # a calendar app: no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    summaries = sorted(str(event["SUMMARY"]) for event in _events(response.content))
    assert summaries == ["Rezerwowa", "Zapisany"]


def test_calendar_feed_address_is_shown_only_once(world):
    client = Client()
    client.force_login(world["member"])
    url = _create_feed_through_the_page(client)
    again = client.get(reverse("exchange_groups:my_meetings")).content.decode()
    assert url not in again
    assert CalendarFeed.objects.get(user=world["member"]).token_hash not in url


def test_calendar_feed_revoked_answers_404(world):
    client = Client()
    client.force_login(world["member"])
    url = _create_feed_through_the_page(client)
    assert client.post(reverse("exchange_groups:calendar_feed_revoke")).status_code == 302
    assert Client().get(url).status_code == 404


def test_calendar_feed_new_address_stops_the_old_one(world):
    client = Client()
    client.force_login(world["member"])
    old = _create_feed_through_the_page(client)
    new = _create_feed_through_the_page(client)
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=world["member"], revoked_at__isnull=True).count() == 1


def test_calendar_feed_unknown_token_answers_404(world):
    url = reverse("exchange_groups:calendar_feed", kwargs={"token": "x" * 43})
    assert Client().get(url).status_code == 404


def test_calendar_feed_create_needs_post(world):
    client = Client()
    client.force_login(world["member"])
    assert client.get(reverse("exchange_groups:calendar_feed_create")).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_calendar_feed_of_a_deactivated_account_answers_404(world):
    _feed, token = calendars.create_calendar_feed(world["member"])
    world["member"].is_active = False
    world["member"].save()
    assert Client().get(reverse("exchange_groups:calendar_feed", kwargs={"token": token})).status_code == 404


def test_calendar_feed_includes_a_cancelled_meeting_as_cancelled(world):
    meeting = make_meeting(world["coordinator"], world["space"], title="Odwołane")
    services.register_for_meeting(world["member"], meeting)
    services.cancel_meeting(world["coordinator"], meeting)
    (event,) = _events(calendars.ics_feed(world["member"]))
    assert str(event["STATUS"]) == "CANCELLED"


def test_calendar_feed_leaves_out_meetings_older_than_a_year(world):
    meeting = make_meeting(world["coordinator"], world["space"], title="Dawne")
    services.register_for_meeting(world["member"], meeting)
    later = meeting.ends_at + datetime.timedelta(days=calendars.FEED_PAST_DAYS + 1)
    assert _events(calendars.ics_feed(world["member"], now=later)) == []
