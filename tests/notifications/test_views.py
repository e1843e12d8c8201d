"""The notification pages: list, detail, opening (POST), marking read, preferences, one-click unsubscribe."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from forums import services as forum_services
from notifications import services
from notifications.models import DigestFrequency, Notification, NotificationKind, NotificationPreferences

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply_notification(world, committed):
    with committed():
        post, _is_new = forum_services.create_post(world["other"], world["topic"], "Odpowiedź w obserwowanym wątku.")
    return Notification.objects.get(recipient=world["watcher"], dedupe_key=f"post:{post.pk}:reply"), post


def logged_in(client, user):
    client.force_login(user)
    return client


# --- list and detail ---------------------------------------------------------------------------------


def test_list_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("exchange_groups:login"))


def test_list_shows_the_persons_own_notifications(client, world, reply_notification):
    response = logged_in(client, world["watcher"]).get(reverse("notifications:list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Tomasz Wiśniewski replied in the topic “Subwencja oświatowa 2020”." in content
    assert "Unread" in content
    other = logged_in(client, world["other"]).get(reverse("notifications:list")).content.decode()
    assert "Subwencja oświatowa 2020" not in other


def test_bell_in_the_header_shows_the_unread_count(client, world, reply_notification):
    content = logged_in(client, world["watcher"]).get(reverse("notifications:list")).content.decode()
    # The link's accessible name is its visible text plus a hidden word (WCAG 2.5.3 label in name).
    assert re.search(r'data-bell-count>1</span><span class="visually-hidden" data-bell-suffix> Unread</span>', content)
    assert "notifications/bell.js" in content
    assert 'aria-live="polite"' in content


def test_detail_of_someone_elses_notification_is_404(client, world, reply_notification):
    notification, _post = reply_notification
    response = logged_in(client, world["other"]).get(reverse("notifications:detail", args=[notification.pk]))
    assert response.status_code == 404


def test_get_of_detail_does_not_mark_it_read(client, world, reply_notification):
    notification, _post = reply_notification
    response = logged_in(client, world["watcher"]).get(reverse("notifications:detail", args=[notification.pk]))
    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is None


def test_open_marks_read_and_goes_to_the_post(client, world, reply_notification):
    notification, post = reply_notification
    response = logged_in(client, world["watcher"]).post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_is_post_only(client, world, reply_notification):
    notification, _post = reply_notification
    response = logged_in(client, world["watcher"]).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 405


def test_open_of_someone_elses_notification_is_404_and_changes_nothing(client, world, reply_notification):
    notification, _post = reply_notification
    response = logged_in(client, world["other"]).post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_hidden_post_is_shown_without_content_in_list_and_detail(client, world, committed, reply_notification):
    notification, post = reply_notification
    with committed():
        forum_services.set_hidden(world["coordinator"], post, True)
    client = logged_in(client, world["watcher"])
    for url in (reverse("notifications:list"), reverse("notifications:detail", args=[notification.pk])):
        content = client.get(url).content.decode()
        assert "Content unavailable" in content, url
        assert "Subwencja oświatowa 2020" not in content, url
        assert post.get_absolute_url() not in content, url
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:detail", args=[notification.pk])


def test_former_member_sees_no_content_of_the_space(client, world, committed, reply_notification):
    from exchange_groups.spaces import services as membership

    notification, _post = reply_notification
    with committed():
        membership.leave_space(world["watcher"], world["space"])
    content = logged_in(client, world["watcher"]).get(reverse("notifications:list")).content.decode()
    assert "Content unavailable" in content
    assert "Subwencja oświatowa 2020" not in content


def test_mark_all_read(client, world, reply_notification):
    client = logged_in(client, world["watcher"])
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert services.unread_count(world["watcher"]) == 0


def test_unread_count_json(client, world, reply_notification):
    response = logged_in(client, world["watcher"]).get(reverse("notifications:unread"))
    assert response.json() == {"unread": 1}


def test_moderation_reason_is_shown_escaped(client, world, reply_notification):
    _notification, post = reply_notification
    services.notify(
        NotificationKind.MODERATION,
        [world["other"].pk],
        "moderation:test",
        title=post.topic.title,
        url=post.get_absolute_url(),
        params={"action": "warn", "role": "affected", "reason": "<script>alert(1)</script>", "post_id": post.pk},
    )
    content = logged_in(client, world["other"]).get(reverse("notifications:list")).content.decode()
    assert "The moderators have given you a warning." in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content


# --- preferences -------------------------------------------------------------------------------------


def test_preferences_get_creates_nothing(client, world):
    response = logged_in(client, world["other"]).get(reverse("notifications:preferences"))
    assert response.status_code == 200
    assert NotificationPreferences.objects.count() == 0
    content = response.content.decode()
    assert re.search(r'<input[^>]*value="weekly"[^>]*checked', content)


def test_preferences_post_saves(client, world):
    response = logged_in(client, world["other"]).post(
        reverse("notifications:preferences"),
        {"inapp_reply": "on", "inapp_mention": "on", "digest": "daily"},
    )
    assert response.status_code == 302
    prefs = NotificationPreferences.objects.get(user=world["other"])
    assert prefs.digest == DigestFrequency.DAILY
    assert prefs.inapp_reply and prefs.inapp_mention
    assert not prefs.email_mentions and not prefs.inapp_debate and not prefs.site_debates


def test_preferences_refuse_an_unknown_digest(client, world):
    response = logged_in(client, world["other"]).post(reverse("notifications:preferences"), {"digest": "hourly"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert NotificationPreferences.objects.count() == 0


def test_preferences_require_login(client):
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 302


def test_profile_links_to_the_preferences(client, world):
    content = logged_in(client, world["other"]).get(reverse("exchange_groups:profile")).content.decode()
    assert reverse("notifications:preferences") in content


# --- one-click unsubscribe ---------------------------------------------------------------------------


def test_unsubscribe_get_shows_a_confirmation_and_changes_nothing(client, world):
    token = services.unsubscribe_token(world["other"], "mention")
    before = list(NotificationPreferences.objects.values())
    response = client.get(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 200
    assert "Yes, unsubscribe" in response.content.decode()
    assert list(NotificationPreferences.objects.values()) == before


def test_one_click_post_without_login_unsubscribes_from_mentions(client, world):
    from django.test import Client

    token = services.unsubscribe_token(world["other"], "mention")
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("notifications:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    prefs = services.get_preferences(world["other"])
    assert prefs.email_mentions is False
    assert prefs.digest == DigestFrequency.WEEKLY  # the other kind is untouched


def test_unsubscribe_from_digests(client, world):
    token = services.unsubscribe_token(world["other"], "digest")
    client.post(reverse("notifications:unsubscribe", args=[token]))
    prefs = services.get_preferences(world["other"])
    assert prefs.digest == DigestFrequency.NONE
    assert prefs.email_mentions is True


@pytest.mark.parametrize(
    "make_token",
    [
        lambda user: services.unsubscribe_token(user, "mention")[:-2] + "xx",  # tampered signature
        lambda user: signing.dumps({"u": user.pk, "k": "mention"}),  # signed without the unsubscribe salt
        lambda user: signing.dumps({"u": user.pk, "k": "everything"}, salt=services.UNSUBSCRIBE_SALT),
        lambda user: signing.dumps({"u": 999999, "k": "mention"}, salt=services.UNSUBSCRIBE_SALT),
        lambda user: "to-nie-jest-token",
    ],
    ids=["tampered", "other-salt", "unknown-kind", "unknown-user", "garbage"],
)
def test_forged_unsubscribe_token_is_refused_and_changes_nothing(client, world, make_token):
    url = reverse("notifications:unsubscribe", args=[make_token(world["other"])])
    before = list(NotificationPreferences.objects.values())
    assert client.get(url).status_code == 400
    response = client.post(url)
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert list(NotificationPreferences.objects.values()) == before
    assert services.get_preferences(world["other"]).email_mentions is True


def test_token_of_one_person_cannot_be_changed_to_another(world):
    token = services.unsubscribe_token(world["other"], "mention")
    payload, signature = token.rsplit(":", 1)[0], token.rsplit(":", 1)[1]
    forged = signing.dumps({"u": world["watcher"].pk, "k": "mention"}, salt=services.UNSUBSCRIBE_SALT, compress=True)
    assert services.read_unsubscribe_token(forged.rsplit(":", 1)[0] + ":" + signature) is None
    assert services.read_unsubscribe_token(token) == (world["other"], "mention")
    assert payload
