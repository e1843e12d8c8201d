"""What every view of a space's area shares: the space's page context, the refusals, and small request helpers.

The spaces, meetings, cycle and library views use these instead of each keeping its own copy, so a refusal
looks and behaves the same everywhere: a private space is a 404 to outsiders (`get_space_or_404`), an
anonymous visitor is sent to log in, a logged-in person without the right role gets a friendly 403 page.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import render

from exchange_groups.models import SpaceRole
from exchange_groups.spaces.permissions import is_site_admin, role_in


def space_context(request, space, **extra) -> dict:
    """The context every page of a space needs (its header, its navigation, the person's role)."""
    role = role_in(request.user, space)
    context = {
        "space": space,
        "my_role": role,
        "my_role_label": SpaceRole(role).label if role else "",
        "is_member": role is not None,
        "can_see_members": role is not None or is_site_admin(request.user),
        "can_manage": role == SpaceRole.COORDINATOR or is_site_admin(request.user),
    }
    context.update(extra)
    return context


def refuse(request, template: str, context: dict):
    """Not allowed in a part of a space the person can see: log in first, or a friendly 403 page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, template, context, status=403)


def post_only(request):
    """405 for anything but POST (call it after the privacy checks: a private space answers 404 first)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def form_data(request):
    """The submitted data of a POST, or None (an unbound form) for a GET."""
    return request.POST if request.method == "POST" else None
