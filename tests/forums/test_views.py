"""Forum pages: every URL for anonymous visitors, outsiders, members and administrators; posting, replying,
quoting, editing, liking, watching and paging without JavaScript; double submits; the resync endpoint."""

import io
import re
import uuid

import pytest
from django.urls import reverse
from PIL import Image

from forums import live, services
from forums.models import Post, PostLike, Topic, TopicReadMark, Watch

from .conftest import upload

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def with_attachment(author, topic):
    post, _is_new = services.create_post(
        author, topic, "Załącznik", attachments=[upload("mapa.png", png_bytes(), "image/png")]
    )
    return post


def urls_for(topic, post, attachment):
    forum = topic.category.forum
    category = topic.category
    space_slug = forum.space.slug
    return {
        "space_forum": ("get", reverse("forums:space_forum", args=[space_slug])),
        "forum": ("get", reverse("forums:forum", args=[forum.pk])),
        "mentions": ("get", reverse("forums:mentions", args=[forum.pk]) + "?q=an"),
        "category": ("get", reverse("forums:category", args=[forum.pk, category.slug])),
        "topic_new": ("get", reverse("forums:topic_new", args=[forum.pk, category.slug])),
        "category_watch": ("post", reverse("forums:category_watch", args=[forum.pk, category.slug])),
        "topic": ("get", reverse("forums:topic", args=[topic.pk])),
        "reply": ("post", reverse("forums:reply", args=[topic.pk])),
        "topic_watch": ("post", reverse("forums:topic_watch", args=[topic.pk])),
        "topic_since": ("get", reverse("forums:topic_since", args=[topic.pk, 0])),
        "post_edit": ("get", reverse("forums:post_edit", args=[topic.pk, post.pk])),
        "post_history": ("get", reverse("forums:post_history", args=[topic.pk, post.pk])),
        "post_like": ("post", reverse("forums:post_like", args=[topic.pk, post.pk])),
        "post": ("get", reverse("forums:post", args=[post.pk])),
        "attachment": ("get", reverse("forums:attachment", args=[attachment.pk])),
    }


NAMES = [
    "space_forum",
    "forum",
    "mentions",
    "category",
    "topic_new",
    "category_watch",
    "topic",
    "reply",
    "topic_watch",
    "topic_since",
    "post_edit",
    "post_history",
    "post_like",
    "post",
    "attachment",
]


@pytest.fixture
def private_urls(world, private_topic):
    post = with_attachment(world["private_member"], private_topic)
    return urls_for(private_topic, private_topic.posts.order_by("seq").first(), post.attachments.get())


@pytest.fixture
def public_urls(world, topic):
    post = with_attachment(world["author"], topic)
    return urls_for(topic, topic.posts.order_by("seq").first(), post.attachments.get())


def call(client, method_url, data=None):
    method, url = method_url
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize("name", NAMES)
def test_private_forum_url_is_404_for_a_logged_in_outsider(client, world, private_urls, name):
    client.force_login(world["outsider"])
    assert call(client, private_urls[name]).status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_private_forum_url_is_404_for_an_anonymous_visitor(client, private_urls, name):
    assert call(client, private_urls[name]).status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_private_forum_url_is_404_for_a_former_member(client, world, private_urls, name):
    from exchange_groups.models import Membership
    from exchange_groups.spaces import services as membership

    member = Membership.objects.get(user=world["private_member"], space=world["private"])
    membership.remove_member(world["admin"], member, "Koniec cyklu")
    client.force_login(world["private_member"])
    assert call(client, private_urls[name]).status_code == 404


@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("mentions", "topic_since")])
def test_public_space_forum_url_sends_anonymous_visitor_to_login(client, public_urls, name):
    response = call(client, public_urls[name])
    assert response.status_code == 302
    assert reverse("exchange_groups:login") in response["Location"]


@pytest.mark.parametrize("name", ["mentions", "topic_since"])
def test_public_space_forum_json_answers_401_to_anonymous_visitor(client, public_urls, name):
    assert call(client, public_urls[name]).status_code == 401


@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("mentions", "topic_since")])
def test_public_space_forum_url_is_members_only_for_an_outsider(client, world, public_urls, name):
    client.force_login(world["outsider"])
    assert call(client, public_urls[name]).status_code == 403


@pytest.mark.parametrize("name", ["forum", "topic", "reply", "post_edit", "attachment"])
def test_members_only_page_is_the_forums_own_and_shows_the_way_to_the_space(client, world, public_urls, name):
    client.force_login(world["outsider"])
    response = call(client, public_urls[name])
    html = response.content.decode()
    assert response.status_code == 403
    assert "Forum tej przestrzeni mogą czytać tylko jej członkowie." in html
    assert "Przejdź do strony przestrzeni, gdzie można poprosić o dołączenie" in html
    assert world["space"].get_absolute_url() in html


@pytest.mark.parametrize("name", NAMES)
def test_private_forum_url_works_for_a_member(client, world, private_urls, name):
    client.force_login(world["private_member"])
    response = call(client, private_urls[name])
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert reverse("exchange_groups:login") not in response["Location"]


@pytest.mark.parametrize(
    "name",
    [
        "space_forum",
        "forum",
        "mentions",
        "category",
        "topic",
        "topic_since",
        "post_history",
        "post",
        "attachment",
        "topic_watch",
    ],
)
def test_private_forum_url_works_for_a_site_admin(client, world, private_urls, name):
    client.force_login(world["admin"])
    assert call(client, private_urls[name]).status_code in (200, 302)


def test_index_sends_anonymous_visitor_to_login(client):
    response = client.get(reverse("forums:index"))
    assert response.status_code == 302 and reverse("exchange_groups:login") in response["Location"]


def test_search_sends_anonymous_visitor_to_login(client):
    response = client.get(reverse("forums:search"), {"q": "x"})
    assert response.status_code == 302


def test_index_lists_site_forum_and_own_spaces_only(client, world):
    client.force_login(world["other"])
    html = client.get(reverse("forums:index")).content.decode()
    assert world["forum"].name in html
    assert services.ensure_site_forum().name in html
    assert world["private_forum"].name not in html


def test_search_page_outsider_never_sees_private_post(client, world, private_topic):
    client.force_login(world["outsider"])
    html = client.get(reverse("forums:search"), {"q": "budzet"}).content.decode()
    assert "Tajny budżet" not in html


def test_search_page_member_finds_the_post(client, world, private_topic):
    client.force_login(world["private_member"])
    html = client.get(reverse("forums:search"), {"q": "budzet"}).content.decode()
    assert "Tajny budżet" in html


# --- posting without JavaScript ------------------------------------------------------------------------


def topic_form(client, world):
    url = reverse("forums:topic_new", args=[world["forum"].pk, world["category"].slug])
    page = client.get(url).content.decode()
    msg = re.search(r'name="client_msg_id" value="([0-9a-f-]+)"', page).group(1)
    return url, msg


def test_new_topic_form_posts_a_topic(client, world):
    client.force_login(world["author"])
    url, msg = topic_form(client, world)
    response = client.post(
        url,
        {"title": "Dowożenie uczniów", "body": "Kto **organizuje** dowozy?", "tags": "dowozy", "client_msg_id": msg},
    )
    topic = Topic.objects.get(title="Dowożenie uczniów")
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Kto <strong>organizuje</strong> dowozy?" in page


def test_new_topic_double_submit_makes_one_topic(client, world):
    client.force_login(world["author"])
    url, msg = topic_form(client, world)
    data = {"title": "Sieć szkół", "body": "Reorganizacja", "client_msg_id": msg}
    first = client.post(url, data)
    second = client.post(url, data)
    assert Topic.objects.filter(title="Sieć szkół").count() == 1
    assert first["Location"] == second["Location"]


def test_new_topic_without_title_shows_the_error_summary(client, world):
    client.force_login(world["author"])
    url, msg = topic_form(client, world)
    response = client.post(url, {"title": "", "body": "Treść", "client_msg_id": msg})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html and 'aria-invalid="true"' in html
    assert not Topic.objects.exists()


def test_new_topic_body_over_the_limit_shows_a_clear_message(client, world, settings):
    settings.FORUMS_MAX_POST_CHARS = 20
    client.force_login(world["author"])
    url, msg = topic_form(client, world)
    response = client.post(url, {"title": "Długi", "body": "x" * 21, "client_msg_id": msg})
    assert "20" in response.content.decode() and 'id="id_body-error"' in response.content.decode()
    assert not Topic.objects.exists()


def test_new_topic_form_is_refused_to_outsider_of_site_wide_forum_without_consents(client, world):
    from tests.factories import UserFactory

    forum = services.ensure_site_forum()
    client.force_login(UserFactory())
    response = client.get(reverse("forums:topic_new", args=[forum.pk, forum.categories.first().slug]))
    assert response.status_code == 403


def reply_msg(client, topic):
    page = client.get(topic.get_absolute_url()).content.decode()
    return re.search(r'name="client_msg_id" value="([0-9a-f-]+)"', page).group(1)


def test_reply_form_adds_a_post_and_redirects_to_it(client, world, topic):
    client.force_login(world["other"])
    msg = reply_msg(client, topic)
    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "Moja odpowiedź", "client_msg_id": msg})
    post = Post.objects.get(body_source="Moja odpowiedź")
    assert response["Location"].endswith(f"#post-{post.pk}")


def test_reply_double_submit_makes_one_post(client, world, topic):
    client.force_login(world["other"])
    msg = reply_msg(client, topic)
    url = reverse("forums:reply", args=[topic.pk])
    client.post(url, {"body": "Raz", "client_msg_id": msg})
    second = client.post(url, {"body": "Raz", "client_msg_id": msg})
    assert topic.posts.count() == 2
    post = Post.objects.get(body_source="Raz")
    assert second["Location"].endswith(f"#post-{post.pk}")


def test_reply_with_the_client_msg_id_of_a_post_in_another_topic_is_refused(client, world, topic):
    msg = uuid.uuid4()
    services.create_post(world["other"], topic, "Raz", client_msg_id=msg)
    elsewhere = services.create_topic(world["coordinator"], world["category"], "Inny wątek", "Treść")
    client.force_login(world["other"])
    response = client.post(reverse("forums:reply", args=[elsewhere.pk]), {"body": "Raz", "client_msg_id": str(msg)})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert elsewhere.posts.count() == 1


def test_reply_empty_body_shows_the_error_and_adds_nothing(client, world, topic):
    client.force_login(world["other"])
    response = client.post(reverse("forums:reply", args=[topic.pk]), {"body": "  ", "client_msg_id": str(uuid.uuid4())})
    assert "error-summary" in response.content.decode()
    assert topic.posts.count() == 1


def test_reply_get_is_not_allowed(client, world, topic):
    client.force_login(world["other"])
    assert client.get(reverse("forums:reply", args=[topic.pk])).status_code == 405


def test_quote_link_prefills_the_reply_with_a_markdown_quote(client, world, topic):
    client.force_login(world["other"])
    first = topic.posts.get()
    page = client.get(topic.get_absolute_url(), {"cytuj": first.pk}).content.decode()
    assert "&gt; Anna Nowak" in page and "&gt; Jak liczycie **wagi**?" in page
    assert f'name="quoted_post" value="{first.pk}"' in page


def test_topic_page_is_paged_by_30(client, world, topic):
    for n in range(30):
        services.create_post(world["other"], topic, f"Odpowiedź numer {n}")
    client.force_login(world["other"])
    first = client.get(topic.get_absolute_url()).content.decode()
    second = client.get(topic.get_absolute_url(), {"strona": 2}).content.decode()
    assert "Odpowiedź numer 28" in first and "Odpowiedź numer 29" not in first
    assert "Odpowiedź numer 29" in second


def read_page(client, topic):
    """Open the topic and press "mark as read" (what the live page does over its socket)."""
    html = client.get(topic.get_absolute_url()).content.decode()
    seq = re.search(r'name="seq" value="(\d+)"', html).group(1)
    client.post(reverse("forums:topic_mark_read", args=[topic.pk]), {"seq": seq})


def test_topic_page_marks_unread_since_last_visit(client, world, topic):
    client.force_login(world["coordinator"])
    read_page(client, topic)
    new, _is_new = services.create_post(world["other"], topic, "Całkiem nowa odpowiedź")
    html = client.get(topic.get_absolute_url()).content.decode()
    marker = html.index('id="nieprzeczytane"')
    assert html.index("Jak liczycie") < marker < html.index(f'id="post-{new.pk}"')


def test_topic_page_second_visit_shows_no_unread_marker(client, world, topic):
    client.force_login(world["coordinator"])
    read_page(client, topic)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert 'id="nieprzeczytane"' not in html
    assert "forums:topic_mark_read" not in html and 'name="seq"' not in html  # nothing left to mark


def test_topic_page_get_moves_no_read_mark(client, world, topic):
    client.force_login(world["coordinator"])
    client.get(topic.get_absolute_url())
    client.get(topic.get_absolute_url())
    assert not TopicReadMark.objects.filter(user=world["coordinator"], topic=topic).exists()


def test_mark_read_moves_the_mark_only_forward_and_refuses_bad_input(client, world, topic):
    services.create_post(world["other"], topic, "Druga")
    client.force_login(world["coordinator"])
    url = reverse("forums:topic_mark_read", args=[topic.pk])
    client.post(url, {"seq": "2"})
    client.post(url, {"seq": "1"})
    assert TopicReadMark.objects.get(user=world["coordinator"], topic=topic).last_read_seq == 2
    response = client.post(url, {"seq": "<script>"}, follow=True)
    assert "Nie udało się oznaczyć wpisów jako przeczytanych" in response.content.decode()
    assert TopicReadMark.objects.get(user=world["coordinator"], topic=topic).last_read_seq == 2
    assert client.get(url).status_code == 405


def test_mark_read_refuses_anonymous_and_outsiders(client, world, topic, private_topic):
    assert client.post(reverse("forums:topic_mark_read", args=[topic.pk]), {"seq": "1"}).status_code == 302
    url = reverse("forums:topic_mark_read", args=[private_topic.pk])
    assert client.post(url, {"seq": "1"}).status_code == 404  # a private space's topic does not exist for them
    client.force_login(world["outsider"])
    assert client.post(url, {"seq": "1"}).status_code == 404
    assert not TopicReadMark.objects.filter(topic=private_topic, user=world["outsider"]).exists()


def test_like_button_likes_and_unlikes(client, world, topic):
    post = topic.posts.get()
    client.force_login(world["other"])
    url = reverse("forums:post_like", args=[topic.pk, post.pk])
    client.post(url, {"action": "like"})
    client.post(url, {"action": "like"})
    assert PostLike.objects.filter(post=post).count() == 1
    client.post(url, {"action": "unlike"})
    assert not PostLike.objects.exists()


def test_watch_toggle_watches_and_unwatches_the_topic(client, world, topic):
    client.force_login(world["other"])
    url = reverse("forums:topic_watch", args=[topic.pk])
    client.post(url, {"action": "watch"})
    assert Watch.objects.filter(user=world["other"], topic=topic).exists()
    client.post(url, {"action": "unwatch"})
    assert not Watch.objects.filter(user=world["other"], topic=topic).exists()


def test_edit_form_changes_the_post_and_history_shows_the_old_text(client, world, topic):
    post = topic.posts.get()
    client.force_login(world["author"])
    client.post(reverse("forums:post_edit", args=[topic.pk, post.pk]), {"body": "Nowa wersja"})
    history = client.get(reverse("forums:post_history", args=[topic.pk, post.pk])).content.decode()
    assert "Nowa wersja" in history and "<strong>wagi</strong>" in history


def test_edit_form_of_someone_elses_post_is_refused(client, world, topic):
    client.force_login(world["other"])
    response = client.get(reverse("forums:post_edit", args=[topic.pk, topic.posts.get().pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Można edytować tylko własne wpisy, w ciągu" in html
    assert f'href="{reverse("forums:forum", args=[world["forum"].pk])}">Powrót do forum' in html


def test_topic_page_shows_edit_link_only_to_the_author(client, world, topic):
    post = topic.posts.get()
    edit_url = reverse("forums:post_edit", args=[topic.pk, post.pk])
    client.force_login(world["author"])
    assert edit_url in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(world["other"])
    assert edit_url not in client.get(topic.get_absolute_url()).content.decode()


def test_topic_page_never_shows_raw_script_from_a_post(client, world, topic):
    services.create_post(world["other"], topic, "<script>alert(1)</script>")
    client.force_login(world["other"])
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_category_page_lists_pinned_topics_first(client, world, topic):
    pinned = services.create_topic(world["other"], world["category"], "Zasady forum", "Regulamin")
    newer = services.create_topic(world["other"], world["category"], "Najnowszy", "Treść")
    Topic.objects.filter(pk=pinned.pk).update(pinned=True)
    client.force_login(world["other"])
    html = client.get(reverse("forums:category", args=[world["forum"].pk, world["category"].slug])).content.decode()
    assert html.index("Zasady forum") < html.index(newer.title) < html.index(topic.title)


# --- resync ------------------------------------------------------------------------------------------------


def test_topic_since_returns_exactly_the_posts_after_seq(client, world, topic):
    second, _is_new = services.create_post(world["other"], topic, "Druga")
    third, _is_new = services.create_post(world["coordinator"], topic, "Trzecia")
    client.force_login(world["other"])
    data = client.get(reverse("forums:topic_since", args=[topic.pk, 1])).json()
    assert [p["id"] for p in data["posts"]] == [second.pk, third.pk]
    assert data["last_seq"] == 3 and data["complete"] is True


def test_topic_since_hidden_post_has_no_body(client, world, topic):
    post = topic.posts.get()
    services.set_hidden(world["coordinator"], post, True)
    client.force_login(world["other"])
    data = client.get(reverse("forums:topic_since", args=[topic.pk, 1])).json()
    assert data["posts"] == [dict(data["posts"][0], id=post.pk, hidden=True, body_html="")]


def test_topic_since_answers_exactly_what_the_socket_resync_answers(client, world, topic):
    second, _is_new = services.create_post(world["other"], topic, "Druga")
    services.like_post(world["author"], second)
    services.like_post(world["coordinator"], second)
    services.edit_post(world["author"], topic.posts.get(seq=1), "Poprawiona")
    client.force_login(world["other"])
    data = client.get(reverse("forums:topic_since", args=[topic.pk, 1])).json()
    assert data == live.resync(world["other"].pk, topic.pk, 1)
    assert [(post["seq"], post["like_count"]) for post in data["posts"]] == [(2, 2), (1, 0)]
    assert (data["type"], data["after"], data["last_seq"], data["complete"]) == ("resync", 1, 3, True)


def test_mentions_autocomplete_returns_members(client, world):
    client.force_login(world["author"])
    data = client.get(reverse("forums:mentions", args=[world["forum"].pk]), {"q": "łuk"}).json()
    assert data == {"results": [{"handle": "Lukasz.Wojcik", "name": "Łukasz Wójcik"}]}
