"""Services of exchange_groups: verb-named functions that change state. Views call these, never the models.

Accounts: registration with consents, e-mail confirmation, consents given and withdrawn, the profile,
and the account e-mails (rendered in the request's language, sent after the transaction commits
through a django-tasks task).
"""

import datetime
import enum
import logging
from collections.abc import Iterable
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from .models import Consent, ConsentPurpose, PositionCategory, Profile, TerritorialUnit
from .tokens import confirmation_max_age, make_confirmation_token

log = logging.getLogger(__name__)

# A second registration for a still unconfirmed address this soon after the first is the same person
# submitting twice (or reloading): nothing more is sent.
REPEATED_REGISTRATION_WINDOW = datetime.timedelta(minutes=15)
# One "send the confirmation link again" per address in this many seconds, so the form cannot be used
# to flood someone's mailbox.
RESEND_COOLDOWN_SECONDS = 60


class RegistrationOutcome(enum.Enum):
    CREATED = "created"
    EXISTING_ACCOUNT = "existing"  # the address already had an account: its owner was told
    REPEATED = "repeated"  # a double submit of a registration just made


# --- e-mail -------------------------------------------------------------------------------------------


@task()
def deliver_email(to: str, subject: str, body: str) -> None:
    """Send one plain-text e-mail (a background task; already rendered in the recipient's language)."""
    send_mail(subject, body, None, [to])


def absolute_url(path: str) -> str:
    base = getattr(settings, "SITE_BASE_URL", "") or "http://localhost:8000"
    return urljoin(base.rstrip("/") + "/", path.lstrip("/"))


def render_email(template_prefix: str, context: dict) -> tuple[str, str]:
    """Render `<prefix>_subject.txt` and `<prefix>_body.txt` in the active language."""
    context = {"site_name": getattr(settings, "WAGTAIL_SITE_NAME", "Oświata JST"), **context}
    subject = render_to_string(f"{template_prefix}_subject.txt", context)
    subject = " ".join(subject.split())
    body = render_to_string(f"{template_prefix}_body.txt", context)
    return subject, body


def send_account_email(to: str, template_prefix: str, context: dict) -> None:
    """Render now (the request's language is active) and send once the current transaction has committed."""
    subject, body = render_email(template_prefix, context)
    transaction.on_commit(lambda: deliver_email.enqueue(to, subject, body))


def send_confirmation_email(user) -> None:
    token = make_confirmation_token(user)
    send_account_email(
        user.email,
        "exchange_groups/email/confirm_email",
        {
            "user": user,
            "confirm_url": absolute_url(reverse("exchange_groups:confirm_email", args=[token])),
            "resend_url": absolute_url(reverse("exchange_groups:resend_confirmation")),
            "valid_days": confirmation_days(),
        },
    )


def send_existing_account_notice(user) -> None:
    """Tell the owner of an address that someone tried to register with it (the page said nothing)."""
    context = {
        "user": user,
        "login_url": absolute_url(reverse("exchange_groups:login")),
        "password_reset_url": absolute_url(reverse("exchange_groups:password_reset")),
        "confirm_url": None,
    }
    if not user.email_confirmed_at:
        token = make_confirmation_token(user)
        context["confirm_url"] = absolute_url(reverse("exchange_groups:confirm_email", args=[token]))
    send_account_email(user.email, "exchange_groups/email/existing_account", context)


def confirmation_days() -> int:
    return max(1, confirmation_max_age() // (60 * 60 * 24))


# --- registration and confirmation --------------------------------------------------------------------


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str):
    return get_user_model().objects.filter(email__iexact=normalize_email(email)).first()


def consent_text_version(purpose: str) -> str:
    """The version of the text a consent refers to: the terms have their own, the rest is in the privacy notice."""
    if purpose == ConsentPurpose.TERMS:
        return str(getattr(settings, "TERMS_VERSION", "1"))
    return str(getattr(settings, "PRIVACY_NOTICE_VERSION", "1"))


def register_user(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    unit: TerritorialUnit | None,
    position_category: str,
    job_title: str,
    organisation: str = "",
    consents: Iterable[str] = (),
) -> RegistrationOutcome:
    """Create the account, its profile and the consents given, then send the confirmation link.

    An address that already has an account gets no second one, and the caller cannot tell the
    difference (the same page follows): the owner receives a note instead, unless this is plainly a
    double submit of a registration made moments ago.
    """
    email = normalize_email(email)
    consents = [ConsentPurpose(purpose) for purpose in dict.fromkeys(consents)]
    existing = find_user_by_email(email)
    if existing is None:
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    email=email, password=password, first_name=first_name.strip(), last_name=last_name.strip()
                )
                profile, _created = Profile.objects.get_or_create(user=user)
                profile.unit = unit
                profile.position_category = position_category
                profile.job_title = job_title.strip()
                profile.organisation = organisation.strip()
                profile.save()
                now = timezone.now()
                Consent.objects.bulk_create(
                    Consent(user=user, purpose=purpose, text_version=consent_text_version(purpose), given_at=now)
                    for purpose in consents
                )
                send_confirmation_email(user)
        except IntegrityError:
            # A concurrent submit of the same address won the race: the account exists once.
            return RegistrationOutcome.REPEATED
        return RegistrationOutcome.CREATED

    # Cost the same time as creating an account, so the response time does not give the answer away.
    make_password(password)
    if existing.email_confirmed_at is None and timezone.now() - existing.date_joined < REPEATED_REGISTRATION_WINDOW:
        return RegistrationOutcome.REPEATED
    send_existing_account_notice(existing)
    return RegistrationOutcome.EXISTING_ACCOUNT


def resend_confirmation(email: str) -> bool:
    """Send a new confirmation link if the address belongs to an unconfirmed, active account.

    The answer is only for logs and tests; callers show the same page whatever happened.
    """
    user = find_user_by_email(email)
    if user is None or user.email_confirmed_at is not None or not user.is_active:
        return False
    if not cache.add(f"exchange_groups:resend-confirmation:{user.pk}", 1, RESEND_COOLDOWN_SECONDS):
        return False
    send_confirmation_email(user)
    return True


def confirm_email(user) -> bool:
    """Mark the address confirmed. Confirming again changes nothing; True when this call confirmed it."""
    now = timezone.now()
    changed = (
        get_user_model().objects.filter(pk=user.pk, email_confirmed_at__isnull=True).update(email_confirmed_at=now)
    )
    if changed:
        user.email_confirmed_at = now
    else:
        user.refresh_from_db(fields=["email_confirmed_at"])
    return bool(changed)


def reset_login_failures(user) -> None:
    """Forget the failed logins of an account (after its owner proved control of the address)."""
    from axes.utils import reset

    reset(username=normalize_email(user.email))


def axes_username(request, credentials=None) -> str | None:
    """The account django-axes counts a login attempt against: the lower-cased e-mail address.

    Used as AXES_USERNAME_CALLABLE. Django's authenticate() passes the address as `username` (the
    login form's field name), while axes would otherwise look for the model's USERNAME_FIELD ("email").
    """
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    if value is None and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("username") or data.get("email")
    return normalize_email(value) or None


# --- consents -----------------------------------------------------------------------------------------


def give_consent(user, purpose: str) -> Consent:
    """Record a consent to the current text. Agreeing when already agreed changes nothing."""
    purpose = ConsentPurpose(purpose)
    active = user.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            return Consent.objects.create(user=user, purpose=purpose, text_version=consent_text_version(purpose))
    except IntegrityError:
        # A double submit created it a moment ago (one active consent per purpose).
        return user.consents.get(purpose=purpose, withdrawn_at__isnull=True)


def withdraw_consent(user, purpose: str) -> Consent | None:
    """Record the withdrawal on the active consent row (rows are never deleted). None if there was none."""
    purpose = ConsentPurpose(purpose)
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update().filter(user=user, purpose=purpose, withdrawn_at__isnull=True).first()
        )
        if consent is None:
            return None
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
    return consent


def active_consent_purposes(user) -> set[str]:
    return set(user.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True))


# --- profile ------------------------------------------------------------------------------------------


def update_profile(
    user,
    *,
    first_name: str,
    last_name: str,
    unit: TerritorialUnit | None,
    position_category: str,
    job_title: str,
    organisation: str = "",
) -> Profile:
    if position_category:
        PositionCategory(position_category)
    with transaction.atomic():
        user.first_name = first_name.strip()
        user.last_name = last_name.strip()
        user.save(update_fields=["first_name", "last_name"])
        profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
        profile.unit = unit
        profile.position_category = position_category
        profile.job_title = job_title.strip()
        profile.organisation = organisation.strip()
        profile.save()
    return profile
