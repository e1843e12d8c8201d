"""What a moderator's edit removes is gone for the members (issue 12, finding 6): the post's history, search,
the resync endpoint, the live socket, quotes; and two related weaknesses — the sanction notice after leaving the
space, and "my reports" for a deleted topic or a forum the reporter can no longer read."""

import asyncio
import datetime

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchange_groups.models import Membership, SpaceRole
from exchange_groups.spaces import services as membership
from forums import live, moderation, services
from forums.models import ModerationAction, ModerationActionKind, SanctionKind
from forums.realtime import topic_group
from forums.services import ForumError
from tests.factories import UserFactory

from .conftest import consenting

pytestmark = pytest.mark.django_db

SECRET = "Dyrektor Zenobiusz Kwiatkowski jest zadłużony, PESEL 85010112345."
REMOVED = ("Zenobiusz", "85010112345", "zadłużony")
MODERATED = "Dyrektor [usunięto dane osobowe]."
REASON = "Usunięto dane osobowe osoby trzeciej"


@pytest.fixture
def moderator(world):
    person = consenting(UserFactory(first_name="Marek", last_name="Moderator"))
    membership.add_member(world["admin"], world["space"], person, SpaceRole.MODERATOR, notify=False)
    return person


@pytest.fixture
def secret_topic(world):
    return services.create_topic(world["author"], world["category"], "Zadłużenie szkoły", SECRET)


@pytest.fixture
def moderated(world, moderator, secret_topic):
    """The post after a moderator removed the personal data from it."""
    post = secret_topic.posts.get()
    return moderation.moderator_edit_post(moderator, post, MODERATED, REASON)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def history_url(post) -> str:
    return reverse("forums:post_history", args=[post.topic_id, post.pk])


def shows_removed(text: str) -> bool:
    return any(word in text for word in REMOVED)


def leave(world, person, space_key="space"):
    member = Membership.objects.get(user=person, space=world[space_key], until__isnull=True)
    membership.remove_member(world["admin"], member, "Koniec cyklu")


# --- the history -------------------------------------------------------------------------------------


def test_history_member_does_not_see_text_removed_by_a_moderator(world, moderated):
    response = client_for(world["other"]).get(history_url(moderated))
    assert response.status_code == 200
    content = response.content.decode()
    assert not shows_removed(content)
    assert "usunięto dane osobowe" in content  # the current version
    assert "moderator" in content.lower()  # the member learns that a moderator changed the post


def test_history_author_moderator_and_admin_see_text_removed_by_a_moderator(world, moderator, moderated):
    for person in (world["author"], moderator, world["coordinator"], world["admin"]):
        response = client_for(person).get(history_url(moderated))
        assert response.status_code == 200
        assert "85010112345" in response.content.decode(), person


def test_history_member_does_not_see_older_versions_from_before_a_moderator_edit(world, moderator, secret_topic):
    post = secret_topic.posts.get()
    services.edit_post(world["author"], post, SECRET + " Dodam, że Zenobiusz nie płaci.")
    moderation.moderator_edit_post(moderator, post, MODERATED, REASON)
    content = client_for(world["other"]).get(history_url(post)).content.decode()
    assert not shows_removed(content)
    assert "85010112345" in client_for(world["author"]).get(history_url(post)).content.decode()


def test_history_member_sees_an_authors_edit_made_after_the_moderator_edit(world, moderated):
    services.edit_post(world["author"], moderated, "Dyrektor szkoły ma kłopoty finansowe.")
    content = client_for(world["other"]).get(history_url(moderated)).content.decode()
    assert "kłopoty finansowe" in content and "usunięto dane osobowe" in content  # the moderated version stays
    assert not shows_removed(content)


def test_history_names_the_moderator_and_reason_only_to_the_author_and_moderators(world, moderator, moderated):
    member_view = client_for(world["other"]).get(history_url(moderated)).content.decode()
    assert moderator.get_full_name() not in member_view
    assert REASON not in member_view  # the forum's moderation log is not public
    author_view = client_for(world["author"]).get(history_url(moderated)).content.decode()
    assert moderator.get_full_name() in author_view and REASON in author_view


def test_history_shows_members_the_reason_when_the_forum_log_is_public(world, moderated):
    moderation.update_forum_settings(
        world["coordinator"], world["forum"], slow_mode_seconds=0, report_threshold=None, public_moderation_log=True
    )
    content = client_for(world["other"]).get(history_url(moderated)).content.decode()
    assert REASON in content
    assert not shows_removed(content)


def test_history_of_a_moderated_post_refuses_anonymous_visitors_and_non_members(world, moderated):
    url = history_url(moderated)
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and reverse("exchange_groups:login") in anonymous["Location"]
    outsider = client_for(world["outsider"]).get(url)
    assert outsider.status_code == 403 and not shows_removed(outsider.content.decode())
    leave(world, world["other"])
    former = client_for(world["other"]).get(url)
    assert former.status_code == 403 and not shows_removed(former.content.decode())


def test_history_of_a_private_space_post_is_404_to_outsiders(world, private_topic):
    post = private_topic.posts.get()
    services.edit_post(world["private_member"], post, "Zmieniona treść")
    assert client_for(world["outsider"]).get(history_url(post)).status_code == 404
    assert client_for(None).get(history_url(post)).status_code == 404


def test_history_of_a_hidden_post_is_404_to_members_and_open_to_the_author_and_moderators(
    world, moderator, secret_topic
):
    post = secret_topic.posts.get()
    services.edit_post(world["author"], post, "Druga wersja")
    moderation.hide_post(moderator, post, "Dane osobowe")
    assert client_for(world["other"]).get(history_url(post)).status_code == 404
    assert history_url(post) not in client_for(world["other"]).get(secret_topic.get_absolute_url()).content.decode()
    for person in (world["author"], moderator, world["admin"]):
        response = client_for(person).get(history_url(post))
        assert response.status_code == 200 and "85010112345" in response.content.decode(), person
        assert history_url(post) in client_for(person).get(secret_topic.get_absolute_url()).content.decode()


# --- the reason and the log --------------------------------------------------------------------------


def test_moderator_edit_without_a_reason_is_refused_and_changes_nothing(world, moderator, secret_topic):
    post = secret_topic.posts.get()
    with pytest.raises(ForumError) as refused:
        moderation.moderator_edit_post(moderator, post, MODERATED, "  ")
    assert refused.value.field == "reason"
    response = client_for(moderator).post(
        reverse("forums:post_moderate", args=[secret_topic.pk, post.pk]), {"body": MODERATED, "reason": ""}
    )
    assert response.status_code == 200
    assert "Proszę podać powód" in response.content.decode()
    post.refresh_from_db()
    assert post.body_source == SECRET and not post.revisions.exists()
    assert not ModerationAction.objects.filter(kind=ModerationActionKind.EDIT).exists()


def test_moderator_edit_reason_is_recorded_in_the_moderation_log(world, moderator, moderated):
    action = ModerationAction.objects.get(kind=ModerationActionKind.EDIT, post=moderated)
    assert action.reason == REASON and action.actor == moderator and action.target_user == world["author"]
    log = client_for(world["coordinator"]).get(reverse("forums:moderation_log", args=[world["forum"].pk]))
    content = log.content.decode()
    assert REASON in content and not shows_removed(content)


# --- every other path to the old text ----------------------------------------------------------------


def test_search_does_not_find_text_removed_by_a_moderator(world, moderated):
    for word in ("Zenobiusz", "zadluzony", "85010112345"):
        assert list(services.search_posts(world["other"], word)) == []
    assert [p.pk for p in services.search_posts(world["other"], "usunieto")] == [moderated.pk]
    page = client_for(world["other"]).get(reverse("forums:search") + "?q=Zenobiusz").content.decode()
    assert "Zadłużenie szkoły" not in page.split("<h1", 1)[1].split("</h1>", 1)[1]


def test_resync_endpoint_and_live_resync_do_not_carry_removed_text(world, moderated):
    response = client_for(world["other"]).get(reverse("forums:topic_since", args=[moderated.topic_id, 0]))
    assert response.status_code == 200
    assert "usunięto dane osobowe" in response.content.decode("unicode_escape")
    assert not shows_removed(response.content.decode("unicode_escape"))
    answer = live.resync(world["other"].pk, moderated.topic_id, 0)
    assert not shows_removed(str(answer)) and "usunięto dane osobowe" in str(answer)


@pytest.fixture
def layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield get_channel_layer()
    channel_layers.backends.clear()


def test_live_edit_event_of_a_moderator_edit_carries_only_the_new_text(
    world, moderator, secret_topic, layer, django_capture_on_commit_callbacks
):
    post = secret_topic.posts.get()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(topic_group(secret_topic.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderator_edit_post(moderator, post, MODERATED, REASON)

    async def get():
        return await asyncio.wait_for(layer.receive(channel), 1)

    event = async_to_sync(get)()
    assert event["type"] == "post.edited"
    assert not shows_removed(str(event)) and "usunięto dane osobowe" in event["post"]["body_html"]
    message = live.event_for(world["other"].pk, event)
    assert not shows_removed(str(message))


def test_quote_of_a_moderated_post_quotes_the_edited_text(world, moderated):
    page = client_for(world["other"]).get(moderated.topic.get_absolute_url() + f"?cytuj={moderated.pk}")
    content = page.content.decode()
    assert "usunięto dane osobowe" in content and not shows_removed(content)


def test_moderator_edit_page_lists_the_posts_that_quote_the_post(world, moderator, secret_topic):
    post = secret_topic.posts.get()
    quoting, _is_new = services.create_post(
        world["other"], secret_topic, "> " + SECRET + "\n\nNaprawdę?", quoted_post=post
    )
    page = client_for(moderator).get(reverse("forums:post_moderate", args=[secret_topic.pk, post.pk]))
    assert reverse("forums:post_moderate", args=[secret_topic.pk, quoting.pk]) in page.content.decode()


# --- (a) the sanction notice after leaving the space -------------------------------------------------


def test_sanction_notice_is_not_shown_after_leaving_the_space(world, moderator, secret_topic):
    moderation.sanction_member(
        moderator,
        world["forum"],
        world["other"],
        SanctionKind.SILENCE,
        "Zaczepki wobec dyrektora",
        timezone.now() + datetime.timedelta(days=3),
    )
    forum_url = reverse("forums:forum", args=[world["forum"].pk])
    assert "Zaczepki wobec dyrektora" in client_for(world["other"]).get(forum_url).content.decode()
    leave(world, world["other"])
    for url in (forum_url, secret_topic.get_absolute_url(), reverse("forums:space_forum", args=[world["space"].slug])):
        response = client_for(world["other"]).get(url)
        assert response.status_code == 403
        assert "Zaczepki wobec dyrektora" not in response.content.decode(), url


# --- (b) my reports ----------------------------------------------------------------------------------


def test_my_reports_do_not_show_the_title_of_a_deleted_topic(world, moderator, secret_topic):
    moderation.report_post(world["other"], secret_topic.posts.get(), "Dane osobowe")
    moderation.delete_topic(moderator, secret_topic, "Dane osobowe w tytule i treści")
    response = client_for(world["other"]).get(reverse("forums:my_reports"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Zadłużenie szkoły" not in content and not shows_removed(content)
    assert "Wątek usunięty lub niedostępny" in content
    assert "Dane osobowe" in content  # the reporter's own reason stays


def test_my_reports_do_not_show_a_topic_of_a_forum_the_reporter_left(world, secret_topic):
    moderation.report_post(world["other"], secret_topic.posts.get(), "Dane osobowe")
    leave(world, world["other"])
    content = client_for(world["other"]).get(reverse("forums:my_reports")).content.decode()
    assert "Zadłużenie szkoły" not in content
    assert reverse("forums:post", args=[secret_topic.posts.get().pk]) not in content
    assert "Wątek usunięty lub niedostępny" in content


def test_my_reports_still_show_a_readable_topic(world, secret_topic):
    moderation.report_post(world["other"], secret_topic.posts.get(), "Dane osobowe")
    content = client_for(world["other"]).get(reverse("forums:my_reports")).content.decode()
    assert "Zadłużenie szkoły" in content


def test_my_reports_send_an_anonymous_visitor_to_login(world):
    response = client_for(None).get(reverse("forums:my_reports"))
    assert response.status_code == 302 and reverse("exchange_groups:login") in response["Location"]


# --- revisions from before the fix -------------------------------------------------------------------


def test_migration_withholds_moderator_edits_made_before_it(world, moderator, secret_topic):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("forums.migrations.0004_revision_restricted")
    post = secret_topic.posts.get()
    services.edit_post(world["author"], post, SECRET + " Druga wersja.")
    moderation.moderator_edit_post(moderator, post, MODERATED, REASON)
    services.edit_post(world["author"], post, "Dyrektor szkoły ma kłopoty finansowe.")
    post.revisions.update(by_moderator=False, moderator_reason="", restricted=False)  # as they were stored
    migration.restrict_earlier_moderator_edits(apps, None)
    revisions = list(post.revisions.order_by("edited_at", "pk"))
    assert [(r.restricted, r.by_moderator) for r in revisions] == [(True, False), (True, True), (False, False)]
    assert revisions[1].moderator_reason == REASON
    assert not shows_removed(client_for(world["other"]).get(history_url(post)).content.decode())
