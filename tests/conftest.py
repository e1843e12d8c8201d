"""Shared fixtures and the service switch.

Without DATABASE_URL / REDIS_URL the suite runs on SQLite and the in-memory channel layer, and tests
that need a real service skip with a message. With REQUIRE_SERVICES=1 (set by .ci/run) a missing or
unreachable PostgreSQL or Redis fails the run instead.
"""

import os
import socket
import uuid
from urllib.parse import urlparse

import pytest

from tests import terc_register

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").strip() in {"1", "true", "yes"}


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 0), timeout=2):
            return True
    except OSError:
        return False


def service_status() -> dict[str, str | None]:
    """None when the service is usable, otherwise why not."""
    status: dict[str, str | None] = {}
    db = os.environ.get("DATABASE_URL", "")
    if not db:
        status["postgres"] = "DATABASE_URL is not set"
    elif not db.startswith(("postgres://", "postgresql://")):
        status["postgres"] = "DATABASE_URL does not point at PostgreSQL"
    elif not _reachable(db):
        status["postgres"] = f"PostgreSQL at {urlparse(db).hostname}:{urlparse(db).port} does not answer"
    else:
        status["postgres"] = None
    redis = os.environ.get("REDIS_URL", "")
    if not redis:
        status["redis"] = "REDIS_URL is not set"
    elif not _reachable(redis):
        status["redis"] = f"Redis at {urlparse(redis).hostname}:{urlparse(redis).port} does not answer"
    else:
        status["redis"] = None
    return status


def pytest_configure(config):
    _own_redis_space()
    if REQUIRE_SERVICES:
        missing = {name: why for name, why in service_status().items() if why}
        if missing:
            raise pytest.UsageError(
                "REQUIRE_SERVICES=1 but services are missing: "
                + "; ".join(f"{name}: {why}" for name, why in missing.items())
            )


def _own_redis_space() -> None:
    """Each test process (each worker of pytest-xdist, and each of several runs sharing one Redis) keeps its
    cache keys and channel-layer groups under a name of its own: its `cache.clear()` (`_fresh_cache`) empties
    only its own keys, and a socket test never hears the events of another process's topic 5. The browser
    tests' server gets the same names (tests/e2e/conftest.py)."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    own = f"{uuid.uuid4().hex[:8]}-{worker or 'main'}"
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("RedisCache"):
        cache["KEY_PREFIX"] = f"{cache.get('KEY_PREFIX') or 'oswiata'}-test-{own}"
        if worker.startswith("gw"):
            # A database of its own too (14, 13, ...; a run without workers keeps 15): a test that calls
            # `cache.clear()` itself empties the whole database.
            database = int(urlparse(cache["LOCATION"]).path.strip("/") or 15) - 1 - int(worker[2:])
            cache["LOCATION"] = urlparse(cache["LOCATION"])._replace(path=f"/{database}").geturl()
    config = getattr(settings, "CHANNEL_LAYERS", {}).get("default", {}).get("CONFIG")  # a host site may have none
    if config is not None:
        config["prefix"] = f"asgi-{own}"


def clear_cache() -> None:
    """Empty the cache of this test process: with Redis only its own keys (see `_own_redis_space`)."""
    from django.conf import settings
    from django.core.cache import cache

    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        cache.clear()
        return
    client = cache._cache.get_client(None, write=True)
    keys = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*", count=1000))
    if keys:
        client.delete(*keys)


# Tiers: `make test-fast` leaves these out; `make test` and CI run everything.
TIER_OF_PATH = {
    "tests/e2e/": "e2e",
    "tests/multiworker/": "multiworker",
    "tests/site/test_permission_matrix.py": "matrix",
    "tests/site/test_websocket_matrix.py": "matrix",
    "tests/site/test_hostile_input.py": "matrix",
}


def pytest_collection_modifyitems(config, items):
    _mark_tiers_and_services(config, items)
    _group_users_of(terc_register.FIXTURE, items)


def _mark_tiers_and_services(config, items):
    status = service_status()
    root = str(config.rootpath)
    for item in items:
        relative = str(item.path)[len(root) + 1 :]
        for prefix, tier in TIER_OF_PATH.items():
            if relative.startswith(prefix):
                item.add_marker(getattr(pytest.mark, tier))
        # A transactional test empties every table when it ends. Restoring the rows the migrations made
        # (Wagtail's root page, content types, the site roles) must then be the rule, not a per-test
        # choice: one test that forgets it breaks every transactional test after it.
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True), append=False
            )
        for service in ("postgres", "redis"):
            if item.get_closest_marker(service) and status[service]:
                # With REQUIRE_SERVICES=1 pytest_configure has already stopped the run.
                item.add_marker(pytest.mark.skip(reason=f"needs {service}: {status[service]}"))


def _group_users_of(fixture: str, items) -> None:
    """Move the tests that use `fixture` next to the first of them, so that what it keeps committed in the
    database is made once. Runs after pytest-django ordered the tests (non-transactional database tests first):
    only non-transactional tests move, and the first of them is one, so each stays in its group."""
    users = [item for item in items if fixture in getattr(item, "fixturenames", ()) and not _transactional(item)]
    if len(users) < 2:
        return
    moving = set(users[1:])
    rest = [item for item in items if item not in moving]
    first = rest.index(users[0])
    items[:] = [*rest[: first + 1], *users[1:], *rest[first + 1 :]]


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))) or (
        "transactional_db" in item.fixturenames
    )


# --- the TERC register, committed once (tests/terc_register.py) --------------------------------------------------


@pytest.fixture(scope="module")
def terc_registry(django_db_setup, django_db_blocker):
    """The shipped TERC register, committed in the test database; the value is the report of its load.

    Module-scoped so that it runs before the test's own transaction opens (a higher scope sets up first)."""
    terc_register.TERC_REGISTER.blocker = django_db_blocker
    with django_db_blocker.unblock():
        return terc_register.TERC_REGISTER.ensure()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if terc_register.TERC_REGISTER.done_after(item, nextitem):
        terc_register.TERC_REGISTER.remove()
    return result


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, without a TERC register left by an interrupted run (with --reuse-db)."""
    from django.apps import apps

    if apps.is_installed("exchange_groups"):  # the host sites of tests/hosts install fewer apps
        with django_db_blocker.unblock():
            terc_register.remove_terc_register()


# --- the shared personas (tests/world.py), built for one test ----------------------------------------------------
# The people and objects every area talks about, under one name each. A fixture is built only when a test (or a
# fixture it uses) asks for it, through the services. Per-area conftests and modules may still define a fixture
# of the same name (pytest takes the nearest): prefer these for new tests.


@pytest.fixture
def anonymous():
    """Nobody logged in (for permission predicates; a `client` that never logs in is the same person)."""
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def administrator(db):
    """A superuser."""
    return _world().make_administrator()


@pytest.fixture
def plain_user(db):
    """Logged in, has given the consents, belongs to no space."""
    return _world().make_person("plain")


@pytest.fixture
def space(db):
    """A public network that takes requests to join ("Sieć współpracy: gminy wiejskie"): the personas' space."""
    return _world().make_space()


@pytest.fixture
def coordinator(administrator, space):
    """Coordinator of `space`."""
    return _in_space(administrator, space, "coordinator")


@pytest.fixture
def moderator(administrator, space):
    """Moderator of `space`."""
    return _in_space(administrator, space, "moderator")


@pytest.fixture
def member(administrator, space):
    """Participant of `space`."""
    return _in_space(administrator, space, "member")


@pytest.fixture
def outsider(administrator):
    """Coordinator of another space: rights elsewhere, none in `space` or `private_space`."""
    other = _world().make_space(name="Sieć współpracy: gminy miejskie", slug="siec-gminy-miejskie")
    return _in_space(administrator, other, "outsider", _world().SpaceRole.COORDINATOR)


@pytest.fixture
def private_space(administrator, coordinator, moderator, member):
    """A private network; the coordinator, moderator and member have the same roles in it as in `space`."""
    private = _world().make_space(private=True, name="Tajna sieć gmin", slug="tajna-siec-gmin")
    for user, role in ((coordinator, "coordinator"), (moderator, "moderator"), (member, "member")):
        _world().add_to_space(administrator, private, user, _world().ROLES[role])
    return private


@pytest.fixture
def forum(space):
    """The forum of `space`."""
    from forums import services as forum_services

    return forum_services.ensure_forum(space)


@pytest.fixture
def topic(forum, member):
    """A topic the member opened in the forum of `space` (its first post: `topic.posts.first()`)."""
    return _world().make_forum_topic(forum.space, member, attachment=False)[2]


@pytest.fixture
def meeting(coordinator, space):
    """An in-person meeting of `space` in two weeks, planned by the coordinator."""
    return _world().make_meeting(coordinator, space, title="Planowanie sieci szkół w gminie wiejskiej")


@pytest.fixture
def course(db):
    """A published course with a module and a lesson (a paragraph, a reflection and a quiz)."""
    return _world().make_course()["course"]


def _world():
    """tests/world.py, imported when a fixture first needs it (host sites of tests/hosts load this conftest with
    fewer apps installed)."""
    from tests import world

    return world


def _in_space(administrator, space, persona: str, role=None):
    user = _world().make_person(persona)
    _world().add_to_space(administrator, space, user, role or _world().ROLES[persona])
    return user


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache. With REDIS_URL the cache is Redis and outlives test transactions:
    Wagtail's cached site root paths (or a rate-limit counter) from one test must not leak into the next."""
    clear_cache()
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mailoutbox_pl(mailoutbox, settings):
    settings.LANGUAGE_CODE = "pl"
    return mailoutbox
