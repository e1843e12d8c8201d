"""The suite's own shared helpers do what their names promise: the personas (tests/world.py, tests/conftest.py) have
exactly the rights their names say, and `run_concurrently` starts its calls together and reports each outcome."""

import threading
import time

import pytest

from exchange_groups.models import Membership, SpaceRole, SpaceVisibility
from exchange_groups.spaces.permissions import is_member, role_in
from tests.concurrency import run_concurrently

ROLES = [SpaceRole.PARTICIPANT, SpaceRole.MODERATOR, SpaceRole.COORDINATOR]


@pytest.mark.django_db
def test_personas_have_the_roles_their_names_say(
    anonymous, plain_user, member, moderator, outsider, coordinator, administrator, space
):
    assert not anonymous.is_authenticated
    assert [role_in(person, space) for person in (member, moderator, coordinator)] == ROLES
    assert not is_member(plain_user, space)
    assert not Membership.objects.filter(user=plain_user).exists()
    assert not is_member(outsider, space)
    assert Membership.objects.filter(user=outsider, role=SpaceRole.COORDINATOR).exists()
    assert administrator.is_superuser and not coordinator.is_superuser


@pytest.mark.django_db
def test_private_space_is_private_and_holds_the_same_people(private_space, member, moderator, coordinator, outsider):
    assert private_space.visibility == SpaceVisibility.PRIVATE
    assert [role_in(person, private_space) for person in (member, moderator, coordinator)] == ROLES
    assert not is_member(outsider, private_space)


@pytest.mark.django_db
def test_topic_meeting_and_course_belong_to_the_personas(topic, meeting, course, member, coordinator, space):
    assert topic.posts.get().author == member
    assert topic.category.forum.space == space
    assert (meeting.space, meeting.created_by) == (space, coordinator)
    assert course.live and course.get_children().count() == 1


def test_run_concurrently_returns_what_each_call_returned_or_raised_in_call_order():
    def call(index):
        if index == 1:
            raise ValueError("refused")
        return index * 10

    outcomes = run_concurrently(call, 3)

    assert outcomes[0] == 0 and outcomes[2] == 20
    assert isinstance(outcomes[1], ValueError)
    assert outcomes.results == [0, 20]
    assert [str(error) for error in outcomes.errors] == ["refused"]


def test_run_concurrently_starts_the_calls_together():
    started = []

    def call(index):
        started.append(time.monotonic())
        time.sleep(0.2)

    run_concurrently(call, 4)

    assert max(started) - min(started) < 0.15  # released by one barrier, not one after another


def test_run_concurrently_fails_when_a_call_never_returns():
    release = threading.Event()
    try:
        with pytest.raises(AssertionError, match="still running"):
            run_concurrently(lambda index: release.wait(5) if index == 0 else None, 2, timeout=0.5)
    finally:
        release.set()
