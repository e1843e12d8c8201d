"""Two workers handling the same event at the same moment make one notification and one e-mail (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from notifications import services
from notifications.models import EmailDelivery, Notification
from tests.factories import UserFactory


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_handling_of_one_event_makes_one_notification():
    people = [UserFactory() for _ in range(5)]
    ids = [person.pk for person in people]

    def handle():
        return services.notify("reply", ids, "post:1:reply", title="Subwencja oświatowa 2020", params={"post_id": 1})

    results = _race(handle, handle, handle)
    assert sum(len(created) for created in results) == len(people)
    assert Notification.objects.count() == len(people)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_queueing_of_one_email_makes_one_delivery(settings):
    settings.NOTIFICATIONS_TASK_BACKEND = "database"  # the test only counts rows; nothing is sent here
    person = UserFactory()

    def queue():
        return services.queue_email(person, "mention", "post:1:mention", "Wzmianka", "Treść.")

    results = _race(queue, queue, queue)
    assert sum(result is not None for result in results) == 1
    assert EmailDelivery.objects.count() == 1
