"""The console for every visitor: each page passes axe-core's WCAG 2.1 AA checks at desktop and
phone widths, the navigation fits a phone behind a "Menu" button, and a refused form sends the
keyboard to what needs correcting."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from autoattendant.choices import ActionType
from autoattendant.models import Mailbox, PhoneNumber, Voicemail
from autoattendant.models.voicemail import CopyStatus
from tests.builders import make_announcement, make_menu, make_system, make_weekly_block, real_wav
from tests.conftest import PASSWORD

from .axe import axe_violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def line(enterprise_a, bg_admin, media):
    """An AA system with two menus (one transfers, one goes to the other), a weekly schedule,
    a main number and an announcement: every page has something to show."""
    system = make_system(enterprise_a, "Front desk", timezone_id="Europe/Paris")
    PhoneNumber.objects.create(enterprise=enterprise_a, number="15550001000", auto_attendant=system)
    welcome = make_announcement(enterprise_a, "Welcome", body="Thanks for calling.")
    sales = make_menu(system, "Sales", color_code="#f58518")
    main = make_menu(
        system,
        "Main",
        announcement=welcome,
        color_code="#4c78a8",
        timeout_action_type=ActionType.TRANSFER_TO_PHONE,
        timeout_action_data="15550001101",
        keys={"1": (ActionType.GO_TO_MENU, sales.sid), "0": ActionType.HANGUP},
    )
    make_weekly_block(main, [(day, "08:00", "18:00") for day in range(1, 6)])
    mailbox = Mailbox.objects.create(
        enterprise=enterprise_a, name="Front desk", notify_emails=["desk@acme.example"]
    )
    heard = Voicemail.objects.create(
        enterprise=enterprise_a, mailbox=mailbox, caller="15550002222", time=timezone.now(),
        duration_seconds=12, heard=True, copy_status=CopyStatus.COPIED,
    )  # fmt: skip
    heard.audio.save(f"{heard.sid}.wav", ContentFile(real_wav()))
    Voicemail.objects.create(
        enterprise=enterprise_a, mailbox=mailbox, caller="15550003333", time=timezone.now(),
        duration_seconds=4, copy_status=CopyStatus.FAILED,
        copy_error="host media.test is not in RECORDING_URL_HOSTS",
        recording_url="https://media.test/RE1.wav",
    )  # fmt: skip
    return system


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def console_pages(line) -> dict[str, str]:
    main = line.menus.get(name="Main")
    return {
        "dashboard": "/console/",
        "systems": "/console/systems/",
        "system": f"/console/systems/{line.sid}/",
        "system settings": f"/console/systems/{line.sid}/edit/",
        "new system": "/console/systems/new/",
        "menu": f"/console/menus/{main.sid}/",
        "schedule": f"/console/systems/{line.sid}/schedule/",
        "call flow": f"/console/systems/{line.sid}/flow/",
        "announcements": "/console/announcements/",
        "new announcement": "/console/announcements/new/",
        "numbers": "/console/numbers/",
        "users": "/console/users/",
        "new user": "/console/users/new/",
        "usage": "/console/usage/",
        "simulator": "/console/simulator/",
        "password": "/console/password/",
        "voicemail": "/console/voicemail/",
        "voicemail message": f"/console/voicemail/{Voicemail.objects.filter(heard=True).get().sid}/",
        "mailboxes": "/console/mailboxes/",
        "mailbox": f"/console/mailboxes/{Mailbox.objects.get().sid}/",
        "new mailbox": "/console/mailboxes/new/",
    }


def overflow(page) -> int:
    """How far the page scrolls sideways (0: not at all)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_console_page_passes_axe_at_desktop_and_phone_widths(
    browser, live_server, bg_admin, line, viewport
):
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/console/login/")
        assert axe_violations(page) == [], "login"
        log_in(page, live_server, bg_admin.user.email, PASSWORD)
        found = {}
        for name, path in console_pages(line).items():
            page.goto(live_server.url + path)
            page.wait_for_load_state()
            violations = axe_violations(page)
            if violations:
                found[name] = violations
            assert overflow(page) <= 0, f"{name} scrolls sideways"
        assert found == {}
    finally:
        context.close()


def test_the_favicon_is_found_from_every_page(page, live_server, bg_admin, line):
    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    icons = page.eval_on_selector_all("link[rel=icon]", "links => links.map(l => l.href)")
    assert len(icons) == 2
    for href in [*icons, f"{live_server.url}/favicon.ico"]:
        response = page.request.get(href)
        assert response.status == 200, href
        assert response.headers["content-type"].startswith("image/"), href


# --- the navigation on a phone ----------------------------------------------------------------


def test_on_a_phone_the_navigation_folds_behind_a_menu_button_reachable_by_keyboard(
    phone, live_server, bg_admin, line
):
    log_in(phone, live_server, bg_admin.user.email, PASSWORD)
    phone.goto(f"{live_server.url}/console/systems/{line.sid}/")
    assert overflow(phone) <= 0
    toggle = phone.get_by_role("button", name="Menu")
    nav = phone.get_by_role("navigation", name="Main")
    links = nav.get_by_role("link")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()

    # Keyboard only: Tab to the button (after the skip link and the brand), Enter opens it.
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    phone.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    names = [
        "Dashboard", "AA systems", "Holidays", "Announcements", "Numbers", "Users", "Calls",
        "Insights", "Usage", "Simulator", "Voicemail 1 new", "History",
    ]  # fmt: skip
    expect(links).to_have_text(names)
    for name in names:  # each link next in the tab order, whole on the screen
        phone.keyboard.press("Tab")
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_focused()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    assert overflow(phone) <= 0
    expect(phone.get_by_role("button", name="Log out")).to_be_visible()

    # Escape folds it again and gives focus back to the button; a link still works.
    phone.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(nav).to_be_hidden()
    toggle.click()
    nav.get_by_role("link", name="Numbers").click()
    expect(phone.get_by_role("heading", name="Numbers", level=1)).to_be_visible()


def test_on_a_desktop_the_navigation_shows_without_a_menu_button(page, live_server, bg_admin):
    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_count(12)
    expect(page.get_by_role("link", name="Simulator")).to_be_visible()


# --- a refused form ---------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_refused_menu_save_focuses_the_summary_whose_link_focuses_the_field(
    browser, live_server, bg_admin, line, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, bg_admin.user.email, PASSWORD)
        page.goto(f"{live_server.url}/console/menus/{line.menus.get(name='Main').sid}/")
        page.get_by_label("Key 7", exact=True).select_option("TRANSFER_TO_PHONE")
        page.get_by_role("button", name="Save menu").click()

        summary = page.locator("[data-error-summary]")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text("There is a problem")
        link = summary.get_by_role("link", name="Key 7, phone number: Enter the phone number")
        key_7 = page.locator(".keypad-key").nth(6)
        expect(key_7.locator(".error-text")).to_have_text(
            "Error: Enter the phone number to transfer to."
        )
        assert axe_violations(page) == []

        link.click()
        number = page.locator("#id_key_7_number")
        expect(number).to_be_focused()
        expect(number).to_be_in_viewport()
        expect(key_7.locator(".keycap")).to_be_in_viewport()  # the key's number shows with it
        # a screen reader hears the error with the field (Django's aria-describedby)
        expect(number).to_have_accessible_description(
            "Error: Enter the phone number to transfer to."
        )
        number.fill("+1 555 010 0199")
        page.get_by_role("button", name="Save menu").click()
        expect(page.get_by_role("status")).to_contain_text("Menu “Main” saved.")
    finally:
        context.close()
