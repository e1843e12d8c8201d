"""Forms of the account pages: registration, login, confirmation links, password reset, profile."""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth import forms as auth_forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from exchange_groups.accounts import services
from exchange_groups.accounts.permissions import can_log_in
from exchange_groups.models import ConsentPurpose, PositionCategory, Profile
from exchange_groups.registry.fields import TerritorialUnitField
from oswiata_kit.urls import absolute_url

CONSENT_FIELDS = {
    ConsentPurpose.PRIVACY_NOTICE: "consent_privacy_notice",
    ConsentPurpose.TERMS: "consent_terms",
    ConsentPurpose.PROJECT_REPORTING: "consent_project_reporting",
    ConsentPurpose.NEWSLETTER: "consent_newsletter",
}


def _password_help_text() -> str:
    return " ".join(str(text) for text in password_validation.password_validators_help_texts())


class ProfileFieldsMixin:
    """The fields a profile has, shared by registration and the profile page."""

    def add_profile_fields(self):
        self.fields["first_name"] = forms.CharField(
            label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
        )
        self.fields["last_name"] = forms.CharField(
            label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
        )
        self.fields["unit"] = TerritorialUnitField(
            label=_("Local government unit (JST)"),
            help_text=_("The gmina or powiat you work for or with: type its name or its TERYT code."),
        )
        self.fields["position_category"] = forms.ChoiceField(
            label=_("Position"),
            choices=PositionCategory.choices,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose the group your position belongs to.")},
        )
        self.fields["job_title"] = forms.CharField(
            label=_("Job title"),
            max_length=200,
            help_text=_("For example: head of the education department, treasurer, deputy mayor."),
            widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        )
        self.fields["organisation"] = forms.CharField(
            label=_("Organisation"),
            max_length=200,
            required=False,
            help_text=_("Social partners: the name of the organisation, association or foundation you represent."),
            widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        )
        # Shown next to the label instead of "optional": the field is required for one category only.
        self.fields["organisation"].required_note = _("required for social partners")

    def clean_profile_fields(self, cleaned_data):
        category = cleaned_data.get("position_category")
        organisation = (cleaned_data.get("organisation") or "").strip()
        if category == PositionCategory.SOCIAL_PARTNER and not organisation:
            self.add_error(
                "organisation",
                forms.ValidationError(
                    _("Enter the name of the organisation you represent as a social partner."),
                    code="organisation_required",
                ),
            )
        return cleaned_data


class RegistrationForm(ProfileFieldsMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("You will log in with it. We will send a link to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = _password_help_text()
        self.add_profile_fields()
        self.fields["consent_privacy_notice"] = forms.BooleanField(
            label=ConsentPurpose.PRIVACY_NOTICE.label,
            error_messages={"required": _("To create an account, confirm that you have read the privacy notice.")},
        )
        self.fields["consent_terms"] = forms.BooleanField(
            label=ConsentPurpose.TERMS.label,
            error_messages={"required": _("To create an account, accept the terms of use.")},
        )
        self.fields["consent_project_reporting"] = forms.BooleanField(
            label=ConsentPurpose.PROJECT_REPORTING.label,
            help_text=_(
                "The platform is part of a project co-financed by the European Union. Its participants' data "
                "(such as the JST and position) must be processed to monitor the project and report on it to the "
                "institutions that fund it. Without this consent you cannot take part in the project's activities."
            ),
            error_messages={
                "required": _("To create an account, agree to the processing of your data for the project's reporting.")
            },
        )
        self.fields["consent_newsletter"] = forms.BooleanField(
            label=ConsentPurpose.NEWSLETTER.label,
            required=False,
            help_text=_("Optional. You can unsubscribe at any time on your profile page."),
        )

    @property
    def account_fields(self):
        return [self[name] for name in ("email", "password1", "password2")]

    @property
    def profile_fields(self):
        return [self[name] for name in ("first_name", "last_name", "unit", "position_category", "job_title")] + [
            self["organisation"]
        ]

    @property
    def consent_fields(self):
        return [self[name] for name in CONSENT_FIELDS.values()]

    def clean_email(self):
        return services.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned_data = super().clean()
        self.clean_profile_fields(cleaned_data)
        password1 = cleaned_data.get("password1")
        password2 = cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", forms.ValidationError(_("The two passwords are not the same."), code="password_mismatch")
            )
        if password1:
            # The similarity check compares the password with the name and address the person typed.
            candidate = get_user_model()(
                email=cleaned_data.get("email") or "",
                first_name=cleaned_data.get("first_name") or "",
                last_name=cleaned_data.get("last_name") or "",
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned_data

    def given_consents(self) -> list[str]:
        return [purpose for purpose, name in CONSENT_FIELDS.items() if self.cleaned_data.get(name)]


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form with the field still named `username` (so django-axes sees it), labelled as the e-mail.

    A correct password for an unconfirmed account is refused with its own message; the page then offers
    to send the confirmation link again.
    """

    username = auth_forms.UsernameField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("The e-mail address or the password is not correct. Check them and try again."),
        "inactive": _("This account is blocked. Please contact the platform's administrator."),
        "unconfirmed": _(
            "Your e-mail address has not been confirmed yet. Open the link we sent you when you registered, "
            "or ask for a new one."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.needs_confirmation = False

    def clean_username(self):
        return services.normalize_email(self.cleaned_data.get("username"))

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            # The backend lets in confirmed accounts only; for a correct password of an unconfirmed one it
            # marks the request, so this page can offer the confirmation link instead of "wrong password".
            # Passed as `email` (the model's USERNAME_FIELD), not `username`: ModelBackend accepts either, and
            # django-axes then finds the account both when it checks a lockout and when it records a failure
            # (it reads AXES_USERNAME_FORM_FIELD, which defaults to USERNAME_FIELD). Under `username` every
            # failure would be recorded without an account, and the pair (account, address) never locked.
            self.user_cache = authenticate(self.request, email=email, password=password)
            if self.user_cache is None:
                if getattr(self.request, "login_needs_confirmation", False):
                    self.needs_confirmation = True
                    raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        if not can_log_in(user):
            self.needs_confirmation = True
            raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")


class ConfirmEmailForm(forms.Form):
    """The confirmation page: the password chosen at registration (services.confirm_registration)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        help_text=_("The password you chose when you registered with this address."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        services.ConfirmationResult.WRONG_PASSWORD: _(
            "This is not the password chosen when registering with this address. Check it and try again."
        ),
        services.ConfirmationResult.TOO_MANY_ATTEMPTS: _(
            "Too many wrong passwords were entered for this account. Please try again later, or set a new "
            "password, which also confirms the address."
        ),
    }

    def add_refusal(self, result) -> None:
        self.add_error("password", forms.ValidationError(self.error_messages[result], code=result.value))


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def clean_email(self):
        return services.normalize_email(self.cleaned_data["email"])


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; the e-mail is plain text in Polish and goes out through the mail task."""

    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        reset_path = reverse(
            "exchange_groups:password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        services.send_account_email(
            to_email,
            "exchange_groups/email/password_reset",
            {
                "user": context["user"],
                "reset_url": absolute_url(reset_path),
                "valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
            },
        )


class ProfileForm(ProfileFieldsMixin, forms.Form):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        profile = Profile.objects.filter(user=user).first() or Profile(user=user)
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "unit": profile.unit,
                "position_category": profile.position_category,
                "job_title": profile.job_title,
                "organisation": profile.organisation,
            },
        )
        super().__init__(*args, **kwargs)
        self.add_profile_fields()

    def clean(self):
        return self.clean_profile_fields(super().clean())

    def save(self):
        data = self.cleaned_data
        return services.update_profile(
            self.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            unit=data["unit"],
            position_category=data["position_category"],
            job_title=data["job_title"],
            organisation=data.get("organisation") or "",
        )
