"""Services of the meetings of a space: planning, registration with a waiting list, attendance, minutes and
materials (calendar files and the personal feed are in `calendars.py`).

Rules (issue 3, "Meetings"):
- Registration is for active members of the space, until the registration deadline (or the start, when
  there is none), for a meeting that is not cancelled. At capacity a person lands on the waiting list;
  their position is their place in the order of asking.
- Capacity is never exceeded and nobody has two active registrations, even with simultaneous requests:
  every change of registrations locks the meeting row (`select_for_update`) before counting, and a
  partial unique constraint allows one active (registered or waiting) registration per person and
  meeting. A double submit returns the registration the first one made.
- A registered person who cancels frees a place: the first person on the waiting list is promoted in
  the same transaction and told by e-mail after the commit. Raising the capacity promotes too.
- Leaving or being removed from a space cancels the person's registrations for its meetings that have
  not started (`meetings/signals.py`), promoting waiting people.
- Changing the time or place of a meeting, or cancelling it, is announced by e-mail to everyone
  registered or waiting. E-mails never contain the online link, only the meeting page's address.
- Attendance, minutes and materials: coordinators, once the meeting has started.

A broken rule raises `MeetingError` (translated `message`, `code`, and `field` when a form field is to
blame); an actor without the right raises `PermissionDenied`. Functions that depend on the clock take
an optional `now` (tests and demo data).

Settings (read with defaults): `EXCHANGE_GROUPS_MEETING_TIME_ZONE` ("Europe/Warsaw"),
`EXCHANGE_GROUPS_MAX_UPLOAD_MB` (20), `EXCHANGE_GROUPS_PRIVATE_MEDIA_ROOT` (see models.meetings),
`EXCHANGE_GROUPS_EMAIL_LANGUAGE` (LANGUAGE_CODE), `SITE_BASE_URL`.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchange_groups.conf import exchange_groups_settings
from exchange_groups.meetings.permissions import check_can_manage_meetings
from exchange_groups.meetings.signals import send_meeting_changed
from exchange_groups.models import (
    Attendance,
    Meeting,
    MeetingMaterial,
    MeetingMode,
    MeetingStatus,
    Membership,
    Registration,
    RegistrationStatus,
    Space,
    meeting_time_zone,
)
from exchange_groups.spaces.permissions import is_member
from oswiata_kit import email as mail
from oswiata_kit import uploads
from oswiata_kit.errors import RuleError
from oswiata_kit.people import is_person
from oswiata_kit.urls import absolute_url

logger = logging.getLogger(__name__)

MAX_LINK_VISIBLE_MINUTES = 24 * 60

MATERIAL_EXTENSIONS = ("pdf", "docx", "odt", "xlsx", "ods", "pptx", "odp", "txt", "csv", "png", "jpg", "jpeg")

# Fields a coordinator sets on a meeting, and those whose change is announced to the people registered.
MEETING_FIELDS = (
    "title",
    "mode",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "online_link",
    "agenda",
    "capacity",
    "registration_deadline",
    "link_visible_minutes_before",
)
ANNOUNCED_FIELDS = ("mode", "starts_at", "ends_at", "venue", "address", "online_link")
# Fields whose change makes calendars update the event (SEQUENCE goes up).
CALENDAR_FIELDS = ("title", "mode", "starts_at", "ends_at", "venue", "address", "agenda")


class MeetingError(RuleError):
    """A meeting rule was broken (see `oswiata_kit.errors.RuleError`)."""


# --- helpers ---------------------------------------------------------------------------------------


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value, meeting_time_zone())


def _when(value: datetime.datetime) -> str:
    return _local(value).strftime("%d.%m.%Y %H:%M")


def max_upload_bytes() -> int:
    return exchange_groups_settings.MAX_UPLOAD_BYTES


MATERIAL_FILES = uploads.UploadPolicy(extensions=MATERIAL_EXTENSIONS, max_bytes=max_upload_bytes)


def meeting_url(meeting: Meeting) -> str:
    return absolute_url(meeting.get_absolute_url())


def _notify(template: str, recipients: list[str], context: dict) -> None:
    """Render a meeting e-mail now (the app's e-mail language, the meetings' time zone) and send it after the
    commit."""
    language, zone = exchange_groups_settings.EMAIL_LANGUAGE, meeting_time_zone()
    mail.send_email(recipients, f"exchange_groups/email/{template}", context, language=language, time_zone=zone)


def _meeting_context(meeting: Meeting) -> dict:
    return {"meeting": meeting, "space": meeting.space, "meeting_url": meeting_url(meeting)}


def _active_user_ids(meeting: Meeting) -> list[int]:
    return list(Registration.objects.active().filter(meeting=meeting).values_list("user_id", flat=True))


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("space").get(pk=meeting.pk)


def active_registration(user, meeting: Meeting) -> Registration | None:
    if not is_person(user):
        return None
    return Registration.objects.active().filter(meeting_id=meeting.pk, user_id=user.pk).first()


def registered_count(meeting: Meeting) -> int:
    return Registration.objects.registered().filter(meeting_id=meeting.pk).count()


def places_left(meeting: Meeting) -> int | None:
    """Free places, or None when the number is unlimited."""
    if meeting.capacity is None:
        return None
    return max(0, meeting.capacity - registered_count(meeting))


def _with_position(registration: Registration) -> Registration:
    registration.position = registration.waiting_position()
    return registration


# --- planning --------------------------------------------------------------------------------------


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    cleaned = dict(fields)
    for name in ("title", "venue", "address", "online_link", "agenda"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    return cleaned


def _validate(meeting: Meeting) -> None:
    """Check a meeting's fields together; raise MeetingError naming the field to correct."""
    if not meeting.title:
        raise MeetingError(_("Give the meeting a title."), "title_required", "title")
    if meeting.mode not in MeetingMode.values:
        raise MeetingError(_("Choose whether the meeting is in person or online."), "invalid_mode", "mode")
    if meeting.starts_at is None:
        raise MeetingError(_("Give the date and time the meeting starts."), "starts_required", "starts_at")
    if meeting.ends_at is None:
        raise MeetingError(_("Give the date and time the meeting ends."), "ends_required", "ends_at")
    if meeting.ends_at <= meeting.starts_at:
        raise MeetingError(_("The meeting must end after it starts."), "ends_before_start", "ends_at")
    if meeting.mode == MeetingMode.IN_PERSON:
        if not meeting.venue:
            raise MeetingError(
                _("Give the venue of an in-person meeting, for example the name of the building."),
                "venue_required",
                "venue",
            )
        if not meeting.address:
            raise MeetingError(_("Give the address of an in-person meeting."), "address_required", "address")
    if meeting.mode == MeetingMode.ONLINE:
        if not meeting.online_link:
            raise MeetingError(_("Give the link to the online meeting."), "link_required", "online_link")
        if not meeting.online_link.lower().startswith(("https://", "http://")):
            raise MeetingError(_("The link must start with https:// (or http://)."), "link_scheme", "online_link")
    if meeting.capacity is not None and meeting.capacity < 1:
        raise MeetingError(
            _("The number of places must be at least 1; leave it empty for no limit."), "capacity_low", "capacity"
        )
    if meeting.registration_deadline is not None and meeting.registration_deadline > meeting.starts_at:
        raise MeetingError(
            _("The registration deadline must not be later than the start of the meeting."),
            "deadline_after_start",
            "registration_deadline",
        )
    minutes = meeting.link_visible_minutes_before
    if minutes is None or not 0 <= minutes <= MAX_LINK_VISIBLE_MINUTES:
        raise MeetingError(
            _("The link can be shown from 0 to %(max)s minutes before the start.") % {"max": MAX_LINK_VISIBLE_MINUTES},
            "link_minutes",
            "link_visible_minutes_before",
        )


def create_meeting(actor, space: Space, **fields) -> Meeting:
    """A coordinator plans a meeting of the space."""
    check_can_manage_meetings(actor, space)
    fields = _clean_fields(fields)
    if fields.get("mode") == MeetingMode.IN_PERSON:
        fields["online_link"] = ""
    meeting = Meeting(space=space, created_by=actor if is_person(actor) else None, **fields)
    _validate(meeting)
    meeting.save()
    return meeting


def update_meeting(actor, meeting: Meeting, **fields) -> Meeting:
    """Change a meeting. People registered or waiting are told by e-mail when its time or place changed;
    more places promote people from the waiting list."""
    check_can_manage_meetings(actor, meeting.space)
    fields = _clean_fields(fields)
    with transaction.atomic():
        locked = _locked(meeting)
        if locked.is_cancelled:
            raise MeetingError(_("This meeting has been cancelled and can no longer be changed."), "cancelled")
        if locked.has_ended():
            raise MeetingError(
                _("This meeting has already taken place: add the minutes and materials instead."), "ended"
            )
        before = {name: getattr(locked, name) for name in MEETING_FIELDS}
        for name, value in fields.items():
            setattr(locked, name, value)
        if locked.mode == MeetingMode.IN_PERSON:
            locked.online_link = ""
        _validate(locked)
        changed = [name for name in MEETING_FIELDS if getattr(locked, name) != before[name]]
        if not changed:
            return locked
        registered = registered_count(locked)
        if locked.capacity is not None and locked.capacity < registered:
            raise MeetingError(
                ngettext(
                    "%(count)s person is already registered: the number of places cannot be lower.",
                    "%(count)s people are already registered: the number of places cannot be lower.",
                    registered,
                )
                % {"count": registered},
                "capacity_below_registered",
                "capacity",
            )
        if any(name in CALENDAR_FIELDS for name in changed):
            locked.sequence += 1
        locked.save()
        if "capacity" in changed:
            _promote(locked)
        announced = [name for name in changed if name in ANNOUNCED_FIELDS]
        if announced:
            recipients = list(
                Registration.objects.active().filter(meeting=locked).values_list("user__email", flat=True)
            )
            context = _meeting_context(locked)
            context.update(
                {
                    "time_changed": any(name in announced for name in ("starts_at", "ends_at")),
                    "place_changed": any(name in announced for name in ("mode", "venue", "address")),
                    "link_changed": "online_link" in announced and locked.is_online,
                    "previous_starts_at": before["starts_at"],
                }
            )
            _notify("meeting_changed", recipients, context)
            send_meeting_changed(locked, "updated", _active_user_ids(locked))
        return locked


def cancel_meeting(actor, meeting: Meeting, reason: str = "") -> Meeting:
    """Cancel a meeting; everyone registered or waiting is told. Cancelling twice changes nothing."""
    check_can_manage_meetings(actor, meeting.space)
    with transaction.atomic():
        locked = _locked(meeting)
        if locked.is_cancelled:
            return locked
        if locked.has_ended():
            raise MeetingError(_("This meeting has already taken place and cannot be cancelled."), "ended")
        locked.status = MeetingStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancellation_reason = (reason or "").strip()
        locked.sequence += 1
        locked.save(update_fields=["status", "cancelled_at", "cancellation_reason", "sequence", "updated_at"])
        recipients = list(Registration.objects.active().filter(meeting=locked).values_list("user__email", flat=True))
        _notify("meeting_cancelled", recipients, {**_meeting_context(locked), "reason": locked.cancellation_reason})
        send_meeting_changed(locked, "cancelled", _active_user_ids(locked))
        return locked


# --- registration ----------------------------------------------------------------------------------


def check_registration_open(meeting: Meeting, now=None) -> None:
    """Raise MeetingError saying why registration is closed; nothing when it is open."""
    now = now or timezone.now()
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting has been cancelled."), "cancelled")
    if meeting.has_started(now):
        raise MeetingError(_("This meeting has already started: registration is closed."), "started")
    if meeting.effective_deadline <= now:
        raise MeetingError(
            _("Registration closed on %(date)s.") % {"date": _when(meeting.effective_deadline)}, "deadline_passed"
        )


def register_for_meeting(user, meeting: Meeting, *, now=None) -> Registration:
    """Register the person, or put them on the waiting list when the meeting is full.

    The returned registration has `status` (registered or waiting) and `position` (their place on the
    waiting list, or None). Registering again while registered or waiting returns that registration.
    """
    if not is_person(user):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked(meeting)
        now = now or timezone.now()  # read once the lock is held: the order of service
        existing = Registration.objects.active().filter(meeting=locked, user=user).first()
        if existing is not None:
            return _with_position(existing)
        if not is_member(user, locked.space):
            raise MeetingError(_("Only members of the space can register for its meetings."), "not_member")
        check_registration_open(locked, now)
        full = locked.capacity is not None and registered_count(locked) >= locked.capacity
        status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
        try:
            with transaction.atomic():
                registration = Registration.objects.create(meeting=locked, user=user, status=status, created_at=now)
        except IntegrityError:
            # A simultaneous submit of the same person won (the partial unique constraint stopped this one).
            registration = Registration.objects.active().get(meeting=locked, user=user)
    return _with_position(registration)


def cancel_registration(user, meeting: Meeting, *, now=None) -> Registration:
    """The person withdraws (from the list of participants or from the waiting list).

    A freed place goes to the first person on the waiting list, who is told by e-mail. Withdrawing twice
    returns the cancelled registration.
    """
    if not is_person(user):
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(meeting)
        registration = Registration.objects.select_for_update().active().filter(meeting=locked, user=user).first()
        if registration is None:
            previous = (
                Registration.objects.filter(meeting=locked, user=user, status=RegistrationStatus.CANCELLED)
                .order_by("-cancelled_at", "-pk")
                .first()
            )
            if previous is not None:
                return previous
            raise MeetingError(_("You are not registered for this meeting."), "not_registered")
        if locked.has_started(now):
            raise MeetingError(
                _("The meeting has already started: registration can no longer be withdrawn."), "started"
            )
        _cancel(registration, locked, now)
        return registration


def _cancel(registration: Registration, meeting: Meeting, now) -> None:
    was_registered = registration.is_registered
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if was_registered:
        _promote(meeting, now)


def _promote(meeting: Meeting, now=None) -> list[Registration]:
    """Fill free places from the waiting list, in order (the meeting row is locked by the caller)."""
    now = now or timezone.now()
    if meeting.is_cancelled or meeting.has_started(now):
        return []
    waiting = Registration.objects.waiting().filter(meeting=meeting).select_for_update()
    if meeting.capacity is not None:
        free = meeting.capacity - registered_count(meeting)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting.select_related("user"))
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _notify(
            "meeting_promoted", [registration.user.email], {**_meeting_context(meeting), "person": registration.user}
        )
    return promoted


def cancel_future_registrations(user, space: Space, *, now=None) -> int:
    """Withdraw the person's registrations for meetings of the space that have not started (they left the
    space or were removed). Returns how many were withdrawn."""
    now = now or timezone.now()
    meeting_ids = list(
        Registration.objects.active()
        .filter(user=user, meeting__space=space, meeting__starts_at__gt=now)
        .values_list("meeting_id", flat=True)
    )
    count = 0
    for meeting_id in meeting_ids:
        with transaction.atomic():
            locked = Meeting.objects.select_for_update().select_related("space").get(pk=meeting_id)
            registration = Registration.objects.select_for_update().active().filter(meeting=locked, user=user).first()
            if registration is None or locked.has_started(now):
                continue
            _cancel(registration, locked, now)
            count += 1
    return count


def registrations_of(meeting: Meeting):
    """Registered people (by name) and the waiting list (in order), for the coordinators."""
    base = Registration.objects.filter(meeting=meeting).select_related("user__profile__unit")
    registered = base.filter(status=RegistrationStatus.REGISTERED).order_by("user__last_name", "user__first_name")
    waiting = list(base.filter(status=RegistrationStatus.WAITING).order_by("pk"))
    for position, registration in enumerate(waiting, start=1):
        registration.position = position
    return registered, waiting


# --- after the meeting: attendance, minutes, materials ----------------------------------------------


def check_meeting_held(meeting: Meeting, now, what: str) -> None:
    if meeting.is_cancelled:
        raise MeetingError(_("This meeting has been cancelled."), "cancelled")
    if not meeting.has_started(now):
        if what == "attendance":
            message = _("Attendance can be marked once the meeting has started.")
        else:
            message = _("Minutes and materials can be added once the meeting has started.")
        raise MeetingError(message, "not_started")


def mark_attendance(actor, meeting: Meeting, marks: dict, *, now=None) -> int:
    """Record attendance {user id: Attendance value} of registered people. Returns how many changed."""
    check_can_manage_meetings(actor, meeting.space)
    now = now or timezone.now()
    check_meeting_held(meeting, now, "attendance")
    marks = {int(user_id): value for user_id, value in marks.items()}
    for value in marks.values():
        if value not in Attendance.values:
            raise MeetingError(_("Choose present, excused or absent for each person."), "invalid_attendance")
    changed = 0
    with transaction.atomic():
        registrations = {
            registration.user_id: registration
            for registration in Registration.objects.select_for_update().filter(
                meeting=meeting, status=RegistrationStatus.REGISTERED, user_id__in=list(marks)
            )
        }
        if set(marks) - set(registrations):
            raise MeetingError(
                _("Attendance can be marked only for people registered for the meeting."), "not_registered"
            )
        for user_id, value in marks.items():
            registration = registrations[user_id]
            if registration.attendance == value:
                continue
            registration.attendance = value
            registration.attendance_marked_by = actor
            registration.attendance_marked_at = now
            registration.save(update_fields=["attendance", "attendance_marked_by", "attendance_marked_at"])
            changed += 1
    return changed


def set_minutes(actor, meeting: Meeting, text: str, *, now=None) -> Meeting:
    check_can_manage_meetings(actor, meeting.space)
    now = now or timezone.now()
    check_meeting_held(meeting, now, "minutes")
    text = (text or "").strip()
    with transaction.atomic():
        locked = _locked(meeting)
        if locked.minutes == text:
            return locked
        locked.minutes = text
        locked.minutes_updated_at = now
        locked.save(update_fields=["minutes", "minutes_updated_at", "updated_at"])
        return locked


def check_material_file(upload) -> str:
    """Check an uploaded material (`oswiata_kit.uploads`: allowed extension, size, content that matches it, no
    web-page code, no polyglot). Returns the extension; raises MeetingError (field "file") otherwise."""
    try:
        return uploads.check_upload(upload, MATERIAL_FILES).extension
    except uploads.UploadRefused as refused:
        raise MeetingError(refused.message, f"file_{refused.code}", "file") from None


def attach_material(actor, meeting: Meeting, *, title: str, file=None, url: str = "", now=None) -> MeetingMaterial:
    """Add a file or a link to a meeting that has taken place (or is taking place)."""
    check_can_manage_meetings(actor, meeting.space)
    now = now or timezone.now()
    check_meeting_held(meeting, now, "materials")
    title = (title or "").strip()
    url = (url or "").strip()
    if not title:
        raise MeetingError(_("Give the material a title."), "title_required", "title")
    if bool(file) == bool(url):
        raise MeetingError(_("Add either a file or a link (one of them)."), "file_or_link", "file")
    material = MeetingMaterial(meeting=meeting, title=title, added_by=actor, added_at=now)
    if url:
        if not url.lower().startswith(("https://", "http://")):
            raise MeetingError(_("The link must start with https:// (or http://)."), "link_scheme", "url")
        material.url = url
    else:
        material.extension = check_material_file(file)
        material.size = file.size
        material.file.save(f"material.{material.extension}", file, save=False)
    try:
        material.save()
    except Exception:
        if material.file:
            material.file.delete(save=False)
        raise
    return material


def remove_material(actor, material: MeetingMaterial) -> None:
    check_can_manage_meetings(actor, material.meeting.space)
    with transaction.atomic():
        stored = material.file.name if material.file else ""
        material.delete()
        if stored:
            storage = material.file.storage
            transaction.on_commit(lambda: storage.delete(stored))


def material_content_type(material: MeetingMaterial) -> str:
    return MATERIAL_FILES.content_type(material.extension)


# --- lists for pages -------------------------------------------------------------------------------


def upcoming_registrations(user, now=None):
    """The person's active registrations for meetings that have not ended, in spaces they belong to."""
    now = now or timezone.now()
    spaces = Membership.objects.filter(user=user, until__isnull=True).values("space_id")
    registrations = list(
        Registration.objects.active()
        .filter(user=user, meeting__ends_at__gt=now, meeting__space_id__in=spaces)
        .select_related("meeting__space")
        .order_by("meeting__starts_at", "meeting_id")
    )
    for registration in registrations:
        _with_position(registration)
    return registrations


def meetings_of(space: Space, now=None) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming, past) meetings of a space: upcoming soonest first, past latest first."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(space=space).select_related("space")
    upcoming = list(meetings.filter(ends_at__gt=now).order_by("starts_at", "pk"))
    past = list(meetings.filter(ends_at__lte=now).order_by("-starts_at", "-pk"))
    return upcoming, past


def annotate_for(user, meetings: list[Meeting]) -> None:
    """Add `my_registration` (active, or None) and `registered_count` to each meeting of a list."""
    ids = [meeting.pk for meeting in meetings]
    mine = {}
    if is_person(user):
        mine = {
            registration.meeting_id: registration
            for registration in Registration.objects.active().filter(user=user, meeting_id__in=ids)
        }
    counts = dict(
        Registration.objects.registered()
        .filter(meeting_id__in=ids)
        .values("meeting_id")
        .annotate(n=Count("pk"))
        .values_list("meeting_id", "n")
    )
    for meeting in meetings:
        meeting.my_registration = mine.get(meeting.pk)
        if meeting.my_registration is not None:
            _with_position(meeting.my_registration)
        meeting.registered_count = counts.get(meeting.pk, 0)
