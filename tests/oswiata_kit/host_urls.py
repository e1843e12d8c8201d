"""A URLconf for the refusal tests: every route of the site, but the kit's ready handler403 instead of the site's."""

from django.urls import include, path

handler403 = "oswiata_kit.views.permission_denied"

urlpatterns = [
    path("", include("oswiata_site.urls")),
]
