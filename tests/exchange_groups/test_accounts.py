"""Accounts: registration with consents, e-mail confirmation, login, profile.

The tests read pages in English (LANGUAGE_CODE "en") so they do not depend on the compiled Polish
catalogue; behaviour is the same in both languages.
"""

import datetime
import re
import time
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from exchange_groups.accounts import services
from exchange_groups.accounts.permissions import can_take_part, check_can_take_part
from exchange_groups.models import Consent, ConsentPurpose, PositionCategory, UnitKind
from tests.factories import DEFAULT_PASSWORD, TerritorialUnitFactory, UserFactory, profile_of

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "Zielona-Lampa-Nad-Wisla-7"
CONFIRM_LINK = re.compile(r"http://testserver(/konto/potwierdzenie-adresu/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _english_and_clean_cache(settings):
    from django.core.cache import cache

    settings.LANGUAGE_CODE = "en"
    cache.clear()


@pytest.fixture
def unit():
    return TerritorialUnitFactory(code="0201011", name="Bolesławiec", kind=UnitKind.URBAN_GMINA)


@pytest.fixture
def form_data(unit):
    return {
        "email": "Jan.Nowak@Gmina.example.pl",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Jan",
        "last_name": "Nowakowski",
        "unit": str(unit.pk),
        "position_category": PositionCategory.EDUCATION_DEPARTMENT,
        "job_title": "Naczelnik wydziału oświaty",
        "organisation": "",
        "consent_privacy_notice": "on",
        "consent_terms": "on",
        "consent_project_reporting": "on",
    }


@pytest.fixture
def register(client, django_capture_on_commit_callbacks):
    """POST the registration form; mails queued on commit are delivered."""

    def _register(data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("exchange_groups:register"), data)

    return _register


def confirm_path_from(message) -> str:
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def confirm(client, path, password=PASSWORD):
    """Press the button on the confirmation page, with the password typed in."""
    return client.post(path, {"password": password})


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("exchange_groups:login"), {"username": email, "password": password})


def error_codes(response, field):
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


# --- registration → confirmation → login --------------------------------------------------------------


def test_registration_creates_unconfirmed_account_with_profile(register, form_data, unit):
    response = register(form_data)

    assert response.status_code == 302
    assert response.url == reverse("exchange_groups:register_done")
    user = User.objects.get()
    assert user.email == "jan.nowak@gmina.example.pl"
    assert user.email_confirmed_at is None
    assert user.is_active
    profile = profile_of(user)
    assert (profile.unit, profile.position_category, profile.job_title) == (
        unit,
        PositionCategory.EDUCATION_DEPARTMENT,
        "Naczelnik wydziału oświaty",
    )


def test_registration_confirmation_and_login(client, register, form_data, mailoutbox):
    register(form_data)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["jan.nowak@gmina.example.pl"]
    path = confirm_path_from(mailoutbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm my e-mail address" in page.content.decode()
    assert User.objects.get().email_confirmed_at is None  # opening the link changes nothing

    confirmed = confirm(client, path)
    assert confirmed.status_code == 302
    assert User.objects.get().email_confirmed_at is not None

    response = log_in(client, "jan.nowak@gmina.example.pl")
    assert response.status_code == 302
    assert response.url == reverse("exchange_groups:profile")
    assert client.get(reverse("exchange_groups:profile")).status_code == 200


def test_confirmation_twice_is_harmless(client, register, form_data, mailoutbox):
    register(form_data)
    path = confirm_path_from(mailoutbox[0])
    confirm(client, path)
    first = User.objects.get().email_confirmed_at

    again = client.post(path)  # nothing left to activate: no password is asked for

    assert again.status_code == 302
    assert User.objects.get().email_confirmed_at == first
    assert "already confirmed" in client.get(path).content.decode()


def test_login_before_confirmation_is_refused_with_resend_hint(client, register, form_data):
    register(form_data)

    response = log_in(client, "jan.nowak@gmina.example.pl")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert error_codes(response, "__all__") == ["unconfirmed"]
    page = response.content.decode()
    assert "has not been confirmed yet" in page
    assert reverse("exchange_groups:resend_confirmation") in page


def test_login_with_wrong_password_for_unconfirmed_account_does_not_tell_it_is_unconfirmed(client, register, form_data):
    register(form_data)

    response = log_in(client, "jan.nowak@gmina.example.pl", password="Nie-To-Haslo-123")

    assert error_codes(response, "__all__") == ["invalid_login"]
    assert "has not been confirmed" not in response.content.decode()


def test_resend_confirmation_sends_a_working_link(
    client, register, form_data, mailoutbox, django_capture_on_commit_callbacks
):
    register(form_data)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange_groups:resend_confirmation"), {"email": "JAN.NOWAK@gmina.example.pl"})

    assert response.url == reverse("exchange_groups:resend_confirmation_done")
    assert len(mailoutbox) == 1
    confirm(client, confirm_path_from(mailoutbox[0]))
    assert User.objects.get().email_confirmed_at is not None


def test_resend_confirmation_for_unknown_address_answers_the_same_and_sends_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exchange_groups:resend_confirmation"), {"email": "nikt@example.pl"})

    assert response.status_code == 302
    assert response.url == reverse("exchange_groups:resend_confirmation_done")
    assert mailoutbox == []


def test_confirmation_link_tampered_is_refused(client, register, form_data, mailoutbox):
    register(form_data)
    path = confirm_path_from(mailoutbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = reverse("exchange_groups:confirm_email", args=[token[:-2] + ("AA" if token[-2:] != "AA" else "BB")])

    shown = client.get(tampered)
    posted = confirm(client, tampered)

    assert shown.status_code == 400
    assert "not valid" in shown.content.decode()
    assert reverse("exchange_groups:resend_confirmation") in shown.content.decode()
    assert posted.status_code == 400
    assert User.objects.get().email_confirmed_at is None


def test_confirmation_link_for_another_user_id_is_refused(client, register, form_data):
    register(form_data)
    user = User.objects.get()
    forged = signing.TimestampSigner(salt="another-salt").sign_object({"u": user.pk, "e": user.email})

    response = confirm(client, reverse("exchange_groups:confirm_email", args=[forged]))

    assert response.status_code == 400
    assert User.objects.get().email_confirmed_at is None


def test_confirmation_link_expired_is_refused_and_offers_a_new_one(client, register, form_data, mailoutbox):
    register(form_data)
    path = confirm_path_from(mailoutbox[0])
    later = time.time() + settings.ACCOUNT_CONFIRMATION_MAX_AGE + 60

    with mock.patch("django.core.signing.time.time", return_value=later):
        shown = client.get(path)
        posted = confirm(client, path)

    assert shown.status_code == 400
    page = shown.content.decode()
    assert "This link has expired" in page
    assert 'name="email" value="jan.nowak@gmina.example.pl"' in page
    assert reverse("exchange_groups:resend_confirmation") in page
    assert posted.status_code == 400
    assert User.objects.get().email_confirmed_at is None


def test_confirmation_link_still_valid_just_before_it_expires(client, register, form_data, mailoutbox):
    register(form_data)
    path = confirm_path_from(mailoutbox[0])
    almost = time.time() + settings.ACCOUNT_CONFIRMATION_MAX_AGE - 60

    with mock.patch("django.core.signing.time.time", return_value=almost):
        response = confirm(client, path)

    assert response.status_code == 302
    assert User.objects.get().email_confirmed_at is not None


def test_confirmation_link_stops_working_when_the_address_changes(client, register, form_data, mailoutbox):
    register(form_data)
    path = confirm_path_from(mailoutbox[0])
    User.objects.update(email="inny@gmina.example.pl")

    response = confirm(client, path)

    assert response.status_code == 400
    assert User.objects.get().email_confirmed_at is None


# --- passwords at registration ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Krotkie1!", "password_too_short"),
        ("password123", "password_too_common"),
        ("4820193746251", "password_entirely_numeric"),
        ("Nowakowski1", "password_too_similar"),
    ],
)
def test_registration_refuses_weak_password(register, form_data, password, code):
    response = register({**form_data, "password1": password, "password2": password})

    assert response.status_code == 200
    assert code in error_codes(response, "password1")
    assert not User.objects.exists()
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'aria-invalid="true"' in page


def test_registration_refuses_different_passwords(register, form_data):
    response = register({**form_data, "password2": PASSWORD + "x"})

    assert error_codes(response, "password2") == ["password_mismatch"]
    assert not User.objects.exists()


# --- consents -----------------------------------------------------------------------------------------


def test_registration_records_consents_with_version_and_time(register, form_data, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-11-01"
    settings.TERMS_VERSION = "2026-10-15"
    before = timezone.now()

    register({**form_data, "consent_newsletter": "on"})

    user = User.objects.get()
    consents = {c.purpose: c for c in user.consents.all()}
    assert set(consents) == {
        ConsentPurpose.PRIVACY_NOTICE,
        ConsentPurpose.TERMS,
        ConsentPurpose.PROJECT_REPORTING,
        ConsentPurpose.NEWSLETTER,
    }
    assert consents[ConsentPurpose.PRIVACY_NOTICE].text_version == "2026-11-01"
    assert consents[ConsentPurpose.TERMS].text_version == "2026-10-15"
    assert all(before <= c.given_at <= timezone.now() and c.withdrawn_at is None for c in consents.values())


def test_registration_without_newsletter_records_no_newsletter_consent(register, form_data):
    register(form_data)

    assert not Consent.objects.filter(purpose=ConsentPurpose.NEWSLETTER).exists()
    assert Consent.objects.count() == 3


@pytest.mark.parametrize("missing", ["consent_privacy_notice", "consent_terms", "consent_project_reporting"])
def test_registration_refused_without_required_consent(register, form_data, missing):
    data = dict(form_data)
    del data[missing]

    response = register(data)

    assert response.status_code == 200
    assert error_codes(response, missing) == ["required"]
    assert not User.objects.exists()
    assert not Consent.objects.exists()


@pytest.fixture
def member(client):
    user = UserFactory()
    for purpose in (ConsentPurpose.PRIVACY_NOTICE, ConsentPurpose.TERMS, ConsentPurpose.PROJECT_REPORTING):
        services.give_consent(user, purpose)
    client.force_login(user)
    return user


def test_consent_withdrawal_is_recorded_on_the_same_row(client, member):
    given = member.consents.get(purpose=ConsentPurpose.TERMS)

    response = client.post(reverse("exchange_groups:consent_withdraw", args=[ConsentPurpose.TERMS]))

    assert response.status_code == 302
    given.refresh_from_db()
    assert given.withdrawn_at is not None
    assert member.consents.filter(purpose=ConsentPurpose.TERMS).count() == 1


def test_consent_given_again_makes_a_new_row(client, member):
    client.post(reverse("exchange_groups:consent_withdraw", args=[ConsentPurpose.TERMS]))

    client.post(reverse("exchange_groups:consent_give", args=[ConsentPurpose.TERMS]))

    rows = list(member.consents.filter(purpose=ConsentPurpose.TERMS).order_by("given_at", "pk"))
    assert len(rows) == 2
    assert rows[0].withdrawn_at is not None
    assert rows[1].withdrawn_at is None


def test_consent_given_twice_makes_one_row(client, member):
    url = reverse("exchange_groups:consent_give", args=[ConsentPurpose.NEWSLETTER])

    client.post(url)
    client.post(url)

    assert member.consents.filter(purpose=ConsentPurpose.NEWSLETTER).count() == 1


def test_consent_withdraw_page_explains_the_consequence_and_changes_nothing(client, member):
    response = client.get(reverse("exchange_groups:consent_withdraw", args=[ConsentPurpose.PROJECT_REPORTING]))

    assert response.status_code == 200
    assert "you will not be able to take part" in response.content.decode()
    assert not member.consents.filter(withdrawn_at__isnull=False).exists()


def test_consent_give_refuses_get(client, member):
    response = client.get(reverse("exchange_groups:consent_give", args=[ConsentPurpose.NEWSLETTER]))

    assert response.status_code == 405
    assert not member.consents.filter(purpose=ConsentPurpose.NEWSLETTER).exists()


def test_consent_unknown_purpose_is_not_found(client, member):
    response = client.post(reverse("exchange_groups:consent_give", args=["marketing"]))

    assert response.status_code == 404


def test_profile_lists_consents_and_warns_after_required_one_is_withdrawn(client, member):
    client.post(reverse("exchange_groups:consent_withdraw", args=[ConsentPurpose.PRIVACY_NOTICE]))

    page = client.get(reverse("exchange_groups:profile")).content.decode()

    assert "History of your consents" in page
    assert settings.PRIVACY_NOTICE_VERSION in page
    assert "You cannot take part in the project" in page


# --- registration edge cases --------------------------------------------------------------------------


def test_registration_social_partner_without_organisation_is_refused(register, form_data):
    response = register({**form_data, "position_category": PositionCategory.SOCIAL_PARTNER, "organisation": " "})

    assert error_codes(response, "organisation") == ["organisation_required"]
    assert not User.objects.exists()


def test_registration_social_partner_with_organisation_is_stored(register, form_data):
    register(
        {
            **form_data,
            "position_category": PositionCategory.SOCIAL_PARTNER,
            "organisation": "Stowarzyszenie Przyjaciół Szkoły",
        }
    )

    assert profile_of(User.objects.get()).organisation == "Stowarzyszenie Przyjaciół Szkoły"


def test_registration_with_unknown_jst_is_refused(register, form_data):
    response = register({**form_data, "unit": "Gmina Nieistniejąca"})

    assert error_codes(response, "unit") == ["not_found"]
    assert not User.objects.exists()


def test_registration_with_existing_address_does_not_reveal_it(client, register, form_data, mailoutbox):
    owner = UserFactory(email="jan.nowak@gmina.example.pl", first_name="Jan", last_name="Nowakowski")
    fresh = register({**form_data, "email": "nowy.uczestnik@gmina.example.pl"})
    mailoutbox.clear()

    duplicate = register(form_data)  # "Jan.Nowak@Gmina..." — the same address in other letter case

    assert duplicate.status_code == fresh.status_code == 302
    assert duplicate.url == fresh.url
    assert User.objects.filter(email__iexact="jan.nowak@gmina.example.pl").count() == 1
    owner.refresh_from_db()
    assert owner.check_password(DEFAULT_PASSWORD)  # the stranger's password did not replace it
    assert not owner.consents.exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [owner.email]
    assert "tried to create an account" in mailoutbox[0].body
    assert reverse("exchange_groups:password_reset") in mailoutbox[0].body


def test_registration_double_submit_creates_one_account(register, form_data, mailoutbox):
    first = register(form_data)
    second = register(form_data)

    assert first.status_code == second.status_code == 302
    assert User.objects.count() == 1
    assert Consent.objects.count() == 3
    assert len(mailoutbox) == 1


def test_registration_page_links_the_privacy_notice(client):
    page = client.get(reverse("exchange_groups:register")).content.decode()

    assert reverse("exchange_groups:privacy_notice") in page
    assert "European Union" in page


# --- profile ------------------------------------------------------------------------------------------


def test_profile_redirects_anonymous_user_to_login(client):
    response = client.get(reverse("exchange_groups:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("exchange_groups:login"))
    assert "next=" in response.url


def test_profile_edit_changes_profile(client, unit):
    user = UserFactory()
    client.force_login(user)
    other = TerritorialUnitFactory(code="1465011", name="Warszawa", kind=UnitKind.CITY_WITH_POWIAT_RIGHTS)

    response = client.post(
        reverse("exchange_groups:profile"),
        {
            "first_name": "Anna",
            "last_name": "Wiśniewska",
            "unit": other.code,
            "position_category": PositionCategory.FINANCE,
            "job_title": "Skarbnik miasta",
            "organisation": "",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    profile = profile_of(user)
    assert user.last_name == "Wiśniewska"
    assert (profile.unit, profile.position_category, profile.job_title) == (
        other,
        PositionCategory.FINANCE,
        "Skarbnik miasta",
    )
    assert profile.is_complete


def test_profile_edit_refuses_bad_jst_with_message(client, unit):
    user = UserFactory()
    profile = profile_of(user)
    profile.unit = unit
    profile.save()
    client.force_login(user)

    response = client.post(
        reverse("exchange_groups:profile"),
        {
            "first_name": "Anna",
            "last_name": "Nowa",
            "unit": "Gmina Nieistniejąca",
            "position_category": PositionCategory.FINANCE,
            "job_title": "Skarbnik",
        },
    )

    assert response.status_code == 200
    assert error_codes(response, "unit") == ["not_found"]
    page = response.content.decode()
    assert "No local government unit matches" in page
    assert "The profile has not been saved" in page
    user.refresh_from_db()
    assert user.last_name != "Nowa"
    assert profile_of(user).unit == unit


def test_profile_shows_incomplete_notice(client):
    user = UserFactory()
    client.force_login(user)

    page = client.get(reverse("exchange_groups:profile")).content.decode()

    assert "Your profile is not complete yet" in page
    assert reverse("exchange_groups:password_change") in page


def test_profile_complete_has_no_incomplete_notice(client, unit):
    user = UserFactory()
    services.update_profile(
        user,
        first_name="Anna",
        last_name="Kowalska",
        unit=unit,
        position_category=PositionCategory.DECISION_MAKER,
        job_title="Wójt",
    )
    client.force_login(user)

    page = client.get(reverse("exchange_groups:profile")).content.decode()

    assert "Your profile is not complete yet" not in page


# --- privacy notice -----------------------------------------------------------------------------------


def test_privacy_notice_names_controller_officer_and_version(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-11-01"

    page = client.get(reverse("exchange_groups:privacy_notice")).content.decode()

    assert "Aleje Ujazdowskie 28, 00-478 Warszawa" in page
    assert "iod@ore.edu.pl" in page
    assert "Article 6(1)(a)" in page
    assert "2026-11-01" in page
    assert "1 November 2026" in page


# --- someone registers another person's address first (account pre-hijacking) -------------------------

STRANGER_PASSWORD = "Cudze-Haslo-Obcego-Pana-9"


@pytest.fixture
def stranger_data(form_data):
    """The owner's address, with a stranger's password, name, job and an extra consent."""
    return {
        **form_data,
        "password1": STRANGER_PASSWORD,
        "password2": STRANGER_PASSWORD,
        "first_name": "Obcy",
        "last_name": "Podszywacz",
        "position_category": PositionCategory.SOCIAL_PARTNER,
        "organisation": "Fundacja Obca",
        "job_title": "Ktoś inny",
        "consent_newsletter": "on",
    }


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_registration_again_replaces_the_password_of_a_pending_registration(
    client, register, form_data, stranger_data, mailoutbox
):
    register(stranger_data)
    mailoutbox.clear()

    response = register(form_data)  # the owner, a few minutes later

    assert response.status_code == 302
    assert response.url == reverse("exchange_groups:register_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["jan.nowak@gmina.example.pl"]
    assert confirm(client, confirm_path_from(mailoutbox[0]), PASSWORD).status_code == 302
    user = User.objects.get()
    assert user.email_confirmed_at is not None
    assert user.check_password(PASSWORD)
    assert not user.check_password(STRANGER_PASSWORD)
    log_in(client, "jan.nowak@gmina.example.pl", STRANGER_PASSWORD)
    assert not is_logged_in(client)
    log_in(client, "jan.nowak@gmina.example.pl", PASSWORD)
    assert is_logged_in(client)


def test_registration_again_replaces_the_name_profile_and_consents_of_a_pending_registration(
    register, form_data, stranger_data, unit
):
    register(stranger_data)
    stranger_consents = set(Consent.objects.values_list("pk", flat=True))

    register(form_data)

    user = User.objects.get()
    assert (user.first_name, user.last_name) == ("Jan", "Nowakowski")
    profile = profile_of(user)
    assert (profile.unit, profile.position_category, profile.job_title, profile.organisation) == (
        unit,
        PositionCategory.EDUCATION_DEPARTMENT,
        "Naczelnik wydziału oświaty",
        "",
    )
    assert services.active_consent_purposes(user) == {
        ConsentPurpose.PRIVACY_NOTICE,
        ConsentPurpose.TERMS,
        ConsentPurpose.PROJECT_REPORTING,
    }
    # The stranger's consents stay on record, withdrawn: rows are never deleted.
    assert not Consent.objects.filter(pk__in=stranger_consents, withdrawn_at__isnull=True).exists()
    assert Consent.objects.filter(pk__in=stranger_consents).count() == 4


def test_confirmation_link_of_an_older_registration_confirms_nothing(
    client, register, form_data, stranger_data, mailoutbox
):
    register(stranger_data)
    older = confirm_path_from(mailoutbox[0])
    register(form_data)

    shown = client.get(older)
    with_stranger_password = confirm(client, older, STRANGER_PASSWORD)
    with_owner_password = confirm(client, older, PASSWORD)

    assert shown.status_code == with_stranger_password.status_code == with_owner_password.status_code == 400
    assert "not valid" in shown.content.decode()
    assert User.objects.get().email_confirmed_at is None


def test_confirmation_asks_for_the_password_chosen_at_registration(client, register, stranger_data, mailoutbox):
    register(stranger_data)
    path = confirm_path_from(mailoutbox[0])  # reached the owner's mailbox; the owner never chose this password

    page = client.get(path)
    without = client.post(path)
    wrong = confirm(client, path, "Haslo-Wlasciciela-Skrzynki-1")

    assert 'type="password"' in page.content.decode()
    assert 'autocomplete="current-password"' in page.content.decode()
    assert without.status_code == wrong.status_code == 200
    assert error_codes(without, "password") == ["required"]
    assert error_codes(wrong, "password") == ["wrong_password"]
    assert "not the password chosen" in wrong.content.decode()
    assert User.objects.get().email_confirmed_at is None
    log_in(client, "jan.nowak@gmina.example.pl", STRANGER_PASSWORD)
    assert not is_logged_in(client)


def test_confirmation_refuses_after_too_many_wrong_passwords(client, register, form_data, mailoutbox):
    register(form_data)
    path = confirm_path_from(mailoutbox[0])
    for _ in range(services.CONFIRMATION_PASSWORD_ATTEMPTS):
        confirm(client, path, "Zle-Haslo-123456")

    response = confirm(client, path, PASSWORD)

    assert response.status_code == 200
    assert error_codes(response, "password") == ["too_many_attempts"]
    assert User.objects.get().email_confirmed_at is None


def test_resend_confirmation_of_a_strangers_registration_cannot_activate_it(
    client, register, stranger_data, mailoutbox, django_capture_on_commit_callbacks
):
    register(stranger_data)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange_groups:resend_confirmation"), {"email": "jan.nowak@gmina.example.pl"})
    assert len(mailoutbox) == 1

    confirm(client, confirm_path_from(mailoutbox[0]), "Haslo-Wlasciciela-Skrzynki-1")

    assert User.objects.get().email_confirmed_at is None
    log_in(client, "jan.nowak@gmina.example.pl", STRANGER_PASSWORD)
    assert not is_logged_in(client)


def test_registration_double_submit_keeps_the_first_link_working(client, register, form_data, mailoutbox):
    register(form_data)
    register(form_data)

    assert len(mailoutbox) == 1
    assert confirm(client, confirm_path_from(mailoutbox[0])).status_code == 302
    assert User.objects.get().email_confirmed_at is not None


def test_registration_again_for_an_old_pending_registration_sends_a_new_confirmation_link(
    client, register, form_data, mailoutbox
):
    pending = UserFactory(email="jan.nowak@gmina.example.pl", email_confirmed_at=None)
    User.objects.filter(pk=pending.pk).update(date_joined=pending.date_joined - datetime.timedelta(days=2))

    response = register(form_data)

    assert response.url == reverse("exchange_groups:register_done")
    assert len(mailoutbox) == 1
    assert "tried to create an account" not in mailoutbox[0].body
    assert confirm(client, confirm_path_from(mailoutbox[0]), PASSWORD).status_code == 302
    pending.refresh_from_db()
    assert pending.email_confirmed_at is not None
    assert pending.check_password(PASSWORD)


def test_registration_for_a_blocked_pending_account_changes_nothing(register, form_data, mailoutbox):
    blocked = UserFactory(email="jan.nowak@gmina.example.pl", email_confirmed_at=None, is_active=False)

    response = register(form_data)

    assert response.url == reverse("exchange_groups:register_done")
    blocked.refresh_from_db()
    assert blocked.check_password(DEFAULT_PASSWORD)
    assert not blocked.is_active
    assert blocked.first_name == "Anna"
    assert len(mailoutbox) == 1
    assert "tried to create an account" in mailoutbox[0].body
    assert not CONFIRM_LINK.search(mailoutbox[0].body)


def test_confirmation_link_stops_working_when_the_password_changes(client, register, form_data, mailoutbox):
    register(form_data)
    path = confirm_path_from(mailoutbox[0])
    user = User.objects.get()
    user.set_password("Inne-Nowe-Haslo-2026")
    user.save()

    response = confirm(client, path, "Inne-Nowe-Haslo-2026")

    assert response.status_code == 400
    assert User.objects.get().email_confirmed_at is None


# --- taking part --------------------------------------------------------------------------------------


def test_can_take_part_requires_every_required_consent():
    user = UserFactory()
    services.give_consent(user, ConsentPurpose.PRIVACY_NOTICE)
    services.give_consent(user, ConsentPurpose.TERMS)
    assert not can_take_part(user)
    with pytest.raises(PermissionDenied):
        check_can_take_part(user)

    services.give_consent(user, ConsentPurpose.PROJECT_REPORTING)

    assert can_take_part(user)
    check_can_take_part(user)


def test_can_take_part_is_lost_when_a_required_consent_is_withdrawn():
    user = UserFactory()
    for purpose in (ConsentPurpose.PRIVACY_NOTICE, ConsentPurpose.TERMS, ConsentPurpose.PROJECT_REPORTING):
        services.give_consent(user, purpose)

    services.withdraw_consent(user, ConsentPurpose.PROJECT_REPORTING)

    assert not can_take_part(user)


# --- the pages render ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("exchange_groups:register", "Create an account"),
        ("exchange_groups:register_done", "Check your mailbox"),
        ("exchange_groups:resend_confirmation", "Send the confirmation link again"),
        ("exchange_groups:resend_confirmation_done", "Check your mailbox"),
        ("exchange_groups:login", "Log in"),
        ("exchange_groups:password_reset", "Set a new password"),
        ("exchange_groups:password_reset_done", "Check your mailbox"),
        ("exchange_groups:password_reset_complete", "Your new password is set"),
        ("exchange_groups:privacy_notice", "Privacy notice"),
    ],
)
def test_account_page_renders_for_anonymous_visitor(client, name, heading):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_password_change_page_renders_for_logged_in_user(client):
    client.force_login(UserFactory())

    response = client.get(reverse("exchange_groups:password_change"))

    assert response.status_code == 200
    assert 'autocomplete="current-password"' in response.content.decode()


# --- django-axes sees the account ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "credentials",
    [{"username": "Skarbnik@Powiat.example.pl"}, {"email": "SKARBNIK@powiat.example.pl", "password": "***"}],
)
def test_axes_username_is_the_lower_cased_address_under_either_key(credentials):
    assert services.axes_username(None, credentials) == "skarbnik@powiat.example.pl"


def test_register_user_losing_a_race_for_the_address_creates_one_account(unit, django_capture_on_commit_callbacks):
    UserFactory(email="jan.nowak@gmina.example.pl")

    # The other request created the account between this one's check and its insert.
    with mock.patch.object(services, "find_user_by_email", return_value=None):
        outcome = services.register_user(
            email="jan.nowak@gmina.example.pl",
            password=PASSWORD,
            first_name="Jan",
            last_name="Nowakowski",
            unit=unit,
            position_category=PositionCategory.FINANCE,
            job_title="Skarbnik",
            consents=[ConsentPurpose.PRIVACY_NOTICE],
        )

    assert outcome is services.RegistrationOutcome.REPEATED
    assert User.objects.filter(email="jan.nowak@gmina.example.pl").count() == 1
    assert not Consent.objects.exists()


def test_profile_page_works_for_an_account_without_profile_row(client):
    user = UserFactory()
    profile_of(user).delete()
    client.force_login(user)

    response = client.get(reverse("exchange_groups:profile"))

    assert response.status_code == 200
    assert "Your profile is not complete yet" in response.content.decode()
