"""The synchronous half of the forums' live layer: access checks, payloads, posting, flood control, presence.

`consumers.TopicConsumer` calls these through `database_sync_to_async`. Every check reloads the person from
the database (a cached `is_site_admin` or a deactivated account on the connect-time user object must not
keep a socket alive). Payloads are built in `payloads.py` (the sanitized `body_html`, never the Markdown
source); posting goes through `services.create_post`, which also answers retries.
"""

import logging
import time
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from exchange_groups.accounts.realtime import TokenBucket  # the consumers build their buckets as live.TokenBucket
from exchange_groups.accounts.socket_sessions import current_session

from . import services
from .conf import forums_settings
from .models import Post, Topic
from .payloads import event_message, event_with_post, gap_message, resync_payload, topic_payload
from .permissions import can_read_topic, readers_among
from .sanitize import max_post_chars

logger = logging.getLogger("forums.live")

# The socket's size cap follows the post limit, so anything the reply form accepts the socket accepts too:
# every character of the longest post in its longest JSON spelling (a character outside the BMP, such as an
# emoji, counts once toward the limit but is two \uXXXX escapes: 12 bytes), plus the envelope around it.
MAX_JSON_BYTES_PER_CHAR = 12
SOCKET_ENVELOPE_BYTES = 4 * 1024  # type, client_msg_id, quoted_post and the JSON punctuation, with room to spare
PRESENCE_TTL_SECONDS = 15 * 60
TYPING_INTERVAL_SECONDS = 3.0
PRESENCE_ANNOUNCE_SECONDS = 1.0
PRESENCE_NAMES_SHOWN = 30


def max_message_bytes() -> int:
    """The largest inbound socket message, in UTF-8 bytes: the longest post the form accepts, every character
    escaped, plus the envelope (240 KB for 20,000 characters, under daphne's 1 MB frame limit).
    `FORUMS_MAX_SOCKET_MESSAGE_BYTES` may raise the cap, never lower it below that."""
    needed = max_post_chars() * MAX_JSON_BYTES_PER_CHAR + SOCKET_ENVELOPE_BYTES
    return max(needed, forums_settings.MAX_SOCKET_MESSAGE_BYTES)


def posts_per_minute() -> int:
    return forums_settings.POSTS_PER_MINUTE


def messages_per_minute() -> int:
    return forums_settings.SOCKET_MESSAGES_PER_MINUTE


def reader_check_seconds() -> float:
    return forums_settings.LIVE_READER_CHECK_SECONDS


# --- access ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What a connecting socket needs to know about its topic and person."""

    user_id: int
    name: str
    topic_id: int
    space_id: int | None
    last_seq: int


def _fresh_user(user_id):
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _topic(topic_id) -> Topic | None:
    return Topic.objects.select_related("category__forum__space").filter(pk=topic_id).first()


def display_name(user) -> str:
    return user.get_full_name() or _("Participant")


def open_topic(user_id, topic_id) -> Access | None:
    """The socket's access when the person may read the topic now, else None."""
    user = _fresh_user(user_id)
    topic = _topic(topic_id)
    if user is None or topic is None or not can_read_topic(user, topic):
        return None
    return Access(user.pk, display_name(user), topic.pk, topic.category.forum.space_id, topic.last_seq)


def readers_of(topic_id, user_ids) -> set[int]:
    """Which of these people may read the topic now (one check for all the sockets of a worker)."""
    topic = _topic(topic_id)
    return set() if topic is None else readers_among(topic, user_ids)


def may_read(user_id, topic_id) -> bool:
    return open_topic(user_id, topic_id) is not None


# --- payloads ----------------------------------------------------------------------------------------


def event_for(user_id, event: dict) -> dict | None:
    """The client message for a publisher event, or None when the person may no longer read the topic.

    An event without its post (the publisher could not read it) gets it read now; a "gap" when it is gone."""
    if not may_read(user_id, event["topic_id"]):
        return None
    return event_message(event) or event_message(event_with_post(event)) or gap_message(event)


def open_forum(user_id, forum_id):
    """The forum when the person may read it now, else None."""
    from .models import Forum
    from .permissions import can_read_forum

    user = _fresh_user(user_id)
    forum = Forum.objects.select_related("space").filter(pk=forum_id).first()
    if user is None or forum is None or not can_read_forum(user, forum):
        return None
    return forum


def forum_topic_for(user_id, forum_id, topic_id):
    """The "topic" message for a forum list; False when the forum is no longer readable; None when this
    topic is not to be shown to the person (moved elsewhere, deleted)."""
    forum = open_forum(user_id, forum_id)
    if forum is None:
        return False
    user = _fresh_user(user_id)
    topic = _topic(topic_id)
    if topic is None or topic.category.forum_id != forum.pk or not can_read_topic(user, topic):
        return {"type": "topic_gone", "topic_id": int(topic_id)}
    return {"type": "topic", "topic": topic_payload(topic)}


def topic_state_for(user_id, topic_id) -> dict | None:
    """The "topic" message for a topic.changed event, or None when the person may no longer read it."""
    if not may_read(user_id, topic_id):
        return None
    topic = Topic.objects.get(pk=topic_id)
    return {"type": "topic", "topic": topic_payload(topic)}


def mark_read(user_id, topic_id, seq: int) -> None:
    """The live page read the topic up to `seq` (never moves the mark back)."""
    user = _fresh_user(user_id)
    topic = _topic(topic_id)
    if user is not None and topic is not None:
        services.mark_topic_read(user, topic, seq)


def resync(user_id, topic_id, after) -> dict | None:
    """Posts changed after `after` (what the resync endpoint answers), or None when access has ended."""
    user = _fresh_user(user_id)
    topic = _topic(topic_id)
    if user is None or topic is None:
        return None
    return resync_payload(topic, after, user)


# --- flood control -----------------------------------------------------------------------------------


def take_user_post_slot(user_id) -> bool:
    """Per-person counter in the cache (a one-minute window), shared by every socket and worker."""
    key = f"forums:live:posts:{user_id}:{int(time.time() // 60)}"
    try:
        cache.add(key, 0, timeout=90)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=90)
            count = 1
    except Exception:  # noqa: BLE001 - a cache outage must not refuse posts: the per-socket bucket still applies
        logger.warning("per-person post counter unavailable; allowing the post", exc_info=True)
        return True
    return count <= posts_per_minute()


# --- posting -----------------------------------------------------------------------------------------


class AccessEnded(Exception):
    """The person may no longer read the topic: the socket closes."""


def error(code: str, message: str, client_msg_id=None) -> dict:
    answer = {"type": "error", "code": code, "message": message}
    if client_msg_id is not None:
        answer["client_msg_id"] = client_msg_id
    return answer


def submit_post(user_id, topic_id, content: dict, bucket: TokenBucket, *, user=None) -> dict:
    """Handle {"type": "post", "body", "client_msg_id", "quoted_post"}: an ack or an error message.

    Raises AccessEnded when the person may no longer read the topic. A retry with a known client_msg_id
    is answered with the same ack and costs no rate-limit slot: `create_post` recognises it before it asks for
    the slots (`admit`). `user`: the person as the socket's session check has just read them (not read again).

    The rules are checked once: `create_post` refuses whoever may not reply (deleted topic, membership ended,
    sanction); a person it accepts reads the topic. Only a refusal, and a retry (answered before the rules),
    ask `can_read_topic` as well, to tell a closed door (AccessEnded) from a refused post.
    """
    user = user if user is not None else _fresh_user(user_id)
    topic = _topic(topic_id)
    if user is None or topic is None:
        raise AccessEnded
    raw_id = content.get("client_msg_id")
    try:
        client_msg_id = uuid.UUID(str(raw_id))
    except (TypeError, ValueError):
        _check_still_reads(user, topic)
        return error("bad_request", _("The message could not be understood. Reload the page and try again."))
    echo = str(client_msg_id)
    quoted = None
    quoted_id = content.get("quoted_post")
    if isinstance(quoted_id, int) and not isinstance(quoted_id, bool):
        quoted = Post.objects.filter(pk=quoted_id, topic=topic).first()
    try:
        post, is_new = services.create_post(
            user,
            topic,
            content.get("body"),
            client_msg_id=client_msg_id,
            quoted_post=quoted,
            admit=lambda: bucket.take() and take_user_post_slot(user.pk),
        )
    except PermissionDenied as refusal:
        _check_still_reads(user, topic)
        return error("forbidden", str(refusal), echo)
    except services.ForumError as problem:
        _check_still_reads(user, topic)
        return error(problem.code, problem.message, echo)
    if not is_new:
        _check_still_reads(user, topic)
    return {"type": "post.ack", "client_msg_id": echo, "post_id": post.pk, "seq": post.seq}


def _check_still_reads(user, topic) -> None:
    if not can_read_topic(user, topic):
        raise AccessEnded


def submit_post_in_session(session_key, user_id, topic_id, content: dict, bucket: TokenBucket):
    """The socket's whole posting step in one call on the database thread: the session check (which reads
    the person fresh), then `submit_post` for that person. `(session key, answer)`; `(None, None)` when the
    session has ended (the socket closes with 4001)."""
    key, user = current_session(session_key, user_id)
    if key is None:
        return None, None
    return key, submit_post(user_id, topic_id, content, bucket, user=user)


# --- presence ----------------------------------------------------------------------------------------


def _presence_key(topic_id) -> str:
    return f"forums:live:presence:{int(topic_id)}"


def _with_lock(topic_id, change):
    """Read-modify-write of the topic's reader map under a short cache lock (best effort on contention)."""
    lock = f"{_presence_key(topic_id)}:lock"
    token = uuid.uuid4().hex
    held = False
    for _attempt in range(25):
        if cache.add(lock, token, timeout=2):
            held = True
            break
        time.sleep(0.01)
    try:
        readers = cache.get(_presence_key(topic_id)) or {}
        now = time.time()
        readers = {channel: entry for channel, entry in readers.items() if entry[1] > now}
        change(readers, now)
        cache.set(_presence_key(topic_id), readers, timeout=PRESENCE_TTL_SECONDS)
    finally:
        if held and cache.get(lock) == token:
            cache.delete(lock)
    return sorted({entry[0] for entry in readers.values()}, key=str.casefold)


def join_presence(topic_id, channel_name: str, name: str) -> list[str]:
    """Add (or refresh) this socket among the topic's readers; the readers' names, sorted, each once."""

    def change(readers, now):
        readers[channel_name] = (name, now + PRESENCE_TTL_SECONDS)

    return _with_lock(topic_id, change)


def leave_presence(topic_id, channel_name: str) -> list[str]:
    def change(readers, now):
        readers.pop(channel_name, None)

    return _with_lock(topic_id, change)


def claim_presence_announcement(topic_id) -> bool:
    """True for the one socket (of any worker) that announces this topic's readers in the coming window."""
    return cache.add(f"{_presence_key(topic_id)}:announce", 1, timeout=PRESENCE_ANNOUNCE_SECONDS)


def presence_summary(topic_id) -> dict:
    """{"readers": the first names (sorted, each once), "count": how many different people read now}."""
    readers = _with_lock(topic_id, lambda readers, now: None)
    return {"readers": readers[:PRESENCE_NAMES_SHOWN], "count": len(readers)}
