"""Sending after the commit: the one way a change is announced, to live clients or to other apps.

- `group_send_on_commit(group, event)` sends a channel-layer message to a group once the current transaction
  commits (never for a change that is rolled back). `event` is a dict, or a function that builds it after the
  commit (to carry data as committed, read once for every reader). Robust: a channel layer that is down costs a
  live update, never the change or the request (clients resync).
- `send_signal_on_commit(signal, sender, **kwargs)` sends a Django signal once the transaction commits, robustly:
  a receiver that raises is logged and does not stop the others nor undo the change. This is how a lower app
  tells a higher one (which listens) without importing it.
- `group_send_now(group, event)` is the sending itself, for code that already runs after the commit.
- `held_after_commit()` keeps what a block would send after its commit (channel-layer messages, built at the
  commit; signals) instead of sending it then: an async caller sends the messages itself with
  `send_held_messages` (in its event loop, with no thread hop back to it) and the signals with
  `send_held_signals`, when it chooses (the live socket: the readers' event, the ack, then other apps).
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
    held = _held.get()
    if held is not None:
        transaction.on_commit(lambda: held.messages.append((group, dict(event() if callable(event) else event))))
        return
    transaction.on_commit(lambda: group_send_now(group, event), robust=True)


class Held:
    """What a block inside `held_after_commit()` committed and has not sent yet."""

    def __init__(self):
        self.messages: list[tuple[str, dict]] = []  # (group, message), built at the commit
        self.signals: list[Callable[[], None]] = []

    def __bool__(self) -> bool:
        return bool(self.messages or self.signals)


_held: contextvars.ContextVar[Held | None] = contextvars.ContextVar("on_commit_held", default=None)


def send_signal_on_commit(signal: Signal, sender, **kwargs) -> None:
    """Send `signal` once the current transaction commits; a failing receiver is logged, not raised. Inside
    `held_after_commit()` the committed signal is kept for `send_held_signals` instead (nothing on rollback)."""

    def send():
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("Receiver %r of a signal from %r failed", receiver, sender, exc_info=result)

    held = _held.get()
    transaction.on_commit(send if held is None else (lambda: held.signals.append(send)))


@contextlib.contextmanager
def held_after_commit():
    """Inside the block (and the sync calls it makes through asgiref, which copy the context), what is sent
    after a commit is kept in the `Held` this yields, in order, instead of being sent."""
    held = Held()
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


async def send_held_messages(held: Held, layer) -> None:
    """Send the kept channel-layer messages from the event loop (robust, as `group_send_on_commit` is)."""
    while held.messages:
        group, message = held.messages.pop(0)
        try:
            await layer.group_send(group, message)
        except Exception:  # noqa: BLE001 - a layer that is down costs a live update, never the change
            logger.warning("could not send a committed change to group %s", group, exc_info=True)


def send_held_signals(held: Held) -> None:
    """Send the kept signals, in order, each robustly (as `send_signal_on_commit` would have)."""
    while held.signals:
        held.signals.pop(0)()
