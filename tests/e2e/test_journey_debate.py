"""A debate opening and being summarised, in a real browser.

A Redaktor ZMP's debate is announced on /debaty/; the schedule opens it (a topic in the network's forum, a
notification for its members); a participant replies in the topic with the keyboard; the schedule closes it;
the debate's moderator writes the summary with the keyboard, citing the participant's post; the participant
reads the summary with the citation (author, link to the post), its print view and its PDF.

The schedule's services run in a thread of their own: they send channel-layer messages after the commit
(async_to_sync), which refuse to run beside Playwright's event loop in the test's thread.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Locale, Page

from debates import services as debate_services
from debates.handlers import scheduling_suppressed
from debates.models import DebateIndexPage, DebateModerator, DebatePage, DebateSummaryPage, DebateTopic
from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.models import SpaceRole, SpaceVisibility
from exchange_groups.spaces import services as membership
from forums import services as forum_services
from forums.models import Post
from tests.e2e.conftest import new_page, run_in_thread, screenshot
from tests.e2e.test_journey_meeting import collect_axe, log_in_by_keyboard, press_enter_and_wait, tab_to
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.e2e

TITLE = "Dowożenie uczniów a sieć szkół: kto powinien płacić?"
REPLY = (
    "U nas pełny koszt dowożenia to ok. 4800 zł rocznie na ucznia, licząc z opiekunami w autobusach. "
    "To więcej niż różnica w kosztach utrzymania małej szkoły filialnej."
)
SUMMARY = "Uczestnicy zgodzili się, że koszt dowożenia trzeba liczyć razem z opiekunami."


def consenting(user):
    for purpose in REQUIRED_CONSENTS:
        give_consent(user, purpose)
    return user


@pytest.fixture
def debate_world():
    admin = UserFactory(is_superuser=True, first_name="Ewa", last_name="Administratorka")
    space = SpaceFactory(name="Sieć gmin wiejskich", slug="siec-gmin-wiejskich", visibility=SpaceVisibility.PRIVATE)
    moderator = consenting(
        UserFactory(first_name="Tomasz", last_name="Wiśniewski", email="tomasz.wisniewski@zmp.example.pl")
    )
    membership.add_member(admin, space, moderator, SpaceRole.MODERATOR, notify=False)
    participant = consenting(UserFactory(first_name="Anna", last_name="Nowak", email="anna.nowak@gmina.example.pl"))
    membership.add_member(admin, space, participant, SpaceRole.PARTICIPANT, notify=False)
    editor = consenting(UserFactory(first_name="Piotr", last_name="Kamiński", email="redaktor@zmp.example.pl"))
    editor.groups.add(Group.objects.get_or_create(name="Redaktor ZMP")[0])
    forum = forum_services.ensure_forum(space)

    Locale.objects.get_or_create(language_code="pl")
    home = Page.objects.filter(depth=2).first()
    index = DebateIndexPage(title="Debaty", slug="debaty")
    home.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now()
    with scheduling_suppressed():  # the test drives the schedule itself
        debate = DebatePage(
            title=TITLE,
            slug="dowozenie-uczniow",
            lead="Gminy wiejskie wydają na dowożenie uczniów coraz więcej, a mała szkoła bywa tańsza niż autobus.",
            background=[{"type": "paragraph", "value": "<p>Koszty dowożenia nie są wprost w subwencji.</p>"}],
            questions=[
                {"type": "question", "value": "Jak Państwa gmina liczy pełny koszt dowożenia jednego ucznia?"},
                {"type": "question", "value": "Kiedy utrzymanie małej szkoły jest rozsądniejsze niż dowożenie?"},
            ],
            opens_at=now + datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=8),
            owner=editor,
        )
        index.add_child(instance=debate)
        debate.target_spaces.set([space])
        DebateModerator.objects.create(page=debate, user=moderator, sort_order=0)
        debate.save()
        debate.save_revision(user=editor).publish(user=editor)
    return {
        "space": space,
        "forum": forum,
        "moderator": moderator,
        "participant": participant,
        "editor": editor,
        "debate": DebatePage.objects.get(pk=debate.pk),
    }


def section(page, heading):
    return page.locator("section.debate-section", has=page.get_by_role("heading", name=heading, exact=True))


def phase_badge(page):
    """The phase the badge shows (its text, without the label read out to screen reader users)."""
    text = " ".join(page.locator("main .debate-phase").first.text_content().split())
    assert text.startswith("Etap debaty: "), text
    return text.removeprefix("Etap debaty: ")


def test_debate_opens_is_discussed_closes_and_is_summarised(daphne_server, browser, debate_world):
    base = daphne_server.url
    debate = debate_world["debate"]
    debate_url = base + debate.get_url()
    axe_failures = []
    anna = new_page(browser)
    tomasz = new_page(browser)
    try:
        log_in_by_keyboard(anna, base, debate_world["participant"].email)

        # Announced: on /debaty/ among the upcoming debates; its page says where it will take place.
        anna.goto(base + "/debaty/")
        upcoming = section(anna, "Zapowiedziane debaty")
        expect(upcoming.get_by_role("link", name=TITLE)).to_be_visible()
        assert "zapowiedź" in upcoming.inner_text()
        assert section(anna, "Trwające debaty").get_by_role("link", name=TITLE).count() == 0
        screenshot(anna, "journey-debate-listing-upcoming")
        collect_axe(anna, "debate listing", axe_failures)
        tab_to(anna, TITLE, tag="a")
        press_enter_and_wait(anna)
        assert anna.url == debate_url
        assert phase_badge(anna) == "zapowiedź"
        assert anna.locator("a[href^='/fora/']").filter(has_text="Forum:").count() == 0
        collect_axe(anna, "debate page, announced", axe_failures)

        # The opening time comes: the schedule opens it.
        DebatePage.objects.filter(pk=debate.pk).update(opens_at=timezone.now() - datetime.timedelta(minutes=1))
        opened = run_in_thread(debate_services.open_due_debates)
        assert [d.pk for d in opened] == [debate.pk]
        link = DebateTopic.objects.select_related("topic", "forum").get(debate=debate)

        anna.goto(base + "/debaty/")
        open_section = section(anna, "Trwające debaty")
        expect(open_section.get_by_role("link", name=TITLE)).to_be_visible()
        assert "dyskusja" in open_section.inner_text()
        assert section(anna, "Zapowiedziane debaty").get_by_role("link", name=TITLE).count() == 0
        screenshot(anna, "journey-debate-listing-open")

        # She was notified; the notification pages are accessible.
        anna.goto(base + "/powiadomienia/")
        expect(anna.locator("main").get_by_text(TITLE).first).to_be_visible()
        screenshot(anna, "journey-debate-notifications")
        collect_axe(anna, "notifications", axe_failures)
        anna.goto(base + "/powiadomienia/ustawienia/")
        expect(anna.locator("main h1")).to_be_visible()
        collect_axe(anna, "notification settings", axe_failures)

        # The debate page (open) leads to the forum topic, which shows the debate banner.
        anna.goto(debate_url)
        assert phase_badge(anna) == "dyskusja"
        collect_axe(anna, "debate page, open", axe_failures)
        tab_to(anna, link.forum.name, tag="a")
        press_enter_and_wait(anna)
        assert anna.url == base + link.topic.get_absolute_url()
        banner = anna.get_by_role("complementary", name="Debata")
        expect(banner).to_contain_text("Ten wątek jest debatą")
        expect(banner).to_contain_text("dyskusja")
        screenshot(anna, "journey-debate-topic-open")
        collect_axe(anna, "debate topic with banner", axe_failures)

        # Anna replies, with the keyboard only.
        tab_to(anna, "Pana/Pani odpowiedź", tag="textarea")
        anna.keyboard.type(REPLY)
        tab_to(anna, "Dodaj odpowiedź", tag="button")
        anna.keyboard.press("Enter")
        expect(anna.locator("article.post", has_text="licząc z opiekunami w autobusach")).to_be_visible()
        post = Post.objects.get(topic=link.topic, author=debate_world["participant"])
        assert post.body_source == REPLY

        # The closing time comes: the schedule closes it; the topic takes no more replies.
        DebatePage.objects.filter(pk=debate.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
        closed = run_in_thread(debate_services.close_due_debates)
        assert [d.pk for d in closed] == [debate.pk]
        anna.goto(base + link.topic.get_absolute_url())
        expect(anna.get_by_role("complementary", name="Debata")).to_contain_text("podsumowanie")
        assert anna.get_by_label("Pana/Pani odpowiedź").count() == 0
        anna.goto(debate_url)
        assert phase_badge(anna) == "podsumowanie"
        expect(anna.get_by_text("Dyskusja została zamknięta. Moderatorzy przygotowują podsumowanie.")).to_be_visible()
        expect(anna.get_by_text("zamknięty dla odpowiedzi")).to_be_visible()
        assert anna.get_by_role("link", name="Napisz podsumowanie").count() == 0
        collect_axe(anna, "debate page, being summarised", axe_failures)
        response = anna.goto(base + reverse("debates:summary_edit", args=[debate.pk]))
        assert response.status == 403
        anna.goto(base + "/debaty/")
        expect(section(anna, "Debaty w podsumowaniu").get_by_role("link", name=TITLE)).to_be_visible()

        # The moderator writes the summary with the keyboard: first an empty one (errors), then citing Anna.
        log_in_by_keyboard(tomasz, base, debate_world["moderator"].email)
        tomasz.goto(debate_url)
        tab_to(tomasz, "Napisz podsumowanie", tag="a")
        press_enter_and_wait(tomasz)
        assert tomasz.url == base + reverse("debates:summary_edit", args=[debate.pk])
        screenshot(tomasz, "journey-debate-summary-form")
        collect_axe(tomasz, "summary form", axe_failures)
        tab_to(tomasz, "Opublikuj podsumowanie", tag="button")
        press_enter_and_wait(tomasz)
        expect(tomasz.get_by_role("alert")).to_contain_text("Proszę napisać podsumowanie przed jego opublikowaniem.")
        expect(tomasz.get_by_label("Podsumowanie lub stanowisko")).to_have_attribute("aria-invalid", "true")
        screenshot(tomasz, "journey-debate-summary-errors")
        collect_axe(tomasz, "summary form with errors", axe_failures)
        assert not DebateSummaryPage.objects.child_of(debate).exists()

        tab_to(tomasz, "Podsumowanie lub stanowisko", tag="textarea")
        tomasz.keyboard.type(SUMMARY)
        cite = tab_to(tomasz, re.compile(r"^Anna Nowak, "), tag="input")
        assert cite["type"] == "checkbox"
        tomasz.keyboard.press("Space")
        expect(tomasz.locator(f"#cite-{post.pk}")).to_be_checked()
        tab_to(tomasz, "Opublikuj podsumowanie", tag="button")
        press_enter_and_wait(tomasz)
        expect(tomasz.get_by_text("Podsumowanie zostało opublikowane.")).to_be_visible()
        summary = DebateSummaryPage.objects.child_of(debate).live().get()
        assert summary.cited_post_ids() == [post.pk]

        # Anna sees the summary on the debate page, with the citation: her name and a link to her post.
        anna.goto(debate_url)
        assert phase_badge(anna) == "zamknięta"
        expect(anna.get_by_text("Podsumowanie debaty zostało opublikowane.")).to_be_visible()
        collect_axe(anna, "debate page, closed", axe_failures)
        tab_to(anna, f"Podsumowanie: {TITLE}", tag="a")
        press_enter_and_wait(anna)
        expect(anna.get_by_text(SUMMARY)).to_be_visible()
        citation = anna.locator("figure.cited-post")
        expect(citation).to_have_count(1)
        expect(citation.locator("blockquote")).to_contain_text("licząc z opiekunami w autobusach")
        expect(citation.locator("figcaption")).to_contain_text("Anna Nowak")
        post_link = citation.get_by_role("link", name="wpis na forum")
        assert post_link.get_attribute("href") == reverse("forums:post", kwargs={"post_id": post.pk})
        screenshot(anna, "journey-debate-summary")
        collect_axe(anna, "summary page", axe_failures)
        summary_url = anna.url

        # The print view: the summary and the citation, without the site's navigation.
        tab_to(anna, "Wersja do druku", tag="a")
        press_enter_and_wait(anna)
        assert anna.url == base + reverse("debates:summary_print", args=[debate.pk])
        expect(anna.locator("h1")).to_have_text(f"Podsumowanie: {TITLE}")
        expect(anna.get_by_text(SUMMARY)).to_be_visible()
        expect(anna.locator("figure.cited-post figcaption")).to_contain_text("Anna Nowak")
        assert anna.locator("header, footer, nav").count() == 0
        assert anna.get_by_role("link", name="Wyloguj się").count() == 0
        screenshot(anna, "journey-debate-summary-print")
        collect_axe(anna, "summary print view", axe_failures)

        # The PDF downloads.
        anna.goto(summary_url)
        pdf_href = anna.get_by_role("link", name="Pobierz jako PDF").get_attribute("href")
        assert pdf_href == reverse("debates:summary_pdf", args=[debate.pk])
        pdf = anna.context.request.get(base + pdf_href)
        assert pdf.status == 200
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")

        # The citation's link leads to Anna's post in the (closed) topic.
        tab_to(anna, "wpis na forum", tag="a")
        press_enter_and_wait(anna)
        expect(anna.locator(f"#post-{post.pk}, article.post", has_text="licząc z opiekunami").first).to_be_visible()

        assert not axe_failures, "\n\n".join(axe_failures)
    finally:
        for page in (anna, tomasz):
            page.context.close()
