"""The topic page reads a fixed number of queries however many posts it shows, answers every post's actions from
one look-up of the reader's facts (`ForumViewer`, equal to the one-off predicates), and the reader-independent
part of a post it keeps in the cache always shows the post's current state to each reader."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange_groups.models import SpaceRole
from exchange_groups.spaces import services as membership
from forums import moderation, services
from forums.models import SanctionKind, TopicReadMark
from forums.permissions import ForumViewer, can_moderate, can_post, can_read_forum
from tests.db_state import page_queries
from tests.factories import UserFactory

from .conftest import consenting, upload

pytestmark = pytest.mark.django_db


def add_varied_posts(world, topic, count: int) -> None:
    """Posts of several people, with likes, attachments, quotes, edits, a hidden one and a sanctioned author."""
    people = [world["author"], world["other"], world["coordinator"]]
    for number in range(count):
        author = people[number % len(people)]
        files = [upload(f"plan-{number}.pdf", b"%PDF-1.4 plan")] if number % 4 == 0 else []
        quoted = topic.posts.order_by("seq").first() if number % 5 == 0 else None
        post, _is_new = services.create_post(
            author, topic, f"Wpis numer {number}", attachments=files, quoted_post=quoted
        )
        if number % 3 == 0:
            services.like_post(world["other"] if author != world["other"] else world["author"], post)
        if number % 4 == 1:
            services.edit_post(author, post, f"Wpis numer {number}, poprawiony")
        if number == 2:
            moderation.hide_post(world["coordinator"], post, "Dane osobowe")


def read_all_but_the_last(user, topic) -> None:
    """The reader's state the counts compare: everything read but the newest post (shown as unread)."""
    seqs = list(topic.posts.order_by("-seq").values_list("seq", flat=True)[:2])
    TopicReadMark.objects.update_or_create(user=user, topic=topic, defaults={"last_read_seq": seqs[-1]})


@pytest.mark.parametrize("reader", ["other", "coordinator", "admin"])
def test_topic_page_queries_do_not_grow_with_the_posts_shown(client, world, topic, reader):
    moderation.sanction_member(
        world["coordinator"],
        world["forum"],
        world["author"],
        SanctionKind.SILENCE,
        "Upomnienie",
        timezone.now() + datetime.timedelta(days=2),
    )
    services.create_post(world["other"], topic, "Pierwsza odpowiedź")
    services.like_post(world["coordinator"], topic.posts.order_by("seq").first())
    client.force_login(world[reader])
    url = topic.get_absolute_url()
    read_all_but_the_last(world[reader], topic)
    few = page_queries(client, url)
    moderation.lift_sanction(world["coordinator"], world["forum"].space.forum_sanctions.get(), world["forum"])
    add_varied_posts(world, topic, 14)  # 16 posts
    read_all_but_the_last(world[reader], topic)
    assert page_queries(client, url) == few
    add_varied_posts(world, topic, 14)  # 30 posts: a full page
    read_all_but_the_last(world[reader], topic)
    html = client.get(url).content.decode()
    assert "Wpis numer 13" in html and "plan-12.pdf" in html and 'id="nieprzeczytane"' in html
    assert page_queries(client, url) == few


def test_site_wide_topic_page_queries_do_not_grow_with_the_posts_shown(client, world):
    site_forum = services.ensure_site_forum()
    writers = [consenting(UserFactory(first_name=f"Autor{n}", last_name="Krajowy")) for n in range(3)]
    reader = consenting(UserFactory(first_name="Czytelnik", last_name="Krajowy"))
    topic = services.create_topic(writers[0], site_forum.categories.first(), "Forum krajowe", "Początek")
    services.like_post(reader, topic.posts.get())
    client.force_login(reader)
    url = topic.get_absolute_url()
    few = page_queries(client, url)
    for number in range(25):
        post, _is_new = services.create_post(writers[number % 3], topic, f"Głos numer {number}")
        if number % 2:
            services.like_post(reader, post)
    assert "Głos numer 24" in client.get(url).content.decode()
    assert page_queries(client, url) == few


def test_viewer_answers_as_the_one_off_predicates(world, topic):
    silenced = UserFactory(first_name="Cichy", last_name="Członek")
    membership.add_member(world["admin"], world["space"], silenced, SpaceRole.PARTICIPANT, notify=False)
    moderation.sanction_member(
        world["coordinator"],
        world["forum"],
        silenced,
        SanctionKind.SILENCE,
        "Spam",
        timezone.now() + datetime.timedelta(days=1),
    )
    site_forum = services.ensure_site_forum()
    people = [world[name] for name in ("admin", "coordinator", "author", "other", "outsider", "private_member")]
    people += [silenced, UserFactory(first_name="Bez", last_name="Zgód")]
    for forum in (world["forum"], world["private_forum"], site_forum):
        for person in people:
            viewer = ForumViewer(person, forum)
            assert viewer.reads == can_read_forum(person, forum), (person, forum)
            assert viewer.posts == can_post(person, forum), (person, forum)
            assert viewer.moderates == can_moderate(person, forum), (person, forum)


# --- the cached part of a post --------------------------------------------------------------------------------


def test_an_edited_post_shows_its_new_text_to_every_reader(client, world, topic):
    post = topic.posts.get()
    client.force_login(world["other"])
    assert "<strong>wagi</strong>" in client.get(topic.get_absolute_url()).content.decode()
    services.edit_post(world["author"], post, "Zupełnie nowa treść")
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Zupełnie nowa treść" in html and "<strong>wagi</strong>" not in html
    assert reverse("forums:post_history", args=[topic.pk, post.pk]) in html


def test_a_hidden_post_never_shows_from_the_cache_and_comes_back_when_restored(client, world, topic):
    post, _is_new = services.create_post(world["author"], topic, "Numer PESEL ucznia 12345")
    client.force_login(world["other"])
    assert "Numer PESEL ucznia" in client.get(topic.get_absolute_url()).content.decode()
    moderation.hide_post(world["coordinator"], post, "Dane osobowe")
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Numer PESEL ucznia" not in html
    assert "Ten wpis został ukryty przez moderatora." in html
    moderation.restore_post(world["coordinator"], post)
    assert "Numer PESEL ucznia" in client.get(topic.get_absolute_url()).content.decode()


def test_a_hidden_post_shows_to_its_author_and_moderators_with_their_own_notices(client, world, topic):
    post, _is_new = services.create_post(world["author"], topic, "Tekst do ukrycia")
    for reader in ("other", "author", "coordinator"):
        client.force_login(world[reader])
        client.get(topic.get_absolute_url())  # every reader fills the cache first
    moderation.hide_post(world["coordinator"], post, "Poza tematem")
    client.force_login(world["other"])
    assert "Tekst do ukrycia" not in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(world["author"])
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Tekst do ukrycia" in html and "Ten wpis widzi tylko Pan/Pani i moderatorzy." in html
    client.force_login(world["coordinator"])
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Tekst do ukrycia" in html and reverse("forums:post_restore", args=[topic.pk, post.pk]) in html


def test_one_readers_actions_never_show_to_another(client, world, topic):
    post = topic.posts.get()
    edit_url = reverse("forums:post_edit", args=[topic.pk, post.pk])
    hide_url = reverse("forums:post_hide", args=[topic.pk, post.pk])
    client.force_login(world["author"])
    assert edit_url in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(world["coordinator"])
    assert hide_url in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(world["other"])
    html = client.get(topic.get_absolute_url()).content.decode()
    assert edit_url not in html and hide_url not in html
    assert reverse("forums:post_report", args=[topic.pk, post.pk]) in html


def test_a_renamed_author_and_a_new_like_show_at_once(client, world, topic):
    post = topic.posts.get()
    client.force_login(world["other"])
    client.get(topic.get_absolute_url())
    author = world["author"]
    author.last_name = "Nowak-Kowalska"
    author.save()
    services.like_post(world["other"], post)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Anna Nowak-Kowalska" in html
    assert "1 polubienie" in html


def test_a_hidden_quoted_post_is_no_longer_named_in_the_reply(client, world, topic):
    first = topic.posts.get()
    services.create_post(world["other"], topic, "Zgadzam się", quoted_post=first)
    client.force_login(world["coordinator"])
    assert "W odpowiedzi na" in client.get(topic.get_absolute_url()).content.decode()
    moderation.hide_post(world["coordinator"], first, "Poza tematem")
    client.force_login(world["other"])
    assert "W odpowiedzi na" not in client.get(topic.get_absolute_url()).content.decode()


def test_the_cached_part_follows_the_readers_language(client, world, topic):
    post = topic.posts.get()
    services.edit_post(world["author"], post, "Druga wersja")
    client.force_login(world["other"])
    assert "edytowano" in client.get(topic.get_absolute_url()).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "edited" in html and "edytowano" not in html
