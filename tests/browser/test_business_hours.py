"""Business-hours control in a real browser: "Closed now" on the dashboard reaches the simulator
and a call through the Restcomm double at once, clearing it gives the schedule back; the new pages
pass axe at desktop and phone widths; and the demo's year ahead, with a gap made on purpose, is
drawn (a screenshot is kept under /tmp for a person to look at)."""

from __future__ import annotations

import datetime as dt
import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from autoattendant.choices import ActionType, ScheduleType
from autoattendant.models import AutoAttendantSystem, HolidayCalendar, Menu, PhoneNumber
from autoattendant.services.calendars import do_create_calendar
from autoattendant.services.demo import ADMIN_EMAIL, DEMO_PASSWORD
from autoattendant.services.schedules import BlockInput, EntryInput, do_replace_schedule
from autoattendant.services.systems import do_update_system
from tests.builders import make_announcement, make_menu, make_system, make_weekly_block
from tests.conftest import PASSWORD
from tests.platform.common import LiveTransport
from tests.platform.restcomm import RestcommPlatform

from .axe import axe_violations
from .conftest import log_in
from .test_console_a11y import DESKTOP, PHONE, overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "15557770000"
SCREENSHOT = os.environ.get("TIMELINE_SCREENSHOT", "/tmp/aa-demo-timeline.png")


@pytest.fixture
def shop(enterprise_a):
    """Open around the clock by the schedule; Closed is the default menu (so "Closed now" picks
    it, "Open now" the weekly menu)."""
    system = make_system(enterprise_a, "Front desk", timezone_id="Europe/Paris")
    PhoneNumber.objects.create(enterprise=enterprise_a, number=NUMBER, auto_attendant=system)
    open_says = make_announcement(enterprise_a, "Open", body="We are open.")
    closed_says = make_announcement(enterprise_a, "Closed", body="We are closed today.")
    open_menu = make_menu(
        system, "Open", announcement=open_says, color_code="#3a9d5d",
        keys={"0": ActionType.HANGUP},
    )  # fmt: skip
    closed = make_menu(
        system, "Closed", announcement=closed_says, color_code="#4a6fa5",
        keys={"0": ActionType.HANGUP},
    )  # fmt: skip
    make_weekly_block(open_menu, [(d, "00:00", "24:00") for d in range(1, 8)])
    system.default_menu = closed
    system.save()
    return system


def call_says(live_server) -> list[str]:
    platform = RestcommPlatform(
        LiveTransport(), voice_url=f"{live_server.url}/autoattendant/internal/rcml", to=NUMBER
    )
    call = platform.call(["0"])
    assert call.ended == "hangup", call.ended
    return call.said


def simulate(page, live_server) -> None:
    page.goto(f"{live_server.url}/console/simulator/")
    page.get_by_label("Number dialled").select_option(NUMBER)
    page.get_by_role("button", name="Call", exact=True).click()


def test_closed_now_reaches_the_simulator_and_calls_and_clearing_gives_the_schedule_back(
    page, live_server, bg_admin, shop
):
    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    assert call_says(live_server)[0] == "We are open."
    card = page.locator(f"#system-{shop.sid}")
    expect(card).to_contain_text("Callers hear now")
    card.get_by_label("cleared").check()
    card.get_by_label("Reason").fill("Snow day")
    card.get_by_role("button", name="Closed now").click()

    expect(page.get_by_role("status")).to_contain_text("Front desk: override set.")
    card = page.locator(f"#system-{shop.sid}")
    expect(card.locator("[data-override-active]")).to_contain_text("Callers hear Closed")
    expect(card.locator("[data-override-active]")).to_contain_text("until cleared")
    expect(card.locator("[data-override-active]")).to_contain_text(bg_admin.user.email)
    expect(card.locator("[data-override-active]")).to_contain_text("“Snow day”")
    expect(card.locator(".menu-chip")).to_have_text("Closed")
    assert axe_violations(page) == []

    simulate(page, live_server)
    transcript = page.locator(".transcript")
    expect(transcript).to_contain_text("Why this menu: override")
    expect(transcript).to_contain_text("Call starts → menu Closed")
    expect(transcript).to_contain_text("We are closed today.")
    assert call_says(live_server)[0] == "We are closed today."

    page.goto(f"{live_server.url}/console/")
    page.locator(f"#system-{shop.sid}").get_by_role("button", name="Clear override").click()
    expect(page.get_by_role("status")).to_contain_text("override cleared")
    expect(page.locator(f"#system-{shop.sid}").locator(".menu-chip")).to_have_text("Open")

    simulate(page, live_server)
    expect(page.locator(".transcript")).to_contain_text("Call starts → menu Open")
    assert call_says(live_server)[0] == "We are open."


def test_open_now_until_the_next_change_and_another_menu(page, live_server, aa_admin, shop):
    log_in(page, live_server, aa_admin.user.email, PASSWORD)
    card = page.locator(f"#system-{shop.sid}")
    card.get_by_label("Another menu").select_option(label="Closed")
    card.get_by_label("a time:").check()
    card.get_by_label("End time (Europe/Paris)").fill("2099-01-01T09:30")
    card.get_by_role("button", name="Play this menu now").click()
    expect(page.locator("[data-override-active]")).to_contain_text("until Thu 1 Jan, 09:30")
    shop.refresh_from_db()
    assert shop.override_until == dt.datetime(2099, 1, 1, 8, 30, tzinfo=dt.UTC)
    assert shop.override_set_by == aa_admin.user


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_business_hours_pages_pass_axe_at_desktop_and_phone_widths(
    browser, live_server, bg_admin, shop, enterprise_a, viewport
):
    calendar = do_create_calendar(
        bg_admin.user,
        enterprise=enterprise_a,
        changes={
            "name": "Shop holidays",
            "country": "FR",
            "entries": [{"name": "Inventory", "month": 2, "weekday": 1, "nth": 1,
                         "start_time": "09:00", "end_time": "12:00"}],
        },
    )  # fmt: skip
    closed = Menu.objects.get(name="Closed")
    do_update_system(
        bg_admin.user, shop, {"holiday_calendars": [{"calendar": calendar.sid, "menu": closed.sid}]}
    )
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        log_in(page, live_server, bg_admin.user.email, PASSWORD)
        found = {}
        for name, path in {
            "dashboard": "/console/",
            "calendars": "/console/calendars/",
            "new calendar": "/console/calendars/new/",
            "calendar": f"/console/calendars/{calendar.sid}/",
            "system holidays": f"/console/systems/{shop.sid}/holidays/",
            "year ahead": f"/console/systems/{shop.sid}/timeline/",
        }.items():
            page.goto(live_server.url + path)
            page.wait_for_load_state()
            violations = axe_violations(page)
            if violations:
                found[name] = violations
            assert overflow(page) <= 0, f"{name} scrolls sideways"
        assert found == {}
        # the calendar's dates of this and next year are listed
        page.goto(f"{live_server.url}/console/calendars/{calendar.sid}/")
        year = timezone.now().year
        for y in (year, year + 1):
            section = page.get_by_role("region", name=f"Dates in {y}", exact=True)
            expect(section).to_contain_text("Inventory")
            expect(section).to_contain_text("09:00–12:00")
            expect(section).to_contain_text("National Day")  # France's 14 July
    finally:
        context.close()


def test_a_calendar_is_edited_in_the_console_and_linked_to_a_system(
    page, live_server, bg_admin, shop
):
    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Holidays").click()
    page.get_by_role("link", name="New holiday calendar").click()
    page.get_by_label("Name", exact=True).fill("Our days")
    page.get_by_label("Entry 1 name").fill("Thanksgiving")
    page.get_by_label("Entry 1 repeats").select_option(label="nth weekday")
    page.get_by_label("Entry 1 month").select_option(label="November")
    page.get_by_label("Entry 1 which weekday of the month").select_option(label="4th")
    page.get_by_label("Entry 1 weekday", exact=True).select_option(label="Thursday")
    page.get_by_role("button", name="Save calendar").click()
    expect(page.get_by_role("status")).to_contain_text("Holiday calendar “Our days” saved.")
    year = timezone.now().year
    expect(page.get_by_role("region", name=f"Dates in {year}", exact=True)).to_contain_text(
        "Thanksgiving"
    )
    calendar = HolidayCalendar.objects.get(name="Our days")
    entry = calendar.entries.get()
    assert (entry.month, entry.weekday, entry.nth) == (11, 4, 4)

    page.goto(f"{live_server.url}/console/systems/{shop.sid}/holidays/")
    page.get_by_label("Calendar 1", exact=True).select_option(label="Our days")
    page.get_by_label("Menu for calendar 1").select_option(label="Closed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("holiday calendars saved")
    link = AutoAttendantSystem.objects.get(pk=shop.pk).holiday_links.get()
    assert (link.calendar, link.menu.name) == (calendar, "Closed")


def test_the_demo_year_ahead_with_a_gap_made_on_purpose(browser, live_server, media):
    """The demo clinic's next 12 months. A gap is made on purpose: the default menu is removed
    and a special day (Saturday in three weeks' time) covers only 09:00–12:00, so the rest of that
    day (00:00–09:00 and 12:00–24:00: two gaps) has no menu — callers would hear the apology
    (error 498)."""
    call_command("load_demo", stdout=StringIO())
    system = AutoAttendantSystem.objects.get(name="Main line")
    admin = system.created_by
    holiday = Menu.objects.get(auto_attendant=system, name="Holiday")
    business = Menu.objects.get(auto_attendant=system, name="Business hours")
    today = timezone.now().date()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 + 21)
    do_update_system(admin, system, {"default_menu": None})
    do_replace_schedule(
        admin,
        system,
        ScheduleType.DATE_RANGE,
        [
            BlockInput(menu=holiday.sid, start_date=dt.date(2026, 12, 25), end_date=dt.date(2026, 12, 25)),
            BlockInput(
                menu=business.sid,
                start_date=saturday,
                end_date=saturday,
                entries=[EntryInput(start_time="09:00", end_time="12:00")],
            ),
        ],
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        log_in(page, live_server, ADMIN_EMAIL, DEMO_PASSWORD)
        page.goto(f"{live_server.url}/console/systems/{system.sid}/timeline/")
        expect(page.locator("[data-gap-count]")).to_have_text("2")
        gap = page.locator("td.day.gap")
        expect(gap).to_have_count(1)
        expect(gap).to_have_attribute("title", f"{saturday:%a %d %b %Y}; mostly no menu; "
                                      "Special day; gap: some callers hear the apology")  # fmt: skip
        expect(page.locator("tr.gap-row")).to_have_count(2)
        expect(page.locator("tr.gap-row").first).to_contain_text("apology, then hang-up")
        # the special day on 25 December hides the calendar's Christmas: marked as a conflict
        expect(page.locator("td.day.conflict").first).to_be_visible()
        page.screenshot(path=SCREENSHOT, full_page=False)
        page.locator(".year").screenshot(path=SCREENSHOT.replace(".png", "-year.png"))
    finally:
        context.close()
