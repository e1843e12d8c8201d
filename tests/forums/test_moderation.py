"""Forum moderation (issue 6): topic tools, hidden posts with reasons, moderator edits, soft delete, reports
with the threshold, sanctions, slow mode and the moderation log — through the services and the pages."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchange_groups.models import SpaceRole
from exchange_groups.spaces import services as membership
from forums import live, moderation, services
from forums.models import (
    ModerationAction,
    ModerationActionKind,
    PostEvent,
    Report,
    ReportStatus,
    Sanction,
    SanctionKind,
    Topic,
)
from forums.permissions import can_read_topic
from forums.services import ForumError
from forums.signals import moderation_decided
from tests.factories import SpaceFactory, UserFactory

from .conftest import consenting

pytestmark = pytest.mark.django_db


@pytest.fixture
def mods(world):
    """A moderator of the space, and a moderator of another space (an outsider here)."""
    moderator = consenting(UserFactory(first_name="Marek", last_name="Moderator"))
    membership.add_member(world["admin"], world["space"], moderator, SpaceRole.MODERATOR, notify=False)
    elsewhere = SpaceFactory(name="Inna sieć", slug="inna-siec")
    stranger = consenting(UserFactory(first_name="Bogdan", last_name="Obcy"))
    membership.add_member(world["admin"], elsewhere, stranger, SpaceRole.MODERATOR, notify=False)
    services.ensure_forum(elsewhere)
    return {"moderator": moderator, "other_moderator": stranger, "elsewhere": elsewhere}


@pytest.fixture
def post(topic):
    return topic.posts.get()


@pytest.fixture
def decisions(monkeypatch):
    """Every moderation_decided signal sent during the test (sent at once: the test's transaction never commits)."""
    sent = []
    monkeypatch.setattr(
        "forums.moderation.send_after_commit", lambda signal, sender, **kwargs: signal.send(sender=sender, **kwargs)
    )

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    moderation_decided.connect(receiver, dispatch_uid="test-moderation-decisions")
    yield sent
    moderation_decided.disconnect(dispatch_uid="test-moderation-decisions")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def in_hours(hours):
    return timezone.now() + datetime.timedelta(hours=hours)


# --- refusals: every action, to non-moderators and to moderators of another space ----------------------

ACTIONS = {
    "pin": lambda u, w, t, p: moderation.pin_topic(u, t, True),
    "lock": lambda u, w, t, p: moderation.lock_topic(u, t, True, ""),
    "move": lambda u, w, t, p: moderation.move_topic(u, t, services.create_category(w["forum"], "Inne")),
    "delete": lambda u, w, t, p: moderation.delete_topic(u, t, "Duplikat"),
    "slow_mode": lambda u, w, t, p: moderation.set_topic_slow_mode(u, t, 60),
    "hide": lambda u, w, t, p: moderation.hide_post(u, p, "Obraźliwe"),
    "restore": lambda u, w, t, p: moderation.restore_post(u, p),
    "edit": lambda u, w, t, p: moderation.moderator_edit_post(u, p, "Poprawione", "Literówka"),
    "warn": lambda u, w, t, p: moderation.warn_author(u, p, "Proszę o kulturę"),
    "decide": lambda u, w, t, p: moderation.decide_reports(u, p, "dismiss"),
    "sanction": lambda u, w, t, p: moderation.sanction_member(
        u, w["forum"], w["other"], SanctionKind.SILENCE, "Spam", in_hours(2)
    ),
    "settings": lambda u, w, t, p: moderation.update_forum_settings(
        u, w["forum"], slow_mode_seconds=30, report_threshold=2, public_moderation_log=True
    ),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", ["author", "other", "outsider", "other_moderator"])
def test_moderation_action_refused_to_non_moderators(world, mods, topic, post, action, who):
    person = mods.get(who) or world[who]
    before = ModerationAction.objects.count()
    with pytest.raises(PermissionDenied):
        ACTIONS[action](person, world, topic, post)
    topic.refresh_from_db()
    post.refresh_from_db()
    assert (topic.pinned, topic.locked, topic.deleted_at, post.hidden) == (False, False, None, False)
    assert ModerationAction.objects.count() == before
    assert not Sanction.objects.exists()


def test_moderation_settings_refused_to_a_moderator_allowed_to_the_coordinator(world, mods):
    with pytest.raises(PermissionDenied):
        moderation.update_forum_settings(
            mods["moderator"], world["forum"], slow_mode_seconds=5, report_threshold=None, public_moderation_log=True
        )
    moderation.update_forum_settings(
        world["coordinator"], world["forum"], slow_mode_seconds=5, report_threshold=4, public_moderation_log=True
    )
    world["forum"].refresh_from_db()
    assert (world["forum"].slow_mode_seconds, world["forum"].report_threshold) == (5, 4)
    assert world["forum"].public_moderation_log is True


def test_moderation_restore_topic_refused_to_moderators_allowed_to_admins(world, mods, topic):
    moderation.delete_topic(mods["moderator"], topic, "Powtórzony wątek")
    for person in (mods["moderator"], world["coordinator"]):
        with pytest.raises(PermissionDenied):
            moderation.restore_topic(person, topic)
    moderation.restore_topic(world["admin"], topic)
    topic.refresh_from_db()
    assert topic.deleted_at is None


def test_moderation_site_forum_is_moderated_by_admins_only(world, mods):
    site = services.ensure_site_forum()
    topic = services.create_topic(world["author"], site.categories.first(), "Ogólnopolski", "Treść")
    with pytest.raises(PermissionDenied):
        moderation.pin_topic(mods["moderator"], topic)
    moderation.pin_topic(world["admin"], topic)
    assert Topic.objects.get(pk=topic.pk).pinned


# --- pages: refusals and privacy ---------------------------------------------------------------------


def test_moderation_pages_of_a_private_space_are_404_to_outsiders(world, private_topic):
    post = private_topic.posts.get()
    forum = world["private_forum"]
    urls = [
        reverse("forums:topic_lock", args=[private_topic.pk]),
        reverse("forums:post_hide", args=[private_topic.pk, post.pk]),
        reverse("forums:post_report", args=[private_topic.pk, post.pk]),
        reverse("forums:report_queue", args=[forum.pk]),
        reverse("forums:sanctions", args=[forum.pk]),
        reverse("forums:moderation_log", args=[forum.pk]),
        reverse("forums:forum_settings", args=[forum.pk]),
    ]
    for user in (None, world["outsider"], world["author"]):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"reason": "x", "action": "lock"}).status_code == 404, url
    private_topic.refresh_from_db()
    assert not private_topic.locked


def test_moderation_pages_refuse_members_with_403_and_a_message(world, topic, post):
    client = client_for(world["other"])
    response = client.post(reverse("forums:topic_pin", args=[topic.pk]), {"action": "pin"})
    assert response.status_code == 403
    assert "moderat" in response.content.decode().lower()
    assert client.get(reverse("forums:report_queue", args=[world["forum"].pk])).status_code == 403
    assert client.post(reverse("forums:post_hide", args=[topic.pk, post.pk]), {"reason": "x"}).status_code == 403
    topic.refresh_from_db()
    post.refresh_from_db()
    assert not topic.pinned and not post.hidden


def test_moderation_moderator_of_another_space_gets_the_members_only_page(world, mods, topic):
    client = client_for(mods["other_moderator"])
    response = client.post(reverse("forums:topic_pin", args=[topic.pk]), {"action": "pin"})
    assert response.status_code == 403
    topic.refresh_from_db()
    assert not topic.pinned


def test_moderation_state_changes_refuse_get(world, mods, topic, post):
    client = client_for(mods["moderator"])
    for url in (
        reverse("forums:topic_pin", args=[topic.pk]),
        reverse("forums:topic_restore", args=[topic.pk]),
        reverse("forums:post_restore", args=[topic.pk, post.pk]),
    ):
        assert client.get(url).status_code == 405
    topic.refresh_from_db()
    assert not topic.pinned


# --- pin, lock, move ---------------------------------------------------------------------------------


def test_moderation_pin_puts_the_topic_first_and_is_logged(world, mods, topic, django_capture_on_commit_callbacks):
    newer = services.create_topic(world["other"], world["category"], "Nowszy wątek", "Treść")
    client = client_for(mods["moderator"])
    response = client.post(reverse("forums:topic_pin", args=[topic.pk]), {"action": "pin"})
    assert response.status_code == 302
    listing = client.get(world["category"].get_absolute_url()).content.decode()
    assert listing.index(topic.title) < listing.index(newer.title)
    assert ModerationAction.objects.filter(kind=ModerationActionKind.PIN, topic=topic, actor=mods["moderator"]).exists()
    client.post(reverse("forums:topic_pin", args=[topic.pk]), {"action": "unpin"})
    topic.refresh_from_db()
    assert not topic.pinned


def test_moderation_lock_refuses_replies_and_removes_the_reply_form(world, mods, topic, decisions):
    client = client_for(mods["moderator"])
    with_reason = client.post(reverse("forums:topic_lock", args=[topic.pk]), {"action": "lock", "reason": "Wyczerpany"})
    assert with_reason.status_code == 302
    topic.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.create_post(world["other"], topic, "Jeszcze jedno")
    page = client_for(world["other"]).get(topic.get_absolute_url()).content.decode()
    assert f'action="/watki/{topic.pk}/odpowiedz/"' not in page
    assert [d["action"] for d in decisions] == ["lock"]
    assert decisions[0]["affected_user_ids"] == [world["author"].pk]
    client.post(reverse("forums:topic_lock", args=[topic.pk]), {"action": "unlock"})
    _post, is_new = services.create_post(world["other"], Topic.objects.get(pk=topic.pk), "Znowu można")
    assert is_new


def test_moderation_lock_publishes_the_topic_change(world, mods, topic, monkeypatch):
    seen = []
    monkeypatch.setattr("forums.publisher.publish_topic_changed", lambda t: seen.append(t.pk))
    moderation.lock_topic(mods["moderator"], topic, True)
    moderation.pin_topic(mods["moderator"], topic, True)
    assert seen == [topic.pk, topic.pk]


def test_moderation_move_to_a_category_of_the_same_forum(world, mods, topic):
    target = services.create_category(world["forum"], "Finanse oświaty")
    response = client_for(mods["moderator"]).post(
        reverse("forums:topic_move", args=[topic.pk]), {"category": target.pk, "reason": ""}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.category == target
    assert ModerationAction.objects.get(kind=ModerationActionKind.MOVE).details.endswith("Finanse oświaty")


def test_moderation_move_to_another_forum_is_refused_with_a_message(world, mods, topic):
    foreign = mods["elsewhere"].forum.categories.first()
    response = client_for(mods["moderator"]).post(
        reverse("forums:topic_move", args=[topic.pk]), {"category": foreign.pk}
    )
    assert response.status_code == 200
    assert "Proszę wybrać kategorię" in response.content.decode() or "choose a category" in response.content.decode()
    with pytest.raises(ForumError):
        moderation.move_topic(mods["moderator"], topic, foreign)
    topic.refresh_from_db()
    assert topic.category == world["category"]


# --- hidden posts ------------------------------------------------------------------------------------


def test_moderation_hide_with_reason_shows_the_author_the_reason_and_others_a_placeholder(
    world, mods, topic, post, decisions
):
    response = client_for(mods["moderator"]).post(
        reverse("forums:post_hide", args=[topic.pk, post.pk]), {"reason": "Dane osobowe ucznia"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden and post.hidden_reason == "Dane osobowe ucznia"
    assert PostEvent.objects.filter(post=post, kind="hidden", seq=post.changed_seq).exists()
    own = client_for(world["author"]).get(topic.get_absolute_url()).content.decode()
    assert "Dane osobowe ucznia" in own and "wagi" in own
    other = client_for(world["other"]).get(topic.get_absolute_url()).content.decode()
    assert "Dane osobowe ucznia" not in other and "wagi" not in other
    moderator_view = client_for(mods["moderator"]).get(topic.get_absolute_url()).content.decode()
    assert "wagi" in moderator_view and reverse("forums:post_restore", args=[topic.pk, post.pk]) in moderator_view
    assert decisions[-1]["action"] == "hide" and decisions[-1]["affected_user_ids"] == [world["author"].pk]
    assert decisions[-1]["reason"] == "Dane osobowe ucznia"


def test_moderation_hide_without_reason_is_refused_and_changes_nothing(world, mods, topic, post):
    response = client_for(mods["moderator"]).post(
        reverse("forums:post_hide", args=[topic.pk, post.pk]), {"reason": " "}
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    post.refresh_from_db()
    assert not post.hidden
    assert not ModerationAction.objects.exists()


def test_moderation_restore_brings_the_post_back(world, mods, topic, post, decisions):
    moderation.hide_post(mods["moderator"], post, "Pomyłka")
    client_for(mods["moderator"]).post(reverse("forums:post_restore", args=[topic.pk, post.pk]))
    post.refresh_from_db()
    assert not post.hidden and post.hidden_reason == ""
    assert [d["action"] for d in decisions] == ["hide", "restore"]
    assert "wagi" in client_for(world["other"]).get(topic.get_absolute_url()).content.decode()


# --- moderator edit ----------------------------------------------------------------------------------


def test_moderation_edit_bypasses_the_window_keeps_history_and_is_marked(world, mods, topic, post, decisions):
    topic.posts.update(created_at=timezone.now() - datetime.timedelta(days=3))
    response = client_for(mods["moderator"]).post(
        reverse("forums:post_moderate", args=[topic.pk, post.pk]),
        {"body": "Treść po moderacji", "reason": "Usunięto nazwisko"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body_source == "Treść po moderacji" and post.edited_by_moderator
    revision = post.revisions.get()
    assert revision.edited_by == mods["moderator"] and "wagi" in revision.body_source
    assert PostEvent.objects.filter(post=post, kind="edited").exists()
    page = client_for(world["other"]).get(topic.get_absolute_url()).content.decode()
    assert "moderat" in page.lower() and "Treść po moderacji" in page
    assert decisions[-1]["action"] == "edit" and decisions[-1]["reason"] == "Usunięto nazwisko"


def test_moderation_edit_page_refused_to_the_author_after_the_window(world, topic, post):
    response = client_for(world["author"]).post(
        reverse("forums:post_moderate", args=[topic.pk, post.pk]), {"body": "Moja zmiana"}
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.body_source != "Moja zmiana"


# --- soft delete -------------------------------------------------------------------------------------


def test_moderation_deleted_topic_vanishes_for_everyone_but_admins(world, mods, topic):
    response = client_for(mods["moderator"]).post(
        reverse("forums:topic_delete", args=[topic.pk]), {"reason": "Powtórzony wątek"}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.deleted_at is not None
    for person in (world["author"], world["other"], mods["moderator"], world["coordinator"]):
        client = client_for(person)
        assert client.get(topic.get_absolute_url()).status_code == 404
        assert topic.title not in client.get(world["category"].get_absolute_url()).content.decode()
        assert topic.title not in client.get(reverse("forums:search") + "?q=wagi").content.decode()
        assert not can_read_topic(person, topic)
    admin = client_for(world["admin"])
    assert admin.get(topic.get_absolute_url()).status_code == 200
    assert topic.title in admin.get(reverse("forums:deleted_topics")).content.decode()
    assert client_for(world["other"]).get(reverse("forums:deleted_topics")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_post(world["other"], topic, "Po usunięciu")


def test_moderation_delete_without_reason_is_refused(world, mods, topic):
    response = client_for(mods["moderator"]).post(reverse("forums:topic_delete", args=[topic.pk]), {"reason": ""})
    assert response.status_code == 200
    topic.refresh_from_db()
    assert topic.deleted_at is None


def test_moderation_admin_restores_a_deleted_topic_from_the_list(world, mods, topic):
    moderation.delete_topic(mods["moderator"], topic, "Spam")
    response = client_for(world["admin"]).post(reverse("forums:topic_restore", args=[topic.pk]))
    assert response.status_code == 302
    assert client_for(world["other"]).get(topic.get_absolute_url()).status_code == 200
    assert ModerationAction.objects.filter(kind=ModerationActionKind.UNDELETE).exists()


# --- reports -----------------------------------------------------------------------------------------


@pytest.fixture
def reporters(world):
    people = []
    for number in range(3):
        person = consenting(UserFactory(first_name=f"Zgłaszający{number}", last_name="Członek"))
        membership.add_member(world["admin"], world["space"], person, SpaceRole.PARTICIPANT, notify=False)
        people.append(person)
    return people


def test_moderation_report_by_a_member_reaches_the_queue(world, mods, topic, post):
    response = client_for(world["other"]).post(
        reverse("forums:post_report", args=[topic.pk, post.pk]), {"reason": "Reklama"}
    )
    assert response.status_code == 302
    queue = client_for(mods["moderator"]).get(reverse("forums:report_queue", args=[world["forum"].pk]))
    content = queue.content.decode()
    assert "Reklama" in content and world["other"].get_full_name() in content


def test_moderation_report_of_ones_own_post_is_refused(world, topic, post):
    with pytest.raises(PermissionDenied):
        moderation.report_post(world["author"], post, "Sam siebie")
    assert client_for(world["author"]).get(reverse("forums:post_report", args=[topic.pk, post.pk])).status_code == 403
    assert not Report.objects.exists()


def test_moderation_second_report_by_the_same_person_is_refused(world, topic, post):
    moderation.report_post(world["other"], post, "Reklama")
    with pytest.raises(ForumError) as refusal:
        moderation.report_post(world["other"], post, "Jeszcze raz")
    assert refusal.value.code == "already_reported"
    client = client_for(world["other"])
    response = client.post(reverse("forums:post_report", args=[topic.pk, post.pk]), {"reason": "Trzeci raz"})
    assert response.status_code == 302
    assert Report.objects.count() == 1


def test_moderation_report_empty_reason_refused(world, topic, post):
    response = client_for(world["other"]).post(reverse("forums:post_report", args=[topic.pk, post.pk]), {"reason": ""})
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_moderation_report_needs_membership(world, topic, post):
    with pytest.raises(PermissionDenied):
        moderation.report_post(world["outsider"], post, "Z zewnątrz")
    assert (
        client_for(world["outsider"])
        .post(reverse("forums:post_report", args=[topic.pk, post.pk]), {"reason": "x"})
        .status_code
        == 403
    )
    assert not Report.objects.exists()


def test_moderation_report_threshold_hides_the_post_pending_review(world, mods, topic, post, reporters, decisions):
    assert world["forum"].effective_report_threshold() == 3
    moderation.report_post(reporters[0], post, "Obraźliwy")
    moderation.report_post(reporters[1], post, "Obraźliwy")
    post.refresh_from_db()
    assert not post.hidden
    moderation.report_post(reporters[2], post, "Obraźliwy")
    post.refresh_from_db()
    assert post.hidden and post.hidden_pending_review
    assert ModerationAction.objects.filter(kind=ModerationActionKind.AUTO_HIDE, post=post).exists()
    assert decisions[-1]["action"] == "hide" and decisions[-1]["affected_user_ids"] == [world["author"].pk]
    # it stays in the queue
    assert list(moderation.report_queue(world["forum"])) == [post]


def test_moderation_report_threshold_follows_the_forum_setting(world, topic, post, reporters, settings):
    settings.FORUMS_REPORT_HIDE_THRESHOLD = 5
    moderation.update_forum_settings(
        world["coordinator"], world["forum"], slow_mode_seconds=0, report_threshold=2, public_moderation_log=False
    )
    world["forum"].refresh_from_db()
    post.topic.category.forum = world["forum"]
    moderation.report_post(reporters[0], post, "Spam")
    moderation.report_post(reporters[1], post, "Spam")
    post.refresh_from_db()
    assert post.hidden


def test_moderation_dismiss_restores_a_post_hidden_pending_review_and_tells_reporters(
    world, mods, topic, post, reporters, decisions
):
    for person in reporters:
        moderation.report_post(person, post, "Nie podoba mi się")
    response = client_for(mods["moderator"]).post(
        reverse("forums:report_decide", args=[world["forum"].pk, post.pk]), {"decision": "dismiss", "reason": ""}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert not post.hidden
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.DISMISSED}
    assert decisions[-1]["action"] == "dismiss"
    assert sorted(decisions[-1]["reporter_user_ids"]) == sorted(p.pk for p in reporters)
    page = client_for(reporters[0]).get(reverse("forums:my_reports")).content.decode()
    assert "Nie podoba mi się" in page and str(ReportStatus.DISMISSED.label) in page
    assert list(moderation.report_queue(world["forum"])) == []


def test_moderation_decision_hide_accepts_the_reports(world, mods, topic, post, decisions):
    moderation.report_post(world["other"], post, "Wulgaryzmy")
    moderation.decide_reports(mods["moderator"], post, "hide", "Wulgaryzmy")
    post.refresh_from_db()
    assert post.hidden and post.hidden_reason == "Wulgaryzmy"
    assert Report.objects.get().status == ReportStatus.HIDDEN
    assert decisions[-1]["reporter_user_ids"] == [world["other"].pk]


def test_moderation_decision_warn_needs_a_reason_and_signals_the_author(world, mods, topic, post, decisions):
    moderation.report_post(world["other"], post, "Ton wypowiedzi")
    response = client_for(mods["moderator"]).post(
        reverse("forums:report_decide", args=[world["forum"].pk, post.pk]), {"decision": "warn", "reason": ""}
    )
    assert response.status_code == 400
    assert Report.objects.get().status == ReportStatus.OPEN
    moderation.decide_reports(mods["moderator"], post, "warn", "Proszę o rzeczowy ton")
    post.refresh_from_db()
    assert not post.hidden
    assert Report.objects.get().status == ReportStatus.WARNED
    assert decisions[-1]["action"] == "warn" and decisions[-1]["affected_user_ids"] == [world["author"].pk]
    assert ModerationAction.objects.filter(kind=ModerationActionKind.WARN, target_user=world["author"]).exists()


def test_moderation_decision_refused_to_moderator_of_another_space(world, mods, topic, post):
    moderation.report_post(world["other"], post, "Spam")
    response = client_for(mods["other_moderator"]).post(
        reverse("forums:report_decide", args=[world["forum"].pk, post.pk]), {"decision": "hide", "reason": "x"}
    )
    assert response.status_code == 403
    assert Report.objects.get().status == ReportStatus.OPEN


# --- sanctions ---------------------------------------------------------------------------------------


def test_moderation_silence_refuses_writing_and_shows_a_banner(world, mods, topic, post, decisions):
    response = client_for(mods["moderator"]).post(
        reverse("forums:sanctions", args=[world["forum"].pk]),
        {
            "person": world["other"].pk,
            "kind": "silence",
            "reason": "Powtarzające się zaczepki",
            "ends_at": (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    with pytest.raises(PermissionDenied, match="Powtarzające się zaczepki"):
        services.create_post(world["other"], topic, "Nie wolno mi")
    with pytest.raises(PermissionDenied):
        services.create_topic(world["other"], world["category"], "Nowy", "Treść")
    with pytest.raises(PermissionDenied):
        services.like_post(world["other"], post)
    page = client_for(world["other"]).get(topic.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert "Powtarzające się zaczepki" in content
    assert f'action="/watki/{topic.pk}/odpowiedz/"' not in content
    assert decisions[-1]["action"] == "silence" and decisions[-1]["affected_user_ids"] == [world["other"].pk]


def test_moderation_sanction_refuses_the_websocket_posting_path_too(world, mods, topic):
    moderation.sanction_member(mods["moderator"], world["forum"], world["other"], "suspension", "Spam", in_hours(1))
    answer = live.submit_post(world["other"].pk, topic.pk, {"body": "x", "client_msg_id": str(uuid.uuid4())}, _Bucket())
    assert answer["type"] == "error" and answer["code"] == "forbidden"
    assert "Spam" in answer["message"]


class _Bucket:
    def take(self):
        return True


def test_moderation_sanction_ends_by_itself_and_can_be_lifted(world, mods, topic):
    sanction = moderation.sanction_member(
        mods["moderator"], world["forum"], world["other"], SanctionKind.SILENCE, "Spam", in_hours(1)
    )
    Sanction.objects.filter(pk=sanction.pk).update(ends_at=timezone.now() - datetime.timedelta(seconds=1))
    _post, is_new = services.create_post(world["other"], topic, "Znowu mogę")
    assert is_new
    second = moderation.sanction_member(
        mods["moderator"], world["forum"], world["other"], SanctionKind.SILENCE, "Spam", in_hours(1)
    )
    response = client_for(mods["moderator"]).post(reverse("forums:sanction_lift", args=[world["forum"].pk, second.pk]))
    assert response.status_code == 302
    _post, is_new = services.create_post(world["other"], topic, "I jeszcze raz")
    assert is_new
    assert ModerationAction.objects.filter(kind=ModerationActionKind.LIFT).exists()


@pytest.mark.parametrize(
    ("hours", "reason", "message"),
    [(-1, "Spam", "ends_past"), (2, "", "reason_required"), (24 * 400, "Spam", "ends_far")],
)
def test_moderation_sanction_bad_input_is_refused(world, mods, hours, reason, message):
    with pytest.raises(ForumError) as refusal:
        moderation.sanction_member(
            mods["moderator"], world["forum"], world["other"], SanctionKind.SILENCE, reason, in_hours(hours)
        )
    assert refusal.value.code == message
    assert not Sanction.objects.exists()


def test_moderation_sanction_of_a_moderator_or_outsider_is_refused(world, mods):
    for person in (world["coordinator"], world["outsider"], world["admin"]):
        with pytest.raises(ForumError):
            moderation.sanction_member(
                mods["moderator"], world["forum"], person, SanctionKind.SUSPENSION, "Nie", in_hours(1)
            )
    assert not Sanction.objects.exists()


def test_moderation_sanction_in_one_space_does_not_apply_in_another(world, mods, topic):
    membership.add_member(world["admin"], mods["elsewhere"], world["other"], SpaceRole.PARTICIPANT, notify=False)
    moderation.sanction_member(
        mods["moderator"], world["forum"], world["other"], SanctionKind.SILENCE, "x", in_hours(1)
    )
    category = mods["elsewhere"].forum.categories.first()
    assert services.create_topic(world["other"], category, "Gdzie indziej", "Mogę pisać").pk


def test_moderation_suspension_closes_the_persons_sockets_of_that_space(world, mods, monkeypatch):
    closed = []
    monkeypatch.setattr(
        "forums.moderation.close_user_sockets", lambda user_id, **kw: closed.append((user_id, kw["space_id"]))
    )
    moderation.sanction_member(mods["moderator"], world["forum"], world["other"], "silence", "x", in_hours(1))
    assert closed == []
    moderation.sanction_member(mods["moderator"], world["forum"], world["other"], "suspension", "x", in_hours(1))
    assert closed == [(world["other"].pk, world["space"].pk)]


# --- slow mode ---------------------------------------------------------------------------------------


def test_moderation_slow_mode_makes_a_member_wait_and_says_how_long(world, mods, topic):
    moderation.set_topic_slow_mode(mods["moderator"], topic, 120)
    topic.refresh_from_db()
    services.create_post(world["other"], topic, "Pierwszy")
    with pytest.raises(ForumError, match=r"1[12]\d") as refusal:
        services.create_post(world["other"], topic, "Drugi za szybko")
    assert refusal.value.code == "slow_mode"
    # moderators are exempt
    services.create_post(mods["moderator"], topic, "Moderator")
    services.create_post(mods["moderator"], topic, "Moderator znowu")


def test_moderation_slow_mode_of_the_forum_counts_across_topics(world, topic):
    moderation.update_forum_settings(
        world["coordinator"], world["forum"], slow_mode_seconds=60, report_threshold=None, public_moderation_log=False
    )
    forum = world["forum"]
    forum.refresh_from_db()
    topic.category.forum = forum
    services.create_post(world["other"], topic, "Pierwszy")
    category = forum.categories.get()
    category.forum = forum
    with pytest.raises(ForumError) as refusal:
        services.create_topic(world["other"], category, "Drugi wątek", "Za szybko")
    assert refusal.value.code == "slow_mode"


def test_moderation_slow_mode_rejects_bad_numbers(world, mods, topic):
    response = client_for(mods["moderator"]).post(
        reverse("forums:topic_slow_mode", args=[topic.pk]), {"slow_mode_seconds": "-5"}
    )
    assert response.status_code == 200
    topic.refresh_from_db()
    assert topic.slow_mode_seconds == 0


# --- the log -----------------------------------------------------------------------------------------


def test_moderation_log_for_moderators_and_the_public_log_when_the_space_chooses_it(world, mods, topic, post):
    moderation.report_post(world["other"], post, "Reklama")
    moderation.decide_reports(mods["moderator"], post, "hide", "Reklama firmy")
    log_url = reverse("forums:moderation_log", args=[world["forum"].pk])
    public_url = reverse("forums:public_log", args=[world["forum"].pk])
    for person in (mods["moderator"], world["coordinator"], world["admin"]):
        content = client_for(person).get(log_url).content.decode()
        assert "Reklama firmy" in content and mods["moderator"].get_full_name() in content
    assert client_for(world["other"]).get(log_url).status_code == 403
    assert client_for(world["other"]).get(public_url).status_code == 404
    client_for(world["coordinator"]).post(
        reverse("forums:forum_settings", args=[world["forum"].pk]),
        {"slow_mode_seconds": "0", "report_threshold": "", "public_moderation_log": "on"},
    )
    public = client_for(world["author"]).get(public_url)
    assert public.status_code == 200
    content = public.content.decode()
    assert "Reklama firmy" in content
    assert world["other"].get_full_name() not in content  # the reporter
    assert client_for(world["outsider"]).get(public_url).status_code == 403


def test_moderation_settings_page_rejects_bad_input(world):
    response = client_for(world["coordinator"]).post(
        reverse("forums:forum_settings", args=[world["forum"].pk]),
        {"slow_mode_seconds": "abc", "report_threshold": "0"},
    )
    assert response.status_code == 200
    world["forum"].refresh_from_db()
    assert world["forum"].slow_mode_seconds == 0 and world["forum"].report_threshold is None


# --- demo data ---------------------------------------------------------------------------------------


@pytest.fixture
def demo_space(world):
    from forums.demo import moderation as demo_moderation

    space = SpaceFactory(slug=demo_moderation.SPACE_SLUG, name="Sieć gmin miejsko-wiejskich")
    leader = consenting(UserFactory(email="lider@demo.oswiata-jst.pl", first_name="Lidia", last_name="Liderska"))
    membership.add_member(world["admin"], space, leader, SpaceRole.MODERATOR, notify=False)
    membership.add_member(world["admin"], space, world["coordinator"], SpaceRole.COORDINATOR, notify=False)
    for number in range(6):
        person = consenting(UserFactory(first_name=f"Uczestnik{number}", last_name="Demo"))
        membership.add_member(world["admin"], space, person, SpaceRole.PARTICIPANT, notify=False)
    return space


def test_moderation_demo_has_a_queue_sanctions_and_a_public_log_and_loads_once(demo_space):
    from forums.demo import moderation as demo_moderation

    demo_moderation.load()
    forum = demo_space.forum
    forum.refresh_from_db()
    queue = list(moderation.report_queue(forum))
    assert len(queue) == 1 and queue[0].report_count == 2
    assert Sanction.objects.filter(space=demo_space, kind=SanctionKind.SUSPENSION).count() == 1
    assert Sanction.objects.filter(space=demo_space, kind=SanctionKind.SILENCE).count() == 1
    assert Topic.objects.filter(category__forum=forum, pinned=True).exists()
    assert Topic.objects.filter(category__forum=forum, locked=True).exists()
    assert Topic.objects.filter(category__forum=forum, slow_mode_seconds__gt=0).exists()
    assert forum.public_moderation_log
    assert forum.moderation_actions.count() >= 6
    counts = (Report.objects.count(), Sanction.objects.count(), ModerationAction.objects.count(), Topic.objects.count())
    demo_moderation.load()
    assert (
        Report.objects.count(),
        Sanction.objects.count(),
        ModerationAction.objects.count(),
        Topic.objects.count(),
    ) == counts


# --- Wagtail admin: read-only views for administrators ------------------------------------------------


def test_moderation_admin_lists_reports_sanctions_and_log_read_only(world, mods, post):
    moderation.report_post(world["other"], post, "Reklama w treści")
    moderation.sanction_member(mods["moderator"], world["forum"], world["other"], "silence", "Zaczepki", in_hours(1))
    admin = client_for(world["admin"])
    for prefix, text in (
        ("forum_reports", "Reklama w treści"),
        ("forum_sanctions", "Zaczepki"),
        ("forum_log", "Zaczepki"),
    ):
        response = admin.get(f"/admin/{prefix}/")
        assert response.status_code == 200, prefix
        assert text in response.content.decode()
        assert admin.get(f"/admin/{prefix}/new/").status_code in (302, 403, 404)
    report = Report.objects.get()
    assert admin.post(f"/admin/forum_reports/edit/{report.pk}/", {"status": "dismissed"}).status_code in (302, 403, 404)
    assert Report.objects.get().status == ReportStatus.OPEN
    staff = UserFactory(is_staff=True)
    assert client_for(staff).get("/admin/forum_reports/").status_code in (302, 403)


# --- links to the tools ------------------------------------------------------------------------------


def test_moderation_links_show_to_moderators_and_settings_only_to_coordinators(world, mods, topic):
    forum_url = world["forum"].get_absolute_url()
    settings_url = reverse("forums:forum_settings", args=[world["forum"].pk])
    queue_url = reverse("forums:report_queue", args=[world["forum"].pk])
    moderator_page = client_for(mods["moderator"]).get(forum_url).content.decode()
    assert queue_url in moderator_page and settings_url not in moderator_page
    assert settings_url in client_for(world["coordinator"]).get(forum_url).content.decode()
    member_page = client_for(world["other"]).get(forum_url).content.decode()
    assert queue_url not in member_page
    topic_page = client_for(world["other"]).get(topic.get_absolute_url()).content.decode()
    assert reverse("forums:topic_pin", args=[topic.pk]) not in topic_page
    assert reverse("forums:post_report", args=[topic.pk, topic.posts.get().pk]) in topic_page
    moderator_topic = client_for(mods["moderator"]).get(topic.get_absolute_url()).content.decode()
    assert reverse("forums:topic_pin", args=[topic.pk]) in moderator_topic
    assert reverse("forums:post_hide", args=[topic.pk, topic.posts.get().pk]) in moderator_topic


def test_moderation_edit_history_names_the_moderator_to_the_author_only(world, mods, topic, post):
    moderation.moderator_edit_post(mods["moderator"], post, "Nowa treść", "Poprawka formatowania")
    url = reverse("forums:post_history", args=[topic.pk, post.pk])
    history = client_for(world["author"]).get(url)
    assert history.status_code == 200
    assert mods["moderator"].get_full_name() in history.content.decode()
    member_view = client_for(world["other"]).get(url)
    assert member_view.status_code == 200
    assert mods["moderator"].get_full_name() not in member_view.content.decode()
    assert "moderatora" in member_view.content.decode()
