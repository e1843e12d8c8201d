"""Forum services: topics and posts with sequence numbers, idempotent posting, editing with history, likes,
read marks, watches, mentions, hiding and search visibility."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from exchange_groups.models import Membership
from exchange_groups.spaces import services as membership
from forums import services
from forums.mentions import autocomplete, handle_of
from forums.models import (
    Forum,
    Mention,
    ModerationAction,
    Post,
    PostEvent,
    PostLike,
    PostRevision,
    Topic,
    TopicReadMark,
    Watch,
)
from forums.sanitize import SANITIZER_VERSION
from tests.factories import SpaceFactory, UserFactory

from .conftest import consenting

pytestmark = pytest.mark.django_db


def test_forum_every_new_space_gets_a_forum_with_a_category(world):
    space = SpaceFactory()
    forum = Forum.objects.get(space=space)
    assert forum.categories.count() == 1


def test_forum_ensure_forum_is_idempotent(world):
    assert services.ensure_forum(world["space"]) == world["forum"]
    assert Forum.objects.filter(space=world["space"]).count() == 1


def test_forum_one_site_wide_forum_exists(world):
    assert services.ensure_site_forum() == services.ensure_site_forum()
    assert Forum.objects.filter(is_site_wide=True).count() == 1


def test_category_slug_is_ascii_and_unique_in_the_forum(world):
    first = services.create_category(world["forum"], "Dowożenie uczniów")
    second = services.create_category(world["forum"], "Dowożenie uczniów")
    assert (first.slug, second.slug) == ("dowozenie-uczniow", "dowozenie-uczniow-2")


def test_topic_first_post_is_rendered_and_numbered(topic):
    post = topic.posts.get()
    assert post.body_html == "<p>Jak liczycie <strong>wagi</strong>?</p>\n"
    assert post.sanitizer_version == SANITIZER_VERSION
    assert (post.seq, post.changed_seq, topic.last_seq, topic.post_count) == (1, 1, 1, 1)
    assert list(topic.tags.names()) == ["subwencja"]


def test_topic_author_watches_it(topic, world):
    assert Watch.objects.filter(user=world["author"], topic=topic).exists()


def test_topic_without_title_is_refused(world):
    with pytest.raises(services.ForumError) as caught:
        services.create_topic(world["author"], world["category"], "   ", "treść")
    assert caught.value.field == "title"
    assert not Topic.objects.exists()


def test_topic_by_outsider_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.create_topic(world["outsider"], world["category"], "Tytuł", "treść")


def test_post_reply_takes_the_next_seq(topic, world):
    reply, _is_new = services.create_post(world["other"], topic, "Według algorytmu.")
    topic.refresh_from_db()
    assert (reply.seq, reply.changed_seq, topic.last_seq, topic.post_count) == (2, 2, 2, 2)
    assert list(PostEvent.objects.filter(topic=topic).values_list("seq", "kind")) == [(1, "created"), (2, "created")]


def test_post_same_client_msg_id_returns_the_existing_post(topic, world):
    msg = uuid.uuid4()
    first, first_is_new = services.create_post(world["other"], topic, "Raz", client_msg_id=msg)
    again, again_is_new = services.create_post(world["other"], topic, "Raz", client_msg_id=msg)
    assert again.pk == first.pk
    assert (first_is_new, again_is_new) == (True, False)
    assert topic.posts.count() == 2


def test_post_client_msg_id_of_a_post_in_another_topic_is_refused(topic, world):
    msg = uuid.uuid4()
    services.create_post(world["other"], topic, "Raz", client_msg_id=msg)
    elsewhere = services.create_topic(world["coordinator"], world["category"], "Inny wątek", "Treść")
    with pytest.raises(services.ForumError) as caught:
        services.create_post(world["other"], elsewhere, "Raz", client_msg_id=msg)
    assert caught.value.code == "bad_request"
    assert elsewhere.posts.count() == 1


def test_post_retry_is_not_throttled_and_a_new_post_is(topic, world):
    msg = uuid.uuid4()
    services.create_post(world["other"], topic, "Raz", client_msg_id=msg)
    asked = []

    def throttle():
        asked.append(True)
        return False

    _post, is_new = services.create_post(world["other"], topic, "Raz", client_msg_id=msg, admit=throttle)
    assert (is_new, asked) == (False, [])
    with pytest.raises(services.ForumError) as caught:
        services.create_post(world["other"], topic, "Dwa", admit=throttle)
    assert (caught.value.code, asked) == ("rate_limited", [True])
    assert topic.posts.count() == 2


def test_post_same_client_msg_id_of_another_author_is_a_new_post(topic, world):
    msg = uuid.uuid4()
    services.create_post(world["other"], topic, "Raz", client_msg_id=msg)
    services.create_post(world["coordinator"], topic, "Dwa", client_msg_id=msg)
    assert topic.posts.count() == 3


def test_post_body_over_the_limit_is_refused_and_nothing_changes(topic, world, settings):
    settings.FORUMS_MAX_POST_CHARS = 50
    with pytest.raises(services.ForumError) as caught:
        services.create_post(world["other"], topic, "x" * 51)
    assert caught.value.field == "body"
    topic.refresh_from_db()
    assert (topic.post_count, topic.last_seq) == (1, 1)


def test_post_by_former_member_is_refused(topic, world):
    Membership.objects.filter(user=world["other"]).update(until=timezone.now())
    with pytest.raises(PermissionDenied):
        services.create_post(world["other"], topic, "Jeszcze jedno")


def test_post_in_locked_topic_is_refused(topic, world):
    Topic.objects.filter(pk=topic.pk).update(locked=True)
    topic.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.create_post(world["other"], topic, "Jeszcze jedno")


def test_post_quote_keeps_the_quoted_post(topic, world):
    first = topic.posts.get()
    reply, _is_new = services.create_post(world["other"], topic, "> cytat\n\nOdpowiedź", quoted_post=first)
    assert reply.quoted_post == first


def test_post_mention_of_a_member_is_recorded_and_rendered(topic, world):
    handle = handle_of(world["other"])
    assert handle == "Lukasz.Wojcik"
    post, _is_new = services.create_post(world["author"], topic, f"@{handle} co Pan sądzi?")
    assert "<strong>@Lukasz.Wojcik</strong>" in post.body_html
    assert list(Mention.objects.filter(post=post).values_list("user_id", flat=True)) == [world["other"].pk]


def test_post_mention_of_someone_who_cannot_read_the_forum_stays_text(topic, world):
    handle = handle_of(world["outsider"])
    post, _is_new = services.create_post(world["author"], topic, f"@{handle} zapraszam")
    assert "<strong>" not in post.body_html
    assert not Mention.objects.exists()


def test_mention_handles_of_namesakes_differ(world):
    twin = UserFactory(first_name="Anna", last_name="Nowak")
    assert handle_of(world["author"]) == "Anna.Nowak"
    assert handle_of(twin) == f"Anna.Nowak.{twin.pk}"


def test_mention_autocomplete_lists_only_readers_of_the_forum(world):
    results = autocomplete(world["forum"], "lu")
    assert [r["handle"] for r in results] == ["Lukasz.Wojcik"]
    assert autocomplete(world["forum"], "jan") == []


def test_edit_keeps_the_previous_text_and_marks_the_post(topic, world):
    post = topic.posts.get()
    services.edit_post(world["author"], post, "Poprawiona treść")
    post.refresh_from_db()
    revision = PostRevision.objects.get(post=post)
    assert revision.body_source == "Jak liczycie **wagi**?"
    assert post.body_html == "<p>Poprawiona treść</p>\n"
    assert post.edited_at is not None
    assert (post.seq, post.changed_seq) == (1, 2)


def test_edit_after_the_window_is_refused(topic, world, settings):
    settings.FORUMS_EDIT_WINDOW_MINUTES = 30
    post = topic.posts.get()
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=31))
    post.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.edit_post(world["author"], post, "Za późno")
    assert not PostRevision.objects.exists()


def test_edit_by_someone_else_is_refused(topic, world):
    with pytest.raises(PermissionDenied):
        services.edit_post(world["coordinator"], topic.posts.get(), "Cudza")


def test_set_hidden_by_coordinator_bumps_seq_and_restore_brings_it_back(topic, world):
    post = topic.posts.get()
    services.set_hidden(world["coordinator"], post, True)
    post.refresh_from_db()
    assert post.hidden and post.changed_seq == 2
    services.set_hidden(world["coordinator"], post, False)
    post.refresh_from_db()
    assert not post.hidden and post.changed_seq == 3


def test_set_hidden_by_participant_is_refused(topic, world):
    with pytest.raises(PermissionDenied):
        services.set_hidden(world["other"], topic.posts.get(), True)


def test_set_hidden_without_a_change_keeps_the_seq(topic, world):
    post = services.set_hidden(world["coordinator"], topic.posts.get(), False)
    topic.refresh_from_db()
    assert post.changed is False and topic.last_seq == 1
    assert list(PostEvent.objects.filter(topic=topic).values_list("kind", flat=True)) == ["created"]


def test_set_hidden_by_the_system_records_no_moderator_and_the_pending_review(topic, world):
    post = services.set_hidden(None, topic.posts.get(), True, reason="Zgłoszenia", pending_review=True)
    assert post.changed and post.hidden and post.hidden_pending_review
    assert (post.hidden_by, post.hidden_reason, post.changed_seq) == (None, "Zgłoszenia", 2)


def test_take_seq_hands_out_the_next_number_of_the_topic(topic, world):
    with transaction.atomic():
        locked = services.take_seq(topic.pk)
    topic.refresh_from_db()
    assert locked.last_seq == topic.last_seq == 2


def test_lock_topic_for_schedule_closes_the_topic_once_and_tells_its_readers(
    topic, world, monkeypatch, django_capture_on_commit_callbacks
):
    told = []
    monkeypatch.setattr("forums.publisher.publish_topic_changed", lambda t, **kw: told.append((t.pk, kw)))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.lock_topic_for_schedule(topic) is True
        assert services.lock_topic_for_schedule(topic) is False
    topic.refresh_from_db()
    assert topic.locked and told == [(topic.pk, {})]
    assert not ModerationAction.objects.exists()


def test_like_twice_counts_once(topic, world):
    post = topic.posts.get()
    assert services.like_post(world["other"], post) is True
    assert services.like_post(world["other"], post) is False
    assert PostLike.objects.filter(post=post).count() == 1


def test_like_own_post_is_refused(topic, world):
    with pytest.raises(services.ForumError):
        services.like_post(world["author"], topic.posts.get())


def test_unlike_removes_the_like(topic, world):
    post = topic.posts.get()
    services.like_post(world["other"], post)
    services.unlike_post(world["other"], post)
    assert not PostLike.objects.exists()


def test_read_mark_never_moves_back(topic, world):
    services.create_post(world["other"], topic, "Druga")
    topic.refresh_from_db()
    services.mark_topic_read(world["coordinator"], topic)
    services.mark_topic_read(world["coordinator"], topic, seq=1)
    assert TopicReadMark.objects.get(user=world["coordinator"], topic=topic).last_read_seq == 2


def test_read_mark_unread_after_a_new_reply(topic, world):
    services.mark_topic_read(world["coordinator"], topic)
    services.create_post(world["other"], topic, "Nowa odpowiedź")
    annotated = services.topics_with_unread(world["coordinator"], Topic.objects.filter(pk=topic.pk)).get()
    assert annotated.seen and annotated.unread_after


def test_watch_category_twice_makes_one_watch(world):
    services.watch(world["other"], category=world["category"])
    services.watch(world["other"], category=world["category"])
    assert Watch.objects.filter(user=world["other"], category=world["category"]).count() == 1


def test_watch_private_category_by_outsider_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.watch(world["outsider"], category=world["private_category"])


def test_search_finds_by_word_without_diacritics(topic, world):
    results = list(services.search_posts(world["other"], "subwencja oswiatowa"))
    assert [p.topic_id for p in results] == [topic.pk]


def test_search_non_member_never_finds_a_private_space_post(private_topic, world):
    assert list(services.search_posts(world["outsider"], "budżet")) == []
    assert list(services.search_posts(world["private_member"], "budżet")) != []


def test_search_former_member_no_longer_finds_the_space_posts(private_topic, world):
    admin = world["admin"]
    member = Membership.objects.get(user=world["private_member"], space=world["private"])
    membership.remove_member(admin, member, "Koniec cyklu")
    assert list(services.search_posts(world["private_member"], "budżet")) == []


def test_search_admin_finds_private_posts(private_topic, world):
    assert len(services.search_posts(world["admin"], "budżet")) == 1


def test_search_does_not_find_hidden_posts(topic, world):
    services.set_hidden(world["coordinator"], topic.posts.get(), True)
    assert list(services.search_posts(world["other"], "wagi")) == []


def test_site_forum_post_needs_the_required_consents(world):
    forum = services.ensure_site_forum()
    category = forum.categories.first()
    with pytest.raises(PermissionDenied):
        services.create_topic(world["other"], category, "Pytanie", "Treść")
    consenting(world["other"])
    assert services.create_topic(world["other"], category, "Pytanie", "Treść").post_count == 1


@pytest.mark.postgres
def test_search_postgres_full_text_finds_the_post(topic, world):
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert [p.topic_id for p in services.search_posts(world["other"], "WAGI")] == [topic.pk]


def test_mention_autocomplete_in_site_forum_suggests_only_people_who_wrote_there(world):
    forum = services.ensure_site_forum()
    category = forum.categories.first()
    services.create_topic(world["author"], category, "Pytanie ogólne", "Treść")
    assert [r["handle"] for r in autocomplete(forum, "an")] == ["Anna.Nowak"]
    assert autocomplete(forum, "jan") == []


def test_category_reserved_address_is_skipped(world):
    assert services.create_category(world["forum"], "Wzmianki").slug == "wzmianki-2"


def test_category_admin_list_opens_for_a_site_admin(client, world):
    from django.urls import reverse

    client.force_login(world["admin"])
    response = client.get(reverse("wagtailsnippets_forums_category:list"))
    assert response.status_code == 200
    assert world["category"].name in response.content.decode()
