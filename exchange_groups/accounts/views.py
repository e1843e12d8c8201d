"""Accounts: registration with consents, e-mail confirmation, login, logout, password reset, profile.

Views stay thin: they validate a form and call a service (exchange_groups.accounts.services). Every change of
state is a POST; a confirmation link opens a page with a button.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from exchange_groups.accounts import services
from exchange_groups.accounts.forms import (
    ConfirmEmailForm,
    EmailForm,
    LoginForm,
    PasswordResetForm,
    ProfileForm,
    RegistrationForm,
)
from exchange_groups.accounts.permissions import REQUIRED_CONSENTS, can_take_part
from exchange_groups.accounts.tokens import ConfirmationTokenExpired, ConfirmationTokenInvalid, read_confirmation_token
from exchange_groups.conf import exchange_groups_settings
from exchange_groups.models import ConsentPurpose, Profile

T = "exchange_groups/account/"


# --- registration and confirmation --------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("exchange_groups:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.register_user(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            unit=data["unit"],
            position_category=data["position_category"],
            job_title=data["job_title"],
            organisation=data.get("organisation") or "",
            consents=form.given_consents(),
        )
        # The same page whether or not the address already had an account (no account enumeration).
        return redirect("exchange_groups:register_done")
    return render(request, T + "register.html", {"form": form})


def register_done(request):
    return render(request, T + "register_done.html", {"valid_days": services.confirmation_days()})


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    try:
        user = read_confirmation_token(token)
    except ConfirmationTokenExpired as expired:
        user = expired.user
        context = {"state": "expired", "valid_days": services.confirmation_days()}
        if user is not None and user.email_confirmed_at is None:
            context["resend_email"] = user.email
        elif user is not None:
            context["state"] = "already"
        return render(request, T + "confirm_email.html", context, status=400 if context["state"] == "expired" else 200)
    except ConfirmationTokenInvalid:
        return render(request, T + "confirm_email.html", {"state": "invalid"}, status=400)

    if user.email_confirmed_at is not None:
        if request.method == "POST":  # nothing left to activate: a second press of the button
            messages.success(request, _("Thank you, your e-mail address is confirmed. You can log in now."))
            return redirect("exchange_groups:login")
        return render(request, T + "confirm_email.html", {"state": "already", "confirm_user": user})

    # The password chosen at registration is asked for: the link alone only proves the mailbox.
    form = ConfirmEmailForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        result = services.confirm_registration(user, form.cleaned_data["password"])
        if result in (services.ConfirmationResult.CONFIRMED, services.ConfirmationResult.ALREADY_CONFIRMED):
            messages.success(request, _("Thank you, your e-mail address is confirmed. You can log in now."))
            return redirect("exchange_groups:login")
        form.add_refusal(result)
    return render(request, T + "confirm_email.html", {"state": "confirm", "confirm_user": user, "form": form})


@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    if request.method == "POST":
        form = EmailForm(request.POST)
        if form.is_valid():
            services.resend_confirmation(form.cleaned_data["email"])
            # The same answer for every address, so the page does not tell which ones have accounts.
            return redirect("exchange_groups:resend_confirmation_done")
    else:
        form = EmailForm(initial={"email": request.GET.get("email", "")[:254]})
    return render(request, T + "resend_confirmation.html", {"form": form})


def resend_confirmation_done(request):
    return render(request, T + "resend_confirmation_done.html", {"valid_days": services.confirmation_days()})


# --- login and logout ---------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = T + "login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if getattr(form, "needs_confirmation", False):
            email = form.cleaned_data.get("username", "")
            context["resend_url"] = reverse("exchange_groups:resend_confirmation") + "?" + urlencode({"email": email})
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView): logging out changes state."""

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.info(request, _("You have been logged out."))
        return response


# --- password reset and change ------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    template_name = T + "password_reset_form.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("exchange_groups:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = T + "password_reset_done.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["valid_hours"] = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
        return context


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = T + "password_reset_confirm.html"
    success_url = reverse_lazy("exchange_groups:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The reset link reached the mailbox: the address is proven, and the owner may log in again
        # from the address their failed attempts came from.
        services.confirm_email(self.user)
        services.reset_login_failures(self.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = T + "password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = T + "password_change_form.html"
    success_url = reverse_lazy("exchange_groups:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


# --- profile and consents -----------------------------------------------------------------------------


def _consent_rows(user):
    """One row per purpose: whether it is given now, the active record, and whether it is required."""
    active = {c.purpose: c for c in user.consents.filter(withdrawn_at__isnull=True)}
    return [
        {
            "purpose": purpose,
            "label": purpose.label,
            "consent": active.get(purpose.value),
            "required": purpose in REQUIRED_CONSENTS,
        }
        for purpose in ConsentPurpose
    ]


def _profile_of(user) -> Profile:
    """The person's profile; an unsaved empty one if it is missing (GET must not create rows)."""
    return Profile.objects.filter(user=user).select_related("unit").first() or Profile(user=user)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, user=user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile has been saved."))
            return redirect("exchange_groups:profile")
        messages.error(request, _("The profile has not been saved. Please correct the fields listed below."))
    else:
        form = ProfileForm(user=user)
    context = {
        "form": form,
        "profile": _profile_of(user),
        "consent_rows": _consent_rows(user),
        "consent_history": user.consents.all(),
        "can_take_part": can_take_part(user),
    }
    return render(request, T + "profile.html", context)


def _purpose_or_404(purpose: str) -> ConsentPurpose:
    try:
        return ConsentPurpose(purpose)
    except ValueError:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, purpose):
    purpose = _purpose_or_404(purpose)
    if request.method == "POST":
        if services.withdraw_consent(request.user, purpose) is not None:
            messages.success(request, _("Your consent has been withdrawn: “%(consent)s”.") % {"consent": purpose.label})
        return redirect("exchange_groups:profile")
    active = request.user.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
    context = {"purpose": purpose, "consent": active, "required": purpose in REQUIRED_CONSENTS}
    return render(request, T + "consent_withdraw.html", context)


@login_required
@require_POST
def consent_give(request, purpose):
    purpose = _purpose_or_404(purpose)
    services.give_consent(request.user, purpose)
    messages.success(request, _("Your consent has been recorded: “%(consent)s”.") % {"consent": purpose.label})
    return redirect("exchange_groups:profile")


# --- privacy notice -----------------------------------------------------------------------------------


def _versioned_page(request, template: str, setting: str):
    version = getattr(exchange_groups_settings, setting)
    try:
        version_date = datetime.date.fromisoformat(version)
    except ValueError:
        version_date = None
    return render(request, T + template, {"version": version, "version_date": version_date})


def privacy_notice(request):
    return _versioned_page(request, "privacy_notice.html", "PRIVACY_NOTICE_VERSION")


def terms(request):
    """Regulamin: the terms a person accepts when registering (version TERMS_VERSION)."""
    return _versioned_page(request, "terms.html", "TERMS_VERSION")


login = LoginView.as_view()
logout = LogoutView.as_view()
password_reset = PasswordResetView.as_view()
password_reset_done = PasswordResetDoneView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = PasswordResetCompleteView.as_view()
password_change = PasswordChangeView.as_view()  # Django's view requires login
