"""Registering for a meeting until it is full and landing on the waiting list — by keyboard only.

Three members of a network and a meeting with two places. Anna and Jan register (Jan presses the button twice
and submits again from a second tab: still one registration), the meeting is full, Ewa joins the waiting list
at position 1; Anna withdraws and Ewa is promoted: after a reload she sees she is registered, an e-mail told
her, and the meeting's .ics file downloads. Every step is driven with Tab / Enter, and focus is visible on
each element the keyboard reaches.
"""

import email
import email.policy
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from exchange_groups.accounts.permissions import REQUIRED_CONSENTS
from exchange_groups.accounts.services import give_consent
from exchange_groups.models import MeetingMode, Registration, RegistrationStatus, SpaceRole, SpaceVisibility
from exchange_groups.spaces import services as membership
from tests.e2e.conftest import describe_violations, new_page, run_axe, screenshot
from tests.e2e.test_journey_registration import focus_is_visible
from tests.exchange_groups.meetings_helpers import in_days, make_meeting, make_space
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

MEETING_TITLE = "Prognoza demograficzna a sieć szkół"

# What the keyboard has reached: its role-ish tag and accessible name (aria-label, label, or text).
ACTIVE_ELEMENT_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  let name = el.getAttribute('aria-label') || '';
  if (!name && el.labels && el.labels.length) name = el.labels[0].textContent;
  if (!name) name = el.textContent || el.value || '';
  return {tag: el.tagName.toLowerCase(), type: el.getAttribute('type') || '', name: name.replace(/\\s+/g, ' ').trim()};
}"""


def active_element(page) -> dict | None:
    return page.evaluate(ACTIVE_ELEMENT_JS)


def tab_to(page, name, *, tag=None, limit=80, backwards=False):
    """Press Tab (Shift+Tab) until the focused element's accessible name matches `name` (a string for an
    exact match, or a compiled pattern), asserting that focus is visible on every element passed."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = active_element(page)
        if focused is None:
            continue
        seen.append(focused["name"][:40])
        assert focus_is_visible(page), f"focus is not visible on {focused} ({page.url})"
        matches = name.search(focused["name"]) if isinstance(name, re.Pattern) else focused["name"] == name
        if matches and (tag is None or focused["tag"] == tag):
            return focused
    raise AssertionError(f"{name!r} was not reached with {key} in {limit} presses on {page.url}; passed: {seen}")


def press_enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def log_in_by_keyboard(page, base_url, email_address, password=DEFAULT_PASSWORD):
    page.goto(f"{base_url}/konto/logowanie/")
    tab_to(page, "Adres e-mail", tag="input")
    page.keyboard.type(email_address)
    tab_to(page, "Hasło", tag="input")
    page.keyboard.type(password)
    press_enter_and_wait(page)
    assert "/konto/logowanie/" not in page.url, f"login failed for {email_address}: {page.url}"


def collect_axe(page, name, failures):
    violations = run_axe(page)
    if violations:
        failures.append(f"{name}: {page.url}\n{describe_violations(violations)}")


def person(first, last, email_address, space, admin):
    user = UserFactory(first_name=first, last_name=last, email=email_address)
    for purpose in REQUIRED_CONSENTS:
        give_consent(user, purpose)
    membership.add_member(admin, space, user, SpaceRole.PARTICIPANT, notify=False)
    return user


def mails_to(server, address) -> list[email.message.EmailMessage]:
    """The e-mails the server wrote (file backend), parsed, that went to `address`."""
    found = []
    for raw in server.mails():
        message = email.message_from_bytes(raw.encode("utf-8"), policy=email.policy.default)
        if address in str(message["To"]):
            found.append(message)
    return found


def places(page) -> str:
    return page.locator(".meeting-facts div", has_text="Miejsca").locator("dd").inner_text()


def status_text(page) -> str:
    return page.locator("section.registration").inner_text()


@pytest.fixture
def meeting_world():
    space, coordinator, admin = make_space(
        name="Sieć gmin wiejskich Dolnego Śląska", slug="siec-dolnoslaska", visibility=SpaceVisibility.PRIVATE
    )
    anna = person("Anna", "Kowalska", "anna.kowalska@gmina-boleslawiec.example.pl", space, admin)
    jan = person("Jan", "Nowak", "jan.nowak@gmina-zlotoryja.example.pl", space, admin)
    ewa = person("Ewa", "Wiśniewska", "ewa.wisniewska@gmina-lubin.example.pl", space, admin)
    meeting = make_meeting(
        coordinator,
        space,
        title=MEETING_TITLE,
        mode=MeetingMode.IN_PERSON,
        starts_at=in_days(10, 10),
        ends_at=in_days(10, 14),
        capacity=2,
    )
    return {"space": space, "meeting": meeting, "anna": anna, "jan": jan, "ewa": ewa}


def active_registrations(meeting, user):
    return Registration.objects.active().filter(meeting=meeting, user=user)


def test_meeting_fills_up_waiting_list_and_promotion_by_keyboard(daphne_server, browser, meeting_world):
    meeting = meeting_world["meeting"]
    url = daphne_server.url + meeting.get_absolute_url()
    axe_failures = []
    anna, jan, ewa = (new_page(browser) for _ in range(3))
    jan_second_tab = None
    try:
        for page, key in ((anna, "anna"), (jan, "jan"), (ewa, "ewa")):
            log_in_by_keyboard(page, daphne_server.url, meeting_world[key].email)

        # Anna: two places free; she registers with the keyboard.
        anna.goto(url)
        assert places(anna) == "zajęte: 0 z 2"
        collect_axe(anna, "meeting detail, registration open", axe_failures)
        tab_to(anna, "Zapisz się na spotkanie", tag="button")
        press_enter_and_wait(anna)
        expect(anna.get_by_text("Zapisano Pana/Panią na spotkanie.")).to_be_visible()
        assert "Jest Pan/Pani zapisany/zapisana" in status_text(anna)
        assert places(anna) == "zajęte: 1 z 2"
        screenshot(anna, "journey-meeting-registered")
        collect_axe(anna, "meeting detail, registered", axe_failures)

        # Jan: the meeting is open in two tabs. He presses Enter twice on the button in the first, then
        # submits the (now stale) form in the second: he holds one place, and the meeting is 2 of 2.
        jan.goto(url)
        jan_second_tab = jan.context.new_page()
        jan_second_tab.goto(url)
        assert places(jan) == "zajęte: 1 z 2"
        tab_to(jan, "Zapisz się na spotkanie", tag="button")
        # The second press may abort the first navigation (or land on the next page): either way, the page
        # he ends on says he is registered, once.
        jan.keyboard.press("Enter")
        jan.keyboard.press("Enter")
        expect(jan.locator(".badge--ok")).to_have_text("Jest Pan/Pani zapisany/zapisana")
        jan.wait_for_load_state()
        tab_to(jan_second_tab, "Zapisz się na spotkanie", tag="button")
        press_enter_and_wait(jan_second_tab)
        assert "Jest Pan/Pani zapisany/zapisana" in status_text(jan_second_tab)
        assert places(jan_second_tab) == "zajęte: 2 z 2", "a second submit of the same person took a second place"
        assert active_registrations(meeting, meeting_world["jan"]).count() == 1
        assert Registration.objects.filter(meeting=meeting, user=meeting_world["jan"]).count() == 1
        jan.reload()
        assert places(jan) == "zajęte: 2 z 2"

        # Ewa: the meeting is full; she is offered the waiting list and joins it at position 1.
        ewa.goto(url)
        assert places(ewa) == "zajęte: 2 z 2"
        expect(ewa.get_by_text("Wszystkie miejsca są zajęte. Można zapisać się na listę rezerwową")).to_be_visible()
        assert ewa.get_by_role("button", name="Zapisz się na spotkanie").count() == 0
        collect_axe(ewa, "meeting detail, full", axe_failures)
        screenshot(ewa, "journey-meeting-full")
        tab_to(ewa, "Zapisz się na listę rezerwową", tag="button")
        press_enter_and_wait(ewa)
        expect(ewa.get_by_text("jest Pan/Pani na liście rezerwowej, na pozycji 1")).to_be_visible()
        assert "Lista rezerwowa, pozycja 1" in status_text(ewa)
        assert places(ewa) == "zajęte: 2 z 2; 1 osoba na liście rezerwowej"
        screenshot(ewa, "journey-meeting-waiting")
        collect_axe(ewa, "meeting detail, on the waiting list", axe_failures)
        assert not mails_to(daphne_server, meeting_world["ewa"].email), "Ewa was e-mailed before a place was free"

        # Anna withdraws: her place goes to Ewa; the meeting stays full for anybody else.
        anna.reload()
        tab_to(anna, "Wycofaj mój zapis", tag="button")
        press_enter_and_wait(anna)
        expect(anna.get_by_text("Zapis został wycofany.")).to_be_visible()
        assert places(anna) == "zajęte: 2 z 2"
        assert anna.get_by_role("button", name="Zapisz się na listę rezerwową").is_visible()
        assert active_registrations(meeting, meeting_world["anna"]).count() == 0

        # Ewa reloads: she is registered now, and an e-mail told her.
        ewa.reload()
        assert "Jest Pan/Pani zapisany/zapisana" in status_text(ewa)
        assert "Lista rezerwowa" not in status_text(ewa)
        assert places(ewa) == "zajęte: 2 z 2"
        assert active_registrations(meeting, meeting_world["ewa"]).get().status == RegistrationStatus.REGISTERED
        screenshot(ewa, "journey-meeting-promoted")
        promoted = mails_to(daphne_server, meeting_world["ewa"].email)
        assert len(promoted) == 1, f"expected one e-mail to Ewa, got {len(promoted)}"
        assert "Zwolniło się miejsce" in str(promoted[0]["Subject"])
        body = promoted[0].get_body(preferencelist=("plain",)).get_content()
        assert MEETING_TITLE in body
        assert meeting.get_absolute_url() in body

        # Her calendar file: the link on the meeting page, by keyboard.
        ewa.goto(url)
        tab_to(ewa, "Dodaj do kalendarza (plik .ics)", tag="a")
        with ewa.expect_download() as download_info:
            ewa.keyboard.press("Enter")
        download = download_info.value
        assert download.suggested_filename.endswith(".ics")
        content = Path(download.path()).read_text(encoding="utf-8")
        assert content.startswith("BEGIN:VCALENDAR"), content[:200]
        assert "BEGIN:VEVENT" in content and content.rstrip().endswith("END:VCALENDAR")
        unfolded = re.sub(r"\r?\n[ \t]", "", content)
        assert f"SUMMARY:{MEETING_TITLE}" in unfolded

        assert not axe_failures, "\n\n".join(axe_failures)
    finally:
        if jan_second_tab is not None:
            jan_second_tab.close()
        for page in (anna, jan, ewa):
            page.context.close()
