from django.urls import path

from . import views

urlpatterns = [
    path("przestrzenie/", views.space_list, name="space_list"),
]
