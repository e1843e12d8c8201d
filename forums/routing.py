"""WebSocket routes of the forums app, gathered by oswiata_site.routing (or a host site's own ASGI application).

They live under FORUMS_SOCKET_PATH (default "ws/fora/"); the pages name the same addresses through
`{% forum_socket %}`, so a host that moves them changes one setting.
"""

from django.urls import path

from . import consumers
from .conf import forums_settings

websocket_urlpatterns = [
    path(f"{forums_settings.SOCKET_PATH}watki/<int:topic_id>/", consumers.TopicConsumer.as_asgi()),
    path(f"{forums_settings.SOCKET_PATH}<int:forum_id>/", consumers.ForumConsumer.as_asgi()),
]
