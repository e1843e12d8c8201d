"""Services that change who belongs to a space.

Every function here is one transaction: it checks the rules, changes the rows, records a
`MembershipEvent` (who, what, when) and, once the transaction has committed, sends the
`exchange_groups.spaces.signals.membership_changed` signal (documented there) and the e-mail
notifications. Leaving and removal also close the person's live connections of that space through
`exchange_groups.accounts.realtime.close_user_sockets`.

A rule that is broken raises `MembershipError` (its message is translated and meant for the person);
an actor without the right raises `PermissionDenied`. Double submits and concurrent requests never
create a second membership: at most one active membership per (space, person) is a database
constraint, rows are locked with `select_for_update`, and a repeated action returns what the first
one made.

Settings (read with defaults): `EXCHANGE_GROUPS_INVITATION_DAYS` (14) — how long an invitation link
is valid; `SITE_BASE_URL` — the address links in e-mails start with; `EXCHANGE_GROUPS_EMAIL_LANGUAGE`
(LANGUAGE_CODE) — the language of the e-mails.
"""

import datetime
import hashlib
import logging
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange_groups.accounts.realtime import CLOSE_FORBIDDEN, close_user_sockets
from exchange_groups.conf import exchange_groups_settings
from exchange_groups.models import (
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipEvent,
    MembershipEventKind,
    Space,
    SpaceRole,
)
from exchange_groups.spaces.permissions import can_view_space, check_can_manage_members, is_member
from exchange_groups.spaces.signals import membership_changed
from oswiata_kit import email as mail
from oswiata_kit.errors import RuleError
from oswiata_kit.on_commit import send_signal_on_commit
from oswiata_kit.people import is_person
from oswiata_kit.urls import absolute_url

logger = logging.getLogger(__name__)


class MembershipError(RuleError):
    """A membership rule was broken (see `oswiata_kit.errors.RuleError`)."""


# --- helpers ---------------------------------------------------------------------------------------


def invitation_days() -> int:
    return exchange_groups_settings.INVITATION_DAYS


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _record(space: Space, kind: str, *, user=None, actor=None, role="", previous_role="", note="", email=""):
    return MembershipEvent.objects.create(
        space=space,
        user=user,
        actor=actor if is_person(actor) else None,
        kind=kind,
        role=role or "",
        previous_role=previous_role or "",
        note=note or "",
        email=email or "",
    )


def _announce(space: Space, user, actor, kind: str, *, active: bool, role: str) -> None:
    """Send membership_changed after the commit; a failing receiver is logged, not raised."""
    send_signal_on_commit(
        membership_changed, Membership, space=space, user=user, actor=actor, kind=kind, active=active, role=role
    )


def _notify(template: str, recipient: str, context: dict) -> None:
    """Render a membership e-mail now (in the app's e-mail language) and send it after the commit."""
    language = exchange_groups_settings.EMAIL_LANGUAGE
    mail.send_email([recipient], f"exchange_groups/email/{template}", context, language=language)


def _space_url(space: Space) -> str:
    return absolute_url(space.get_absolute_url())


def _activate(space: Space, user, role: str) -> tuple[Membership, bool]:
    """The person's active membership of the space, created with `role` when there is none."""
    existing = Membership.objects.select_for_update().filter(space=space, user=user, until__isnull=True).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Membership.objects.create(space=space, user=user, role=role), True
    except IntegrityError:
        # Someone else made it in the meantime (the partial unique constraint caught the second one).
        return Membership.objects.get(space=space, user=user, until__isnull=True), False


def _end(membership: Membership, reason: str = "") -> None:
    membership.until = timezone.now()
    membership.ended_reason = reason
    membership.save(update_fields=["until", "ended_reason"])


def _resolve_pending_request(space: Space, user, decided_by) -> None:
    """A person who became a member another way no longer waits for an answer to their request."""
    JoinRequest.objects.filter(space=space, user=user, status=JoinRequestStatus.PENDING).update(
        status=JoinRequestStatus.ACCEPTED,
        decided_by=decided_by if is_person(decided_by) else None,
        decided_at=timezone.now(),
    )


def _check_role(role: str) -> str:
    if role not in SpaceRole.values:
        raise MembershipError(_("Choose one of the roles from the list."), "invalid_role")
    return role


def _locked_membership(membership: Membership) -> Membership:
    locked = Membership.objects.select_for_update().filter(pk=membership.pk, until__isnull=True).first()
    if locked is None:
        raise MembershipError(_("This person is no longer a member of the space."), "not_member")
    return locked


# --- requests to join ------------------------------------------------------------------------------


def request_to_join(user, space: Space, message: str = "") -> JoinRequest:
    """Ask to join a space. Asking again while a request waits returns that request."""
    if not is_person(user) or not can_view_space(user, space):
        raise PermissionDenied
    with transaction.atomic():
        if is_member(user, space):
            raise MembershipError(_("You are already a member of this space."), "already_member")
        if not space.accepts_requests:
            raise MembershipError(
                _("This space does not take requests to join at the moment (status: %(status)s).")
                % {"status": space.get_status_display()},
                "not_recruiting",
            )
        pending = JoinRequest.objects.filter(space=space, user=user, status=JoinRequestStatus.PENDING).first()
        if pending is not None:
            return pending
        try:
            with transaction.atomic():
                join_request = JoinRequest.objects.create(space=space, user=user, message=message.strip())
        except IntegrityError:
            return JoinRequest.objects.get(space=space, user=user, status=JoinRequestStatus.PENDING)
        _record(space, MembershipEventKind.REQUESTED, user=user, actor=user)
        return join_request


def withdraw_join_request(user, join_request: JoinRequest) -> JoinRequest:
    if not is_person(user) or join_request.user_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if locked.status == JoinRequestStatus.WITHDRAWN:
            return locked
        if locked.status != JoinRequestStatus.PENDING:
            raise MembershipError(_("This request has already been decided."), "already_decided")
        locked.status = JoinRequestStatus.WITHDRAWN
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        _record(locked.space, MembershipEventKind.REQUEST_WITHDRAWN, user=user, actor=user)
        return locked


def accept_join_request(actor, join_request: JoinRequest, role: str = SpaceRole.PARTICIPANT) -> Membership:
    """Accept a request: the person becomes a member. Accepting twice returns the same membership."""
    space = join_request.space
    check_can_manage_members(actor, space)
    _check_role(role)
    with transaction.atomic():
        locked = JoinRequest.objects.select_for_update().select_related("user").get(pk=join_request.pk)
        if locked.status == JoinRequestStatus.ACCEPTED:
            existing = Membership.objects.filter(space=space, user=locked.user, until__isnull=True).first()
            if existing is not None:
                return existing
        if locked.status != JoinRequestStatus.PENDING:
            raise MembershipError(_("This request has already been decided or withdrawn."), "already_decided")
        membership, created = _activate(space, locked.user, role)
        locked.status = JoinRequestStatus.ACCEPTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.reason = ""
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        _record(space, MembershipEventKind.REQUEST_ACCEPTED, user=locked.user, actor=actor, role=membership.role)
        if created:
            _announce(
                space, locked.user, actor, MembershipEventKind.REQUEST_ACCEPTED, active=True, role=membership.role
            )
        _notify(
            "membership_request_decided",
            locked.user.email,
            {"person": locked.user, "space": space, "space_url": _space_url(space), "accepted": True, "reason": ""},
        )
        return membership


def decline_join_request(actor, join_request: JoinRequest, reason: str) -> JoinRequest:
    """Decline a request with a reason the person sees (on the site and in an e-mail)."""
    space = join_request.space
    check_can_manage_members(actor, space)
    reason = (reason or "").strip()
    if not reason:
        raise MembershipError(_("Give the reason: the person will see it."), "reason_required")
    with transaction.atomic():
        locked = JoinRequest.objects.select_for_update().select_related("user").get(pk=join_request.pk)
        if locked.status == JoinRequestStatus.DECLINED:
            return locked
        if locked.status != JoinRequestStatus.PENDING:
            raise MembershipError(_("This request has already been decided or withdrawn."), "already_decided")
        locked.status = JoinRequestStatus.DECLINED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        _record(space, MembershipEventKind.REQUEST_DECLINED, user=locked.user, actor=actor, note=reason)
        _notify(
            "membership_request_decided",
            locked.user.email,
            {
                "person": locked.user,
                "space": space,
                "space_url": _space_url(space),
                "accepted": False,
                "reason": reason,
            },
        )
        return locked


# --- invitations -----------------------------------------------------------------------------------


def invite_to_space(actor, space: Space, email: str, role: str = SpaceRole.PARTICIPANT) -> Invitation:
    """E-mail a single-use invitation link valid for EXCHANGE_GROUPS_INVITATION_DAYS days.

    The returned invitation carries the raw token in `raw_token` (only in memory: the database keeps a
    hash). While an invitation to the same address is open, another one is refused.
    """
    check_can_manage_members(actor, space)
    _check_role(role)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise MembershipError(_("Enter a valid e-mail address."), "invalid_email") from None
    with transaction.atomic():
        if Membership.objects.filter(space=space, user__email__iexact=email, until__isnull=True).exists():
            raise MembershipError(
                _("The person with the address %(email)s is already a member of this space.") % {"email": email},
                "already_member",
            )
        open_invitation = (
            Invitation.objects.select_for_update()
            .filter(space=space, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if open_invitation is not None and not open_invitation.is_expired:
            raise _already_invited(open_invitation)
        if open_invitation is not None:  # expired: the new invitation replaces it
            open_invitation.revoked_at = timezone.now()
            open_invitation.save(update_fields=["revoked_at"])
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    space=space,
                    email=email,
                    role=role,
                    token_hash=hash_token(token),
                    invited_by=actor,
                    created_at=now,
                    expires_at=now + datetime.timedelta(days=invitation_days()),
                )
        except IntegrityError:
            raise _already_invited(
                Invitation.objects.get(space=space, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
            ) from None
        invitation.raw_token = token
        _record(space, MembershipEventKind.INVITED, actor=actor, role=role, email=email)
        _notify(
            "membership_invitation",
            email,
            {
                "space": space,
                "space_url": _space_url(space),
                "inviter": actor,
                "role": invitation.get_role_display(),
                "link": absolute_url(reverse("exchange_groups:invitation", kwargs={"token": token})),
                "expires_at": invitation.expires_at,
            },
        )
        return invitation


def _already_invited(invitation: Invitation) -> MembershipError:
    local = timezone.localtime(invitation.expires_at)
    return MembershipError(
        _(
            "An invitation to %(email)s is already open (valid until %(date)s). "
            "Withdraw it first if you want to send a new one."
        )
        % {"email": invitation.email, "date": local.strftime("%d.%m.%Y %H:%M")},
        "already_invited",
    )


def revoke_invitation(actor, invitation: Invitation) -> Invitation:
    check_can_manage_members(actor, invitation.space)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.revoked_at is not None:
            return locked
        if locked.accepted_at is not None:
            raise MembershipError(_("This invitation has already been accepted."), "used")
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        _record(locked.space, MembershipEventKind.INVITATION_REVOKED, actor=actor, role=locked.role, email=locked.email)
        return locked


def find_invitation(token: str) -> Invitation | None:
    if not token:
        return None
    return Invitation.objects.select_related("space", "invited_by").filter(token_hash=hash_token(token)).first()


def check_invitation_usable(invitation: Invitation) -> None:
    """Raise MembershipError when the link no longer works (used, withdrawn or expired)."""
    if invitation.accepted_at is not None:
        raise MembershipError(_("This invitation has already been used. Each invitation link works only once."), "used")
    if invitation.revoked_at is not None:
        raise MembershipError(
            _("This invitation has been withdrawn. Ask the coordinator of the space for a new one."), "revoked"
        )
    if invitation.is_expired:
        raise MembershipError(
            _("This invitation expired on %(date)s. Ask the coordinator of the space for a new one.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y %H:%M")},
            "expired",
        )


def check_invitation_addressee(user, invitation: Invitation) -> None:
    if user.email.casefold() != invitation.email.casefold():
        raise MembershipError(
            _(
                "This invitation was sent to %(invited)s, but you are logged in as %(current)s. Log in with "
                "the address the invitation was sent to, or ask the coordinator to invite your address."
            )
            % {"invited": invitation.email, "current": user.email},
            "wrong_person",
        )


def accept_invitation(user, token: str) -> Membership:
    """Accept an invitation with the token from its link: works once, before it expires, for its address."""
    if not is_person(user):
        raise MembershipError(_("Log in to accept the invitation."), "login_required")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(token or "")).first()
        if invitation is None:
            raise MembershipError(_("This invitation link is not valid."), "invalid")
        check_invitation_usable(invitation)
        check_invitation_addressee(user, invitation)
        space = invitation.space
        if is_member(user, space):
            raise MembershipError(_("You are already a member of this space."), "already_member")
        membership, created = _activate(space, user, invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _resolve_pending_request(space, user, invitation.invited_by)
        _record(
            space,
            MembershipEventKind.INVITATION_ACCEPTED,
            user=user,
            actor=user,
            role=membership.role,
            email=invitation.email,
        )
        if created:
            _announce(space, user, user, MembershipEventKind.INVITATION_ACCEPTED, active=True, role=membership.role)
        return membership


# --- direct changes by a coordinator ---------------------------------------------------------------


def add_member(actor, space: Space, user, role: str = SpaceRole.PARTICIPANT, *, notify: bool = True) -> Membership:
    """A coordinator adds a registered person directly (and tells them by e-mail unless notify=False)."""
    check_can_manage_members(actor, space)
    _check_role(role)
    if not user.is_active:
        raise MembershipError(_("This account is not active."), "inactive")
    with transaction.atomic():
        membership, created = _activate(space, user, role)
        if not created:
            raise MembershipError(
                _("%(name)s is already a member of this space.") % {"name": user.get_full_name() or user.email},
                "already_member",
            )
        _resolve_pending_request(space, user, actor)
        _record(space, MembershipEventKind.ADDED, user=user, actor=actor, role=role)
        _announce(space, user, actor, MembershipEventKind.ADDED, active=True, role=role)
        if notify:
            _notify(
                "membership_added",
                user.email,
                {
                    "person": user,
                    "space": space,
                    "space_url": _space_url(space),
                    "role": membership.get_role_display(),
                    "actor": actor,
                },
            )
        return membership


def change_role(actor, membership: Membership, role: str) -> Membership:
    check_can_manage_members(actor, membership.space)
    _check_role(role)
    with transaction.atomic():
        locked = _locked_membership(membership)
        if locked.role == role:
            return locked
        previous = locked.role
        locked.role = role
        locked.save(update_fields=["role"])
        _record(
            locked.space,
            MembershipEventKind.ROLE_CHANGED,
            user=locked.user,
            actor=actor,
            role=role,
            previous_role=previous,
        )
        _announce(locked.space, locked.user, actor, MembershipEventKind.ROLE_CHANGED, active=True, role=role)
        return locked


def leave_space(user, space: Space) -> Membership:
    """The person leaves the space; their live connections to it are closed."""
    if not is_person(user):
        raise PermissionDenied
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(space=space, user=user, until__isnull=True).first()
        if membership is None:
            raise MembershipError(_("You are not a member of this space."), "not_member")
        _end(membership)
        _record(space, MembershipEventKind.LEFT, user=user, actor=user, role=membership.role)
        _announce(space, user, user, MembershipEventKind.LEFT, active=False, role=membership.role)
        close_user_sockets(user.pk, space_id=space.pk, code=CLOSE_FORBIDDEN)
        return membership


def remove_member(actor, membership: Membership, reason: str) -> Membership:
    """A coordinator removes a member, giving a reason the person is told; their connections close."""
    space = membership.space
    check_can_manage_members(actor, space)
    reason = (reason or "").strip()
    if not reason:
        raise MembershipError(_("Give the reason: the person will see it."), "reason_required")
    with transaction.atomic():
        locked = _locked_membership(membership)
        user = locked.user
        _end(locked, reason)
        _record(space, MembershipEventKind.REMOVED, user=user, actor=actor, role=locked.role, note=reason)
        _announce(space, user, actor, MembershipEventKind.REMOVED, active=False, role=locked.role)
        close_user_sockets(user.pk, space_id=space.pk, code=CLOSE_FORBIDDEN)
        _notify("membership_removed", user.email, {"person": user, "space": space, "reason": reason, "actor": actor})
        return locked
