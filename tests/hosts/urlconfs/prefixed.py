"""The apps' URLs under prefixes other than the site's, for tests that check nothing assumes the site's addresses."""

from django.urls import include, path

urlpatterns = [
    path("ludzie/", include("exchange_groups.urls")),
    path("szkolenia/", include("learning.urls")),
    path("dyskusje/", include("forums.urls")),
    path("wydarzenia/", include("debates.urls")),
    path("inne/", include("notifications.urls")),
]

handler403 = "oswiata_kit.views.permission_denied"  # refusals: anonymous visitors are sent to log in
