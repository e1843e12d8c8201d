"""The notification bell over the shared socket client: a reply that mentions a person reaches their open page's
bell without a reload, counted and announced in the bell's live region."""

import pytest
from playwright.sync_api import expect

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.models import SpaceRole, SpaceVisibility
from exchange_groups.spaces import services as membership
from forums import services
from forums.mentions import handle_of
from tests.e2e.conftest import new_page, session_cookies
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.e2e


def person(first, last, space, admin):
    user = UserFactory(first_name=first, last_name=last)
    for purpose in REQUIRED_CONSENTS:
        give_consent(user, purpose)
    membership.add_member(admin, space, user, SpaceRole.PARTICIPANT, notify=False)
    return user


def test_live_bell_counts_and_announces_a_mention_without_a_reload(daphne_server, browser):
    admin = UserFactory(is_superuser=True)
    space = SpaceFactory(name="Sieć skarbników", slug="siec-skarbnikow", visibility=SpaceVisibility.PRIVATE)
    anna, jan = person("Anna", "Kowalska", space, admin), person("Jan", "Nowak", space, admin)
    topic = services.create_topic(
        jan, services.ensure_forum(space).categories.get(), "Subwencja na dowozy", "Kto liczył koszty dowozów?"
    )
    url = daphne_server.url + topic.get_absolute_url()
    anna_page = new_page(browser, cookies=session_cookies(anna, daphne_server.url))
    jan_page = new_page(browser, cookies=session_cookies(jan, daphne_server.url))
    try:
        # The bell asks for the count once its socket is ready: then it is connected.
        with anna_page.expect_request(lambda request: request.url.endswith("/powiadomienia/licznik/")):
            anna_page.goto(url)
        bell = anna_page.locator("[data-notification-bell]")
        expect(bell.locator("[data-bell-count]")).to_be_hidden()

        jan_page.goto(url)
        jan_page.get_by_label("Pana/Pani odpowiedź").fill(f"@{handle_of(anna)} liczyła to w zeszłym roku.")
        jan_page.get_by_role("button", name="Dodaj odpowiedź").click()

        expect(bell.locator("[data-bell-count]")).to_have_text("1", timeout=5_000)
        expect(bell.locator("[data-bell-live]")).to_have_text("Ma Pan/Pani nowe powiadomienie.")
        assert anna_page.url == url  # no reload happened
    finally:
        for page in (anna_page, jan_page):
            page.context.close()
