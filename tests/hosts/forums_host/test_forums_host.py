"""Run by tests/hosts/test_hosts.py in a subprocess with DJANGO_SETTINGS_MODULE=tests.hosts.forums_host.settings:
a Wagtail site with oswiata_kit, exchange_groups and forums (+ channels) only. One member replies over HTTP, through
this host's URLconf (/dyskusje/); another member, connected through this host's own ASGI application, sees the
reply arrive live over the WebSocket."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.models import SpaceRole
from exchange_groups.spaces import services as spaces
from forums import services as forums
from forums.models import Post
from tests.factories import SpaceFactory, UserFactory
from tests.hosts.forums_host.asgi import application

HOST_MARK = 'data-host="forums_host"'
SKIPPED = {"presence", "typing"}


def test_host_has_only_the_reduced_set_of_apps():
    for app in ("oswiata_kit", "exchange_groups", "forums", "channels"):
        assert apps.is_installed(app)
    for app in ("oswiata_site", "learning", "debates", "notifications", "axes"):
        assert not apps.is_installed(app), app


@pytest.mark.django_db
def test_migrations_of_the_reduced_set_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _world():
    admin = UserFactory(is_superuser=True)
    space = SpaceFactory(name="Grupa powiatowa", slug="grupa-powiatowa")
    people = {}
    for key, last_name in (("author", "Nowak"), ("reader", "Wójcik")):
        person = UserFactory(first_name="Anna" if key == "author" else "Łukasz", last_name=last_name)
        for purpose in REQUIRED_CONSENTS:
            give_consent(person, purpose)
        spaces.add_member(admin, space, person, SpaceRole.PARTICIPANT, notify=False)
        people[key] = person
    category = forums.ensure_forum(space).categories.get()
    topic = forums.create_topic(people["author"], category, "Dowóz uczniów", "Jak organizujecie dowóz?")
    return people, topic


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def _next_message(communicator, timeout=3):
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        if message.get("type") not in SKIPPED:
            return message


@pytest.mark.django_db
def test_forum_refusals_go_through_the_hosts_handler403():
    """The host names the kit's handler403: an anonymous visitor is sent to the host's login page with `next`, a
    logged-in person outside the space gets the forum's members-only page in the host's frame."""
    _people, topic = _world()
    topic_url = reverse("forums:topic", kwargs={"topic_id": topic.pk})
    anonymous = Client().get(topic_url)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('exchange_groups:login')}?next={topic_url}"
    refused = _logged_in(UserFactory()).get(topic_url)
    assert refused.status_code == 403
    html = refused.content.decode()
    assert HOST_MARK in html
    assert topic.category.forum.space.get_absolute_url() in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_reply_over_http_reaches_a_reader_live_over_the_hosts_websocket():
    channel_layers.backends.clear()
    await sync_to_async(cache.clear)()
    people, topic = await sync_to_async(_world)()

    reader_client = await sync_to_async(_logged_in)(people["reader"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={reader_client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver"), (b"cookie", cookie.encode())]
    reader = WebsocketCommunicator(application, f"/na-zywo/dyskusje/watki/{topic.pk}/", headers=headers)
    connected, code = await reader.connect(timeout=3)
    assert connected, code
    assert (await _next_message(reader))["type"] == "hello"

    topic_page = await sync_to_async(reader_client.get)(reverse("forums:topic", kwargs={"topic_id": topic.pk}))
    assert topic_page.status_code == 200
    assert HOST_MARK in topic_page.content.decode()
    assert f'data-live-socket="/na-zywo/dyskusje/watki/{topic.pk}/"' in topic_page.content.decode()

    author_client = await sync_to_async(_logged_in)(people["author"])
    reply_url = reverse("forums:reply", kwargs={"topic_id": topic.pk})
    assert reply_url.startswith("/dyskusje/")
    response = await sync_to_async(author_client.post)(reply_url, {"body": "U nas **gimbus** jeździ dwa razy."})
    assert response.status_code == 302
    assert response["Location"].startswith("/dyskusje/")

    message = await _next_message(reader)
    assert message["type"] == "post.created"
    post = await sync_to_async(Post.objects.filter(topic=topic).order_by("-seq").first)()
    assert message["post"]["id"] == post.pk
    assert "<strong>gimbus</strong>" in message["post"]["body_html"]
    await reader.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_socket_from_a_foreign_origin_is_refused_by_the_hosts_asgi_application():
    people, topic = await sync_to_async(_world)()
    headers = [(b"origin", b"http://evil.example"), (b"host", b"testserver")]
    communicator = WebsocketCommunicator(application, f"/na-zywo/dyskusje/watki/{topic.pk}/", headers=headers)
    connected, _code = await communicator.connect(timeout=3)
    assert not connected
