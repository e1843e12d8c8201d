"""The e-mails of the notifications in the Wagtail admin: a read-only list for administrators."""

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import EmailDelivery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(world, committed):
    with committed():
        return services.queue_email(world["other"], "mention", "test:1", "Wzmianka w wątku", "Treść.")


def test_administrator_sees_the_list_and_the_details(client, world, delivery):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    listing = client.get(reverse("wagtailsnippets_notifications_emaildelivery:list"))
    assert listing.status_code == 200
    assert "Wzmianka w wątku" in listing.content.decode()
    inspect = client.get(reverse("wagtailsnippets_notifications_emaildelivery:inspect", args=[delivery.pk]))
    assert inspect.status_code == 200


def test_nobody_adds_edits_or_deletes_deliveries(client, world, delivery):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("wagtailsnippets_notifications_emaildelivery:add")).status_code in (302, 403)
    edit = client.post(reverse("wagtailsnippets_notifications_emaildelivery:edit", args=[delivery.pk]), {})
    assert edit.status_code in (302, 403)
    client.post(reverse("wagtailsnippets_notifications_emaildelivery:delete", args=[delivery.pk]))
    assert EmailDelivery.objects.filter(pk=delivery.pk).exists()


def test_non_administrator_cannot_see_the_list(client, world, delivery):
    client.force_login(world["coordinator"])
    response = client.get(reverse("wagtailsnippets_notifications_emaildelivery:list"))
    assert response.status_code in (302, 403)
