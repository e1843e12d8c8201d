"""Demo meetings: realistic, made through the services, idempotent, with the demo participant waiting."""

import pytest

from exchange_groups import demo
from exchange_groups.demo.meetings import FULL_MEETING_SLUG, load_demo_meetings
from exchange_groups.models import Attendance, Meeting, MeetingMode, Registration, RegistrationStatus


@pytest.fixture
def demo_world(registry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = demo.load()
        load_demo_meetings(world["users"], world["spaces"])
    return world


def test_demo_meetings_give_each_network_a_past_an_in_person_and_an_online_meeting(demo_world):
    for slug in ("siec-gminy-wiejskie", "siec-gminy-miejsko-wiejskie", "siec-gminy-miejskie-i-powiaty"):
        meetings = Meeting.objects.filter(space__slug=slug)
        assert meetings.count() == 3
        past = [m for m in meetings if m.has_ended()]
        assert len(past) == 1
        assert past[0].minutes
        assert past[0].materials.exists()
        assert Registration.objects.filter(meeting=past[0]).exclude(attendance=Attendance.UNKNOWN).exists()
        assert meetings.filter(mode=MeetingMode.ONLINE, starts_at__gt=past[0].ends_at).count() == 1


def test_demo_meetings_put_the_demo_participant_on_a_waiting_list(demo_world):
    uczestnik = demo_world["users"]["uczestnik"]
    registration = Registration.objects.get(
        user=uczestnik, meeting__space__slug=FULL_MEETING_SLUG, status=RegistrationStatus.WAITING
    )
    meeting = registration.meeting
    assert Registration.objects.registered().filter(meeting=meeting).count() == meeting.capacity
    assert registration.waiting_position() == 1


def test_demo_meetings_load_twice_changes_nothing(demo_world):
    before = (Meeting.objects.count(), Registration.objects.count())
    load_demo_meetings(demo_world["users"], demo_world["spaces"])
    assert (Meeting.objects.count(), Registration.objects.count()) == before
