"""The console in a real browser: an enterprise admin builds a two-level menu with a schedule
and walks a call through it; an AA_ADMIN meets the role limits; another enterprise's objects
never show; the pages work on a phone and from the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from autoattendant.choices import Role
from autoattendant.models import Menu, PhoneNumber, ScheduleBlock, User
from tests.builders import make_announcement, make_menu, make_system
from tests.conftest import PASSWORD

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def line(enterprise_a, bg_admin):
    """An AA system with a main number and an announcement, nothing else yet."""
    system = make_system(enterprise_a, "Front desk", timezone_id="Europe/Paris")
    PhoneNumber.objects.create(enterprise=enterprise_a, number="15550001000", auto_attendant=system)
    make_announcement(enterprise_a, "Goodbye", body="Thanks for calling sales.")
    return system


def test_an_admin_builds_a_two_level_menu_with_a_schedule_and_simulates_a_call(
    page, live_server, bg_admin, line
):
    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    # Second level first: "Sales" plays an announcement and hangs up on key 1.
    page.get_by_role("link", name="Front desk").first.click()
    page.get_by_role("link", name="New menu").click()
    page.get_by_label("Name").fill("Sales")
    page.get_by_label("Key 1", exact=True).select_option("ANNOUNCEMENT_HANGUP")
    key_1 = page.locator(".keypad-key").nth(0)
    expect(key_1.get_by_label("Menu")).to_be_hidden()  # only the picker the action needs
    key_1.get_by_label("Announcement").select_option(label="Goodbye (text to speech)")
    page.get_by_role("button", name="Create menu").click()
    expect(page.get_by_role("status")).to_contain_text("Menu “Sales” created.")

    # First level: "Main" sends key 1 to Sales.
    page.get_by_role("link", name="Front desk").click()
    page.get_by_role("link", name="New menu").click()
    page.get_by_label("Name").fill("Main")
    page.get_by_label("Key 1", exact=True).select_option("GO_TO_MENU")
    key_1 = page.locator(".keypad-key").nth(0)
    expect(key_1.get_by_label("Announcement")).to_be_hidden()
    key_1.get_by_label("Menu").select_option(label="Sales")
    page.get_by_role("button", name="Create menu").click()
    expect(page.get_by_role("status")).to_contain_text("Menu “Main” created.")

    # The schedule: Main answers on Mondays, all day (typed in the list, to the minute).
    page.get_by_role("link", name="Front desk").click()
    page.get_by_role("link", name="Schedule").click()
    # The list is folded under the painter once the page's script has run.
    expect(page.get_by_role("grid", name="Weekly schedule")).to_be_visible()
    page.get_by_text("Time ranges, to the minute").click()
    row = page.locator("#weekly-row-0")
    row.get_by_label("Menu").select_option(label="Main")
    row.get_by_label("Day").select_option(label="Monday")
    row.get_by_label("From").fill("00:00")
    row.get_by_label("To").fill("24:00")
    page.get_by_role("button", name="Save weekly schedule").click()
    expect(page.get_by_role("status")).to_contain_text("Weekly schedule saved.")
    expect(page.locator(".week-block")).to_have_count(1)
    assert ScheduleBlock.objects.get().menu == Menu.objects.get(name="Main")

    # The simulator: Monday 10:00, then key 1 twice.
    page.get_by_role("link", name="Simulator").click()
    page.get_by_label("Number dialled").select_option("15550001000")
    page.get_by_label("Moment of the call").fill("2025-06-02T10:00")
    page.get_by_role("button", name="Call", exact=True).click()
    transcript = page.locator(".transcript")
    expect(transcript).to_contain_text("Why this menu: weekly day 1 00:00-24:00")
    expect(transcript).to_contain_text("Call starts → menu Main")
    page.get_by_role("button", name="Press 1").click()
    expect(transcript).to_contain_text("Caller presses 1 → menu Sales")
    page.get_by_role("button", name="Press 1").click()
    expect(transcript).to_contain_text("Says: “Thanks for calling sales.”")
    expect(transcript).to_contain_text("Hangs up")
    expect(page.locator("[data-outcome]")).to_have_attribute("data-outcome", "hangup")


def test_an_aa_admin_cannot_reach_users_or_extension_fields(
    page, live_server, aa_admin, enterprise_a
):
    system = make_system(enterprise_a, "Front desk")
    extension = PhoneNumber.objects.create(
        enterprise=enterprise_a, number="15550001101", is_extension=True, extension="101"
    )
    log_in(page, live_server, aa_admin.user.email, PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Users")).to_have_count(0)
    response = page.goto(f"{live_server.url}/console/users/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()

    page.goto(f"{live_server.url}/console/numbers/{extension.sid}/")
    expect(page.get_by_label("AA system (for a main number)")).to_be_visible()
    expect(page.get_by_label("Extension code")).to_have_count(0)
    expect(page.get_by_label("Spoken name (for dial by name)")).to_have_count(0)
    page.goto(f"{live_server.url}/console/systems/{system.sid}/edit/")
    expect(page.get_by_text("Main numbers (callers dial these)")).to_be_visible()
    expect(page.get_by_text("Extensions (the dial-by-extension")).to_have_count(0)


def test_another_enterprises_objects_never_appear(
    page, live_server, bg_admin, enterprise_a, enterprise_b
):
    make_system(enterprise_a, "Acme line")
    theirs = make_system(enterprise_b, "Bolt dispatch")
    their_menu = make_menu(theirs, "Bolt secrets")
    make_announcement(enterprise_b, "Bolt jingle")
    PhoneNumber.objects.create(enterprise=enterprise_b, number="15559009000", auto_attendant=theirs)
    User.objects.create_user(
        email="driver@bolt.example", enterprise=enterprise_b, role=Role.AA_ADMIN
    )
    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    for path in (
        "/console/",
        "/console/systems/",
        "/console/announcements/",
        "/console/numbers/",
        "/console/users/",
        "/console/simulator/",
    ):
        page.goto(live_server.url + path)
        content = page.content()
        for secret in (
            "Bolt dispatch",
            "Bolt secrets",
            "Bolt jingle",
            "15559009000",
            "driver@bolt.example",
        ):
            assert secret not in content, (path, secret)
    for path in (f"/console/systems/{theirs.sid}/", f"/console/menus/{their_menu.sid}/"):
        response = page.goto(live_server.url + path)
        assert response.status == 404
        expect(page.get_by_role("heading", name="Not found")).to_be_visible()


def test_a_phone_sized_window_and_the_keyboard_alone_are_enough(
    browser, live_server, bg_admin, line
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/console/login/")
        # The email field has focus; the rest is typing, Tab and Enter.
        page.keyboard.type(bg_admin.user.email)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/console/")
        # The first Tab reaches the skip link, and it moves focus to the content.
        page.keyboard.press("Tab")
        expect(page.locator(".skip-link")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"#main$"))
        for path in ("/console/", f"/console/systems/{line.sid}/schedule/", "/console/simulator/"):
            page.goto(live_server.url + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        # Every form field of the editors has a label.
        for path in (
            f"/console/systems/{line.sid}/schedule/",
            f"/console/systems/{line.sid}/edit/",
            f"/console/systems/{line.sid}/menus/new/",
            "/console/announcements/new/",
        ):
            page.goto(live_server.url + path)
            unlabelled = page.evaluate(
                "[...document.querySelectorAll('main input:not([type=hidden]), main select, "
                "main textarea')].filter(el => !(el.labels && el.labels.length) "
                "&& !el.getAttribute('aria-label')).map(el => el.name)"
            )
            assert unlabelled == [], path
    finally:
        context.close()
