"""The smallest possible Channels broadcast app: the benchmark's baseline.

One consumer at /ws/bench/: it joins one group on connect and group_sends every text it receives to that
group; each member sends it on. Same settings, channel layer and daphne workers as the real app — only the
forum's work (authentication, permission checks, sanitizing, the database, the seq protocol) is missing.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oswiata_site.settings.test")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

GROUP = "bench.baseline"


class BroadcastConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()
        await self.send(text_data='{"type": "hello"}')

    async def disconnect(self, code):
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(GROUP, {"type": "relay", "text": text_data})

    async def relay(self, event):
        await self.send(text_data=event["text"])


application = ProtocolTypeRouter({"websocket": URLRouter([path("ws/bench/", BroadcastConsumer.as_asgi())])})
