"""Who may see and do what with the meetings of a space.

- The meetings of a space (list, details, the ICS of one meeting, materials) are a member-only part of
  the space: active members and site administrators. A private space's meetings answer 404 to everybody
  else (`get_space_or_404` comes first, always).
- Planning, changing and cancelling meetings, marking attendance, minutes and materials: the active
  coordinators of the space and site administrators.
- Registering: active members of the space (any role, coordinators included).
- The online link: only people whose registration is "registered", and only from
  `link_visible_minutes_before` minutes before the start until the end of a meeting that was not cancelled.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange_groups.models import Meeting, Registration, RegistrationStatus, Space
from exchange_groups.spaces.permissions import can_manage_space, can_view_member_area, get_space_or_404, is_member


def can_view_meetings(user, space: Space) -> bool:
    return can_view_member_area(user, space)


def can_manage_meetings(user, space: Space) -> bool:
    return can_manage_space(user, space)


def check_can_manage_meetings(user, space: Space) -> None:
    if not can_manage_meetings(user, space):
        raise PermissionDenied(_("Only the coordinators of this space can manage its meetings."))


def can_register_for_meetings(user, space: Space) -> bool:
    return is_member(user, space)


def can_see_online_link(user, meeting: Meeting, registration: Registration | None = None, now=None) -> bool:
    """True when the link may be shown to this person now (see the module's rules)."""
    if not meeting.is_online or meeting.is_cancelled or not meeting.online_link:
        return False
    if user is None or not user.is_authenticated:
        return False
    if registration is None:
        registration = (
            Registration.objects.filter(meeting=meeting, user_id=user.pk, status=RegistrationStatus.REGISTERED)
            .only("status")
            .first()
        )
    if registration is None or registration.user_id != user.pk or not registration.is_registered:
        return False
    return meeting.link_window_open(now or timezone.now())


def get_meeting_or_404(user, slug: str, pk: int) -> tuple[Space, Meeting]:
    """The space (404 when the person may not see it) and its meeting (404 when there is no such one)."""
    space = get_space_or_404(user, slug)
    meeting = Meeting.objects.filter(space=space, pk=pk).select_related("space", "created_by").first()
    if meeting is None:
        raise Http404(_("No such meeting."))
    return space, meeting
