"""Issue 12, finding 1: a debate must not carry a private space's forum to people outside it.

- the summary form offers only posts the writer may read, and may quote publicly: a post of a members-only
  forum (any space's forum) is quoted only when the writer moderates that forum (their citing is the forum
  moderators' consent, recorded); posts of the nationwide forum (read by every logged-in person) by any writer;
- a refused citation changes nothing and says why;
- a stored citation that today's rules would refuse is never shown to the public (page, print view, PDF);
- the debate editor in the Wagtail admin offers (and accepts) only the target spaces the editor may see.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from debates import services
from debates.models import DebatePage, DebateSummaryPage, DebateTopic
from exchange_groups.models import SpaceRole
from exchange_groups.spaces import services as membership
from forums import services as forum_services
from tests.factories import UserFactory

from .conftest import CLOSES, OPENS, consenting, make_debate

pytestmark = pytest.mark.django_db

PRIVATE_TEXT = "Poufne: nasz powiat zamyka dwie szkoły filialne w przyszłym roku."
PUBLIC_TEXT = "Dowożenie uczniów kosztuje nas więcej niż część oświatowa subwencji."
SITE_TEXT = "Na forum ogólnopolskim: warto liczyć koszt dowożenia razem z opiekunami."


@pytest.fixture
def private_moderator(world):
    person = consenting(UserFactory(first_name="Halina", last_name="Powiatowa"))
    membership.add_member(world["admin"], world["private"], person, SpaceRole.MODERATOR, notify=False)
    return person


@pytest.fixture
def closed(world, private_moderator):
    """A closed debate in a public space, a private space and the nationwide forum, with a reply in each.

    Its moderators: Bogdan (a participant of the public space only), Tomasz (moderator of the public space,
    participant of the private one) and Halina (moderator of the private space only).
    """
    debate = make_debate(
        world,
        spaces=[world["public"], world["private"]],
        site_wide=True,
        moderators=[world["other_moderator"], world["moderator"], private_moderator],
    )
    services.open_debate(debate, now=OPENS)
    topics = {link.forum_id: link.topic for link in DebateTopic.objects.filter(debate=debate)}
    private_topic = topics[world["private"].forum.pk]
    public_topic = topics[world["public"].forum.pk]
    site_topic = next(topic for forum_id, topic in topics.items() if topic.category.forum.is_site_wide)
    private_post, _is_new = forum_services.create_post(world["private_member"], private_topic, PRIVATE_TEXT)
    public_post, _is_new = forum_services.create_post(world["member"], public_topic, PUBLIC_TEXT)
    site_post, _is_new = forum_services.create_post(world["plain"], site_topic, SITE_TEXT)
    services.close_debate(DebatePage.objects.get(pk=debate.pk), now=CLOSES)
    return {
        "debate": DebatePage.objects.get(pk=debate.pk),
        "private_post": private_post,
        "public_post": public_post,
        "site_post": site_post,
    }


def url(debate):
    return reverse("debates:summary_edit", kwargs={"debate_id": debate.pk})


def print_url(debate):
    return reverse("debates:summary_print", kwargs={"debate_id": debate.pk})


def pdf_url(debate):
    return reverse("debates:summary_pdf", kwargs={"debate_id": debate.pk})


@pytest.fixture
def pdf_texts(monkeypatch):
    """The texts of the PDF's paragraphs (ReportLab stores the letters as glyph numbers of a font subset)."""
    import reportlab.platypus

    texts = []
    original = reportlab.platypus.Paragraph

    def recording(text, *args, **kwargs):
        texts.append(text)
        return original(text, *args, **kwargs)

    monkeypatch.setattr(reportlab.platypus, "Paragraph", recording)
    return texts


def _cited(summary) -> list[int]:
    return summary.cited_post_ids()


# --- the summary form ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["other_moderator", "editor"])
def test_summary_form_does_not_show_a_private_space_s_posts_to_a_writer_outside_it(client, world, closed, persona):
    client.force_login(world[persona])
    response = client.get(url(closed["debate"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Poufne" not in text
    assert world["private"].name not in text
    assert f'value="{closed["private_post"].pk}"' not in text
    assert world["private_member"].get_full_name() not in text


def test_summary_form_offers_the_nationwide_forum_s_posts_to_an_editor(client, world, closed):
    client.force_login(world["editor"])
    text = client.get(url(closed["debate"])).content.decode()
    assert f'value="{closed["site_post"].pk}"' in text
    assert "Na forum ogólnopolskim" in text
    # the public space's forum is for its members too: the editor is not one
    assert f'value="{closed["public_post"].pk}"' not in text and "Dowożenie uczniów kosztuje" not in text


def test_summary_form_reads_but_does_not_offer_posts_of_a_forum_the_writer_does_not_moderate(client, world, closed):
    client.force_login(world["other_moderator"])  # a participant of the public space
    text = client.get(url(closed["debate"])).content.decode()
    assert f'value="{closed["public_post"].pk}"' not in text
    assert world["public"].forum.name in text  # named, with the reason it cannot be quoted


@pytest.mark.parametrize("persona", ["other_moderator", "editor"])
def test_summary_refuses_citing_a_post_the_writer_may_not_read(client, world, closed, persona):
    client.force_login(world[persona])
    response = client.post(
        url(closed["debate"]),
        {"body": "Wnioski.", "kind": "summary", "cited_posts": [closed["private_post"].pk]},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="id_cited_posts-error"' in text or "cited_posts" in response.context["form"].errors
    assert response.context["form"].errors["cited_posts"]
    assert "Poufne" not in text
    assert not DebateSummaryPage.objects.exists()


def test_summary_refuses_quoting_a_members_only_forum_without_its_moderator(client, world, closed):
    # Tomasz reads the private space's forum (a participant there) but does not moderate it.
    client.force_login(world["moderator"])
    response = client.post(
        url(closed["debate"]),
        {"body": "Wnioski.", "kind": "summary", "cited_posts": [closed["private_post"].pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cited_posts"]
    assert not DebateSummaryPage.objects.exists()


def test_save_summary_refuses_a_post_the_writer_may_not_quote(world, closed):
    with pytest.raises(services.DebateError) as refused:
        services.save_summary(
            world["editor"], closed["debate"], body="Wnioski.", cited_post_ids=[closed["private_post"].pk]
        )
    assert refused.value.field == "cited_posts"
    assert not DebateSummaryPage.objects.exists()


def test_forum_moderator_quotes_their_forum_s_post_in_the_public_summary(client, world, closed, private_moderator):
    client.force_login(private_moderator)
    form = client.get(url(closed["debate"])).content.decode()
    assert f'value="{closed["private_post"].pk}"' in form
    response = client.post(
        url(closed["debate"]),
        {"body": "Wnioski z debaty.", "kind": "summary", "cited_posts": [closed["private_post"].pk]},
    )
    summary = DebateSummaryPage.objects.get()
    assert response.status_code == 302
    assert _cited(summary) == [closed["private_post"].pk]
    client.logout()
    assert "Poufne" in client.get(summary.url).content.decode()
    assert "Poufne" in client.get(print_url(closed["debate"])).content.decode()


def test_public_space_moderator_quotes_their_forum_and_the_nationwide_one(client, world, closed):
    client.force_login(world["moderator"])
    response = client.post(
        url(closed["debate"]),
        {
            "body": "Wnioski.",
            "kind": "summary",
            "cited_posts": [closed["public_post"].pk, closed["site_post"].pk],
        },
    )
    assert response.status_code == 302
    summary = DebateSummaryPage.objects.get()
    assert sorted(_cited(summary)) == sorted([closed["public_post"].pk, closed["site_post"].pk])
    client.logout()
    page = client.get(summary.url).content.decode()
    assert "Dowożenie uczniów kosztuje" in page and "Na forum ogólnopolskim" in page


def test_correcting_the_summary_keeps_a_quote_the_writer_cannot_see(client, world, closed, private_moderator):
    services.save_summary(
        private_moderator, closed["debate"], body="Pierwsza wersja.", cited_post_ids=[closed["private_post"].pk]
    )
    client.force_login(world["editor"])
    form = client.get(url(closed["debate"])).content.decode()
    assert "Poufne" not in form
    response = client.post(
        url(closed["debate"]),
        {"body": "Poprawiona wersja.", "kind": "summary", "cited_posts": [closed["site_post"].pk]},
    )
    assert response.status_code == 302
    summary = DebateSummaryPage.objects.get()
    assert "Poprawiona" in summary.markdown_text()
    assert sorted(_cited(summary)) == sorted([closed["private_post"].pk, closed["site_post"].pk])
    client.logout()
    assert "Poufne" in client.get(summary.url).content.decode()


# --- a stored citation the rules refuse ---------------------------------------------------------------


def _stored_summary(debate, post):
    """A summary saved before the rules (or edited in the admin): it quotes the post with no consent."""
    summary = DebateSummaryPage(
        title="Podsumowanie: debata",
        slug="podsumowanie",
        body=[
            {"type": "text", "value": "Wnioski z debaty."},
            {
                "type": "cited_post",
                "value": {"post_id": post.pk, "excerpt": services.excerpt_of(post), "author_name": "Piotr Powiatowy"},
            },
        ],
    )
    debate.add_child(instance=summary)
    summary.save_revision().publish()
    return DebateSummaryPage.objects.get(pk=summary.pk)


def test_stored_quote_of_a_members_only_forum_is_not_shown_to_the_public(client, world, closed, pdf_texts):
    summary = _stored_summary(closed["debate"], closed["private_post"])
    page = client.get(summary.url)
    assert page.status_code == 200
    assert "Wnioski z debaty" in page.content.decode()
    assert "Poufne" not in page.content.decode()
    printed = client.get(print_url(closed["debate"]))
    assert printed.status_code == 200 and "Poufne" not in printed.content.decode()
    pdf = client.get(pdf_url(closed["debate"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    joined = "\n".join(pdf_texts)
    assert "Wnioski z debaty" in joined
    assert "Poufne" not in joined


def test_stored_quote_of_a_post_hidden_later_is_not_shown(client, world, closed):
    summary, _changed = services.save_summary(
        world["moderator"], closed["debate"], body="Wnioski.", cited_post_ids=[closed["public_post"].pk]
    )
    assert "Dowożenie uczniów kosztuje" in client.get(summary.url).content.decode()
    forum_services.set_hidden(world["admin"], closed["public_post"], True)
    assert "Dowożenie uczniów kosztuje" not in client.get(summary.url).content.decode()


def test_stored_quote_of_the_nationwide_forum_is_shown(client, world, closed, pdf_texts):
    summary = _stored_summary(closed["debate"], closed["site_post"])
    assert "Na forum ogólnopolskim" in client.get(summary.url).content.decode()
    assert "Na forum ogólnopolskim" in client.get(print_url(closed["debate"])).content.decode()
    client.get(pdf_url(closed["debate"]))
    assert "Na forum ogólnopolskim" in "\n".join(pdf_texts)


# --- the Wagtail admin's debate editor ----------------------------------------------------------------


@pytest.fixture
def admin_editor(world):
    from oswiata_site.roles import ensure_site_roles

    ensure_site_roles()
    world["editor"].groups.add(Group.objects.get(name="Redaktor ZMP"))
    return world["editor"]


def _add_url(world):
    return reverse("wagtailadmin_pages:add", args=("debates", "debatepage", world["index"].pk))


def _admin_form(world, spaces):
    form = nested_form_data(
        {
            "title": "Debata z panelu",
            "slug": "debata-z-panelu",
            "lead": "Wprowadzenie.",
            "background": streamfield([]),
            "questions": streamfield([("question", "Jak planować sieć szkół?")]),
            "opens_at": "2026-05-01 10:00",
            "closes_at": "2026-05-10 10:00",
            "moderator_links": inline_formset([{"user": world["moderator"].pk}]),
            "action-publish": "publish",
        }
    )
    form["target_spaces"] = [str(space.pk) for space in spaces]
    return form


def _choices(response) -> set[int]:
    return {int(pk) for pk in response.context["form"].fields["target_spaces"].queryset.values_list("pk", flat=True)}


def test_admin_debate_editor_does_not_list_a_private_space_the_editor_is_not_in(client, world, admin_editor):
    client.force_login(admin_editor)
    response = client.get(_add_url(world))
    assert response.status_code == 200
    text = response.content.decode()
    assert world["public"].name in text
    assert world["private"].name not in text
    assert world["private"].pk not in _choices(response)


def test_admin_debate_editor_refuses_a_private_space_the_editor_is_not_in(client, world, admin_editor):
    client.force_login(admin_editor)
    response = client.post(_add_url(world), _admin_form(world, [world["public"], world["private"]]))
    assert response.status_code == 200
    assert "target_spaces" in response.context["form"].errors
    assert world["private"].name not in response.content.decode()
    assert not DebatePage.objects.filter(slug="debata-z-panelu").exists()


def test_admin_debate_editor_lists_a_private_space_to_its_member_and_to_administrators(client, world, admin_editor):
    membership.add_member(world["admin"], world["private"], admin_editor, SpaceRole.PARTICIPANT, notify=False)
    client.force_login(admin_editor)
    assert world["private"].pk in _choices(client.get(_add_url(world)))
    response = client.post(_add_url(world), _admin_form(world, [world["private"]]))
    assert response.status_code == 302
    assert list(DebatePage.objects.get(slug="debata-z-panelu").target_spaces.all()) == [world["private"]]
    client.force_login(world["admin"])
    assert world["private"].pk in _choices(client.get(_add_url(world)))


def test_admin_debate_edit_view_hides_and_keeps_a_private_target_space(client, world, admin_editor):
    debate = make_debate(world, spaces=[world["public"], world["private"]], moderators=[])
    client.force_login(admin_editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=(debate.pk,))
    response = client.get(edit_url)
    assert response.status_code == 200
    assert world["private"].name not in response.content.decode()
    data = _admin_form(world, [world["public"]])
    data["slug"] = debate.slug
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    kept = set(DebatePage.objects.get(pk=debate.pk).target_spaces.values_list("pk", flat=True))
    assert kept == {world["public"].pk, world["private"].pk}


def test_admin_revision_comparison_does_not_name_a_private_space_the_editor_is_not_in(client, world, admin_editor):
    from wagtail.models import Revision

    debate = make_debate(world, spaces=[world["public"]], moderators=[])
    debate.target_spaces.set([world["public"], world["private"]])
    debate.save_revision(user=world["admin"]).publish()
    first, last = Revision.page_revisions.filter(object_id=str(debate.pk)).order_by("pk")[:2]
    compare = reverse("wagtailadmin_pages:revisions_compare", args=(debate.pk, first.pk, last.pk))
    client.force_login(admin_editor)
    response = client.get(compare)
    assert response.status_code == 200
    assert world["private"].name not in response.content.decode()
    client.force_login(world["admin"])
    assert world["private"].name in client.get(compare).content.decode()
