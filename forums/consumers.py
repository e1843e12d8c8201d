"""The topic socket (`ws/fora/watki/<topic_id>/`): live posts, posting, resync and presence in one topic.

Contract (DESIGN.md, "Real-time forums: the contract"): the socket is authorized at connect (anonymous →
4401, no read access → 4403) and re-checked on every inbound message and before every forwarded event; it
joins the per-user group, so logout (4001) and removal from the space (4403) close it. It lives only as long
as its login session (exchange_groups.accounts.socket_sessions): every inbound message, a periodic timer and the
"sockets.recheck" event a password change sends re-check the session itself, and close it (4001) when the
session has ended or no longer matches the password. Events from the
publisher only name a post; the consumer fetches the sanitized HTML from the database. The client keeps the
last seq it saw and asks for `{"type": "resync", "after": seq}` on (re)connect or on a gap.

Every forwarded event is checked, but not against the database each time: the sockets of one worker process
on one topic share one reader check (`FANOUT`), kept until an event that may change it reaches a socket of the
process (a removal, suspension or logout of a listener, a change of the topic) or it expires; events carry their
post (publisher.py), so a broadcast to N readers costs a worker no query at all (three when the check is asked
again), not 5·N. A post is answered first; other apps (notifications) are told after the ack.

`ForumConsumer` (`ws/fora/<forum_id>/`) serves a forum's topic list: new topics and reply counts.
"""

import asyncio
import json
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from exchange_groups.accounts.realtime import (
    CLOSE_FORBIDDEN,
    CLOSE_SESSION_ENDED,
    CLOSE_UNAUTHENTICATED,
    user_group_name,
)
from exchange_groups.accounts.socket_sessions import SessionBoundSocket
from oswiata_kit.on_commit import held_after_commit, send_held_messages, send_held_signals

from . import live
from .payloads import event_message
from .realtime import forum_group, topic_group

logger = logging.getLogger("forums.consumers")


@dataclass
class ReaderAnswer:
    """Which of the people `asked` may read the topic (`allowed`), trusted until `expires` (time.monotonic())."""

    asked: set
    allowed: set
    expires: float


class FanoutChecks:
    """The reader check of a worker process: which of the people listening here may read a topic.

    Asked once for all the process's sockets on a topic (`live.readers_of`, three queries) and then kept: the
    events a post sends cost no query. The answer is forgotten when something that may change it is announced
    to a socket of this process: a "sockets.close" for one of the topic's listeners (removal from the space,
    suspension, logout, deactivation: the person's sockets close too) or a "topic.changed" (deleted, moved).
    It also expires after `FORUMS_LIVE_READER_CHECK_SECONDS`, for what no event announces (a membership ended
    by a bulk update, a lost close event): the next event asks the database again. A socket that joined after
    the question was asked is checked on its own and added to the answer.
    """

    ENCODED_KEPT = 64

    def __init__(self):
        self.listeners: dict[int, Counter] = defaultdict(Counter)
        self.texts: dict[tuple, str] = {}
        self.answers: dict[int, ReaderAnswer] = {}
        self.pending: dict[int, asyncio.Future] = {}
        self.generation: Counter = Counter()

    def add(self, topic_id: int, user_id: int) -> None:
        self.listeners[topic_id][user_id] += 1

    def remove(self, topic_id: int, user_id: int) -> None:
        listeners = self.listeners.get(topic_id)
        if listeners is None:
            return
        listeners[user_id] -= 1
        if listeners[user_id] <= 0:
            del listeners[user_id]
        if not listeners:
            del self.listeners[topic_id]
            self.forget_topic(topic_id)

    def forget_topic(self, topic_id: int) -> None:
        self.answers.pop(topic_id, None)
        self.generation[topic_id] += 1

    def forget_person(self, user_id: int) -> None:
        for topic_id, listeners in list(self.listeners.items()):
            if user_id in listeners:
                self.forget_topic(topic_id)

    async def may_receive(self, topic_id: int, user_id: int) -> bool:
        answer = self.answers.get(topic_id)
        if answer is None or answer.expires <= time.monotonic():
            answer = await self._ask(topic_id)
        if user_id in answer.asked:
            return user_id in answer.allowed
        allowed = await database_sync_to_async(live.may_read)(user_id, topic_id)
        if self.answers.get(topic_id) is answer:  # nothing forgot the answer meanwhile
            answer.asked.add(user_id)
            if allowed:
                answer.allowed.add(user_id)
        return allowed

    def encoded(self, event: dict) -> str | None:
        """The client message of an event that carries its post, as JSON text, encoded once per worker process
        for all its readers (the last `ENCODED_KEPT` events); None when the event has no post."""
        key = (event.get("topic_id"), event.get("type"), event.get("seq"), event.get("post_id"))
        text = self.texts.get(key)
        if text is None:
            message = event_message(event)
            if message is None:
                return None
            text = self.texts[key] = json.dumps(message)
            while len(self.texts) > self.ENCODED_KEPT:
                self.texts.pop(next(iter(self.texts)))
        return text

    async def _ask(self, topic_id: int) -> ReaderAnswer:
        pending = self.pending.get(topic_id)
        if pending is None:
            pending = self.pending[topic_id] = asyncio.get_running_loop().create_future()
            generation = self.generation[topic_id]
            asked = set(self.listeners.get(topic_id, ()))
            try:
                allowed = await database_sync_to_async(live.readers_of)(topic_id, asked)
            except Exception as error:  # noqa: BLE001 - every waiter gets the same failure
                pending.set_exception(error)
                pending.exception()  # retrieved here: a failure nobody else awaited is not logged twice
                raise
            finally:
                self.pending.pop(topic_id, None)
            answer = ReaderAnswer(asked, allowed, time.monotonic() + live.reader_check_seconds())
            if self.generation[topic_id] == generation and topic_id in self.listeners:
                self.answers[topic_id] = answer
            pending.set_result(answer)
        return await asyncio.shield(pending)


FANOUT = FanoutChecks()


class TopicConsumer(SessionBoundSocket, AsyncJsonWebsocketConsumer):
    access: live.Access | None = None

    # --- lifecycle -----------------------------------------------------------------------------------

    async def connect(self):
        self.groups_joined = []
        self.closed = False
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        topic_id = self.scope["url_route"]["kwargs"]["topic_id"]
        # The person's group first: a removal committed after the access check below still reaches this
        # socket as "sockets.close" (handled once connect has finished), so the reader check may trust it.
        await self.channel_layer.group_add(user_group_name(user.pk), self.channel_name)
        self.groups_joined.append(user_group_name(user.pk))
        self.access = await database_sync_to_async(live.open_topic)(user.pk, topic_id)
        if self.access is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.language = self._language()
        self.post_bucket = live.TokenBucket(live.posts_per_minute())
        self.message_bucket = live.TokenBucket(live.messages_per_minute())
        self.last_typing = 0.0
        FANOUT.add(self.access.topic_id, self.access.user_id)
        self.counted = True
        await self.channel_layer.group_add(topic_group(self.access.topic_id), self.channel_name)
        self.groups_joined.append(topic_group(self.access.topic_id))
        await self.accept()
        self.bind_session(self.access.user_id)
        await self.send_json({"type": "hello", "last_seq": self.access.last_seq})
        await self._presence(live.join_presence, self.access.name)
        await self._announce_presence()

    async def disconnect(self, code):
        self.closed = True
        self.unbind_session()
        if getattr(self, "counted", False):
            FANOUT.remove(self.access.topic_id, self.access.user_id)
            self.counted = False
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_joined = []
        if self.access is not None:
            await self._presence(live.leave_presence)
            await self._announce_presence()

    async def _shut(self, code: int):
        if not self.closed:
            self.closed = True
            self.unbind_session()
            await self.close(code=code)

    def _language(self) -> str:
        chosen = (self.scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME)
        return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    # --- inbound -------------------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Flood cap, the session re-check, the size cap before any JSON parsing; then `receive_json`."""
        if self.closed or self.access is None:
            return
        with translation.override(self.language):
            # A per-connection flood cap on every message (before any database work), then the session.
            if not self.message_bucket.take():
                await self.send_json(live.error("rate_limited", _("Too many messages. Please wait a moment.")))
                return
            content = None
            if text_data is not None and len(text_data.encode("utf-8")) <= live.max_message_bytes():
                try:
                    content = json.loads(text_data)
                except ValueError:
                    content = None
            if isinstance(content, dict) and content.get("type") == "post":
                await self._post(content)  # the session check is part of its one database call
                return
            if not await self.ensure_session():
                return
            if text_data is None:
                await self.send_json(live.error("bad_request", _("The message could not be understood.")))
                return
            if len(text_data.encode("utf-8")) > live.max_message_bytes():
                await self.send_json(live.error("too_large", _("The message is too long to be sent.")))
                return
            if not isinstance(content, dict):
                await self.send_json(live.error("bad_request", _("The message could not be understood.")))
                return
            await self.receive_json(content)

    async def _post(self, content):
        """A post: the session check, the membership re-check and the writing in one database call; then the
        readers' event, sent from here (no hop from the database thread back to the loop), and the ack; only
        then are other apps told (the notifications are queued for the background worker)."""
        with held_after_commit() as held:
            try:
                key, answer = await database_sync_to_async(live.submit_post_in_session)(
                    self.session_key, self.access.user_id, self.access.topic_id, content, self.post_bucket
                )
            except live.AccessEnded:
                await self._shut(CLOSE_FORBIDDEN)
                return
        if key is None:
            await self._shut(CLOSE_SESSION_ENDED)
            return
        self.session_key = key  # the same session, moved to a new key by a password change
        await send_held_messages(held, self.channel_layer)
        await self.send_json(answer)
        if held.signals:
            await database_sync_to_async(send_held_signals)(held)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if kind == "post":
            await self._post(content)
            return
        after = content.get("after")
        if kind == "resync" and isinstance(after, int) and not isinstance(after, bool) and after >= 0:
            # The membership re-check is the resync's own (`live.resync`: None when the person may not read).
            answer = await database_sync_to_async(live.resync)(self.access.user_id, self.access.topic_id, after)
            if answer is None:
                await self._shut(CLOSE_FORBIDDEN)
                return
            await self.send_json(answer)
            return
        # The membership re-check (inside submit_post for posts, inside resync for a resync).
        if not await database_sync_to_async(live.may_read)(self.access.user_id, self.access.topic_id):
            await self._shut(CLOSE_FORBIDDEN)
            return
        if kind == "resync":
            await self.send_json(live.error("bad_request", _("The message could not be understood.")))
        elif kind == "typing":
            now = time.monotonic()
            if now - self.last_typing >= live.TYPING_INTERVAL_SECONDS:
                self.last_typing = now
                await self.channel_layer.group_send(
                    topic_group(self.access.topic_id),
                    {"type": "typing.relay", "name": self.access.name, "sender": self.channel_name},
                )
        elif kind == "read":
            seq = content.get("seq")
            if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
                await self.send_json(live.error("bad_request", _("The message could not be understood.")))
                return
            await database_sync_to_async(live.mark_read)(self.access.user_id, self.access.topic_id, seq)
        elif kind == "ping":
            await self._presence(live.join_presence, self.access.name)
            await self.send_json({"type": "pong"})
        else:
            await self.send_json(live.error("bad_request", _("The message could not be understood.")))

    # --- events from the channel layer ---------------------------------------------------------------

    async def _forward(self, event):
        if self.closed or self.access is None or event.get("topic_id") != self.access.topic_id:
            return
        allowed = await FANOUT.may_receive(self.access.topic_id, self.access.user_id)
        if allowed and (text := FANOUT.encoded(event)) is not None:
            await self.send(text_data=text)  # the same text for every reader: encoded once per worker
            return
        message = await database_sync_to_async(live.event_for)(self.access.user_id, event) if allowed else None
        if message is None:
            await self._shut(CLOSE_FORBIDDEN)
            return
        await self.send_json(message)

    post_created = _forward
    post_edited = _forward
    post_hidden = _forward
    post_restored = _forward

    async def topic_changed(self, event):
        """The topic itself changed (locked, pinned, moved, deleted): send its current state."""
        if self.closed or self.access is None or event.get("topic_id") != self.access.topic_id:
            return
        FANOUT.forget_topic(self.access.topic_id)  # deleted, moved: who may read it is asked again
        message = await database_sync_to_async(live.topic_state_for)(self.access.user_id, event["topic_id"])
        if message is None:
            await self._shut(CLOSE_FORBIDDEN)
            return
        await self.send_json(message)

    async def sockets_close(self, event):
        space_id = event.get("space_id")
        if self.access is not None:
            FANOUT.forget_person(self.access.user_id)  # removed, suspended, logged out: the reader check asks again
            if space_id is None or space_id == self.access.space_id:
                await self._shut(event.get("code", CLOSE_FORBIDDEN))

    async def user_notice(self, event):
        """Account-wide notices go to the account socket; a topic socket in the same group ignores them."""

    async def presence_changed(self, event):
        if not self.closed:
            await self.send_json({"type": "presence", "readers": event["readers"], "count": event.get("count", 0)})

    async def typing_relay(self, event):
        if not self.closed and event.get("sender") != self.channel_name:
            await self.send_json({"type": "typing", "name": event["name"]})

    # --- presence ------------------------------------------------------------------------------------

    async def _presence(self, function, *args):
        # thread_sensitive=False: the short cache lock must never hold up the database thread.
        # A cache that is down costs the "reading now" line, never the socket.
        try:
            return await sync_to_async(function, thread_sensitive=False)(self.access.topic_id, self.channel_name, *args)
        except Exception:  # noqa: BLE001 - presence is best effort
            logger.warning("presence update failed for topic %s", self.access.topic_id, exc_info=True)
            return None

    async def _announce_presence(self):
        """Announce the readers at most once per `live.PRESENCE_ANNOUNCE_SECONDS` per topic, whoever asks.

        Many readers arriving at once (a debate opening, a benchmark) would otherwise make N announcements
        to N readers. The first socket to ask claims the window, waits it out and announces the state as it
        is then, so the last arrival is included.
        """
        topic_id = self.access.topic_id
        try:
            claimed = await sync_to_async(live.claim_presence_announcement, thread_sensitive=False)(topic_id)
        except Exception:  # noqa: BLE001 - presence is best effort
            return
        if claimed:
            asyncio.get_running_loop().create_task(self._announce_later(topic_id, self.channel_layer))

    @staticmethod
    async def _announce_later(topic_id, layer):
        await asyncio.sleep(live.PRESENCE_ANNOUNCE_SECONDS)
        try:
            readers = await sync_to_async(live.presence_summary, thread_sensitive=False)(topic_id)
            await layer.group_send(topic_group(topic_id), {"type": "presence.changed", **readers})
        except Exception:  # noqa: BLE001 - presence is best effort
            logger.warning("presence announcement failed for topic %s", topic_id, exc_info=True)


class ForumConsumer(SessionBoundSocket, AsyncJsonWebsocketConsumer):
    """A forum's topic list, live: `{"type": "topic", "topic": {...}}` for a new topic or a changed one
    (reply count, last post, pinned, locked). Same authorization as a topic socket; nothing is accepted from
    the client but pings.
    """

    forum_id: int | None = None

    async def connect(self):
        self.groups_joined = []
        self.closed = False
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        forum = await database_sync_to_async(live.open_forum)(user.pk, self.scope["url_route"]["kwargs"]["forum_id"])
        if forum is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user_id, self.forum_id, self.space_id = user.pk, forum.pk, forum.space_id
        self.message_bucket = live.TokenBucket(live.messages_per_minute())
        for group in (forum_group(self.forum_id), user_group_name(self.user_id)):
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        await self.accept()
        self.bind_session(self.user_id)
        await self.send_json({"type": "hello", "forum_id": self.forum_id})

    async def disconnect(self, code):
        self.closed = True
        self.unbind_session()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_joined = []

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.closed or self.forum_id is None:
            return
        if not self.message_bucket.take():
            return
        if not await self.ensure_session():
            return
        if text_data is None or len(text_data.encode("utf-8")) > live.max_message_bytes():
            return
        if not await database_sync_to_async(live.open_forum)(self.user_id, self.forum_id):
            await self._shut(CLOSE_FORBIDDEN)
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            return
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def _shut(self, code: int):
        if not self.closed:
            self.closed = True
            self.unbind_session()
            await self.close(code=code)

    async def topic_changed(self, event):
        if self.closed or event.get("forum_id") != self.forum_id:
            return
        message = await database_sync_to_async(live.forum_topic_for)(self.user_id, self.forum_id, event["topic_id"])
        if message is False:
            await self._shut(CLOSE_FORBIDDEN)
        elif message is not None:
            await self.send_json(message)

    async def sockets_close(self, event):
        space_id = event.get("space_id")
        if space_id is None or space_id == self.space_id:
            await self._shut(event.get("code", CLOSE_FORBIDDEN))

    async def user_notice(self, event):
        """Account-wide notices go to the account socket."""
