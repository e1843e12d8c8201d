"""WebSocket routes of exchange_groups, gathered by oswiata_site.routing."""

from django.urls import path

from exchange_groups.accounts import consumers

websocket_urlpatterns = [
    path("ws/konto/", consumers.SessionConsumer.as_asgi()),
]
