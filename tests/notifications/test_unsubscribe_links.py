"""One-click unsubscribe links live long but not for ever, and the person can revoke them all at once (from the
notification settings, and by changing or resetting their password). An expired or revoked link changes nothing
and tells the person how to change their settings after logging in; a valid link keeps working, also as the
RFC 8058 one-click POST of a mail client (no session, no CSRF token)."""

import datetime
import time

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from notifications import services
from notifications.models import DigestFrequency, NotificationPreferences
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Zupelnie-Nowe-Haslo-2027!"


def link(user, kind="mention") -> str:
    return reverse("notifications:unsubscribe", args=[services.unsubscribe_token(user, kind)])


def link_made_days_ago(monkeypatch, user, days: int, kind="mention") -> str:
    """A link as it was signed `days` ago (the signature's timestamp is moved back; nothing else)."""
    then = int(time.time()) - days * 24 * 3600
    with monkeypatch.context() as patched:
        patched.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(then))
        return link(user, kind)


def one_click(url):
    """The mail client's RFC 8058 POST: no session, no CSRF token (English, the source language, for the asserts)."""
    mail_client = Client(enforce_csrf_checks=True)
    mail_client.cookies["django_language"] = "en"
    return mail_client.post(url, {"List-Unsubscribe": "One-Click"})


def mentions_on(user) -> bool:
    return services.get_preferences(user).email_mentions


# --- lifetime ----------------------------------------------------------------------------------------


def test_unsubscribe_link_within_its_lifetime_works(client, world, monkeypatch):
    url = link_made_days_ago(monkeypatch, world["other"], services.unsubscribe_link_days() - 1)
    response = one_click(url)
    assert response.status_code == 200
    assert mentions_on(world["other"]) is False


def test_unsubscribe_link_lifetime_is_long_but_finite():
    assert 30 <= services.unsubscribe_link_days() <= 400


@pytest.mark.parametrize("method", ["get", "post"])
def test_expired_unsubscribe_link_is_refused_with_a_way_forward_and_changes_nothing(client, world, monkeypatch, method):
    url = link_made_days_ago(monkeypatch, world["other"], services.unsubscribe_link_days() + 1)
    before = list(NotificationPreferences.objects.values())
    response = getattr(client, method)(url)
    assert response.status_code == 410
    content = response.content.decode()
    assert "This unsubscribe link has expired" in content
    assert "after logging in" in content
    assert reverse("notifications:preferences") in content
    assert "Yes, unsubscribe" not in content
    assert list(NotificationPreferences.objects.values()) == before
    assert mentions_on(world["other"]) is True


def test_expired_link_one_click_post_changes_nothing(world, monkeypatch):
    url = link_made_days_ago(monkeypatch, world["other"], services.unsubscribe_link_days() + 1)
    assert one_click(url).status_code == 410
    assert mentions_on(world["other"]) is True


def test_unsubscribe_link_lifetime_follows_the_setting(client, world, monkeypatch, settings):
    settings.NOTIFICATIONS_UNSUBSCRIBE_LINK_DAYS = 10
    url = link_made_days_ago(monkeypatch, world["other"], 11)
    assert client.post(url).status_code == 410
    assert mentions_on(world["other"]) is True


# --- revoking from the settings ----------------------------------------------------------------------


def test_revoke_unsubscribe_links_from_the_settings_refuses_older_links(client, world):
    old_mention, old_digest = link(world["other"]), link(world["other"], "digest")
    client.force_login(world["other"])
    response = client.post(reverse("notifications:preferences"), {"revoke_unsubscribe_links": "1"}, follow=True)
    assert "Links to unsubscribe in the e-mails sent to you so far no longer work." in response.content.decode()
    client.logout()
    for url in (old_mention, old_digest):
        response = one_click(url)
        assert response.status_code == 410
        content = response.content.decode()
        assert "This unsubscribe link has been revoked" in content
        assert "after logging in" in content
    prefs = services.get_preferences(world["other"])
    assert prefs.email_mentions is True and prefs.digest == DigestFrequency.WEEKLY


def test_new_unsubscribe_link_after_revoking_works(client, world):
    link(world["other"])
    client.force_login(world["other"])
    client.post(reverse("notifications:preferences"), {"revoke_unsubscribe_links": "1"})
    assert one_click(link(world["other"])).status_code == 200
    assert mentions_on(world["other"]) is False


def test_revoking_keeps_the_other_settings(client, world):
    services.update_preferences(world["other"], digest=DigestFrequency.DAILY, inapp_reply=False)
    client.force_login(world["other"])
    client.post(reverse("notifications:preferences"), {"revoke_unsubscribe_links": "1"})
    prefs = services.get_preferences(world["other"])
    assert prefs.digest == DigestFrequency.DAILY and prefs.inapp_reply is False


def test_revoking_ones_links_leaves_other_peoples_links_working(client, world):
    theirs = link(world["watcher"])
    link(world["other"])
    client.force_login(world["other"])
    client.post(reverse("notifications:preferences"), {"revoke_unsubscribe_links": "1"})
    assert one_click(theirs).status_code == 200
    assert mentions_on(world["watcher"]) is False


def test_settings_page_offers_to_revoke_the_links(client, world):
    client.force_login(world["other"])
    content = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="revoke_unsubscribe_links"' in content
    assert "Revoke unsubscribe links" in content


def test_revoking_the_links_requires_login(client, world):
    url = link(world["other"])
    response = client.post(reverse("notifications:preferences"), {"revoke_unsubscribe_links": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("exchange_groups:login"))
    assert one_click(url).status_code == 200


def test_revoking_the_links_needs_the_csrf_token(world):
    url = link(world["other"])
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(world["other"])
    response = csrf_client.post(reverse("notifications:preferences"), {"revoke_unsubscribe_links": "1"})
    assert response.status_code == 403
    assert one_click(url).status_code == 200


def test_saving_the_settings_does_not_revoke_the_links(client, world):
    url = link(world["other"], "digest")
    client.force_login(world["other"])
    client.post(reverse("notifications:preferences"), {"inapp_reply": "on", "digest": "daily"})
    client.logout()
    assert one_click(url).status_code == 200
    assert services.get_preferences(world["other"]).digest == DigestFrequency.NONE


# --- password change and reset -----------------------------------------------------------------------


def test_password_change_revokes_unsubscribe_links(client, world):
    url = link(world["other"])
    client.force_login(world["other"])
    response = client.post(
        reverse("exchange_groups:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    client.logout()
    response = one_click(url)
    assert response.status_code == 410
    assert "This unsubscribe link has been revoked" in response.content.decode()
    assert mentions_on(world["other"]) is True


def test_password_reset_revokes_unsubscribe_links(client, world):
    user = world["other"]
    url = link(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    start = client.get(
        reverse("exchange_groups:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    )
    assert start.status_code == 302
    response = client.post(start["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert one_click(url).status_code == 410
    assert mentions_on(user) is True


def test_failed_password_change_keeps_unsubscribe_links(client, world):
    url = link(world["other"])
    client.force_login(world["other"])
    response = client.post(
        reverse("exchange_groups:password_change"),
        {"old_password": "zle-haslo", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert one_click(url).status_code == 200


def test_saving_the_user_without_a_new_password_keeps_unsubscribe_links(client, world):
    user = world["other"]
    url = link(user)
    user.first_name = "Tomek"
    user.save()
    client.force_login(user)  # updates last_login
    client.logout()
    assert one_click(url).status_code == 200


def test_password_change_of_a_person_without_settings_saved_creates_nothing(world):
    user = world["outsider"]
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not NotificationPreferences.objects.filter(user=user).exists()


# --- links signed before revocation existed ----------------------------------------------------------


def test_link_signed_without_a_revocation_key_counts_as_revoked(client, world):
    legacy = signing.dumps({"u": world["other"].pk, "k": "mention"}, salt=services.UNSUBSCRIBE_SALT, compress=True)
    response = one_click(reverse("notifications:unsubscribe", args=[legacy]))
    assert response.status_code == 410
    assert mentions_on(world["other"]) is True


def test_link_with_another_persons_key_is_refused(client, world):
    theirs = services.unsubscribe_token(world["watcher"], "mention")
    their_key = signing.loads(theirs, salt=services.UNSUBSCRIBE_SALT)["r"]
    forged = signing.dumps(
        {"u": world["other"].pk, "k": "mention", "r": their_key}, salt=services.UNSUBSCRIBE_SALT, compress=True
    )
    assert one_click(reverse("notifications:unsubscribe", args=[forged])).status_code == 410
    assert mentions_on(world["other"]) is True


def test_email_links_carry_a_lifetime_and_the_persons_key(world):
    token = services.unsubscribe_token(world["other"], "digest")
    payload = signing.loads(token, salt=services.UNSUBSCRIBE_SALT, max_age=datetime.timedelta(days=1))
    prefs = NotificationPreferences.objects.get(user=world["other"])
    assert payload["r"] == prefs.unsubscribe_key
    assert len(prefs.unsubscribe_key) >= 20


def test_expired_and_revoked_link_pages_are_in_polish_by_default(world, monkeypatch):
    expired = link_made_days_ago(monkeypatch, world["other"], services.unsubscribe_link_days() + 1)
    content = Client().get(expired).content.decode()
    assert "Ten link wypisu wygasł" in content and "Po zalogowaniu" in content
    services.revoke_unsubscribe_links(world["other"])
    revoked = link(world["watcher"])
    services.revoke_unsubscribe_links(world["watcher"])
    assert "Ten link wypisu został unieważniony" in Client().post(revoked).content.decode()
