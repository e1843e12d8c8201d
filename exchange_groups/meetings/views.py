"""Pages of the meetings of a space, "Moje spotkania" and the calendar files.

Privacy: every view of a space's meetings starts with `get_space_or_404` (`space_view`, or `meeting_view`
through `get_meeting_or_404`), so a person who may not see a private space gets 404 for every URL and
method. Meetings are a member-only part of a space: anonymous visitors of a public space are sent to the
login page, other non-members get a "members only" page (403). Coordinators' pages answer 403 to other
members (the refusals go through the site's 403 handler, see spaces/shortcuts.py). State changes are POST
only (`post_only` under the gate, so that the 404 comes first); the services in `meetings/services.py` do
the work. Times are shown and entered in the meetings' time zone (Europe/Warsaw), whatever the server's.
"""

import functools

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from exchange_groups.meetings import calendars, services
from exchange_groups.meetings.forms import AttendanceForm, CancelMeetingForm, MaterialForm, MeetingForm, MinutesForm
from exchange_groups.meetings.permissions import (
    can_manage_meetings,
    can_register_for_meetings,
    can_see_online_link,
    check_can_manage_meetings,
    get_meeting_or_404,
)
from exchange_groups.models import MeetingMaterial, MeetingMode, meeting_time_zone
from exchange_groups.spaces.shortcuts import MEMBER, form_data, space_context, space_gate, space_view
from oswiata_kit.uploads import safe_download_response
from oswiata_kit.urls import absolute_url
from oswiata_kit.views import call_service, login_required, post_only, submit_form

FEED_TOKEN_SESSION_KEY = "exchange_groups.meetings.services.new_feed_token"  # noqa: S105 — a session key name


# --- helpers ---------------------------------------------------------------------------------------


def in_meeting_time_zone(view):
    """Show and read times in the meetings' time zone."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        with timezone.override(meeting_time_zone()):
            return view(request, *args, **kwargs)

    return wrapper


def _context(request, space, **extra):
    context = space_context(request, space, section="meetings")
    context["can_manage_meetings"] = context["can_manage"]
    context.update(extra)
    return context


COORDINATORS_ONLY = "exchange_groups/meetings/coordinators_only.html"
members_space = space_view(MEMBER, section="meetings")
managed_space = space_view(check_can_manage_meetings, refusal=COORDINATORS_ONLY, section="meetings")


def meeting_view(require):
    """A page of one meeting: the URL's `slug` and `pk` become `space` and `meeting` (404 when the person may not
    see the space, or there is no such meeting), then the gate of `space_gate` (MEMBER, or the managing check)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, slug, pk, *args, **kwargs):
            space, meeting = get_meeting_or_404(request.user, slug, pk)
            space_gate(request, space, require, refusal=COORDINATORS_ONLY, section="meetings")
            return view(request, space, meeting, *args, **kwargs)

        return wrapper

    return decorator


members_meeting = meeting_view(MEMBER)
managed_meeting = meeting_view(check_can_manage_meetings)


def _url(name, meeting) -> str:
    return reverse(f"exchange_groups:{name}", kwargs={"slug": meeting.space.slug, "pk": meeting.pk})


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- members' pages --------------------------------------------------------------------------------


@in_meeting_time_zone
@members_space
def meeting_list(request, space):
    upcoming, past = services.meetings_of(space)
    services.annotate_for(request.user, upcoming)
    context = _context(request, space, upcoming=upcoming, past=past)
    return render(request, "exchange_groups/meetings/meeting_list.html", context)


@in_meeting_time_zone
@members_meeting
def meeting_detail(request, space, meeting):
    now = timezone.now()
    registration = services.active_registration(request.user, meeting)
    if registration is not None:
        registration.position = registration.waiting_position()
    closed_reason = None
    try:
        services.check_registration_open(meeting, now)
    except services.MeetingError as error:
        closed_reason = error.message
    is_member = can_register_for_meetings(request.user, space)
    manage = can_manage_meetings(request.user, space)
    registered, waiting = services.registrations_of(meeting)
    registered = list(registered)
    context = _context(
        request,
        space,
        meeting=meeting,
        registration=registration,
        can_register=is_member and registration is None and closed_reason is None,
        can_withdraw=registration is not None and not meeting.has_started(now),
        closed_reason=closed_reason,
        may_register=is_member,
        show_link=can_see_online_link(request.user, meeting, registration, now),
        link_pending=meeting.is_online and not meeting.is_cancelled and not meeting.has_ended(now),
        registered_count=len(registered),
        waiting_count=len(waiting),
        places_left=None if meeting.capacity is None else max(0, meeting.capacity - len(registered)),
        registered=registered if manage else None,
        waiting=waiting if manage else None,
        materials=meeting.materials.all(),
        has_started=meeting.has_started(now),
        has_ended=meeting.has_ended(now),
    )
    return render(request, "exchange_groups/meetings/meeting_detail.html", context)


@members_meeting
@post_only
def meeting_register(request, space, meeting):
    try:
        registration = services.register_for_meeting(request.user, meeting)
    except services.MeetingError as error:
        messages.error(request, error.message)
    else:
        if registration.is_registered:
            messages.success(request, _("You are registered for the meeting."))
        else:
            messages.info(
                request,
                _(
                    "All places are taken: you are on the waiting list, position %(position)s. We will e-mail you "
                    "if a place becomes free."
                )
                % {"position": registration.position},
            )
    return redirect(meeting)


@members_meeting
@post_only
def meeting_unregister(request, space, meeting):
    return call_service(
        request,
        services.cancel_registration,
        request.user,
        meeting,
        success_message=_("Your registration has been withdrawn."),
        redirect_to=meeting,
    )


@members_meeting
def meeting_ics(request, space, meeting):
    return _ics_response(calendars.ics_for_meeting(meeting, request.user), f"spotkanie-{meeting.pk}.ics")


@members_meeting
def meeting_material_download(request, space, meeting, material_pk):
    material = get_object_or_404(MeetingMaterial, pk=material_pk, meeting=meeting)
    if not material.is_file:
        raise Http404(_("This material is a link, not a file."))
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is no longer available.")) from None
    filename = f"{slugify(material.title) or 'material'}.{material.extension}"
    return safe_download_response(handle, filename, services.material_content_type(material))


# --- coordinators' pages ---------------------------------------------------------------------------


@in_meeting_time_zone
@managed_space
def meeting_create(request, space):
    form = MeetingForm(form_data(request), initial={"mode": MeetingMode.IN_PERSON, "link_visible_minutes_before": 60})
    if done := submit_form(
        request,
        form,
        lambda data: services.create_meeting(request.user, space, **data),
        success_message=_("The meeting has been planned."),
        redirect_to=lambda meeting: meeting,
    ):
        return done
    context = _context(request, space, form=form, meeting=None)
    return render(request, "exchange_groups/meetings/meeting_form.html", context)


@in_meeting_time_zone
@managed_meeting
def meeting_edit(request, space, meeting):
    form = MeetingForm(form_data(request), initial=MeetingForm.initial_from(meeting))
    if done := submit_form(
        request,
        form,
        lambda data: services.update_meeting(request.user, meeting, **data),
        success_message=_("The meeting has been saved."),
        redirect_to=meeting,
    ):
        return done
    context = _context(request, space, form=form, meeting=meeting)
    return render(request, "exchange_groups/meetings/meeting_form.html", context)


@in_meeting_time_zone
@managed_meeting
def meeting_cancel(request, space, meeting):
    if meeting.is_cancelled:
        messages.info(request, _("This meeting has already been cancelled."))
        return redirect(meeting)
    form = CancelMeetingForm(form_data(request))
    if done := submit_form(
        request,
        form,
        lambda data: services.cancel_meeting(request.user, meeting, data["reason"]),
        success_message=_("The meeting has been cancelled and the people registered were told."),
        redirect_to=meeting,
    ):
        return done
    registered, waiting = services.registrations_of(meeting)
    context = _context(request, space, form=form, meeting=meeting, people_count=len(list(registered)) + len(waiting))
    return render(request, "exchange_groups/meetings/meeting_cancel.html", context)


@in_meeting_time_zone
@managed_meeting
def meeting_attendance(request, space, meeting):
    registered, _waiting = services.registrations_of(meeting)
    form = AttendanceForm(form_data(request), registrations=registered)
    problem = None
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.mark_attendance(request.user, meeting, form.marks())
        except services.MeetingError as error:
            problem = error.message
        else:
            messages.success(
                request,
                ngettext("Attendance saved: %(count)s change.", "Attendance saved: %(count)s changes.", changed)
                % {"count": changed},
            )
            return redirect(_url("meeting_attendance", meeting))
    try:
        services.check_meeting_held(meeting, timezone.now(), "attendance")
    except services.MeetingError as error:
        problem = problem or error.message
        can_mark = False
    else:
        can_mark = True
    context = _context(request, space, meeting=meeting, form=form, problem=problem, can_mark=can_mark)
    return render(
        request,
        "exchange_groups/meetings/meeting_attendance.html",
        context,
        status=400 if problem and request.method == "POST" else 200,
    )


@in_meeting_time_zone
@managed_meeting
def meeting_minutes(request, space, meeting):
    """Minutes and materials after the meeting: GET shows both forms, POST saves the minutes."""
    minutes_form = MinutesForm(form_data(request), initial={"minutes": meeting.minutes})
    if done := submit_form(
        request,
        minutes_form,
        lambda data: services.set_minutes(request.user, meeting, data["minutes"]),
        success_message=_("The minutes have been saved."),
        redirect_to=_url("meeting_minutes", meeting),
    ):
        return done
    return _minutes_page(request, space, meeting, minutes_form=minutes_form, material_form=MaterialForm())


def _minutes_page(request, space, meeting, *, minutes_form, material_form, status=None):
    problem = None
    try:
        services.check_meeting_held(meeting, timezone.now(), "minutes")
    except services.MeetingError as error:
        problem = error.message
    context = _context(
        request,
        space,
        meeting=meeting,
        minutes_form=minutes_form,
        material_form=material_form,
        materials=meeting.materials.all(),
        problem=problem,
    )
    if status is None:
        status = 400 if request.method == "POST" else 200
    return render(request, "exchange_groups/meetings/meeting_minutes.html", context, status=status)


@in_meeting_time_zone
@managed_meeting
@post_only
def meeting_material_add(request, space, meeting):
    form = MaterialForm(request.POST, request.FILES)
    if done := submit_form(
        request,
        form,
        lambda data: services.attach_material(
            request.user, meeting, title=data["title"], file=data.get("file"), url=data.get("url") or ""
        ),
        success_message=_("The material has been added."),
        redirect_to=_url("meeting_minutes", meeting),
    ):
        return done
    minutes_form = MinutesForm(initial={"minutes": meeting.minutes})
    return _minutes_page(request, space, meeting, minutes_form=minutes_form, material_form=form)


@managed_meeting
@post_only
def meeting_material_remove(request, space, meeting, material_pk):
    material = get_object_or_404(MeetingMaterial, pk=material_pk, meeting=meeting)
    services.remove_material(request.user, material)
    messages.success(request, _("The material “%(title)s” has been removed.") % {"title": material.title})
    return redirect(_url("meeting_minutes", meeting))


# --- "Moje spotkania" and the personal calendar feed -----------------------------------------------


@never_cache
@login_required
@in_meeting_time_zone
def my_meetings(request):
    new_token = request.session.pop(FEED_TOKEN_SESSION_KEY, None)
    feed_url = None
    if new_token:
        feed_url = absolute_url(reverse("exchange_groups:calendar_feed", kwargs={"token": new_token}))
    context = {
        "registrations": services.upcoming_registrations(request.user),
        "feed": calendars.active_calendar_feed(request.user),
        "feed_url": feed_url,
    }
    return render(request, "exchange_groups/meetings/my_meetings.html", context)


@login_required
@post_only
def calendar_feed_create(request):
    _feed, token = calendars.create_calendar_feed(request.user)
    # Shown once, on the next page (Post/Redirect/Get); only a hash of it is kept.
    request.session[FEED_TOKEN_SESSION_KEY] = token
    messages.success(request, _("Your calendar address is ready. Copy it now: it is shown only once."))
    return redirect(reverse("exchange_groups:my_meetings") + "#kalendarz")


@login_required
@post_only
def calendar_feed_revoke(request):
    if calendars.revoke_calendar_feed(request.user):
        messages.success(request, _("Your calendar address no longer works. Calendars that used it stop updating."))
    else:
        messages.info(request, _("You have no calendar address."))
    return redirect(reverse("exchange_groups:my_meetings") + "#kalendarz")


@require_safe
def calendar_feed(request, token):
    """The personal feed: no login, the secret token is the key. Revoked or unknown → 404."""
    feed = calendars.find_calendar_feed(token)
    if feed is None:
        raise Http404(_("No such calendar."))
    response = _ics_response(calendars.ics_feed(feed.user), "moje-spotkania.ics")
    response["Cache-Control"] = "private, max-age=0"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
