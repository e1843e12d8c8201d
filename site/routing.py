"""WebSocket routes of the whole site, gathered from each app's routing.py."""

from exchange_groups.routing import websocket_urlpatterns as exchange_groups_routes
from forums.routing import websocket_urlpatterns as forums_routes
from learning.routing import websocket_urlpatterns as learning_routes

websocket_urlpatterns = [*exchange_groups_routes, *forums_routes, *learning_routes]
