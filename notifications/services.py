"""Services of the notifications: every write goes through these verb-named functions (each in a transaction).

- `notify(kind, recipient_ids, dedupe_key, ...)` makes at most one notification per (recipient, event) for the
  people whose preferences want that kind in the site, and sends each of them the new unread count on their
  account socket after the commit.
- `queue_email(...)` records an `EmailDelivery` (at most one per recipient and event) and enqueues the task
  that sends it once the transaction commits: mail is never sent inside a request.
- Preferences: `get_preferences` (unsaved defaults when the person never saved any), `update_preferences`,
  `unsubscribe` (what the one-click link in an e-mail does), with signed links (`unsubscribe_token`).
- Unsubscribe links are signed (salt `UNSUBSCRIBE_SALT`), carry their time of signing and the person's
  `unsubscribe_key`: a link older than `NOTIFICATIONS_UNSUBSCRIBE_LINK_DAYS` is expired, one whose key is no
  longer the person's is revoked (`revoke_unsubscribe_links`: from the settings page, and on every change or
  reset of the password, see receivers). Neither changes anything (`check_unsubscribe_token`).

Settings (read with defaults): `NOTIFICATIONS_TASK_BACKEND` ("default"), `NOTIFICATIONS_EMAIL_LANGUAGE`
(LANGUAGE_CODE), `NOTIFICATIONS_MAX_ATTEMPTS` (5), `NOTIFICATIONS_RETRY_SECONDS` (60, doubled each attempt),
`NOTIFICATIONS_UNSUBSCRIBE_LINK_DAYS` (180).
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from exchange_groups.accounts.realtime import notify_user
from oswiata_kit import email as mail
from oswiata_kit.urls import absolute_url

from .conf import notifications_settings
from .models import (
    DeliveryStatus,
    DigestFrequency,
    EmailDelivery,
    EmailKind,
    Notification,
    NotificationPreferences,
    new_unsubscribe_key,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
MAX_TITLE = 255


# --- preferences -------------------------------------------------------------------------------------


def get_preferences(user) -> NotificationPreferences:
    """The person's preferences; an unsaved instance with the defaults when they never saved any."""
    prefs = NotificationPreferences.objects.filter(user_id=user.pk).first()
    return prefs or NotificationPreferences(user_id=user.pk)


def preferences_for(user_ids: Iterable[int]) -> dict[int, NotificationPreferences]:
    ids = list(user_ids)
    found = {p.user_id: p for p in NotificationPreferences.objects.filter(user_id__in=ids)}
    return {uid: found.get(uid) or NotificationPreferences(user_id=uid) for uid in ids}


PREFERENCE_FIELDS = (
    "inapp_reply",
    "inapp_mention",
    "inapp_debate",
    "inapp_moderation",
    "inapp_meeting",
    "email_mentions",
    "digest",
    "site_debates",
)


def update_preferences(user, **fields) -> NotificationPreferences:
    unknown = set(fields) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValueError(f"unknown preference fields: {sorted(unknown)}")
    if "digest" in fields and fields["digest"] not in DigestFrequency.values:
        raise ValueError("unknown digest frequency")
    with transaction.atomic():
        prefs, _created = NotificationPreferences.objects.select_for_update().get_or_create(user_id=user.pk)
        for name, value in fields.items():
            setattr(prefs, name, value)
        prefs.save()
    return prefs


# --- one-click unsubscribe ---------------------------------------------------------------------------


def unsubscribe_link_days() -> int:
    """How long an unsubscribe link works: long enough for an old e-mail, never for ever."""
    return notifications_settings.UNSUBSCRIBE_LINK_DAYS


def unsubscribe_key(user) -> str:
    """The person's current key of their unsubscribe links (their preferences are saved to keep it)."""
    prefs = NotificationPreferences.objects.filter(user_id=user.pk).only("unsubscribe_key").first()
    if prefs is None:
        prefs, _created = NotificationPreferences.objects.get_or_create(user_id=user.pk)
    return prefs.unsubscribe_key


def revoke_unsubscribe_links(user) -> None:
    """Give the person a new key: every unsubscribe link sent to them before stops working."""
    with transaction.atomic():
        prefs, _created = NotificationPreferences.objects.select_for_update().get_or_create(user_id=user.pk)
        prefs.unsubscribe_key = new_unsubscribe_key()
        prefs.save(update_fields=["unsubscribe_key", "updated_at"])


def revoke_saved_unsubscribe_links(user_id: int) -> int:
    """Like `revoke_unsubscribe_links`, for a person who may have no saved preferences (then no link was ever
    made, and nothing is created); returns the number of rows changed."""
    return NotificationPreferences.objects.filter(user_id=user_id).update(
        unsubscribe_key=new_unsubscribe_key(), updated_at=timezone.now()
    )


def unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind, "r": unsubscribe_key(user)}, salt=UNSUBSCRIBE_SALT, compress=True)


class LinkState:
    VALID = "valid"
    EXPIRED = "expired"  # older than NOTIFICATIONS_UNSUBSCRIBE_LINK_DAYS
    REVOKED = "revoked"  # the person's key has changed since (or the link predates keys)
    INVALID = "invalid"  # forged, altered, cut, or for somebody or something unknown


@dataclass(frozen=True)
class UnsubscribeLink:
    state: str
    user: object = None
    kind: str = ""

    @property
    def is_valid(self) -> bool:
        return self.state == LinkState.VALID


def check_unsubscribe_token(token: str) -> UnsubscribeLink:
    """What an unsubscribe link is worth now; only a VALID one names the person and the kind of e-mail."""
    max_age = datetime.timedelta(days=unsubscribe_link_days())
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    except signing.SignatureExpired:  # authentic, but too old (the signature is checked first)
        return UnsubscribeLink(LinkState.EXPIRED)
    except signing.BadSignature:
        return UnsubscribeLink(LinkState.INVALID)
    if not isinstance(data, dict) or data.get("k") not in EmailKind.values:
        return UnsubscribeLink(LinkState.INVALID)
    user = get_user_model().objects.filter(pk=data.get("u")).first()
    if user is None:
        return UnsubscribeLink(LinkState.INVALID)
    key = data.get("r")
    current = NotificationPreferences.objects.filter(user_id=user.pk).values_list("unsubscribe_key", flat=True).first()
    if not isinstance(key, str) or not current or not constant_time_compare(key, current):
        return UnsubscribeLink(LinkState.REVOKED)
    return UnsubscribeLink(LinkState.VALID, user, data["k"])


def read_unsubscribe_token(token: str):
    """(user, kind) for a valid token; None for a forged, altered, unknown, expired or revoked one."""
    link = check_unsubscribe_token(token)
    return (link.user, link.kind) if link.is_valid else None


def unsubscribe_url(user, kind: str) -> str:
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)]))


def unsubscribe(user, kind: str) -> bool:
    """Stop the e-mails of `kind` for the person; True when something changed."""
    prefs = get_preferences(user)
    if kind == EmailKind.MENTION:
        if not prefs.email_mentions and prefs.pk:
            return False
        update_preferences(user, email_mentions=False)
        return True
    if kind == EmailKind.DIGEST:
        if prefs.digest == DigestFrequency.NONE and prefs.pk:
            return False
        update_preferences(user, digest=DigestFrequency.NONE)
        return True
    raise ValueError(kind)


# --- in-app notifications ----------------------------------------------------------------------------


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def push_count(user_id: int) -> None:
    """Tell the person's open pages their new unread count (after the commit)."""
    unread = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
    notify_user(user_id, {"type": "notifications.count", "unread": unread})


def notify(
    kind: str,
    recipient_ids: Iterable[int],
    dedupe_key: str,
    *,
    actor=None,
    title: str = "",
    url: str = "",
    params: dict | None = None,
) -> list[int]:
    """One notification of `kind` per recipient for this event (never two); returns who got a new one.

    People whose preferences turn this kind off in the site are skipped."""
    ids = sorted({int(uid) for uid in recipient_ids if uid})
    if not ids:
        return []
    prefs = preferences_for(ids)
    wanted = [uid for uid in ids if prefs[uid].wants_in_app(kind)]
    created = []
    with transaction.atomic():
        already = set(
            Notification.objects.filter(recipient_id__in=wanted, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        now = timezone.now()
        for uid in wanted:
            if uid in already:
                continue
            try:
                with transaction.atomic():
                    Notification.objects.create(
                        recipient_id=uid,
                        kind=kind,
                        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
                        title=(title or "")[:MAX_TITLE],
                        url=url or "",
                        params=params or {},
                        dedupe_key=dedupe_key,
                        created_at=now,
                    )
            except IntegrityError:  # another worker made it a moment ago
                continue
            created.append(uid)
        for uid in created:
            push_count(uid)
    return created


def mark_read(user, notification: Notification) -> bool:
    """Mark one of the person's notifications read; True when it was unread."""
    with transaction.atomic():
        changed = Notification.objects.filter(pk=notification.pk, recipient_id=user.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if changed:
            push_count(user.pk)
    return bool(changed)


def mark_all_read(user) -> int:
    with transaction.atomic():
        changed = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())
        if changed:
            push_count(user.pk)
    return changed


# --- e-mail ------------------------------------------------------------------------------------------


def email_language() -> str:
    return notifications_settings.EMAIL_LANGUAGE


def task_backend() -> str:
    return notifications_settings.TASK_BACKEND


def render_email(template_prefix: str, context: dict) -> tuple[str, str]:
    """Subject and body of `<prefix>_subject.txt` / `<prefix>_body.txt` in the e-mail language."""
    return mail.render_email(template_prefix, context, language=email_language())


def enqueue_delivery(delivery_id: int, run_after=None) -> None:
    from .tasks import send_email_delivery

    task = send_email_delivery.using(backend=task_backend())
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(delivery_id)


def queue_email(user, kind: str, dedupe_key: str, subject: str, body: str) -> EmailDelivery | None:
    """Record the e-mail and send it from a background task after the commit; None when already queued.

    Every e-mail carries its one-click unsubscribe link (RFC 8058 headers, and the body ends with it)."""
    if not user.email:
        return None
    link = unsubscribe_url(user, kind)
    headers = {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    try:
        with transaction.atomic():
            if EmailDelivery.objects.filter(recipient_id=user.pk, dedupe_key=dedupe_key).exists():
                return None
            delivery = EmailDelivery.objects.create(
                recipient_id=user.pk, kind=kind, dedupe_key=dedupe_key, subject=subject, body=body, headers=headers
            )
            transaction.on_commit(lambda: enqueue_delivery(delivery.pk))
    except IntegrityError:
        return None
    return delivery


def queue_mention_email(user, *, actor_name: str, topic_title: str, post_url: str, dedupe_key: str):
    subject, body = render_email(
        "notifications/email/mention",
        {
            "user": user,
            "actor_name": actor_name,
            "topic_title": topic_title,
            "post_url": absolute_url(post_url),
            "preferences_url": absolute_url(reverse("notifications:preferences")),
            "unsubscribe_url": unsubscribe_url(user, EmailKind.MENTION),
        },
    )
    return queue_email(user, EmailKind.MENTION, dedupe_key, subject, body)


def pending_deliveries(now=None):
    now = now or timezone.now()
    return EmailDelivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def requeue_pending(now=None) -> int:
    """Enqueue the send task again for every pending e-mail that is due (the safety net of `send_pending_email`)."""
    ids = list(pending_deliveries(now).values_list("pk", flat=True))
    for pk in ids:
        enqueue_delivery(pk)
    return len(ids)
