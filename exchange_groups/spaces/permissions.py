"""Who may see and do what in a space.

Rules (issue 3):
- a public space's description page is visible to everyone; a private space is visible only to its
  members and to site administrators — to anybody else it does not exist (404, never 403), and list
  views never show it;
- the member directory and every other member-only part: active members and site administrators;
- managing members (requests, invitations, roles, removal): active coordinators of that space and
  site administrators — `can_manage_space`, the one "coordinator of the space or site administrator" rule that
  the meetings' and the cycle's managing predicates and `space_context` call too;
- site administrators are superusers and members of the group named by the setting
  `EXCHANGE_GROUPS_ADMIN_GROUP` (default "Administrator"): `oswiata_kit.people.is_site_admin`, re-exported here.

`is_member` and `role_in` are used by the forums and learning apps: one small query each.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from exchange_groups.models import JoinRequest, JoinRequestStatus, Membership, Space, SpaceRole, SpaceVisibility
from oswiata_kit.people import is_person, is_site_admin  # is_site_admin: other areas and apps import it from here


def role_in(user, space: Space) -> str | None:
    """The person's role in the space (a SpaceRole value), or None when they are not an active member."""
    if not is_person(user):
        return None
    return (
        Membership.objects.filter(space_id=space.pk, user_id=user.pk, until__isnull=True)
        .values_list("role", flat=True)
        .first()
    )


def is_member(user, space: Space) -> bool:
    if not is_person(user):
        return False
    return Membership.objects.filter(space_id=space.pk, user_id=user.pk, until__isnull=True).exists()


def can_view_space(user, space: Space) -> bool:
    if space.visibility == SpaceVisibility.PUBLIC:
        return True
    return is_site_admin(user) or is_member(user, space)


def can_see_members(user, space: Space) -> bool:
    """The member directory (and every other member-only part of a space)."""
    return is_site_admin(user) or is_member(user, space)


can_view_member_area = can_see_members

_LOOK_UP = object()


def can_manage_space(user, space: Space, *, role=_LOOK_UP) -> bool:
    """A coordinator of the space or a site administrator: the rule behind every managing page of a space.

    `role` (from `role_in`) saves a query when the caller already knows it.
    """
    if is_site_admin(user):
        return True
    if role is _LOOK_UP:
        role = role_in(user, space)
    return role == SpaceRole.COORDINATOR


def can_manage_members(user, space: Space) -> bool:
    return can_manage_space(user, space)


def can_request_to_join(user, space: Space) -> bool:
    if not is_person(user) or not space.accepts_requests or not can_view_space(user, space):
        return False
    if is_member(user, space):
        return False
    return not JoinRequest.objects.filter(space_id=space.pk, user_id=user.pk, status=JoinRequestStatus.PENDING).exists()


def check_can_view_member_area(user, space: Space) -> None:
    if not can_view_member_area(user, space):
        raise PermissionDenied(_("This part of the space is visible only to its members."))


def check_can_manage_members(user, space: Space) -> None:
    if not can_manage_members(user, space):
        raise PermissionDenied(_("Only the coordinators of this space can manage its members."))


def spaces_visible_to(user):
    """Spaces the person may see: every public space, and private ones they belong to (all for admins)."""
    spaces = Space.objects.all()
    if is_site_admin(user):
        return spaces
    visible = Q(visibility=SpaceVisibility.PUBLIC)
    if is_person(user):
        visible |= Q(pk__in=Membership.objects.filter(user_id=user.pk, until__isnull=True).values("space_id"))
    return spaces.filter(visible)


def get_space_or_404(user, slug: str) -> Space:
    """The space with that address, or Http404 when there is none or the person may not see it."""
    space = Space.objects.filter(slug=slug).first()
    if space is None or not can_view_space(user, space):
        raise Http404(_("No such space."))
    return space
