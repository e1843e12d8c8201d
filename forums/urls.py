"""URLs of the forums app, included by oswiata_site.urls under the namespace "forums".

The app's features arrive with their own issue; the seam is here so they plug in without touching the site.
"""

app_name = "forums"
urlpatterns: list = []
