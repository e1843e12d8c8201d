"""After-commit sending: a channel-layer group message or a Django signal goes out once the change is committed,
never for a change that is rolled back, and a failure on the way never undoes or fails the committed change."""

import logging

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.dispatch import Signal

from oswiata_kit.on_commit import group_send_now, group_send_on_commit, send_signal_on_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("user.7", channel)

    def received():
        messages = []
        while True:
            try:
                messages.append(async_to_sync(_receive_now)(layer, channel))
            except TimeoutError:
                return messages

    yield received
    async_to_sync(layer.flush)()


async def _receive_now(layer, channel):
    import asyncio

    return await asyncio.wait_for(layer.receive(channel), timeout=0.05)


def test_group_send_on_commit_sends_once_the_change_is_committed(listener, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        group_send_on_commit("user.7", {"type": "sockets.close", "code": 4001, "space_id": None})
    assert listener() == []
    for callback in callbacks:
        callback()
    assert listener() == [{"type": "sockets.close", "code": 4001, "space_id": None}]


def test_group_send_on_commit_builds_a_lazy_event_after_the_commit(listener, django_capture_on_commit_callbacks):
    state = {"seq": 1}
    with django_capture_on_commit_callbacks(execute=True):
        group_send_on_commit("user.7", lambda: {"type": "post.created", "seq": state["seq"]})
        state["seq"] = 2  # the event is read when it is sent, as the committed data stands
    assert listener() == [{"type": "post.created", "seq": 2}]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_group_send_on_commit_of_a_rolled_back_change_sends_nothing(listener):
    with pytest.raises(RuntimeError), transaction.atomic():
        group_send_on_commit("user.7", {"type": "user.notice", "payload": {}})
        raise RuntimeError("the change fails")
    assert listener() == []


def test_group_send_on_commit_with_the_layer_down_keeps_the_change(monkeypatch, django_capture_on_commit_callbacks):
    class Down:
        async def group_send(self, group, message):
            raise ConnectionError("redis is down")

    monkeypatch.setattr("oswiata_kit.on_commit.get_channel_layer", lambda: Down())
    with django_capture_on_commit_callbacks(execute=True):
        group_send_on_commit("user.7", {"type": "user.notice", "payload": {}})  # does not raise


def test_group_send_now_without_a_channel_layer_does_nothing(monkeypatch):
    built = []
    monkeypatch.setattr("oswiata_kit.on_commit.get_channel_layer", lambda: None)
    group_send_now("user.7", lambda: built.append(1) or {"type": "x"})
    assert built == []


changed = Signal()


def test_send_signal_on_commit_sends_after_the_commit_and_logs_a_failing_receiver(
    django_capture_on_commit_callbacks, caplog
):
    heard = []

    def good(sender, **kwargs):
        heard.append((sender, kwargs))

    def bad(sender, **kwargs):
        raise ValueError("receiver bug")

    changed.connect(good, dispatch_uid="kit-test-good")
    changed.connect(bad, dispatch_uid="kit-test-bad")
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            send_signal_on_commit(changed, str, space_id=3, active=False)
        assert heard == []
        with caplog.at_level(logging.ERROR, logger="oswiata_kit.on_commit"):
            for callback in callbacks:
                callback()
    finally:
        changed.disconnect(dispatch_uid="kit-test-good")
        changed.disconnect(dispatch_uid="kit-test-bad")
    assert heard == [(str, {"signal": changed, "space_id": 3, "active": False})]
    assert "receiver bug" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_send_signal_on_commit_of_a_rolled_back_change_sends_nothing():
    heard = []
    changed.connect(lambda sender, **kwargs: heard.append(kwargs), dispatch_uid="kit-test-rollback", weak=False)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            send_signal_on_commit(changed, str, space_id=3)
            raise RuntimeError("the change fails")
    finally:
        changed.disconnect(dispatch_uid="kit-test-rollback")
    assert heard == []
