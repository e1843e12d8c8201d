"""The forums host's own URLconf: the apps under prefixes the site never uses."""

from django.urls import include, path

urlpatterns = [
    path("dyskusje/", include("forums.urls")),
    path("ludzie/", include("exchange_groups.urls")),
]

handler403 = "oswiata_kit.views.permission_denied"  # refusals: anonymous visitors are sent to log in
