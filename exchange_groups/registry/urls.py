"""URLs of the JST registry: the public picker (search by name or TERYT code)."""

from django.urls import path

from exchange_groups.registry import views as registry_views

urlpatterns: list = [
    path("jst/szukaj/", registry_views.unit_search, name="unit_search"),
]
