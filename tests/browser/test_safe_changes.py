"""Safe changes in a real browser: a key changed in the console is refused by a flow test, saved
anyway, shows as a new version with its diff in words, is restored with confirmation — and a
call through the Restcomm platform double then behaves exactly as before. Every new page passes
axe at desktop and phone widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from autoattendant.choices import ScheduleType
from autoattendant.models import FlowTest, FlowVersion, PhoneNumber
from autoattendant.services.actions import Action
from autoattendant.services.flowtests import do_create_flow_test
from autoattendant.services.menus import do_create_menu
from autoattendant.services.schedules import BlockInput, EntryInput, do_replace_schedule
from tests.builders import make_system
from tests.conftest import PASSWORD
from tests.platform.common import LiveTransport
from tests.platform.restcomm import RestcommPlatform

from .axe import axe_violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "15557770042"
SALES = "15551234567"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def line(enterprise_a, bg_admin):
    """Front desk, open all week: key 1 transfers to sales, key 2 goes to Support (which hangs
    up); a flow test says 1 reaches sales."""
    admin = bg_admin.user
    system = make_system(enterprise_a, "Front desk", timezone_id="Europe/Paris")
    PhoneNumber.objects.create(enterprise=enterprise_a, number=NUMBER, auto_attendant=system)
    support = do_create_menu(
        admin, enterprise=enterprise_a, system=system, name="Support",
        keys=[{"key": "1", "action": Action("HANGUP")}],
    )  # fmt: skip
    main = do_create_menu(
        admin, enterprise=enterprise_a, system=system, name="Main", color_code="#4c78a8",
        keys=[
            {"key": "1", "action": Action("TRANSFER_TO_PHONE", SALES)},
            {"key": "2", "action": Action("GO_TO_MENU", support.sid)},
        ],
    )  # fmt: skip
    do_replace_schedule(
        admin, system, ScheduleType.WEEKLY,
        [BlockInput(menu=main.sid, entries=[EntryInput("00:00", "24:00", d) for d in range(1, 8)])],
    )  # fmt: skip
    do_create_flow_test(
        admin, system,
        {"name": "1 reaches sales", "at": "2026-11-30T10:00", "inputs": ["1"],
         "expect": {"outcome": "connected", "transferredTo": SALES}},
    )  # fmt: skip
    return system, main


def call(live_server, script):
    platform = RestcommPlatform(
        LiveTransport(), voice_url=f"{live_server.url}/autoattendant/internal/rcml", to=NUMBER
    )
    return platform.call(script)


def test_change_a_key_see_the_version_and_its_diff_restore_and_calls_behave_as_before(
    page, live_server, bg_admin, line
):
    system, main = line
    scripts = (("1",), ("2", "1"), ("9", "-", "-"))
    before = {script: call(live_server, script).events for script in scripts}
    assert ("dial", SALES) in before[("1",)]
    assert FlowVersion.objects.filter(system=system).count() == 3

    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    page.goto(f"{live_server.url}/console/menus/{main.sid}/")
    page.locator("#id_key_1_number").fill("15559990000")
    page.get_by_role("button", name="Save menu").click()

    # refused: the flow test that passed would fail
    failures = page.locator("#flow-test-failures")
    expect(failures).to_contain_text("This change breaks 1 flow test that passed")
    expect(failures).to_contain_text("1 reaches sales")
    expect(failures).to_contain_text(f"transferredTo: expected {SALES}, got 15559990000")
    assert axe_violations(page) == []
    assert FlowVersion.objects.filter(system=system).count() == 3
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_text("Menu “Main” saved.")).to_be_visible()
    assert call(live_server, ["1"]).dialled == ["15559990000"]

    # the new version and its diff
    page.goto(f"{live_server.url}/console/systems/{system.sid}/")
    page.get_by_role("link", name="Versions").click()
    newest = page.locator("[data-version='4']")
    expect(newest).to_contain_text("Version 4")
    expect(newest).to_contain_text(f"Main, key 1: transfer to {SALES} → transfer to 15559990000")
    page.locator("[data-version='3']").get_by_role("link", name="Compare with the live version").click()  # fmt: skip
    expect(page.get_by_role("heading", name="From version 3 to version 4")).to_be_visible()
    expect(page.locator(".diff")).to_have_text(
        f"Main, key 1: transfer to {SALES} → transfer to 15559990000"
    )

    # restore, with confirmation
    page.get_by_role("link", name="Restore version 3").click()
    expect(page.get_by_role("heading", name="Restore version 3?")).to_be_visible()
    expect(page.locator(".diff")).to_contain_text(
        f"Main, key 1: transfer to 15559990000 → transfer to {SALES}"
    )
    assert FlowVersion.objects.filter(system=system).count() == 4
    page.get_by_role("button", name="Yes, restore version 3").click()
    expect(page.get_by_text("Version 3 restored as version 5.")).to_be_visible()
    restored = FlowVersion.objects.get(system=system, number=5)
    assert restored.document == FlowVersion.objects.get(system=system, number=3).document

    # calls through the platform double behave exactly as before, prompt by prompt
    for script in scripts:
        assert call(live_server, script).events == before[script], script
    assert FlowTest.objects.get(system=system).passing is True
    page.goto(f"{live_server.url}/console/systems/{system.sid}/tests/")
    page.get_by_role("button", name="Run all tests").click()
    expect(page.get_by_text("1 of 1 flow tests pass.")).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_safe_change_pages_pass_axe(browser, live_server, bg_admin, line, viewport):
    system, main = line
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, bg_admin.user.email, PASSWORD)
        pages = {
            "history": "/console/history/",
            "object history": f"/console/history/{main.sid}/",
            "versions": f"/console/systems/{system.sid}/versions/",
            "diff": f"/console/systems/{system.sid}/versions/diff/?from=1&to=3",
            "restore": f"/console/systems/{system.sid}/versions/2/restore/",
            "flow tests": f"/console/systems/{system.sid}/tests/",
            "simulator call": f"/console/simulator/?number={NUMBER}&at=2026-11-30T10:00&inputs=2",
        }
        found = {}
        for name, path in pages.items():
            page.goto(live_server.url + path)
            page.wait_for_load_state()
            violations = axe_violations(page)
            if violations:
                found[name] = violations
            width = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert width <= 0, f"{name} scrolls sideways"
        assert found == {}
    finally:
        context.close()
