"""WebSocket routes of the learning app, gathered by oswiata_site.routing."""

websocket_urlpatterns: list = []
