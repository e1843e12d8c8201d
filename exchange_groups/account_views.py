"""Accounts: registration with consents, e-mail confirmation, login, logout, password reset, profile.

(Being built out: this first version wires the URL names the site chrome uses.)
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


class LoginView(auth_views.LoginView):
    template_name = "exchange_groups/account/login.html"


class LogoutView(auth_views.LogoutView):
    pass


def register(request):
    return render(request, "exchange_groups/account/register.html", {})


@login_required
def profile(request):
    return render(request, "exchange_groups/account/profile.html", {})


def privacy_notice(request):
    return render(request, "exchange_groups/account/privacy_notice.html", {})
