"""URLs of the spaces (networks, exchange groups), their membership and invitations."""

from django.urls import path

from exchange_groups.spaces import views

urlpatterns = [
    path("przestrzenie/", views.space_list, name="space_list"),
    path("moje-przestrzenie/", views.my_spaces, name="my_spaces"),
    path("zaproszenie/<str:token>/", views.invitation, name="invitation"),
    path("przestrzenie/<slug:slug>/", views.space_detail, name="space_detail"),
    path("przestrzenie/<slug:slug>/czlonkowie/", views.space_members, name="space_members"),
    path("przestrzenie/<slug:slug>/dolacz/", views.space_join, name="space_join"),
    path("przestrzenie/<slug:slug>/dolacz/wycofaj/", views.space_join_withdraw, name="space_join_withdraw"),
    path("przestrzenie/<slug:slug>/opusc/", views.space_leave, name="space_leave"),
    path("przestrzenie/<slug:slug>/zarzadzanie/", views.space_manage, name="space_manage"),
    path("przestrzenie/<slug:slug>/zarzadzanie/historia/", views.manage_history, name="space_manage_history"),
    path("przestrzenie/<slug:slug>/zarzadzanie/zapros/", views.manage_invite, name="space_manage_invite"),
    path("przestrzenie/<slug:slug>/zarzadzanie/dodaj/", views.manage_add, name="space_manage_add"),
    path(
        "przestrzenie/<slug:slug>/zarzadzanie/prosby/<int:pk>/akceptuj/",
        views.manage_request_accept,
        name="space_manage_request_accept",
    ),
    path(
        "przestrzenie/<slug:slug>/zarzadzanie/prosby/<int:pk>/odrzuc/",
        views.manage_request_decline,
        name="space_manage_request_decline",
    ),
    path(
        "przestrzenie/<slug:slug>/zarzadzanie/zaproszenia/<int:pk>/wycofaj/",
        views.manage_invitation_revoke,
        name="space_manage_invitation_revoke",
    ),
    path(
        "przestrzenie/<slug:slug>/zarzadzanie/czlonkowie/<int:pk>/rola/",
        views.manage_member_role,
        name="space_manage_member_role",
    ),
    path(
        "przestrzenie/<slug:slug>/zarzadzanie/czlonkowie/<int:pk>/usun/",
        views.manage_member_remove,
        name="space_manage_member_remove",
    ),
]
