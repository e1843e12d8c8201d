"""The learning host's own URLconf: the apps under prefixes the site never uses, Wagtail's pages under /portal/."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("szkolenia/", include("learning.urls")),
    path("ludzie/", include("exchange_groups.urls")),
    path("portal/", include(wagtail_urls)),
]

handler403 = "oswiata_kit.views.permission_denied"  # refusals: anonymous visitors are sent to log in
