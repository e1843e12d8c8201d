"""Two workers handling the same event at the same moment make one notification and one e-mail (PostgreSQL)."""

import pytest

from notifications import services
from notifications.models import EmailDelivery, Notification
from tests.concurrency import run_concurrently
from tests.factories import UserFactory


def _race(*calls):
    """Run the calls at the same moment; return each one's result (none may raise)."""
    outcomes = run_concurrently(lambda index: calls[index](), len(calls))
    assert not outcomes.errors, outcomes.errors
    return outcomes


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
