"""Calendar files of meetings: one meeting's .ics, and each person's secret, revocable calendar feed."""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchange_groups.conf import exchange_groups_settings
from exchange_groups.meetings.services import MeetingError, _local, meeting_url
from exchange_groups.models import (
    ACTIVE_REGISTRATION_STATUSES,
    CalendarFeed,
    Meeting,
    Membership,
    Registration,
    meeting_time_zone,
)
from oswiata_kit.people import is_person

# How far back the personal calendar feed reaches (calendar apps keep what they saw before).
FEED_PAST_DAYS = 365


def _ics_description(meeting: Meeting) -> str:
    lines = []
    if meeting.is_cancelled:
        lines.append(_("The meeting has been cancelled."))
        if meeting.cancellation_reason:
            lines.append(meeting.cancellation_reason)
        lines.append("")
    lines.append(meeting.space.name)
    if meeting.agenda:
        lines += ["", _("Agenda:"), meeting.agenda]
    if meeting.is_online:
        lines += [
            "",
            ngettext(
                "The link to the online meeting appears on the meeting page for registered people %(count)s "
                "minute before the start.",
                "The link to the online meeting appears on the meeting page for registered people %(count)s "
                "minutes before the start.",
                meeting.link_visible_minutes_before,
            )
            % {"count": meeting.link_visible_minutes_before},
        ]
    lines += ["", _("Meeting page:"), meeting_url(meeting)]
    return "\n".join(lines)


def _ics_location(meeting: Meeting) -> str:
    if meeting.is_online:
        return _("Online (the link is on the meeting page)")
    return ", ".join(part for part in (meeting.venue, meeting.address) if part)


def _event(meeting: Meeting):
    import icalendar

    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@oswiata-jst")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", _local(meeting.starts_at))
    event.add("dtend", _local(meeting.ends_at))
    event.add("summary", meeting.title)
    event.add("location", _ics_location(meeting))
    event.add("description", _ics_description(meeting))
    event.add("url", meeting_url(meeting))
    event.add("sequence", meeting.sequence)
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def _calendar(name: str, meetings) -> bytes:
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Oswiata JST//Spotkania//PL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(meeting_time_zone()))
    meetings = list(meetings)
    if meetings:
        # The zone's rules for the span of these meetings only (a year either side), before the events.
        first = min(meeting.starts_at for meeting in meetings) - datetime.timedelta(days=366)
        last = max(meeting.ends_at for meeting in meetings) + datetime.timedelta(days=366)
        calendar.add_component(
            icalendar.Timezone.from_tzinfo(
                meeting_time_zone(), str(meeting_time_zone()), first_date=first.date(), last_date=last.date()
            )
        )
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    return calendar.to_ical()


def ics_for_meeting(meeting: Meeting, user=None) -> bytes:
    """One meeting as an .ics file. The online link is never in it: the description carries the meeting
    page's address, where registered people find the link shortly before the start."""
    return _calendar(meeting.title, [meeting])


def feed_meetings(user, now=None):
    """The meetings of the person's calendar feed: their active registrations (registered or waiting)
    for meetings of spaces they still belong to, from FEED_PAST_DAYS ago on; cancelled ones included
    (calendars then show them as cancelled)."""
    now = now or timezone.now()
    spaces = Membership.objects.filter(user=user, until__isnull=True).values("space_id")
    meeting_ids = Registration.objects.filter(user=user, status__in=ACTIVE_REGISTRATION_STATUSES).values("meeting_id")
    return (
        Meeting.objects.filter(pk__in=meeting_ids, space_id__in=spaces)
        .filter(ends_at__gte=now - datetime.timedelta(days=FEED_PAST_DAYS))
        .select_related("space")
        .order_by("starts_at", "pk")
    )


def ics_feed(user, now=None) -> bytes:
    name = _("My meetings · %(site)s") % {"site": exchange_groups_settings.SITE_NAME}
    return _calendar(name, feed_meetings(user, now))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_calendar_feed(user) -> tuple[CalendarFeed, str]:
    """Make a new secret calendar address for the person (an older one stops working).

    Returns the feed and the raw token: the token is not stored (only its hash), so the caller shows the
    address now or never.
    """
    if not is_person(user):
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True).update(
                    revoked_at=timezone.now()
                )
                feed = CalendarFeed.objects.create(user=user, token_hash=_hash(token))
            return feed, token
        except IntegrityError:  # a simultaneous request made one in between: replace it too
            continue
    raise MeetingError(_("The calendar address could not be created. Try again."), "feed_conflict")


def revoke_calendar_feed(user) -> int:
    """Stop the person's calendar address; returns how many were active (0 or 1)."""
    if not is_person(user):
        raise PermissionDenied
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def active_calendar_feed(user) -> CalendarFeed | None:
    if not is_person(user):
        return None
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def find_calendar_feed(token: str) -> CalendarFeed | None:
    """The active feed of that token (with an active account), or None."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
