from django.urls import path

from . import account_views

urlpatterns = [
    path("konto/rejestracja/", account_views.register, name="register"),
    path("konto/logowanie/", account_views.LoginView.as_view(), name="login"),
    path("konto/wylogowanie/", account_views.LogoutView.as_view(), name="logout"),
    path("konto/profil/", account_views.profile, name="profile"),
    path("informacja-o-przetwarzaniu-danych/", account_views.privacy_notice, name="privacy_notice"),
]
