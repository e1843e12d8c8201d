"""URLs of the learning app, included by oswiata_site.urls under the namespace "learning".

The app's features arrive with their own issue; the seam is here so they plug in without touching the site.
"""

app_name = "learning"
urlpatterns: list = []
