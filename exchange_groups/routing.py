"""WebSocket routes of exchange_groups, gathered by oswiata_site.routing: the account socket at
EXCHANGE_GROUPS_ACCOUNT_SOCKET_PATH (default "ws/konto/")."""

from django.urls import path

from exchange_groups.accounts import consumers
from exchange_groups.conf import exchange_groups_settings

websocket_urlpatterns = [
    path(exchange_groups_settings.ACCOUNT_SOCKET_PATH, consumers.SessionConsumer.as_asgi()),
]
