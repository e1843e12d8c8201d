"""URLs of the debates app, included by oswiata_site.urls under the namespace "debates"."""

app_name = "debates"
urlpatterns: list = []
