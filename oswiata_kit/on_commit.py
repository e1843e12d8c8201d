"""Sending after the commit: the one way a change is announced, to live clients or to other apps.

- `group_send_on_commit(group, event)` sends a channel-layer message to a group once the current transaction
  commits (never for a change that is rolled back). `event` is a dict, or a function that builds it after the
  commit (to carry data as committed, read once for every reader). Robust: a channel layer that is down costs a
  live update, never the change or the request (clients resync).
- `send_signal_on_commit(signal, sender, **kwargs)` sends a Django signal once the transaction commits, robustly:
  a receiver that raises is logged and does not stop the others nor undo the change. This is how a lower app
  tells a higher one (which listens) without importing it.
- `group_send_now(group, event)` is the sending itself, for code that already runs after the commit.
"""

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


def send_signal_on_commit(signal: Signal, sender, **kwargs) -> None:
    """Send `signal` once the current transaction commits; a failing receiver is logged, not raised."""

    def send():
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("Receiver %r of a signal from %r failed", receiver, sender, exc_info=result)

    transaction.on_commit(send)
