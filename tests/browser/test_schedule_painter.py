"""The weekly schedule painter: a grid of 7 days × 48 half hours painted with the keyboard, the
mouse or a finger, written into the weekly form's rows and saved through the same service as
the list (and so read back through the API); the days not painted keep their exact minutes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from autoattendant.models import ScheduleBlock
from tests.builders import make_menu, make_system, make_weekly_block
from tests.conftest import PASSWORD

from .axe import axe_violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def line(enterprise_a):
    """Main answers Tuesday 08:15-17:45 (minutes the grid cannot show); Sales nowhere yet."""
    system = make_system(enterprise_a, "Front desk", timezone_id="Europe/Paris")
    main = make_menu(system, "Main", color_code="#4c78a8")
    make_menu(system, "Sales", color_code="#f58518")
    make_weekly_block(main, [(2, "08:15", "17:45")])
    return system


def weekly_entries(actor, system) -> dict[str, list[dict]]:
    """The weekly schedule as the API reads it back: menu name → entries."""
    response = actor.client.get(f"/autoattendant/schedule/search?autoAttendantSid={system.sid}")
    assert response.status_code == 200
    names = {m.sid: m.name for m in system.menus.all()}
    return {
        names[block["menuSid"]]: block["entries"]
        for block in response.json()["data"]["schedule"]
        if block["scheduleType"] == "WEEKLY"
    }


def cell(page, day: int, slot: int):
    """The grid's half hour ``slot`` (0 = 00:00-00:30) of ``day`` (0 = Monday)."""
    return page.locator(f"td[data-day='{day}'][data-slot='{slot}']")


def open_schedule(page, live_server, system):
    page.goto(f"{live_server.url}/console/systems/{system.sid}/schedule/")
    grid = page.get_by_role("grid", name="Weekly schedule")
    expect(grid).to_be_visible()
    expect(page.locator("[data-week-static]")).to_be_hidden()  # the read-only week gives way
    expect(page.get_by_text("Time ranges, to the minute")).to_be_visible()  # the list, folded
    expect(page.locator("#weekly-row-0")).to_be_hidden()
    return grid


def test_painting_monday_morning_by_keyboard_saves_that_weekly_entry(
    page, live_server, bg_admin, line
):
    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    grid = open_schedule(page, live_server, line)
    # The legend is the brushes: each menu's colour, mark and name, and the eraser.
    brushes = page.get_by_role("group", name="Paint with")
    expect(brushes.get_by_role("radio")).to_have_count(3)
    expect(brushes).to_contain_text("AMain")
    expect(brushes).to_contain_text("BSales")
    expect(grid.get_by_role("columnheader", name="09:00")).to_have_count(1)
    expect(grid.get_by_role("rowheader", name="Monday")).to_have_count(1)

    brushes.get_by_role("radio", name="Sales").check()
    page.keyboard.press("Tab")  # into the grid: one tab stop, Monday 09:00
    expect(cell(page, 0, 18)).to_be_focused()
    page.keyboard.press("Home")
    expect(cell(page, 0, 0)).to_be_focused()
    for _ in range(18):
        page.keyboard.press("ArrowRight")
    expect(cell(page, 0, 18)).to_be_focused()
    page.keyboard.press("Space")  # 09:00-09:30
    for _ in range(5):
        page.keyboard.press("Shift+ArrowRight")  # … to 11:30-12:00
    expect(cell(page, 0, 23)).to_be_focused()
    for slot in range(18, 24):
        expect(cell(page, 0, slot)).to_have_attribute("aria-selected", "true")
        expect(cell(page, 0, slot)).to_contain_text("Sales")
    for slot in (17, 24):
        expect(cell(page, 0, slot)).to_have_attribute("aria-selected", "false")
    expect(page.locator("[data-painter-status]")).to_contain_text("Sales")
    expect(page.get_by_text("Changes not saved yet.")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Save weekly schedule").click()
    expect(page.get_by_role("status")).to_contain_text("Weekly schedule saved.")
    assert weekly_entries(bg_admin, line) == {
        "Main": [{"day": 2, "startTime": "08:15", "endTime": "17:45"}],  # untouched, to the minute
        "Sales": [{"day": 1, "startTime": "09:00", "endTime": "12:00"}],
    }
    # Drawn again from what was saved.
    expect(cell(page, 0, 18)).to_have_attribute("aria-selected", "true")
    expect(cell(page, 1, 17)).to_contain_text("Main")


def test_space_on_a_half_hour_of_the_brushs_menu_clears_it(page, live_server, bg_admin, line):
    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    open_schedule(page, live_server, line)
    page.get_by_role("radio", name="Main").check()
    cell(page, 1, 20).focus()  # Tuesday 10:00, Main's
    page.keyboard.press("Enter")
    expect(cell(page, 1, 20)).to_have_attribute("aria-selected", "false")
    expect(page.locator("[data-painter-status]")).to_contain_text(
        "Tuesday 10:00–10:30: no menu. Exact minutes on Tuesday were rounded to the half hour."
    )
    page.get_by_role("button", name="Save weekly schedule").click()
    expect(page.get_by_role("status")).to_contain_text("Weekly schedule saved.")
    assert weekly_entries(bg_admin, line) == {
        "Main": [
            {"day": 2, "startTime": "08:00", "endTime": "10:00"},
            {"day": 2, "startTime": "10:30", "endTime": "18:00"},
        ]
    }


def test_dragging_with_the_mouse_paints_days_by_hours(page, live_server, bg_admin, line):
    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    open_schedule(page, live_server, line)
    page.get_by_role("radio", name="Sales").check()
    start = cell(page, 2, 24).bounding_box()  # Wednesday 12:00
    end = cell(page, 4, 27).bounding_box()  # Friday 13:30
    page.mouse.move(start["x"] + 4, start["y"] + 4)
    page.mouse.down()
    page.mouse.move(end["x"] + 4, end["y"] + 4, steps=6)
    page.mouse.up()
    expect(page.locator("[data-painter-status]")).to_contain_text(
        "Wednesday to Friday 12:00–14:00: Sales."
    )
    page.get_by_role("button", name="Save weekly schedule").click()
    expect(page.get_by_role("status")).to_contain_text("Weekly schedule saved.")
    assert weekly_entries(bg_admin, line)["Sales"] == [
        {"day": day, "startTime": "12:00", "endTime": "14:00"} for day in (3, 4, 5)
    ]


def test_on_a_phone_the_grid_scrolls_in_its_box_and_a_finger_paints(
    browser, live_server, bg_admin, line
):
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, bg_admin.user.email, PASSWORD)
        open_schedule(page, live_server, line)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        box = page.locator(".painter-scroll")
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the grid scrolls, in its box
        expect(page.get_by_role("button", name="Later hours")).to_be_visible()
        assert axe_violations(page) == []

        page.get_by_role("radio", name="Sales").check()
        first, last = cell(page, 2, 20), cell(page, 2, 23)  # Wednesday 10:00 … 11:30
        first.scroll_into_view_if_needed()
        a, b = first.bounding_box(), last.bounding_box()
        touch = context.new_cdp_session(page)

        def finger(kind: str, x: float, y: float) -> None:
            points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
            touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        y = a["y"] + a["height"] / 2
        finger("touchStart", a["x"] + 5, y)
        for step in range(1, 7):
            finger("touchMove", a["x"] + 5 + (b["x"] - a["x"]) * step / 6, y)
        finger("touchEnd", 0, 0)
        expect(page.locator("[data-painter-status]")).to_contain_text(
            "Wednesday 10:00–12:00: Sales."
        )
        assert page.evaluate("window.scrollX") == 0
        page.get_by_role("button", name="Save weekly schedule").click()
        expect(page.get_by_role("status")).to_contain_text("Weekly schedule saved.")
        assert weekly_entries(bg_admin, line)["Sales"] == [
            {"day": 3, "startTime": "10:00", "endTime": "12:00"}
        ]
    finally:
        context.close()


def test_without_javascript_the_list_and_the_read_only_week_remain(
    browser, live_server, bg_admin, line
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, bg_admin.user.email, PASSWORD)
        page.goto(f"{live_server.url}/console/systems/{line.sid}/schedule/")
        expect(page.locator("[data-week-painter]")).to_be_hidden()
        expect(page.locator(".week-block")).to_have_count(1)
        row = page.locator("#weekly-row-1")
        row.get_by_label("Menu").select_option(label="Sales")
        row.get_by_label("Day").select_option(label="Monday")
        row.get_by_label("From").fill("07:05")
        row.get_by_label("To").fill("07:55")
        page.get_by_role("button", name="Save weekly schedule").click()
        expect(page.get_by_role("status")).to_contain_text("Weekly schedule saved.")
        assert ScheduleBlock.objects.filter(menu__name="Sales").get().entries.get().start_time == (
            "07:05"
        )
    finally:
        context.close()
