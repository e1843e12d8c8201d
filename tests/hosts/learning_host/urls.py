"""The learning host's own URLconf: the apps under prefixes the site never uses, Wagtail's pages under /portal/."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [
    path("szkolenia/", include("learning.urls")),
    path("ludzie/", include("exchange_groups.urls")),
    path("portal/", include(wagtail_urls)),
]
