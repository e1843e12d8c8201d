"""URLs of the resource library of a space."""

from django.urls import path

from exchange_groups.library import views

LIBRARY = "przestrzenie/<slug:slug>/biblioteka/"

urlpatterns = [
    path(LIBRARY, views.library, name="library"),
    path(LIBRARY + "dodaj/", views.resource_add, name="resource_add"),
    path(LIBRARY + "<int:pk>/edycja/", views.resource_edit, name="resource_edit"),
    path(LIBRARY + "<int:pk>/usun/", views.resource_delete, name="resource_delete"),
    path(LIBRARY + "<int:pk>/pobierz/", views.resource_download, name="resource_download"),
]
