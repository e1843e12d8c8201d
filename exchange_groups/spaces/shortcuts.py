"""What every view of a space's area shares: the space's page context, the gate, and small request helpers.

The spaces, meetings, cycle and library views use these instead of each keeping its own copy, so a refusal
looks and behaves the same everywhere. `space_view` (or `space_gate`, for a view that finds its object first)
answers in this order:

1. a private space is a 404 to anyone who may not see it (`get_space_or_404`), before any other answer —
   including the 405 of a POST-only view: put `oswiata_kit.views.post_only` *under* `space_view`;
2. an anonymous visitor is refused with `PermissionDenied`: the site's 403 handler sends them to log in;
3. `require=MEMBER`: the member area (active members and site administrators), else the space's "members only"
   page; `require=<a check_*(user, space)>` (a managing rule, such as `check_can_manage_meetings`): the member area
   first, then the check, else the area's "coordinators only" page.

A refusal is a `Refusal` (a PermissionDenied naming its page): the site's handler403 renders that page with the
space's context (`space_context`: its header and navigation), status 403, and the reason the check gave.
`refused_in_space` does the same for a check made later in a view (a resource's author, answering a questionnaire).

After the gate a view looks up its own objects (a join request, a question): with `post_only` under the gate, a
GET to a POST-only address of an object that does not exist answers 405 rather than 404 — both only to someone
who passed the gate, so nothing is revealed.
"""

import contextlib
import functools

from django.core.exceptions import PermissionDenied

from exchange_groups.models import SpaceRole
from exchange_groups.spaces.permissions import (
    can_manage_space,
    check_can_view_member_area,
    get_space_or_404,
    is_site_admin,
    role_in,
)
from oswiata_kit.views import Refusal

#: Any logged-in person who may see the space (joining, leaving).
PERSON = "person"
#: The member area: active members of the space and site administrators.
MEMBER = "member"

MEMBERS_ONLY = "exchange_groups/spaces/members_only.html"


def space_context(request, space, **extra) -> dict:
    """The context every page of a space needs (its header, its navigation, the person's role)."""
    role = role_in(request.user, space)
    context = {
        "space": space,
        "my_role": role,
        "my_role_label": SpaceRole(role).label if role else "",
        "is_member": role is not None,
        "can_see_members": role is not None or is_site_admin(request.user),
        "can_manage": can_manage_space(request.user, space, role=role),
    }
    context.update(extra)
    return context


def space_refusal(request, space, template: str, reason, **extra) -> Refusal:
    """A refusal shown with `template` inside the space's frame; `reason` is the message (or the PermissionDenied)."""
    message = str(reason)
    return Refusal(message, template=template, context=space_context(request, space, message=message, **extra))


@contextlib.contextmanager
def refused_in_space(request, space, template: str, **extra):
    """Show a PermissionDenied raised inside (a `check_*`, a service) with `template` in the space's frame.

    with refused_in_space(request, space, "exchange_groups/library/not_allowed.html", section="library"):
        check_can_edit_resource(request.user, resource)
    """
    try:
        yield
    except Refusal:
        raise
    except PermissionDenied as error:
        raise space_refusal(request, space, template, error, **extra) from error


def space_gate(request, space, require, *, refusal=None, members_refusal=MEMBERS_ONLY, section=None) -> None:
    """Steps 2 and 3 of the module's order, for a space already found: returns, or raises the refusal."""
    if require is None:
        return
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied  # the site's handler403 sends the visitor to log in
    if require == PERSON:
        return
    extra = {"section": section} if section else {}
    with refused_in_space(request, space, members_refusal, **extra):
        check_can_view_member_area(user, space)
    if require != MEMBER:
        with refused_in_space(request, space, refusal, **extra):
            require(user, space)


def space_view(require=None, *, refusal=None, members_refusal=MEMBERS_ONLY, section=None):
    """Decorate a view of a space: the URL's `slug` becomes the `space` argument, after the module's checks.

    `require`: None (anyone who may see the space), PERSON, MEMBER, or a managing `check_*(user, space)` whose
    refusal shows `refusal`; `members_refusal` is the page for a logged-in person outside the member area;
    `section` marks the navigation entry the refusal page highlights.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            space = get_space_or_404(request.user, slug)
            space_gate(request, space, require, refusal=refusal, members_refusal=members_refusal, section=section)
            return view(request, space, *args, **kwargs)

        return wrapper

    return decorator


def form_data(request):
    """The submitted data of a POST, or None (an unbound form) for a GET."""
    return request.POST if request.method == "POST" else None
