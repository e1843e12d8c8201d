"""Simultaneous registrations against PostgreSQL: capacity is never exceeded, nobody is registered twice,
and the waiting list keeps consecutive positions. Threads start together at a barrier, each with its own
database connection (as separate web workers would).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
     .venv/bin/pytest tests/exchange_groups/test_meetings_concurrency.py
"""

import pytest

from exchange_groups.meetings import services
from exchange_groups.models import Registration, RegistrationStatus
from tests.concurrency import run_concurrently
from tests.exchange_groups.meetings_helpers import add_members, make_meeting, make_space

# transaction=True: the threads' connections must see committed rows. (serialized_rollback=True was tried:
# restoring the serialized data collides with content types Wagtail recreates meanwhile.) pytest-django runs
# transactional tests after the others, so the flush after each test does not starve them of migration data.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*calls):
    """Run the calls at the same moment; return each one's result (none may raise)."""
    outcomes = run_concurrently(lambda index: calls[index](), len(calls))
    assert not outcomes.errors, outcomes.errors
    return outcomes


def _waiting_positions(meeting) -> list[int]:
    return sorted(r.waiting_position() for r in Registration.objects.waiting().filter(meeting=meeting))


def test_simultaneous_registrations_fill_capacity_exactly_and_queue_the_rest():
    space, coordinator, admin = make_space()
    people = add_members(admin, space, 12)
    meeting = make_meeting(coordinator, space, capacity=5)

    results = _race(*[lambda person=person: services.register_for_meeting(person, meeting) for person in people])

    assert sorted(result.status for result in results).count(RegistrationStatus.REGISTERED) == 5
    assert Registration.objects.registered().filter(meeting=meeting).count() == 5
    assert Registration.objects.waiting().filter(meeting=meeting).count() == 7
    assert _waiting_positions(meeting) == [1, 2, 3, 4, 5, 6, 7]
    assert sorted(result.position for result in results if result.is_waiting) == [1, 2, 3, 4, 5, 6, 7]
    assert Registration.objects.filter(meeting=meeting).values("user").distinct().count() == 12


def test_simultaneous_double_submit_of_one_person_registers_them_once():
    space, coordinator, admin = make_space()
    (person,) = add_members(admin, space, 1)
    meeting = make_meeting(coordinator, space, capacity=5)

    results = _race(*[lambda: services.register_for_meeting(person, meeting) for _ in range(4)])

    assert len({result.pk for result in results}) == 1
    assert Registration.objects.filter(meeting=meeting, user=person).count() == 1
    assert Registration.objects.registered().filter(meeting=meeting).count() == 1


def test_simultaneous_withdrawals_and_registrations_never_exceed_capacity():
    space, coordinator, admin = make_space()
    people = add_members(admin, space, 12)
    meeting = make_meeting(coordinator, space, capacity=3)
    early, late = people[:6], people[6:]
    for person in early:  # 3 registered, 3 waiting
        services.register_for_meeting(person, meeting)

    calls = [lambda person=person: services.cancel_registration(person, meeting) for person in early[:3]]
    calls += [lambda person=person: services.register_for_meeting(person, meeting) for person in late]
    _race(*calls)

    registered = Registration.objects.registered().filter(meeting=meeting)
    assert registered.count() == 3
    # The people who waited first got the freed places, whoever registered at the same moment.
    assert set(registered.values_list("user_id", flat=True)) == {person.pk for person in early[3:]}
    assert _waiting_positions(meeting) == [1, 2, 3, 4, 5, 6]
