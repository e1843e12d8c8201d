"""Who may see and do what in the resource library of a space.

- The library is a member-only part of the space: active members and site administrators list, search
  and download. A private space's library answers 404 to everybody else on every URL (list, add, edit,
  delete, download), because `get_space_or_404` comes first. In a public space the list and the add page
  behave like the member directory (anonymous visitors go to the login page, other people see a
  "members only" page), and every URL of one resource (edit, delete, download) answers 404 to anyone who
  may not see the member area, so nobody outside learns which resources exist.
- Adding: active members of the space (any role) and site administrators.
- Changing and removing: the person who added the resource while still a member, the space's active
  coordinators and site administrators.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from exchange_groups.models import Resource, Space
from exchange_groups.spaces.permissions import (
    can_manage_space,
    can_view_member_area,
    get_space_or_404,
    is_member,
    is_site_admin,
    role_in,
)


def can_view_library(user, space: Space) -> bool:
    return can_view_member_area(user, space)


def can_add_resource(user, space: Space) -> bool:
    return is_site_admin(user) or is_member(user, space)


def can_edit_resource(user, resource: Resource) -> bool:
    """The author (while a member), the coordinators of the space and site administrators."""
    role = role_in(user, resource.space)
    if can_manage_space(user, resource.space, role=role):
        return True
    return role is not None and resource.added_by_id == user.pk


def check_can_add_resource(user, space: Space) -> None:
    if not can_add_resource(user, space):
        raise PermissionDenied(_("Only the members of this space can add resources to its library."))


def check_can_edit_resource(user, resource: Resource) -> None:
    if not can_edit_resource(user, resource):
        raise PermissionDenied(
            _("Only the person who added this resource and the coordinators of the space can change or remove it.")
        )


def get_resource_or_404(user, slug: str, pk: int) -> Resource:
    """The resource of the space, or Http404 when there is none or the person may not see the library."""
    space = get_space_or_404(user, slug)
    if not can_view_library(user, space):
        raise Http404(_("No such resource."))
    resource = Resource.objects.filter(space=space, pk=pk).select_related("space", "added_by").first()
    if resource is None:
        raise Http404(_("No such resource."))
    return resource
