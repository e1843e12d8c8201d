"""URLs of the notifications app, included by oswiata_site.urls under the namespace "notifications"."""

app_name = "notifications"
urlpatterns: list = []
