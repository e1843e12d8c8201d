"""Meetings of a space: in person or online, registration with a waiting list, attendance, minutes,
materials, and the personal calendar feed.

Change these rows only through the services in `exchange_groups.meetings.services`: they lock the meeting row
while counting places, send the e-mails and keep `sequence` (the ICS revision number) up to date.
"""

import datetime
import os
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exchange_groups.conf import exchange_groups_settings
from oswiata_kit.storage import private_storage  # the migrations name it here: exchange_groups.models.meetings

from .spaces import Space

DEFAULT_LINK_VISIBLE_MINUTES = 60


def meeting_time_zone() -> ZoneInfo:
    """The zone meeting times are entered and shown in (setting EXCHANGE_GROUPS_MEETING_TIME_ZONE)."""
    return ZoneInfo(exchange_groups_settings.MEETING_TIME_ZONE)


def material_upload_to(instance, filename: str) -> str:
    """A generated name: the person's file name never becomes a path (only its checked extension is kept)."""
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    extension = "".join(ch for ch in extension if ch.isalnum())[:8] or "bin"
    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}.{extension}"


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", pgettext_lazy("meeting mode", "in person")
    ONLINE = "online", pgettext_lazy("meeting mode", "online")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("meeting status", "scheduled")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "cancelled")


class Meeting(models.Model):
    """A meeting of a space (spotkanie stacjonarne or online)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("space"))
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(_("form of the meeting"), max_length=16, choices=MeetingMode.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_link = models.URLField(_("link to the online meeting"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    capacity = models.PositiveIntegerField(_("number of places"), null=True, blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    link_visible_minutes_before = models.PositiveIntegerField(
        _("link shown this many minutes before the start"), default=DEFAULT_LINK_VISIBLE_MINUTES
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    minutes = models.TextField(_("minutes of the meeting"), blank=True)
    minutes_updated_at = models.DateTimeField(_("minutes updated at"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("revision (calendar SEQUENCE)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["space", "starts_at"], name="meeting_space_starts")]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at, meeting_time_zone()):%d.%m.%Y %H:%M})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("exchange_groups:meeting_detail", kwargs={"slug": self.space.slug, "pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_online(self) -> bool:
        return self.mode == MeetingMode.ONLINE

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def has_ended(self, now=None) -> bool:
        return self.ends_at <= (now or timezone.now())

    @property
    def effective_deadline(self) -> datetime.datetime:
        """Registration closes at the deadline, or at the start when there is none (or it is later)."""
        if self.registration_deadline and self.registration_deadline < self.starts_at:
            return self.registration_deadline
        return self.starts_at

    @property
    def link_visible_from(self) -> datetime.datetime:
        return self.starts_at - datetime.timedelta(minutes=self.link_visible_minutes_before)

    def link_window_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.link_visible_from <= now < self.ends_at


class MeetingMaterial(models.Model):
    """A file or a link attached to a meeting (after it took place), e.g. the presentation shown."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials", verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_upload_to, storage=private_storage, blank=True)
    extension = models.CharField(_("file type"), max_length=8, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting material")
        verbose_name_plural = _("meeting materials")
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url="")) | (~models.Q(file="") & models.Q(url="")),
                name="meeting_material_file_or_link",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("registration status", "registered")
    WAITING = "waiting", pgettext_lazy("registration status", "on the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "cancelled")


ACTIVE_REGISTRATION_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", pgettext_lazy("attendance", "not marked")
    PRESENT = "present", pgettext_lazy("attendance", "present")
    EXCUSED = "excused", pgettext_lazy("attendance", "excused")
    ABSENT = "absent", pgettext_lazy("attendance", "absent")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_REGISTRATION_STATUSES)

    def registered(self):
        return self.filter(status=RegistrationStatus.REGISTERED)

    def waiting(self):
        """The waiting list in its order: who asked first comes first. The order is that of the primary key:
        rows are inserted while the meeting row is locked, so it is the order in which requests were served."""
        return self.filter(status=RegistrationStatus.WAITING).order_by("pk")


class Registration(models.Model):
    """A person's registration for a meeting: registered, on the waiting list, or cancelled.

    A person has at most one active (registered or waiting) registration per meeting (a partial unique
    constraint); a cancelled row stays as history and registering again makes a new row. The position
    on the waiting list is derived: 1 + the number of waiting registrations made before (see `waiting()`).
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved from the waiting list at"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=16, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance marked by"),
    )
    attendance_marked_at = models.DateTimeField(_("attendance marked at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration for a meeting")
        verbose_name_plural = _("registrations for meetings")
        ordering = ["meeting", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(status__in=ACTIVE_REGISTRATION_STATUSES),
                name="one_active_registration_per_meeting_user",
            )
        ]
        indexes = [models.Index(fields=["meeting", "status"], name="registration_queue")]

    def __str__(self):
        return f"{self.user} · {self.meeting} · {self.get_status_display()}"

    @property
    def is_registered(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED

    @property
    def is_waiting(self) -> bool:
        return self.status == RegistrationStatus.WAITING

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_REGISTRATION_STATUSES

    def waiting_position(self) -> int | None:
        """1 for the first person on the waiting list; None when not waiting."""
        if not self.is_waiting:
            return None
        ahead = Registration.objects.waiting().filter(meeting_id=self.meeting_id, pk__lt=self.pk).count()
        return ahead + 1


class CalendarFeed(models.Model):
    """A person's secret calendar address (all their meetings). Only a hash of the token is stored; the
    address is shown once, when it is made. Revoking it makes the address answer 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds", verbose_name=_("person")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="one_active_calendar_feed_per_user"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


__all__ = [
    "ACTIVE_REGISTRATION_STATUSES",
    "Attendance",
    "CalendarFeed",
    "Meeting",
    "MeetingMaterial",
    "MeetingMode",
    "MeetingStatus",
    "Registration",
    "RegistrationStatus",
    "meeting_time_zone",
]
