"""Login throttling (django-axes locks the pair account + address), logout, password reset and change."""

import re

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS_A = "203.0.113.10"
ADDRESS_B = "198.51.100.20"
NEW_PASSWORD = "Nowe-Haslo-Do-Platformy-42"
RESET_LINK = re.compile(r"http://testserver(/konto/haslo/reset/[^\s]+/)")


@pytest.fixture(autouse=True)
def _english_and_clean_cache(settings):
    from django.core.cache import cache

    settings.LANGUAGE_CODE = "en"
    cache.clear()


def log_in(client, email, password, address):
    return client.post(reverse("exchange_groups:login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def fail_logins(client, email, address, times):
    for _ in range(times):
        log_in(client, email, "Zle-Haslo-123456", address)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- throttle -----------------------------------------------------------------------------------------


def test_login_throttle_locks_account_and_address_pair(client, settings):
    user = UserFactory()
    fail_logins(client, user.email, ADDRESS_A, settings.AXES_FAILURE_LIMIT)

    response = log_in(client, user.email, DEFAULT_PASSWORD, ADDRESS_A)

    assert response.status_code == 429
    assert "exchange_groups/account/lockout.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "blocked for 15 minutes" in page
    assert reverse("exchange_groups:password_reset") in page
    assert not is_logged_in(client)


def test_login_throttle_leaves_same_account_open_from_another_address(client, settings):
    user = UserFactory()
    fail_logins(client, user.email, ADDRESS_A, settings.AXES_FAILURE_LIMIT)
    client.cookies.clear()

    response = log_in(client, user.email, DEFAULT_PASSWORD, ADDRESS_B)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_login_throttle_leaves_another_account_open_from_same_address(client, settings):
    attacked, neighbour = UserFactory(), UserFactory()
    fail_logins(client, attacked.email, ADDRESS_A, settings.AXES_FAILURE_LIMIT)

    response = log_in(client, neighbour.email, DEFAULT_PASSWORD, ADDRESS_A)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_login_throttle_allows_login_below_the_limit(client, settings):
    user = UserFactory()
    fail_logins(client, user.email, ADDRESS_A, settings.AXES_FAILURE_LIMIT - 1)

    response = log_in(client, user.email, DEFAULT_PASSWORD, ADDRESS_A)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_login_throttle_counts_the_address_in_any_letter_case(client, settings):
    user = UserFactory(email="skarbnik@powiat.example.pl")
    for variant in ["Skarbnik@powiat.example.pl", "SKARBNIK@POWIAT.EXAMPLE.PL", "skarbnik@Powiat.example.pl"]:
        fail_logins(client, variant, ADDRESS_A, 1)
    fail_logins(client, user.email, ADDRESS_A, settings.AXES_FAILURE_LIMIT - 3)

    response = log_in(client, user.email, DEFAULT_PASSWORD, ADDRESS_A)

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_password_reset_lifts_the_login_lockout(client, settings, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    fail_logins(client, user.email, ADDRESS_A, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, user.email, DEFAULT_PASSWORD, ADDRESS_A).status_code == 429

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exchange_groups:password_reset"), {"email": user.email}, REMOTE_ADDR=ADDRESS_A)
    link = client.get(RESET_LINK.search(mailoutbox[0].body).group(1), REMOTE_ADDR=ADDRESS_A)
    client.post(link.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, REMOTE_ADDR=ADDRESS_A)

    response = log_in(client, user.email, NEW_PASSWORD, ADDRESS_A)
    assert response.status_code == 302
    assert is_logged_in(client)


# --- logout -------------------------------------------------------------------------------------------


def test_logout_refuses_get(client):
    client.force_login(UserFactory())

    response = client.get(reverse("exchange_groups:logout"))

    assert response.status_code == 405
    assert is_logged_in(client)


def test_logout_post_ends_the_session(client):
    client.force_login(UserFactory())

    response = client.post(reverse("exchange_groups:logout"))

    assert response.status_code == 302
    assert not is_logged_in(client)
    assert client.get(reverse("exchange_groups:profile")).status_code == 302


# --- password reset and change ------------------------------------------------------------------------


def request_reset(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("exchange_groups:password_reset"), {"email": email})


def test_password_reset_sends_mail_and_link_sets_new_password(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(email="dyrektor@gmina.example.pl")

    response = request_reset(client, "Dyrektor@gmina.example.pl", django_capture_on_commit_callbacks)

    assert response.url == reverse("exchange_groups:password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    link = client.get(RESET_LINK.search(mailoutbox[0].body).group(1))
    assert link.status_code == 302  # Django hides the token behind a redirect
    form_page = client.get(link.url)
    assert form_page.context["validlink"]
    done = client.post(link.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == reverse("exchange_groups:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert (
        client.post(reverse("exchange_groups:login"), {"username": user.email, "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_password_reset_link_works_once(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    request_reset(client, user.email, django_capture_on_commit_callbacks)
    path = RESET_LINK.search(mailoutbox[0].body).group(1)
    link = client.get(path)
    client.post(link.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(path, follow=True)

    assert again.context["validlink"] is False
    assert "cannot be used" in again.content.decode()


def test_password_reset_refuses_weak_new_password(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    request_reset(client, user.email, django_capture_on_commit_callbacks)
    link = client.get(RESET_LINK.search(mailoutbox[0].body).group(1))

    response = client.post(link.url, {"new_password1": "12345678901", "new_password2": "12345678901"})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_reset_for_unknown_address_answers_the_same(client, mailoutbox, django_capture_on_commit_callbacks):
    response = request_reset(client, "nikt@example.pl", django_capture_on_commit_callbacks)

    assert response.url == reverse("exchange_groups:password_reset_done")
    assert mailoutbox == []


def test_password_reset_confirms_an_unconfirmed_address(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(email_confirmed_at=None)
    request_reset(client, user.email, django_capture_on_commit_callbacks)
    link = client.get(RESET_LINK.search(mailoutbox[0].body).group(1))

    client.post(link.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    user.refresh_from_db()
    assert user.email_confirmed_at is not None


def test_password_reset_of_an_unconfirmed_account_activates_only_the_new_password(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email_confirmed_at=None)  # registered by someone who chose DEFAULT_PASSWORD
    request_reset(client, user.email, django_capture_on_commit_callbacks)
    link = client.get(RESET_LINK.search(mailoutbox[0].body).group(1))
    client.post(link.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    log_in(client, user.email, DEFAULT_PASSWORD, ADDRESS_A)
    assert not is_logged_in(client)
    log_in(client, user.email, NEW_PASSWORD, ADDRESS_A)
    assert is_logged_in(client)


# --- an unconfirmed account cannot log in anywhere -------------------------------------------------------


def test_admin_login_refuses_an_unconfirmed_account(client):
    user = UserFactory(email_confirmed_at=None, is_staff=True)

    response = client.post(reverse("wagtailadmin_login"), {"username": user.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    assert not is_logged_in(client)
    assert client.get(reverse("exchange_groups:profile")).status_code == 302


def test_session_of_an_unconfirmed_account_is_not_accepted(client):
    user = UserFactory(email_confirmed_at=None)
    client.force_login(user)

    response = client.get(reverse("exchange_groups:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("exchange_groups:login"))


def test_login_of_a_blocked_account_is_refused(client):
    user = UserFactory(is_active=False)

    response = log_in(client, user.email, DEFAULT_PASSWORD, ADDRESS_A)

    assert response.status_code == 200
    assert not is_logged_in(client)


def test_account_created_by_an_administrator_in_the_admin_can_log_in(client, settings):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "koordynator@ore.example.pl",
            "first_name": "Ewa",
            "last_name": "Koordynatorka",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    client.logout()

    log_in(client, "koordynator@ore.example.pl", NEW_PASSWORD, ADDRESS_A)

    assert is_logged_in(client)


def test_password_change_requires_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("exchange_groups:password_change")

    refused = client.post(
        url, {"old_password": "Nie-Pamietam-1234", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    changed = client.post(
        url, {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert refused.status_code == 200
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert is_logged_in(client)


def test_login_page_redirects_logged_in_user_to_profile(client):
    client.force_login(UserFactory())

    response = client.get(reverse("exchange_groups:login"))

    assert response.status_code == 302
    assert response.url == reverse("exchange_groups:profile")
