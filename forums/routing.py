"""WebSocket routes of the forums app, gathered by oswiata_site.routing."""

from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/fora/watki/<int:topic_id>/", consumers.TopicConsumer.as_asgi()),
    path("ws/fora/<int:forum_id>/", consumers.ForumConsumer.as_asgi()),
]
