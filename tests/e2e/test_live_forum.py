"""Two browsers on one topic: a reply from one appears in the other within a second; a moderator hiding it
makes it disappear from both; a moderator closing the topic takes the reply form away, live."""

import re

import pytest
from playwright.sync_api import expect

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.models import SpaceRole, SpaceVisibility
from exchange_groups.spaces import services as membership
from forums import services
from tests.e2e.conftest import describe_violations, new_page, run_axe, screenshot, session_cookies
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.e2e


def person(first, last, space, role, admin):
    user = UserFactory(first_name=first, last_name=last)
    for purpose in REQUIRED_CONSENTS:
        give_consent(user, purpose)
    membership.add_member(admin, space, user, role, notify=False)
    return user


def browser_page_of(browser, base_url, user):
    """A browser context logged in as `user` (the session cookie of a real login), on its own."""
    return new_page(browser, cookies=session_cookies(user, base_url))


@pytest.fixture
def discussion():
    admin = UserFactory(is_superuser=True)
    space = SpaceFactory(name="Sieć dyrektorów wydziałów", slug="siec-dyrektorow", visibility=SpaceVisibility.PRIVATE)
    anna = person("Anna", "Kowalska", space, SpaceRole.PARTICIPANT, admin)
    jan = person("Jan", "Nowak", space, SpaceRole.PARTICIPANT, admin)
    moderator = person("Maria", "Moderatorka", space, SpaceRole.MODERATOR, admin)
    category = services.ensure_forum(space).categories.get()
    topic = services.create_topic(
        anna, category, "Dowozy uczniów po reorganizacji sieci szkół", "Jak to u Państwa wygląda?"
    )
    return {"anna": anna, "jan": jan, "moderator": moderator, "topic": topic}


def wait_live(page):
    """The live box shows once the socket said hello."""
    page.locator(".forum-live").wait_for(state="visible")


def test_two_browsers_see_a_reply_live_and_a_moderator_hiding_it(daphne_server, browser, discussion):
    url = daphne_server.url + discussion["topic"].get_absolute_url()
    anna = browser_page_of(browser, daphne_server.url, discussion["anna"])
    jan = browser_page_of(browser, daphne_server.url, discussion["jan"])
    moderator = browser_page_of(browser, daphne_server.url, discussion["moderator"])
    try:
        for page in (anna, jan, moderator):
            page.goto(url)
            wait_live(page)
        # Presence: each sees who else reads the topic.
        jan.locator(".forum-live__presence").filter(has_text="Anna Kowalska").wait_for()

        text = "U nas dowozi gmina, a rodzice dopłacają do biletów <script>alert(1)</script>"
        anna.get_by_label("Pana/Pani odpowiedź").fill(text)
        anna.get_by_role("button", name="Dodaj odpowiedź").click()
        # The author's page acknowledges; the other browser shows the reply within a second, escaped.
        expect(anna.get_by_label("Pana/Pani odpowiedź")).to_have_value("")  # acknowledged over the socket
        arrived = jan.locator("article.post", has_text="rodzice dopłacają do biletów")
        arrived.wait_for(timeout=1_000)
        assert jan.locator("article.post script").count() == 0
        assert "<script>alert(1)</script>" in arrived.inner_text()
        assert jan.url == url  # no reload happened
        screenshot(jan, "live-topic-reply-arrived")
        violations = run_axe(jan)
        assert violations == [], describe_violations(violations)

        # The moderator hides it (with a reason, through the moderation form): gone from both open pages.
        post_id = arrived.get_attribute("id")
        moderator.reload()
        moderator.locator(f"#{post_id}").get_by_role("link", name=re.compile("Ukryj")).click()
        moderator.get_by_label("Powód", exact=True).fill("Wpis zawiera nieprawdziwe informacje o kosztach.")
        moderator.get_by_role("button", name="Ukryj wpis").click()
        for page in (anna, jan):
            page.locator(f"#{post_id}.post--hidden").wait_for(timeout=2_000)
            assert "rodzice dopłacają" not in page.locator(f"#{post_id}").inner_text()
        screenshot(jan, "live-topic-post-hidden")

        # The moderator closes the topic: the reply form goes away on the open pages.
        moderator.goto(url)
        moderator.get_by_role("link", name="Zamknij wątek").click()
        moderator.get_by_role("button", name="Zamknij wątek").click()
        jan.locator("section.reply").wait_for(state="hidden", timeout=2_000)
        assert jan.locator("[data-topic-closed-live]").is_visible()
    finally:
        for page in (anna, jan, moderator):
            page.context.close()
