"""Sending after the commit: the one way a change is announced, to live clients or to other apps.

- `group_send_on_commit(group, event)` sends a channel-layer message to a group once the current transaction
  commits (never for a change that is rolled back). `event` is a dict, or a function that builds it after the
  commit (to carry data as committed, read once for every reader). Robust: a channel layer that is down costs a
  live update, never the change or the request (clients resync).
- `send_signal_on_commit(signal, sender, **kwargs)` sends a Django signal once the transaction commits, robustly:
  a receiver that raises is logged and does not stop the others nor undo the change. This is how a lower app
  tells a higher one (which listens) without importing it.
- `group_send_now(group, event)` is the sending itself, for code that already runs after the commit.
- `held_signals()` keeps the signals a block sends after its commit instead of sending them then; the caller
  sends them later with `send_held` (the live socket answers a post first and tells other apps after).
"""

import contextlib
import contextvars
import logging
from collections.abc import Callable, Mapping

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

Event = Mapping | Callable[[], Mapping]


def group_send_now(group: str, event: Event) -> None:
    """Send `event` (or what the function builds) to the channel group; nothing when there is no channel layer."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = event() if callable(event) else event
    async_to_sync(layer.group_send)(group, dict(message))


def group_send_on_commit(group: str, event: Event) -> None:
    """Send `event` to the channel group once the current transaction commits (see the module)."""
    transaction.on_commit(lambda: group_send_now(group, event), robust=True)


_held: contextvars.ContextVar[list | None] = contextvars.ContextVar("on_commit_held_signals", default=None)


def send_signal_on_commit(signal: Signal, sender, **kwargs) -> None:
    """Send `signal` once the current transaction commits; a failing receiver is logged, not raised. Inside
    `held_signals()` the committed signal is kept for `send_held` instead (nothing is kept on rollback)."""

    def send():
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("Receiver %r of a signal from %r failed", receiver, sender, exc_info=result)

    held = _held.get()
    transaction.on_commit(send if held is None else (lambda: held.append(send)))


@contextlib.contextmanager
def held_signals():
    """Inside the block, signals sent after a commit are kept in the list this yields (in order), not sent."""
    held: list = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


def send_held(held: list) -> None:
    """Send the signals `held_signals` kept, in order, each robustly (as `send_signal_on_commit` would)."""
    while held:
        held.pop(0)()
