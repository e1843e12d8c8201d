"""A host site may serve the apps' WebSocket routes under a path of its own: one setting each, and the pages'
scripts connect where the routes are."""

import importlib

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import Resolver404

from exchange_groups import routing as exchange_groups_routing
from forums import routing as forums_routing
from notifications.templatetags.notifications_tags import notification_bell
from tests.factories import UserFactory

SOCKETS = Template('{% load forum_sockets %}{% forum_socket "topic" 7 %} {% forum_socket "forum" 3 %}')


def _resolves(patterns, path: str) -> bool:
    for pattern in patterns:
        try:
            if pattern.resolve(path):
                return True
        except Resolver404:
            continue
    return False


@pytest.fixture
def moved_sockets(settings):
    settings.FORUMS_SOCKET_PATH = "/na-zywo/dyskusje"
    settings.EXCHANGE_GROUPS_ACCOUNT_SOCKET_PATH = "na-zywo/konto/"
    yield
    # The routes are read once at import: put the defaults back for the other tests.
    del settings.FORUMS_SOCKET_PATH, settings.EXCHANGE_GROUPS_ACCOUNT_SOCKET_PATH
    importlib.reload(forums_routing)
    importlib.reload(exchange_groups_routing)


def test_default_socket_addresses_are_the_sites():
    html = SOCKETS.render(Context())
    assert html == "/ws/fora/watki/7/ /ws/fora/3/"
    assert _resolves(forums_routing.websocket_urlpatterns, "ws/fora/watki/7/")


def test_moved_forum_sockets_are_routed_and_named_in_the_pages(moved_sockets):
    routes = importlib.reload(forums_routing).websocket_urlpatterns
    html = SOCKETS.render(Context())
    assert html == "/na-zywo/dyskusje/watki/7/ /na-zywo/dyskusje/3/"
    assert _resolves(routes, "na-zywo/dyskusje/watki/7/")
    assert _resolves(routes, "na-zywo/dyskusje/3/")
    assert not _resolves(routes, "ws/fora/watki/7/")


@pytest.mark.django_db
def test_moved_account_socket_is_routed_and_used_by_the_bell(moved_sockets):
    routes = importlib.reload(exchange_groups_routing).websocket_urlpatterns
    assert _resolves(routes, "na-zywo/konto/")
    assert not _resolves(routes, "ws/konto/")
    request = RequestFactory().get("/")
    request.user = UserFactory()
    assert notification_bell({"request": request})["socket"] == "/na-zywo/konto/"
