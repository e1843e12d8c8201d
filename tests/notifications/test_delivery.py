"""E-mail delivery: never inside the request, retried after a failure, never lost."""

import io
import smtplib

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from forums.mentions import handle_of
from notifications import services
from notifications.models import DeliveryStatus, EmailDelivery
from notifications.tasks import send_email_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(world, committed):
    with committed():
        return services.queue_email(world["other"], "mention", "test:1", "Temat", "Treść wiadomości.")


class FlakyBackend:
    """A mail backend whose first `failures` sends raise SMTPException."""

    failures = 1
    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise smtplib.SMTPException("450 mailbox busy")
        from django.core import mail

        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings):
    FlakyBackend.calls = 0
    FlakyBackend.failures = 1
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    return FlakyBackend


def test_failed_send_stays_pending_and_the_next_run_sends_it(world, committed, flaky, mailoutbox):
    with committed():
        delivery = services.queue_email(world["other"], "mention", "test:1", "Temat", "Treść.")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert "450 mailbox busy" in delivery.last_error
    assert delivery.next_attempt_at is not None
    assert mailoutbox == []
    send_email_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert len(mailoutbox) == 1


def test_after_five_failures_the_email_is_failed_and_kept(world, committed, flaky, mailoutbox):
    flaky.failures = 99
    with committed():
        delivery = services.queue_email(world["other"], "mention", "test:1", "Temat", "Treść.")
    for _ in range(6):
        send_email_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 5
    assert EmailDelivery.objects.filter(pk=delivery.pk).exists()
    assert mailoutbox == []


def test_failure_under_the_database_backend_is_retried_later(world, committed, flaky, settings):
    settings.NOTIFICATIONS_TASK_BACKEND = "database"
    with committed():
        delivery = services.queue_email(world["other"], "mention", "test:1", "Temat", "Treść.")
    assert DBTaskResult.objects.count() == 1
    with committed():
        send_email_delivery.call(delivery.pk)
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert DBTaskResult.objects.count() == 2
    assert retry.run_after is not None
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.status == DeliveryStatus.PENDING


def test_sent_email_is_not_sent_again(world, delivery, mailoutbox):
    assert len(mailoutbox) == 1
    send_email_delivery.call(delivery.pk)
    assert len(mailoutbox) == 1


def test_same_event_queues_one_email(world, committed, mailoutbox):
    with committed():
        services.queue_email(world["other"], "mention", "test:1", "Temat", "Treść.")
        assert services.queue_email(world["other"], "mention", "test:1", "Temat", "Treść.") is None
    assert len(mailoutbox) == 1


def test_no_mail_is_sent_inside_the_request(client, world, committed, settings, mailoutbox):
    settings.NOTIFICATIONS_TASK_BACKEND = "database"
    client.force_login(world["other"])
    with committed():
        response = client.post(
            reverse("forums:reply", kwargs={"topic_id": world["topic"].pk}),
            {"body": f"@{handle_of(world['coordinator'])} proszę o opinię.", "client_msg_id": ""},
        )
    assert response.status_code == 302
    assert mailoutbox == []
    delivery = EmailDelivery.objects.get(recipient=world["coordinator"])
    assert delivery.status == DeliveryStatus.PENDING
    assert DBTaskResult.objects.count() == 1
    send_email_delivery.call(delivery.pk)  # what the worker does
    assert len(mailoutbox) == 1


def test_send_pending_email_command_enqueues_due_pending_rows(world, committed, flaky, mailoutbox, settings):
    with committed():
        delivery = services.queue_email(world["other"], "mention", "test:1", "Temat", "Treść.")
    EmailDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    with committed():
        call_command("send_pending_email", stdout=io.StringIO())
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(mailoutbox) == 1


def test_a_posts_notifications_are_worked_out_by_the_background_worker(client, world, committed, settings):
    """As in production: the reply is answered with only a task queued; the worker makes the notifications."""
    from notifications.models import Notification, NotificationKind
    from notifications.tasks import notify_post_published

    settings.NOTIFICATIONS_POST_TASK_BACKEND = "database"
    client.force_login(world["other"])
    with committed():
        response = client.post(
            reverse("forums:reply", kwargs={"topic_id": world["topic"].pk}),
            {"body": "Odpowiedź dla obserwujących.", "client_msg_id": ""},
        )
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=world["watcher"]).exists()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == notify_post_published.module_path
    with committed():
        notify_post_published.call(*queued.args_kwargs["args"])  # what the worker does
    assert list(Notification.objects.filter(recipient=world["watcher"]).values_list("kind", flat=True)) == [
        NotificationKind.REPLY
    ]
