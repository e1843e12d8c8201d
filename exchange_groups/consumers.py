"""The account socket: a logged-in person's connection for account-wide events.

It joins the per-user group, so a logout elsewhere closes it; later apps send their per-user events
(notifications) through the same group.
"""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .realtime import CLOSE_UNAUTHENTICATED, user_group_name


class SessionConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = user_group_name(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "session.ready"})

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def sockets_close(self, event):
        if event.get("space_id") is None:
            await self.close(code=event["code"])

    async def user_notice(self, event):
        """Account-wide events from `realtime.notify_user` (the notification bell's count)."""
        await self.send_json(event["payload"])
