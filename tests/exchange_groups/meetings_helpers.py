"""Shared builders of the meetings tests (data made through the services)."""

import datetime

from django.utils import timezone

from exchange_groups.meetings import services
from exchange_groups.models import MeetingMode, SpaceRole
from exchange_groups.spaces import services as membership
from tests.factories import SpaceFactory, UserFactory


def in_days(days: float, hour: int = 10) -> datetime.datetime:
    """An aware time `days` from now at `hour`:00 Warsaw time (whole days keep the hour)."""
    from exchange_groups.models import meeting_time_zone

    local = timezone.localtime(timezone.now(), meeting_time_zone()) + datetime.timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def make_space(**kwargs):
    admin = UserFactory(is_superuser=True)
    space = SpaceFactory(**kwargs)
    coordinator = UserFactory(first_name="Małgorzata", last_name="Zielińska")
    membership.add_member(admin, space, coordinator, SpaceRole.COORDINATOR, notify=False)
    return space, coordinator, admin


def add_members(admin, space, count: int, **factory_kwargs):
    people = []
    for _ in range(count):
        person = UserFactory(**factory_kwargs)
        membership.add_member(admin, space, person, SpaceRole.PARTICIPANT, notify=False)
        people.append(person)
    return people


def make_meeting(coordinator, space, **overrides):
    fields = {
        "title": "Planowanie sieci szkół w gminie wiejskiej",
        "mode": MeetingMode.IN_PERSON,
        "starts_at": in_days(14, 10),
        "ends_at": in_days(14, 14),
        "venue": "Urząd Gminy Bolesławiec, sala konferencyjna",
        "address": "ul. Teatralna 1a, 59-700 Bolesławiec",
        "agenda": "1. Diagnoza potrzeb\n2. Prognoza demograficzna",
        "capacity": None,
        "registration_deadline": None,
        "link_visible_minutes_before": 60,
    }
    if overrides.get("mode") == MeetingMode.ONLINE:
        fields.update(venue="", address="", online_link="https://spotkania.example.pl/j/123456")
    fields.update(overrides)
    return services.create_meeting(coordinator, space, **fields)
