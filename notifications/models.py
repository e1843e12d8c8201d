"""Notifications: what a person is told in the site (the bell), the e-mails sent to them, and their choices.

- `Notification`: one per (recipient, event); `dedupe_key` ("post:12:reply", "post:12:mention",
  "debate:3:open:7", "meeting:5:cancelled") is unique per recipient, so a signal delivered twice or handled by
  two workers never makes two. The text is not stored: `kind` + `params` (JSON) are rendered when shown, in
  the reader's language (`notifications.texts`).
- `NotificationPreferences`: one per person, made on the first save of the preferences form or when the first
  e-mail with an unsubscribe link is prepared (until then the defaults of `NotificationPreferences()` apply).
  `unsubscribe_key` is a random per-person secret signed into every unsubscribe link; replacing it (from the
  settings page, and on every password change or reset) revokes all the links sent before.
- `EmailDelivery`: an e-mail to send (rendered already); created in the transaction of its notification and
  sent by the task `send_email_delivery` after the commit; a failed attempt is recorded and retried, and the
  row is never deleted. Just before sending it is checked again (`notifications.outgoing`): an e-mail whose
  content the person may no longer read is `skipped`, a digest is rebuilt with the person's current rights.
- `DigestRun`: one per (person, frequency, period): a digest is sent at most once per period.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NotificationKind(models.TextChoices):
    REPLY = "reply", pgettext_lazy("notification kind", "reply in a watched topic")
    MENTION = "mention", pgettext_lazy("notification kind", "mention")
    DEBATE = "debate", pgettext_lazy("notification kind", "debate")
    MODERATION = "moderation", pgettext_lazy("notification kind", "moderation decision")
    MEETING = "meeting", pgettext_lazy("notification kind", "meeting change")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who did it"),
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    params = models.JSONField(_("details"), default=dict, blank=True)
    dedupe_key = models.CharField(_("event key"), max_length=120)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notifications_once_per_event"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notifications_unread")]

    def __str__(self):
        return f"{self.recipient_id} · {self.dedupe_key}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class DigestFrequency(models.TextChoices):
    NONE = "none", pgettext_lazy("digest frequency", "never")
    DAILY = "daily", pgettext_lazy("digest frequency", "daily")
    WEEKLY = "weekly", pgettext_lazy("digest frequency", "weekly")


def new_unsubscribe_key() -> str:
    """A fresh random secret for a person's unsubscribe links (22 URL-safe characters, 128 bits)."""
    return secrets.token_urlsafe(16)


class NotificationPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    inapp_reply = models.BooleanField(_("replies in watched topics"), default=True)
    inapp_mention = models.BooleanField(_("mentions of me"), default=True)
    inapp_debate = models.BooleanField(_("debates opening in my networks and groups"), default=True)
    inapp_moderation = models.BooleanField(_("moderators' decisions about my posts and reports"), default=True)
    inapp_meeting = models.BooleanField(_("changes of meetings I am registered for"), default=True)
    email_mentions = models.BooleanField(_("an e-mail at once when somebody mentions me"), default=True)
    digest = models.CharField(
        _("e-mail summary of what is new"),
        max_length=8,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    site_debates = models.BooleanField(_("debates of the nationwide forum"), default=True)
    unsubscribe_key = models.CharField(
        _("key of the unsubscribe links"), max_length=64, default=new_unsubscribe_key, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    def wants_in_app(self, kind: str) -> bool:
        return bool(getattr(self, f"inapp_{kind}", True))


class EmailKind(models.TextChoices):
    MENTION = "mention", pgettext_lazy("e-mail kind", "mention")
    DIGEST = "digest", pgettext_lazy("e-mail kind", "summary")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("e-mail delivery", "waiting to be sent")
    SENT = "sent", pgettext_lazy("e-mail delivery", "sent")
    FAILED = "failed", pgettext_lazy("e-mail delivery", "failed")
    SKIPPED = "skipped", pgettext_lazy("e-mail delivery", "not sent: no longer for this person")


class EmailDelivery(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_emails",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EmailKind.choices)
    dedupe_key = models.CharField(_("event key"), max_length=120)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("content"))
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notifications_email_once_per_event"),
        ]

    def __str__(self):
        return self.subject


class DigestRun(models.Model):
    """A digest period handled for a person (also when there was nothing new and no e-mail was sent)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_runs", verbose_name=_("user")
    )
    frequency = models.CharField(_("frequency"), max_length=8, choices=DigestFrequency.choices)
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))
    delivery = models.ForeignKey(
        EmailDelivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("e-mail")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        ordering = ["-period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period_end"],
                condition=~Q(frequency="none"),
                name="notifications_digest_once_per_period",
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.frequency} {self.period_end:%Y-%m-%d}"
