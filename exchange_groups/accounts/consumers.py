"""The account socket: a logged-in person's connection for account-wide events.

It joins the per-user group, so a logout elsewhere closes it; later apps send their per-user events
(notifications) through the same group. It lives only as long as its login session (socket_sessions.py):
a password change made from another session, or the session ending on the server, closes it with 4001.
"""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from exchange_groups.accounts.realtime import CLOSE_UNAUTHENTICATED, TokenBucket, user_group_name
from exchange_groups.accounts.socket_sessions import SessionBoundSocket
from exchange_groups.conf import exchange_groups_settings


class SessionConsumer(SessionBoundSocket, AsyncJsonWebsocketConsumer):
    closed = False

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = user_group_name(user.pk)
        self.message_bucket = TokenBucket(exchange_groups_settings.SOCKET_MESSAGES_PER_MINUTE)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.bind_session(user.pk)
        await self.send_json({"type": "session.ready"})

    async def disconnect(self, code):
        self.closed = True
        self.unbind_session()
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _shut(self, code: int):
        if not self.closed:
            self.closed = True
            self.unbind_session()
            await self.close(code=code)

    async def receive_json(self, content, **kwargs):
        # Over the flood cap the message is dropped unanswered (and unchecked: no database work).
        if self.closed or self.session_user_id is None or not self.message_bucket.take():
            return
        if not await self.ensure_session():
            return
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def sockets_close(self, event):
        if event.get("space_id") is None:
            await self._shut(event["code"])

    async def user_notice(self, event):
        """Account-wide events from `realtime.notify_user` (the notification bell's count)."""
        if not self.closed:
            await self.send_json(event["payload"])
