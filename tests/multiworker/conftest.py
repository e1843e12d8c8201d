"""The production shape, started for real: PostgreSQL (the CI's), a private redis-server and two daphne workers
sharing it as their channel layer and cache. The tests commit their data (transactional) so the workers see it.
"""

import os

import pytest
from django.conf import settings
from django.test import Client

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.models import SpaceRole, SpaceVisibility
from exchange_groups.spaces import services as membership
from forums import services
from tests.factories import SpaceFactory, UserFactory
from tests.servers import Daphne, RedisServer, redis_server_path, start_all, worker_env

ORIGIN = "http://127.0.0.1"
REQUIRE = os.environ.get("REQUIRE_SERVICES", "").strip() in {"1", "true", "yes"}


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.fixture
def redis_server(tmp_path):
    if redis_server_path() is None:
        if REQUIRE:
            pytest.fail("REQUIRE_SERVICES=1 but redis-server is not installed", pytrace=False)
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def cluster(transactional_db, redis_server, tmp_path):
    """Two daphne workers on the test database and the private Redis. Short access re-checks keep tests fast."""
    env = worker_env(redis_server.url, FORUMS_POSTS_PER_MINUTE=1000, FORUMS_SOCKET_MESSAGES_PER_MINUTE=10000)
    workers = start_all([Daphne(tmp_path, env, name="worker-a"), Daphne(tmp_path, env, name="worker-b")])
    yield workers
    for worker in workers:
        worker.stop()


@pytest.fixture
def discussion(transactional_db):
    """A private space with a writer and readers, and a topic with its first post."""
    admin = UserFactory(is_superuser=True)
    space = SpaceFactory(name="Sieć produkcyjna", slug="siec-produkcyjna", visibility=SpaceVisibility.PRIVATE)
    writer = UserFactory(first_name="Anna", last_name="Pisząca")
    for purpose in REQUIRED_CONSENTS:
        give_consent(writer, purpose)
    membership.add_member(admin, space, writer, SpaceRole.PARTICIPANT, notify=False)
    readers = []
    for number in range(3):
        reader = UserFactory(first_name="Czytelnik", last_name=f"Nr{number}")
        membership.add_member(admin, space, reader, SpaceRole.PARTICIPANT, notify=False)
        readers.append(reader)
    category = services.ensure_forum(space).categories.get()
    topic = services.create_topic(writer, category, "Dowozy uczniów w ferie", "Pierwszy wpis.")
    return {"space": space, "writer": writer, "readers": readers, "topic": topic}
