"""WebSocket routes of the forums app, gathered by oswiata_site.routing."""

websocket_urlpatterns: list = []
