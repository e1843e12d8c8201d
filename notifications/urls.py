"""URLs of the notifications app, included by oswiata_site.urls under the namespace "notifications"."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("powiadomienia/", views.notification_list, name="list"),
    path("powiadomienia/licznik/", views.unread, name="unread"),
    path("powiadomienia/przeczytane/", views.mark_all_read, name="mark_all_read"),
    path("powiadomienia/ustawienia/", views.preferences, name="preferences"),
    path("powiadomienia/wypisz/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("powiadomienia/<int:pk>/", views.notification_detail, name="detail"),
    path("powiadomienia/<int:pk>/otworz/", views.notification_open, name="open"),
]
