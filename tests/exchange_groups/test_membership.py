"""Membership services: requests, invitations, direct adding, roles, leaving, removal, history and hooks."""

import datetime
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from exchange_groups.accounts.realtime import CLOSE_FORBIDDEN, user_group_name
from exchange_groups.models import (
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipEvent,
    MembershipEventKind,
    SpaceRole,
    SpaceStatus,
    SpaceVisibility,
)
from exchange_groups.spaces import services
from exchange_groups.spaces.permissions import is_member, role_in
from exchange_groups.spaces.signals import membership_changed
from tests.concurrency import run_concurrently
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db


# `administrator`, `space` (public, taking requests) and its `coordinator`: the shared personas (tests/conftest.py).


@pytest.fixture
def person():
    """Someone about to join `space`."""
    return UserFactory(email="anna.nowak@gmina.example.pl", first_name="Anna", last_name="Nowak")


@pytest.fixture
def membership(administrator, space, person):
    """The person's participation in `space`."""
    return services.add_member(administrator, space, person, SpaceRole.PARTICIPANT, notify=False)


@pytest.fixture
def receiver():
    calls = []

    def record(sender, **kwargs):
        calls.append(kwargs)

    membership_changed.connect(record)
    yield calls
    membership_changed.disconnect(record)


def _token_from(mail) -> str:
    line = next(line for line in mail.body.splitlines() if "/zaproszenie/" in line)
    return line.strip().rstrip("/").rsplit("/", 1)[1]


# --- requests to join ------------------------------------------------------------------------------


def test_request_to_join_waits_for_a_decision(space, person):
    join_request = services.request_to_join(person, space, "Reprezentuję gminę Dwikozy.")
    assert join_request.status == JoinRequestStatus.PENDING
    assert not is_member(person, space)
    assert MembershipEvent.objects.filter(space=space, user=person, kind=MembershipEventKind.REQUESTED).count() == 1


def test_request_to_join_twice_keeps_one_request(space, person):
    first = services.request_to_join(person, space)
    second = services.request_to_join(person, space)
    assert first.pk == second.pk
    assert JoinRequest.objects.filter(space=space, user=person).count() == 1


def test_request_to_join_refused_when_space_is_closed(person):
    closed = SpaceFactory(status=SpaceStatus.CLOSED)
    with pytest.raises(services.MembershipError) as error:
        services.request_to_join(person, closed)
    assert error.value.code == "not_recruiting"
    assert not JoinRequest.objects.exists()


def test_request_to_join_refused_for_a_member(space, membership, person):
    with pytest.raises(services.MembershipError) as error:
        services.request_to_join(person, space)
    assert error.value.code == "already_member"


def test_request_to_join_private_space_refused_for_non_member(person):
    private = SpaceFactory(visibility=SpaceVisibility.PRIVATE)
    with pytest.raises(PermissionDenied):
        services.request_to_join(person, private)
    assert not JoinRequest.objects.exists()


def test_accept_join_request_makes_a_participant(space, coordinator, person):
    join_request = services.request_to_join(person, space)
    services.accept_join_request(coordinator, join_request)
    assert role_in(person, space) == SpaceRole.PARTICIPANT
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.ACCEPTED
    assert join_request.decided_by == coordinator


def test_accept_join_request_twice_creates_one_membership(space, coordinator, person):
    join_request = services.request_to_join(person, space)
    first = services.accept_join_request(coordinator, join_request)
    second = services.accept_join_request(coordinator, join_request)
    assert first.pk == second.pk
    assert Membership.objects.filter(space=space, user=person).count() == 1
    assert MembershipEvent.objects.filter(kind=MembershipEventKind.REQUEST_ACCEPTED).count() == 1


def test_accept_join_request_denied_to_a_participant(space, membership, person):
    other = UserFactory()
    join_request = services.request_to_join(other, space)
    with pytest.raises(PermissionDenied):
        services.accept_join_request(person, join_request)
    assert not is_member(other, space)


def test_accept_join_request_denied_to_coordinator_of_another_space(administrator, space, person):
    other_space = SpaceFactory()
    other_coordinator = UserFactory()
    services.add_member(administrator, other_space, other_coordinator, SpaceRole.COORDINATOR, notify=False)
    join_request = services.request_to_join(person, space)
    with pytest.raises(PermissionDenied):
        services.accept_join_request(other_coordinator, join_request)


def test_accept_join_request_allowed_to_administrator_group(space, person):
    site_admin = UserFactory()
    site_admin.groups.add(Group.objects.get_or_create(name="Administrator")[0])
    join_request = services.request_to_join(person, space)
    services.accept_join_request(site_admin, join_request)
    assert is_member(person, space)


def test_accept_join_request_emails_the_person(
    space, coordinator, person, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EXCHANGE_GROUPS_EMAIL_LANGUAGE = "en"
    join_request = services.request_to_join(person, space)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_join_request(coordinator, join_request)
    assert [mail.to for mail in mailoutbox] == [[person.email]]
    assert mailoutbox[0].subject == "Your request to join “Sieć współpracy: gminy wiejskie” has been accepted"
    assert space.get_absolute_url() in mailoutbox[0].body


def test_decline_join_request_requires_a_reason(space, coordinator, person):
    join_request = services.request_to_join(person, space)
    with pytest.raises(services.MembershipError) as error:
        services.decline_join_request(coordinator, join_request, "   ")
    assert error.value.code == "reason_required"
    join_request.refresh_from_db()
    assert join_request.is_pending


def test_decline_join_request_emails_the_reason(
    space, coordinator, person, mailoutbox, django_capture_on_commit_callbacks
):
    join_request = services.request_to_join(person, space)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_join_request(coordinator, join_request, "Sieć jest przeznaczona dla gmin wiejskich.")
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.DECLINED
    assert join_request.reason == "Sieć jest przeznaczona dla gmin wiejskich."
    assert "Sieć jest przeznaczona dla gmin wiejskich." in mailoutbox[0].body
    assert not is_member(person, space)


def test_decline_after_accept_is_refused(space, coordinator, person):
    join_request = services.request_to_join(person, space)
    services.accept_join_request(coordinator, join_request)
    with pytest.raises(services.MembershipError) as error:
        services.decline_join_request(coordinator, join_request, "Pomyłka")
    assert error.value.code == "already_decided"
    assert is_member(person, space)


def test_withdraw_join_request_leaves_nothing_to_accept(space, coordinator, person):
    join_request = services.request_to_join(person, space)
    services.withdraw_join_request(person, join_request)
    with pytest.raises(services.MembershipError):
        services.accept_join_request(coordinator, join_request)
    assert not is_member(person, space)


# --- invitations -----------------------------------------------------------------------------------


def test_invite_emails_a_link_that_accepts(space, coordinator, person, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_to_space(coordinator, space, person.email, SpaceRole.EXPERT)
    assert mailoutbox[0].to == [person.email]
    services.accept_invitation(person, _token_from(mailoutbox[0]))
    assert role_in(person, space) == SpaceRole.EXPERT


def test_invite_stores_only_a_hash_of_the_token(space, coordinator):
    invitation = services.invite_to_space(coordinator, space, "wojt@gmina.example.pl")
    stored = Invitation.objects.get(pk=invitation.pk)
    assert stored.token_hash != invitation.raw_token
    assert invitation.raw_token not in str(Invitation.objects.values().get(pk=invitation.pk))


def test_invite_is_valid_for_the_configured_number_of_days(space, coordinator, settings):
    settings.EXCHANGE_GROUPS_INVITATION_DAYS = 3
    invitation = services.invite_to_space(coordinator, space, "wojt@gmina.example.pl")
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=3)


def test_invite_refused_while_an_invitation_to_the_address_is_open(space, coordinator):
    services.invite_to_space(coordinator, space, "wojt@gmina.example.pl")
    with pytest.raises(services.MembershipError) as error:
        services.invite_to_space(coordinator, space, "WOJT@gmina.example.pl")
    assert error.value.code == "already_invited"
    assert Invitation.objects.count() == 1


def test_invite_replaces_an_expired_invitation(space, coordinator):
    old = services.invite_to_space(coordinator, space, "wojt@gmina.example.pl")
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    services.invite_to_space(coordinator, space, "wojt@gmina.example.pl")
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1


def test_invite_refused_for_a_member(space, coordinator, membership, person):
    with pytest.raises(services.MembershipError) as error:
        services.invite_to_space(coordinator, space, person.email.upper())
    assert error.value.code == "already_member"


def test_invite_denied_to_a_participant(space, membership, person):
    with pytest.raises(PermissionDenied):
        services.invite_to_space(person, space, "ktos@gmina.example.pl")


def test_accept_invitation_works_only_once(space, coordinator, person):
    invitation = services.invite_to_space(coordinator, space, person.email)
    services.accept_invitation(person, invitation.raw_token)
    services.leave_space(person, space)
    with pytest.raises(services.MembershipError) as error:
        services.accept_invitation(person, invitation.raw_token)
    assert error.value.code == "used"
    assert not is_member(person, space)


def test_accept_invitation_after_expiry_is_refused(space, coordinator, person):
    invitation = services.invite_to_space(coordinator, space, person.email)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(services.MembershipError) as error:
        services.accept_invitation(person, invitation.raw_token)
    assert error.value.code == "expired"
    assert not is_member(person, space)


def test_accept_invitation_just_before_expiry_works(space, coordinator, person):
    invitation = services.invite_to_space(coordinator, space, person.email)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + datetime.timedelta(minutes=1))
    services.accept_invitation(person, invitation.raw_token)
    assert is_member(person, space)


def test_accept_invitation_after_it_was_withdrawn_is_refused(space, coordinator, person):
    invitation = services.invite_to_space(coordinator, space, person.email)
    services.revoke_invitation(coordinator, invitation)
    with pytest.raises(services.MembershipError) as error:
        services.accept_invitation(person, invitation.raw_token)
    assert error.value.code == "revoked"


def test_accept_invitation_for_another_address_is_refused(space, coordinator, person):
    invitation = services.invite_to_space(coordinator, space, "ktos.inny@gmina.example.pl")
    with pytest.raises(services.MembershipError) as error:
        services.accept_invitation(person, invitation.raw_token)
    assert error.value.code == "wrong_person"
    assert "ktos.inny@gmina.example.pl" in error.value.message
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_accept_invitation_matches_the_address_case_insensitively(space, coordinator, person):
    invitation = services.invite_to_space(coordinator, space, "Anna.Nowak@Gmina.Example.PL")
    services.accept_invitation(person, invitation.raw_token)
    assert is_member(person, space)


def test_accept_invitation_needs_a_logged_in_person(space, coordinator):
    from django.contrib.auth.models import AnonymousUser

    invitation = services.invite_to_space(coordinator, space, "wojt@gmina.example.pl")
    with pytest.raises(services.MembershipError) as error:
        services.accept_invitation(AnonymousUser(), invitation.raw_token)
    assert error.value.code == "login_required"


def test_accept_invitation_with_an_unknown_token_is_refused(person):
    with pytest.raises(services.MembershipError) as error:
        services.accept_invitation(person, "nie-ma-takiego")
    assert error.value.code == "invalid"


def test_accept_invitation_settles_a_pending_request(space, coordinator, person):
    join_request = services.request_to_join(person, space)
    invitation = services.invite_to_space(coordinator, space, person.email)
    services.accept_invitation(person, invitation.raw_token)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.ACCEPTED


# --- direct changes --------------------------------------------------------------------------------


def test_add_member_emails_the_person(space, coordinator, person, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_member(coordinator, space, person, SpaceRole.MODERATOR)
    assert role_in(person, space) == SpaceRole.MODERATOR
    assert mailoutbox[0].to == [person.email]
    assert space.name in mailoutbox[0].subject


def test_add_member_twice_is_refused_and_keeps_one_membership(space, coordinator, person):
    services.add_member(coordinator, space, person)
    with pytest.raises(services.MembershipError) as error:
        services.add_member(coordinator, space, person)
    assert error.value.code == "already_member"
    assert Membership.objects.filter(space=space, user=person).count() == 1


def test_add_member_denied_to_a_moderator(administrator, space, person):
    moderator = UserFactory()
    services.add_member(administrator, space, moderator, SpaceRole.MODERATOR, notify=False)
    with pytest.raises(PermissionDenied):
        services.add_member(moderator, space, person)


def test_database_refuses_a_second_active_membership(space, membership, person):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(space=space, user=person, role=SpaceRole.EXPERT)


def test_change_role_records_the_previous_role(space, coordinator, membership, person):
    services.change_role(coordinator, membership, SpaceRole.MODERATOR)
    assert role_in(person, space) == SpaceRole.MODERATOR
    event = MembershipEvent.objects.filter(kind=MembershipEventKind.ROLE_CHANGED).get()
    assert (event.previous_role, event.role, event.actor) == (SpaceRole.PARTICIPANT, SpaceRole.MODERATOR, coordinator)


def test_change_role_to_an_unknown_role_is_refused(space, coordinator, membership, person):
    with pytest.raises(services.MembershipError):
        services.change_role(coordinator, membership, "krol")
    assert role_in(person, space) == SpaceRole.PARTICIPANT


def test_leave_space_ends_the_membership_and_keeps_it(space, membership, person):
    services.leave_space(person, space)
    assert not is_member(person, space)
    ended = Membership.objects.get(pk=membership.pk)
    assert ended.until is not None
    assert MembershipEvent.objects.filter(user=person, kind=MembershipEventKind.LEFT, actor=person).count() == 1


def test_leave_space_twice_is_refused(space, membership, person):
    services.leave_space(person, space)
    with pytest.raises(services.MembershipError) as error:
        services.leave_space(person, space)
    assert error.value.code == "not_member"


def test_rejoining_after_leaving_keeps_the_old_membership_in_history(space, coordinator, membership, person):
    services.leave_space(person, space)
    services.add_member(coordinator, space, person, SpaceRole.EXPERT)
    rows = Membership.objects.filter(space=space, user=person).order_by("since")
    assert [(row.role, row.until is None) for row in rows] == [
        (SpaceRole.PARTICIPANT, False),
        (SpaceRole.EXPERT, True),
    ]


def test_remove_member_requires_a_reason(space, coordinator, membership, person):
    with pytest.raises(services.MembershipError) as error:
        services.remove_member(coordinator, membership, "")
    assert error.value.code == "reason_required"
    assert is_member(person, space)


def test_remove_member_records_and_emails_the_reason(
    space, coordinator, membership, person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_member(coordinator, membership, "Zakończenie udziału JST w projekcie.")
    ended = Membership.objects.get(pk=membership.pk)
    assert ended.ended_reason == "Zakończenie udziału JST w projekcie."
    event = MembershipEvent.objects.get(kind=MembershipEventKind.REMOVED)
    assert (event.user, event.actor, event.note) == (person, coordinator, "Zakończenie udziału JST w projekcie.")
    assert "Zakończenie udziału JST w projekcie." in mailoutbox[0].body


def test_remove_member_denied_to_a_participant(space, membership, person):
    other = UserFactory()
    services.add_member(UserFactory(is_superuser=True), space, other, notify=False)
    with pytest.raises(PermissionDenied):
        services.remove_member(person, Membership.objects.get(user=other), "Nie")
    assert is_member(other, space)


# --- the hook: signal and sockets ------------------------------------------------------------------


def test_membership_changed_is_sent_after_commit(
    space, coordinator, person, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.add_member(coordinator, space, person, SpaceRole.EXPERT, notify=False)
    assert receiver == []
    for callback in callbacks:
        callback()
    assert receiver == [
        {
            "signal": membership_changed,
            "space": space,
            "user": person,
            "actor": coordinator,
            "kind": MembershipEventKind.ADDED,
            "active": True,
            "role": SpaceRole.EXPERT,
        }
    ]


def test_membership_changed_reports_removal_as_inactive(
    space, coordinator, membership, person, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_member(coordinator, membership, "Powód")
    assert [(call["kind"], call["active"], call["user"]) for call in receiver] == [
        (MembershipEventKind.REMOVED, False, person)
    ]


def test_membership_changed_is_not_sent_when_the_transaction_rolls_back(
    space, coordinator, person, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.add_member(coordinator, space, person, notify=False)
        raise RuntimeError("rollback")
    assert receiver == []
    assert not is_member(person, space)


def test_a_failing_receiver_does_not_undo_the_change(space, coordinator, person, django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise ValueError("broken receiver")

    membership_changed.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.add_member(coordinator, space, person, notify=False)
    finally:
        membership_changed.disconnect(broken)
    assert is_member(person, space)


def test_remove_member_closes_the_persons_sockets_of_the_space(
    space, coordinator, membership, person, settings, django_capture_on_commit_callbacks
):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group_name(person.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_member(coordinator, membership, "Powód")
    message = async_to_sync(layer.receive)(channel)
    assert message == {"type": "sockets.close", "code": CLOSE_FORBIDDEN, "space_id": space.pk}


def test_leave_space_closes_the_persons_sockets_of_the_space(space, membership, person):
    with mock.patch("exchange_groups.spaces.services.close_user_sockets") as close:
        services.leave_space(person, space)
    close.assert_called_once_with(person.pk, space_id=space.pk, code=CLOSE_FORBIDDEN)


# --- concurrency (PostgreSQL) ----------------------------------------------------------------------


def _race(*calls):
    """Run the calls at the same moment; return each one's result or MembershipError code."""
    outcomes = run_concurrently(lambda index: calls[index](), len(calls))
    return [outcome.code if isinstance(outcome, services.MembershipError) else outcome for outcome in outcomes]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptance_of_one_invitation_creates_one_membership():
    admin = UserFactory(is_superuser=True)
    space = SpaceFactory()
    person = UserFactory()
    invitation = services.invite_to_space(admin, space, person.email)
    results = _race(
        lambda: services.accept_invitation(person, invitation.raw_token),
        lambda: services.accept_invitation(person, invitation.raw_token),
    )
    assert sorted(isinstance(result, Membership) for result in results) == [False, True]
    assert "used" in results
    assert Membership.objects.filter(space=space, user=person).count() == 1
    assert MembershipEvent.objects.filter(kind=MembershipEventKind.INVITATION_ACCEPTED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptance_of_one_join_request_creates_one_membership():
    admin = UserFactory(is_superuser=True)
    other_admin = UserFactory(is_superuser=True)
    space = SpaceFactory()
    person = UserFactory()
    join_request = services.request_to_join(person, space)
    results = _race(
        lambda: services.accept_join_request(admin, join_request),
        lambda: services.accept_join_request(other_admin, join_request),
    )
    assert all(isinstance(result, Membership) for result in results)
    assert results[0].pk == results[1].pk
    assert Membership.objects.filter(space=space, user=person).count() == 1
    assert MembershipEvent.objects.filter(kind=MembershipEventKind.REQUEST_ACCEPTED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_adding_of_one_person_creates_one_membership():
    admin = UserFactory(is_superuser=True)
    space = SpaceFactory()
    person = UserFactory()
    results = _race(
        lambda: services.add_member(admin, space, person, notify=False),
        lambda: services.add_member(admin, space, person, notify=False),
    )
    assert sorted(isinstance(result, Membership) for result in results) == [False, True]
    assert Membership.objects.filter(space=space, user=person).count() == 1
