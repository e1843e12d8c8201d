"""The smallest Channels broadcast app: the benchmark's baseline.

One consumer at /ws/bench/: it joins one group on connect and group_sends every text it receives to that
group; each member sends it on. Nothing else: no project settings, apps or middleware, so the baseline is
what Channels, daphne and the channel layer cost. The channel layer is the one the project's workers use,
configured the same way (site/settings/base.py: the backend from CHANNEL_LAYER_BACKEND, Redis at REDIS_URL,
the layer's own defaults for capacity and expiry), in the same daphne workers' environment.

It used to load the project's test settings (`django.setup()`): the worker then held the whole project's
~200,000 objects (Django, Wagtail, every app) for nothing, and each full collection of Python's cyclic
garbage collector walked them all (150–280 ms on this machine) while 500 readers were being served. That
pause, not the broadcast, was the in-harness baseline's p99 (387 ms where the smallest app had 220 ms). The
project's own ASGI entry point now freezes what it loads at start-up (site/asgi.py), so the comparison
measures the forum's work, not the collector.
"""

import os

from django.conf import settings

settings.configure(
    CHANNEL_LAYERS={
        "default": {
            "BACKEND": os.environ.get("CHANNEL_LAYER_BACKEND", "channels_redis.pubsub.RedisPubSubChannelLayer"),
            "CONFIG": {"hosts": [os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")]},
        }
    }
)

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
