"""Background tasks of the notifications (django-tasks): a post's notifications; sending one recorded e-mail,
with retries; digests.

`notify_post_published(post_id, created, mentioned_user_ids)` makes the notifications of a post (mentions and
their e-mails, replies to watchers: `receivers.notify_about_post`). The `post_published` receiver queues it, so
the live socket answers a post before anybody's notifications are worked out, and never on its own database
thread: the background worker (`manage.py db_worker`) runs it. Queued twice, it changes nothing the second time
(each notification has its dedupe key).

`send_email_delivery(delivery_id)` sends a pending `EmailDelivery` and marks it sent, unless the check just
before sending (`notifications.outgoing`) finds that it is no longer for the person: then it is marked skipped.
When sending raises, the error and the attempt are recorded; the task enqueues itself again after an
exponential back-off (1, 2, 4, 8 minutes) when the backend can run tasks later (`supports_defer`), otherwise
the row stays pending for `manage.py send_pending_email`. After `NOTIFICATIONS_MAX_ATTEMPTS` (5) attempts the
row is marked failed and kept (the Wagtail admin lists it). A row is never deleted.
"""

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from .conf import notifications_settings
from .models import DeliveryStatus, EmailDelivery

logger = logging.getLogger(__name__)


def max_attempts() -> int:
    return notifications_settings.MAX_ATTEMPTS


def retry_delay(attempts: int) -> datetime.timedelta:
    base = notifications_settings.RETRY_SECONDS
    return datetime.timedelta(seconds=base * 2 ** max(0, attempts - 1))


@task()
def notify_post_published(post_id: int, created: bool, mentioned_user_ids: list[int]) -> None:
    from .receivers import notify_about_post

    notify_about_post(post_id, created, mentioned_user_ids)


@task()
def send_email_delivery(delivery_id: int) -> str:
    from .outgoing import prepare_for_sending
    from .services import enqueue_delivery, task_backend

    with transaction.atomic():
        # The row lock keeps two workers from sending the same e-mail twice.
        delivery = (
            EmailDelivery.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return "skipped"
        if not prepare_for_sending(delivery):
            delivery.status = DeliveryStatus.SKIPPED
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "next_attempt_at"])
            return "skipped"
        message = EmailMessage(
            subject=delivery.subject,
            body=delivery.body,
            to=[delivery.recipient.email],
            headers=dict(delivery.headers or {}),
        )
        now = timezone.now()
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 — any failure of the mail backend is recorded and retried
            delivery.attempts += 1
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if delivery.attempts >= max_attempts():
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = None
                logger.error("E-mail %s failed %s times; giving up", delivery.pk, delivery.attempts)
            else:
                delivery.next_attempt_at = now + retry_delay(delivery.attempts)
                logger.warning("E-mail %s not sent (attempt %s): %s", delivery.pk, delivery.attempts, error)
            delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            if delivery.status == DeliveryStatus.PENDING and task_backends[task_backend()].supports_defer:
                run_after = delivery.next_attempt_at
                transaction.on_commit(lambda: enqueue_delivery(delivery_id, run_after=run_after))
            return "retry" if delivery.status == DeliveryStatus.PENDING else "failed"
        delivery.attempts += 1
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = now
        delivery.next_attempt_at = None
        delivery.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "subject", "body"])
    return "sent"


@task()
def send_digests(frequency: str, now: str | None = None) -> int:
    """Send the daily or weekly digests of the period that has just ended; returns how many e-mails were queued."""
    from .digest import send_digests as run

    moment = datetime.datetime.fromisoformat(now) if now else None
    return run(frequency, now=moment)
