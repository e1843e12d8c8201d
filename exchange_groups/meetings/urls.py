"""URLs of the meetings of a space, "Moje spotkania" and the personal calendar feed."""

from django.urls import path

from exchange_groups.meetings import views

MEETING = "przestrzenie/<slug:slug>/spotkania/<int:pk>/"

urlpatterns = [
    path("przestrzenie/<slug:slug>/spotkania/", views.meeting_list, name="meeting_list"),
    path("przestrzenie/<slug:slug>/spotkania/nowe/", views.meeting_create, name="meeting_create"),
    path(MEETING, views.meeting_detail, name="meeting_detail"),
    path(MEETING + "zapisz/", views.meeting_register, name="meeting_register"),
    path(MEETING + "wypisz/", views.meeting_unregister, name="meeting_unregister"),
    path(MEETING + "edytuj/", views.meeting_edit, name="meeting_edit"),
    path(MEETING + "odwolaj/", views.meeting_cancel, name="meeting_cancel"),
    path(MEETING + "obecnosc/", views.meeting_attendance, name="meeting_attendance"),
    path(MEETING + "protokol/", views.meeting_minutes, name="meeting_minutes"),
    path(MEETING + "materialy/dodaj/", views.meeting_material_add, name="meeting_material_add"),
    path(
        MEETING + "materialy/<int:material_pk>/",
        views.meeting_material_download,
        name="meeting_material_download",
    ),
    path(
        MEETING + "materialy/<int:material_pk>/usun/",
        views.meeting_material_remove,
        name="meeting_material_remove",
    ),
    path(MEETING + "kalendarz.ics", views.meeting_ics, name="meeting_ics"),
    path("moje-spotkania/", views.my_meetings, name="my_meetings"),
    path("moje-spotkania/kalendarz/utworz/", views.calendar_feed_create, name="calendar_feed_create"),
    path("moje-spotkania/kalendarz/wylacz/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("kalendarz/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
