from django.urls import path

from exchange_groups.accounts import views

urlpatterns = [
    path("konto/rejestracja/", views.register, name="register"),
    path("konto/rejestracja/sprawdz-poczte/", views.register_done, name="register_done"),
    path("konto/potwierdzenie-adresu/<str:token>/", views.confirm_email, name="confirm_email"),
    path("konto/wyslij-potwierdzenie/", views.resend_confirmation, name="resend_confirmation"),
    path("konto/wyslij-potwierdzenie/wyslano/", views.resend_confirmation_done, name="resend_confirmation_done"),
    path("konto/logowanie/", views.login, name="login"),
    path("konto/wylogowanie/", views.logout, name="logout"),
    path("konto/haslo/reset/", views.password_reset, name="password_reset"),
    path("konto/haslo/reset/wyslano/", views.password_reset_done, name="password_reset_done"),
    path("konto/haslo/reset/gotowe/", views.password_reset_complete, name="password_reset_complete"),
    path("konto/haslo/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("konto/haslo/zmiana/", views.password_change, name="password_change"),
    path("konto/profil/", views.profile, name="profile"),
    path("konto/zgody/<str:purpose>/wycofaj/", views.consent_withdraw, name="consent_withdraw"),
    path("konto/zgody/<str:purpose>/udziel/", views.consent_give, name="consent_give"),
    path("informacja-o-przetwarzaniu-danych/", views.privacy_notice, name="privacy_notice"),
    path("regulamin/", views.terms, name="terms"),
]
