"""Two people ask to join a network; the coordinator, in another browser at the same time, accepts one request
and declines the other — the coordinator's part by keyboard only. Each person sees the outcome on the site and
gets an e-mail."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from exchange_groups.demo import DEMO_PEOPLE
from exchange_groups.models import JoinRequest, Membership, Space, User
from tests.e2e.conftest import new_page, screenshot
from tests.e2e.test_accessibility import log_in
from tests.e2e.test_journey_course import axe_check, keyboard_log_in, press_enter_and_wait, tab_to, text_is

pytestmark = pytest.mark.e2e

SLUG = "siec-gminy-wiejskie"
# Demo people from exchange_groups.demo.spaces who do not belong to the rural network.
ACCEPTED = "marek.jankowski@demo.oswiata-jst.pl"
DECLINED = "joanna.krawczyk@demo.oswiata-jst.pl"
MESSAGE = "Gmina Szemud przygotowuje nową sieć szkół. Chcielibyśmy poznać doświadczenia innych gmin wiejskich."
REASON = "Sieć jest dla gmin wiejskich, a Pani reprezentuje zespół obsługi szkół z gminy miejskiej."


def ask_to_join(page, base_url, space_name, message, failures, *, check_pages=False):
    """A person (mouse and keyboard as they like) finds the network in the list and sends a request."""
    page.goto(base_url + "/przestrzenie/")
    page.get_by_role("link", name=space_name, exact=True).click()
    page.wait_for_load_state()
    nav = page.get_by_role("navigation", name="Części przestrzeni")
    expect(nav.get_by_role("link", name="Spotkania")).to_have_count(0)
    page.get_by_role("link", name="Poproś o dołączenie").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Poproś o dołączenie")
    if check_pages:
        screenshot(page, "journey-network-join-form")
        axe_check(page, "join request form", failures)
    page.get_by_label("Wiadomość do koordynatorów (nieobowiązkowa)").fill(message)
    page.get_by_role("button", name="Wyślij prośbę").click()
    page.wait_for_load_state()
    expect(page.locator("ul.messages")).to_contain_text("Prośba została wysłana", ignore_case=True)
    participation = page.locator(".space-participation")
    expect(participation).to_contain_text("czeka na decyzję koordynatorów")
    expect(participation.get_by_role("button", name="Wycofaj moją prośbę")).to_be_visible()
    if check_pages:
        screenshot(page, "journey-network-request-pending")
        axe_check(page, "space page with a pending request", failures)


def mails_to(server, email) -> list[str]:
    return [mail for mail in server.mails() if re.search(rf"^To: {re.escape(email)}$", mail, re.MULTILINE)]


def test_join_request_accepted_and_another_declined_by_a_keyboard_coordinator(changed_demo_server, browser):
    base = changed_demo_server.url
    space = Space.objects.get(slug=SLUG)
    marek = User.objects.get(email=ACCEPTED)
    joanna = User.objects.get(email=DECLINED)
    for person in (marek, joanna):
        assert not Membership.objects.filter(space=space, user=person).exists()
    with translation.override("pl"):
        marek_unit = marek.profile.unit.label
        joanna_unit = joanna.profile.unit.label
    failures: list[str] = []

    person = new_page(browser)
    other = new_page(browser)
    coordinator = new_page(browser)
    try:
        log_in(person, base, ACCEPTED)
        log_in(other, base, DECLINED)
        ask_to_join(person, base, space.name, MESSAGE, failures, check_pages=True)
        ask_to_join(other, base, space.name, "Prosimy o przyjęcie do sieci.", failures)

        # My spaces lists the request as waiting.
        person.goto(base + "/moje-przestrzenie/")
        expect(person.locator("section[aria-labelledby=pending-title]")).to_contain_text(space.name)

        # The coordinator, by keyboard: the management page lists both requests with names and JST.
        keyboard_log_in(coordinator, base, DEMO_PEOPLE["koordynator"]["email"])
        coordinator.goto(f"{base}/przestrzenie/{SLUG}/zarzadzanie/")
        requests = coordinator.locator("section[aria-labelledby=requests-title] li.card")
        marek_card = requests.filter(has_text="Marek Jankowski")
        expect(marek_card).to_contain_text(marek_unit)
        expect(marek_card).to_contain_text("Skarbnik Gminy Szemud")
        expect(marek_card.locator(".request-message")).to_have_text(MESSAGE)
        expect(requests.filter(has_text="Joanna Krawczyk")).to_contain_text(joanna_unit)
        screenshot(coordinator, "journey-network-manage")
        axe_check(coordinator, "management page with requests", failures)

        tab_to(coordinator, text_is("Przyjmij prośbę: Marek Jankowski"))
        press_enter_and_wait(coordinator)
        expect(coordinator.locator("ul.messages")).to_contain_text("Marek Jankowski jest teraz członkiem przestrzeni.")
        expect(requests.filter(has_text="Marek Jankowski")).to_have_count(0)
        members = coordinator.locator("section[aria-labelledby=members-title] tbody tr")
        expect(members.filter(has_text="Marek Jankowski")).to_have_count(1)

        # Declining needs a reason: first without one (the form says so), then with it.
        tab_to(coordinator, text_is("Odrzuć… prośbę: Joanna Krawczyk"))
        press_enter_and_wait(coordinator)
        expect(coordinator.get_by_role("heading", level=1)).to_have_text("Odrzucenie prośby o dołączenie")
        axe_check(coordinator, "decline form", failures)
        tab_to(coordinator, text_is("Odrzuć prośbę"))
        press_enter_and_wait(coordinator)
        expect(coordinator.locator(".error-summary")).to_contain_text("Proszę podać powód – osoba go zobaczy.")
        screenshot(coordinator, "journey-network-decline-error")
        axe_check(coordinator, "decline form with an error", failures)
        tab_to(coordinator, lambda i: i["tag"] == "textarea" and i["text"] == "Powód")
        coordinator.keyboard.type(REASON)
        tab_to(coordinator, text_is("Odrzuć prośbę"))
        press_enter_and_wait(coordinator)
        expect(coordinator.locator("ul.messages")).to_contain_text("Joanna Krawczyk")
        expect(coordinator.locator("ul.messages")).to_contain_text("została odrzucona")
        expect(requests.filter(has_text="Joanna Krawczyk")).to_have_count(0)
        screenshot(coordinator, "journey-network-decided")

        # The accepted person reloads: a member now, with the member sections of the space.
        person.goto(f"{base}/przestrzenie/{SLUG}/")
        expect(person.locator(".space-participation")).to_contain_text(
            "Jest Pan/Pani członkiem tej przestrzeni. Pana/Pani rola: uczestnik"
        )
        nav = person.get_by_role("navigation", name="Części przestrzeni")
        for section in ("Członkowie", "Spotkania", "Biblioteka", "Forum"):
            expect(nav.get_by_role("link", name=section, exact=True)).to_be_visible()
        screenshot(person, "journey-network-member")
        axe_check(person, "space page as a new member", failures)
        nav.get_by_role("link", name="Spotkania", exact=True).click()
        person.wait_for_load_state()
        expect(person.get_by_role("heading", level=1)).to_contain_text("Spotkania")
        person.goto(base + "/moje-przestrzenie/")
        expect(person.locator("section[aria-labelledby=memberships-title]")).to_contain_text(space.name)
        expect(person.locator("section[aria-labelledby=pending-title]")).not_to_contain_text(space.name)

        # The declined person reloads: the decision and the coordinator's reason; asking again is possible.
        other.goto(f"{base}/przestrzenie/{SLUG}/")
        callout = other.locator(".space-participation .callout")
        expect(callout).to_contain_text("Pana/Pani prośba o dołączenie została odrzucona")
        expect(callout).to_contain_text(REASON)
        expect(
            other.get_by_role("navigation", name="Części przestrzeni").get_by_role("link", name="Spotkania")
        ).to_have_count(0)
        expect(other.get_by_role("link", name="Poproś o dołączenie")).to_be_visible()
        screenshot(other, "journey-network-declined")
        axe_check(other, "space page after a declined request", failures)
        other.goto(base + "/moje-przestrzenie/")
        expect(other.locator("section[aria-labelledby=pending-title]")).to_contain_text(REASON)

        # The e-mails.
        accepted_mail = mails_to(changed_demo_server, ACCEPTED)
        assert len(accepted_mail) == 1, accepted_mail
        assert f"do przestrzeni „{space.name}” została przyjęta" in accepted_mail[0]
        assert f"{base}/przestrzenie/{SLUG}/" in accepted_mail[0]
        declined_mail = mails_to(changed_demo_server, DECLINED)
        assert len(declined_mail) == 1, declined_mail
        assert f"do przestrzeni „{space.name}” została odrzucona" in declined_mail[0]
        assert REASON in declined_mail[0]

        assert JoinRequest.objects.get(space=space, user=marek).status == "accepted"
        assert JoinRequest.objects.get(space=space, user=joanna).status == "declined"
        for page in (person, other, coordinator):
            assert page.csp_violations == [], page.csp_violations
    finally:
        for page in (person, other, coordinator):
            page.context.close()
    assert not failures, "\n\n".join(failures)
