"""Services of exchange_groups: verb-named functions that change state. Views call these, never the models.

Accounts: registration with consents, e-mail confirmation, consents given and withdrawn, the profile,
and the account e-mails (rendered in the request's language, sent after the transaction commits
through a django-tasks task).

Nobody can take over an address by registering it first (account pre-hijacking): a new registration
of a still unconfirmed address replaces the pending one (password, name, profile, consents), which
invalidates every confirmation link sent before (tokens.py binds a link to the password hash), and
confirming asks for the password chosen at registration (confirm_registration). So the mailbox's owner
never activates a password somebody else chose, by any link, old or new, resent or not.
"""

import datetime
import enum
import logging
from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from exchange_groups.accounts.tokens import confirmation_max_age, make_confirmation_token
from exchange_groups.conf import exchange_groups_settings
from exchange_groups.models import Consent, ConsentPurpose, PositionCategory, Profile, TerritorialUnit
from oswiata_kit import email as mail
from oswiata_kit.urls import absolute_url

log = logging.getLogger(__name__)

# A second registration for a still unconfirmed address this soon after the first is the same person
# submitting twice (or reloading): nothing more is sent.
REPEATED_REGISTRATION_WINDOW = datetime.timedelta(minutes=15)
# One "send the confirmation link again" per address in this many seconds, so the form cannot be used
# to flood someone's mailbox.
RESEND_COOLDOWN_SECONDS = 60
# Wrong passwords on one account's confirmation page before it refuses for a while (the link is in the
# mailbox, but a leaked link must not become a way to guess the password without django-axes' limit).
CONFIRMATION_PASSWORD_ATTEMPTS = 5
CONFIRMATION_PASSWORD_LOCK_SECONDS = 15 * 60


class RegistrationOutcome(enum.Enum):
    CREATED = "created"
    EXISTING_ACCOUNT = "existing"  # the address already had a confirmed (or blocked) account: its owner was told
    REPEATED = "repeated"  # a double submit of a registration just made
    REPLACED = "replaced"  # a newer registration of a still unconfirmed address took the pending one's place


class ConfirmationResult(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already"
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 - a result code, not a password
    TOO_MANY_ATTEMPTS = "too_many_attempts"


# --- e-mail -------------------------------------------------------------------------------------------


def send_account_email(to: str, template_prefix: str, context: dict) -> None:
    """Render now in the request's language (the person asked for it on a page) and send after the commit."""
    mail.send_email([to], template_prefix, context, language=translation.get_language())


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
    """Tell the owner of an address that someone tried to register with it (the page said nothing).

    Only for a confirmed (or blocked) account: it carries no confirmation link, which would confirm a
    password the recipient may not have chosen.
    """
    context = {
        "user": user,
        "login_url": absolute_url(reverse("exchange_groups:login")),
        "password_reset_url": absolute_url(reverse("exchange_groups:password_reset")),
    }
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
        return exchange_groups_settings.TERMS_VERSION
    return exchange_groups_settings.PRIVACY_NOTICE_VERSION


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

    The caller cannot tell what happened (the same page follows in every case):
    - a new address: the account is created, unconfirmed;
    - a confirmed (or blocked) account: nothing changes, its owner receives a note;
    - an unconfirmed, active account: this registration replaces the pending one (see the module's
      notes) and a new link is sent; unless it is plainly a double submit (the same password within
      minutes of the pending registration), which changes and sends nothing.
    """
    email = normalize_email(email)
    consents = [ConsentPurpose(purpose) for purpose in dict.fromkeys(consents)]
    details = {
        "first_name": first_name,
        "last_name": last_name,
        "unit": unit,
        "position_category": position_category,
        "job_title": job_title,
        "organisation": organisation,
    }
    existing = find_user_by_email(email)
    if existing is None:
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    email=email, password=password, first_name=first_name.strip(), last_name=last_name.strip()
                )
                _set_registration_details(user, consents, **details)
                send_confirmation_email(user)
        except IntegrityError:
            # A concurrent submit of the same address won the race: the account exists once.
            return RegistrationOutcome.REPEATED
        return RegistrationOutcome.CREATED

    if existing.email_confirmed_at is None and existing.is_active:
        return _replace_pending_registration(existing, password, consents, details)
    # Cost the same time as creating an account, so the response time does not give the answer away.
    make_password(password)
    send_existing_account_notice(existing)
    return RegistrationOutcome.EXISTING_ACCOUNT


def _set_registration_details(
    user, consents, *, first_name, last_name, unit, position_category, job_title, organisation
) -> None:
    """The profile and the consents of a registration (inside its transaction)."""
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


def _replace_pending_registration(existing, password: str, consents, details) -> RegistrationOutcome:
    """A new registration of an address whose account is still unconfirmed takes the pending one's place.

    The pending password may be a stranger's (someone registered this address before its owner did):
    it is replaced with this one, which makes every confirmation link sent for it invalid, and the name,
    profile and consents of that registration go with it (its consent rows stay on record, withdrawn).
    """
    recent = timezone.now() - existing.date_joined < REPEATED_REGISTRATION_WINDOW
    # Without a setter: a hash upgrade here would change the password hash and so the link just sent.
    if recent and check_password(password, existing.password):
        return RegistrationOutcome.REPEATED
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=existing.pk)
        if user.email_confirmed_at is not None or not user.is_active:
            # Confirmed (or blocked) a moment ago by its owner: from now on it is theirs.
            send_existing_account_notice(user)
            return RegistrationOutcome.EXISTING_ACCOUNT
        user.set_password(password)
        user.first_name = details["first_name"].strip()
        user.last_name = details["last_name"].strip()
        user.date_joined = timezone.now()  # the registration that counts (and the double-submit window)
        user.save(update_fields=["password", "first_name", "last_name", "date_joined"])
        now = timezone.now()
        Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=now)
        _set_registration_details(user, consents, **details)
        send_confirmation_email(user)
    cache.delete(_confirmation_failures_key(user))  # a new registration, a new link: a fresh count
    return RegistrationOutcome.REPLACED


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


def _confirmation_failures_key(user) -> str:
    return f"exchange_groups:confirmation-password-failures:{user.pk}"


def confirm_registration(user, password: str) -> ConfirmationResult:
    """Confirm the address from its confirmation link, with the password chosen at registration.

    The link proves control of the mailbox; the password proves that the person who controls it is the
    one who chose the password being activated. A link that reaches a mailbox whose owner did not
    register (someone else typed the address) therefore confirms nothing. Wrong passwords are limited
    per account (CONFIRMATION_PASSWORD_ATTEMPTS in CONFIRMATION_PASSWORD_LOCK_SECONDS).
    """
    if user.email_confirmed_at is not None:
        return ConfirmationResult.ALREADY_CONFIRMED
    key = _confirmation_failures_key(user)
    if (cache.get(key) or 0) >= CONFIRMATION_PASSWORD_ATTEMPTS:
        return ConfirmationResult.TOO_MANY_ATTEMPTS
    if not check_password(password, user.password):
        cache.add(key, 0, CONFIRMATION_PASSWORD_LOCK_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, CONFIRMATION_PASSWORD_LOCK_SECONDS)
        return ConfirmationResult.WRONG_PASSWORD
    now = timezone.now()
    # Only while the password is still the one just checked: a registration replacing it in between wins.
    changed = (
        get_user_model()
        .objects.filter(pk=user.pk, email_confirmed_at__isnull=True, password=user.password)
        .update(email_confirmed_at=now)
    )
    if changed:
        user.email_confirmed_at = now
        cache.delete(key)
        return ConfirmationResult.CONFIRMED
    user.refresh_from_db(fields=["email_confirmed_at", "password"])
    if user.email_confirmed_at is not None:
        return ConfirmationResult.ALREADY_CONFIRMED
    return ConfirmationResult.WRONG_PASSWORD


def confirm_email(user) -> bool:
    """Mark the address confirmed. Confirming again changes nothing; True when this call confirmed it.

    For callers that have proven both the mailbox and the password themselves (a password reset sets a
    password the mailbox's owner chose) or are trusted (an administrator creating the account).
    """
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
    """Forget the failed logins of an account (after its owner proved control of the address).

    A host site without django-axes keeps no failed logins: nothing to forget.
    """
    if not apps.is_installed("axes"):
        return
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
