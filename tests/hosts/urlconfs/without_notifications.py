"""A host that includes exchange_groups but not notifications."""

from django.urls import include, path

urlpatterns = [path("ludzie/", include("exchange_groups.urls"))]
