"""A newcomer registers, picks their JST with the keyboard, confirms the e-mail and logs in — by keyboard."""

import re

import pytest

from exchange_groups.models import Consent, User
from exchange_groups.registry.services import load_terc, shipped_terc_path
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "Rada-Oswiatowa-2026!"


def focus_is_visible(page) -> bool:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }"
    )


def test_registration_confirmation_and_login_by_keyboard(daphne_server, page):
    load_terc(shipped_terc_path())
    page.goto(daphne_server.url + "/konto/rejestracja/")

    page.get_by_label("Adres e-mail").focus()
    page.keyboard.type("b.kowalczyk@gmina-boleslawiec.example.pl")
    page.keyboard.press("Tab")
    assert focus_is_visible(page)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.get_by_label("Imię").focus()
    page.keyboard.type("Barbara")
    page.keyboard.press("Tab")
    page.keyboard.type("Kowalczyk")

    # The JST picker: type part of the name without diacritics, choose the rural gmina with the arrows.
    picker = page.get_by_role("combobox", name=re.compile("Jednostka samorządu terytorialnego"))
    picker.focus()
    page.keyboard.type("boleslawiec")
    rural = page.get_by_role("option", name=re.compile(r"Bolesławiec \(gmina wiejska, powiat bolesławiecki"))
    rural.wait_for()
    options = page.get_by_role("option")
    index = [options.nth(i).inner_text() for i in range(options.count())].index(rural.inner_text())
    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert "gmina wiejska" in picker.input_value()

    page.get_by_role("radio", name="Dyrektor lub naczelnik wydziału oświaty albo inspektor ds. oświaty").check()
    page.get_by_label("Nazwa stanowiska").fill("Inspektor ds. oświaty")
    for label in [
        "Zapoznałem/Zapoznałam się z klauzulą informacyjną RODO",
        "Akceptuję regulamin platformy",
        re.compile("Wyrażam zgodę na przetwarzanie moich danych"),
    ]:
        page.get_by_label(label).check()
    screenshot(page, "journey-registration-filled")
    page.get_by_role("button", name="Załóż konto").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = page.locator(".error-summary").all_inner_texts()
    assert errors == [], errors
    assert "skrzynk" in page.content()

    user = User.objects.get(email="b.kowalczyk@gmina-boleslawiec.example.pl")
    assert user.profile.unit.code == "0201022"
    assert set(Consent.objects.filter(user=user).values_list("purpose", flat=True)) == {
        "privacy_notice",
        "terms",
        "project_reporting",
    }

    mails = daphne_server.mails()
    assert mails, "no confirmation e-mail was sent"
    link = re.search(r"https?://\S+/konto/\S+", mails[-1]).group(0)
    page.goto(link)
    page.get_by_label("Hasło").fill(PASSWORD)  # the password chosen at registration confirms the address
    page.get_by_role("button", name="Potwierdzam adres e-mail").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    page.goto(daphne_server.url + "/konto/logowanie/")
    page.get_by_label("Adres e-mail").fill("b.kowalczyk@gmina-boleslawiec.example.pl")
    page.get_by_label("Hasło").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_label("Hasło").press("Enter")
    assert page.url.endswith("/konto/profil/")
    assert "Barbara" in page.content()
    screenshot(page, "journey-profile")
