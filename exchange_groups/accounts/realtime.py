"""The per-user channel group every socket of a person joins, and the events sent to it.

Other apps' consumers join `user_group_name(user_id)` too, so that closing a person's sockets (logout,
removal from a space, suspension) is one group_send here, made after the change is committed.
"""

import time
from dataclasses import dataclass, field
from typing import TypedDict

from oswiata_kit.on_commit import group_send_on_commit

CLOSE_SESSION_ENDED = 4001  # logged out or account deactivated: log in again
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


class CloseSocketsEvent(TypedDict):
    type: str  # "sockets.close"
    code: int
    space_id: int | None  # None: every socket of the user; else only sockets of that space


def user_group_name(user_id: int) -> str:
    return f"user.{user_id}"


def close_user_sockets(user_id: int, *, code: int = CLOSE_SESSION_ENDED, space_id: int | None = None) -> None:
    """Close the person's open sockets (all, or those of one space) once the transaction commits."""
    event: CloseSocketsEvent = {"type": "sockets.close", "code": code, "space_id": space_id}
    # robust: a channel layer that is down must not undo or fail the change that was just committed.
    group_send_on_commit(user_group_name(user_id), event)


class UserNoticeEvent(TypedDict):
    type: str  # "user.notice"
    payload: dict  # sent as is to the person's account socket (e.g. {"type": "notifications.count", "unread": 3})


def notify_user(user_id: int, payload: dict) -> None:
    """Send `payload` to the person's account sockets (`/ws/konto/`) once the transaction commits.

    Other sockets of the person (a forum topic) are in the same group and ignore these events.
    """
    event: UserNoticeEvent = {"type": "user.notice", "payload": dict(payload)}
    group_send_on_commit(user_group_name(user_id), event)


@dataclass
class TokenBucket:
    """Per-connection flood control: `capacity` tokens, refilled evenly over a minute."""

    capacity: int
    tokens: float = field(default=-1.0)
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self):
        if self.tokens < 0:
            self.tokens = float(self.capacity)

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.capacity / 60.0)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
