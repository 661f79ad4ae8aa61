"""The Calls and Insights pages in a real browser: four calls walked through the Restcomm double
(a transfer, a timeout, an invalid key, one the caller abandons) appear on the Calls page with
the right outcome and their steps on each call's timeline; both pages (and a call's page) pass
axe-core's WCAG 2.1 AA checks at desktop and phone widths without scrolling sideways."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from autoattendant.choices import ActionType as A
from autoattendant.models import Call, PhoneNumber
from autoattendant.services.calls import close_idle_calls
from autoattendant.tasks import drain_call_steps
from tests.builders import make_menu, make_system, make_weekly_block
from tests.conftest import PASSWORD
from tests.platform.restcomm import RestcommPlatform

from .axe import axe_violations
from .conftest import log_in
from .test_console_a11y import DESKTOP, PHONE, overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "15557001000"
SALES_LINE = "15557001999"


@pytest.fixture
def four_calls(enterprise_a, settings):
    """Main: 1 transfers to sales' line, 2 goes to Sales; two timeouts or two wrong keys hang
    up. Four calls walked through the Restcomm double, the abandoned one closed as idle."""
    system = make_system(enterprise_a, "Front desk", timeout_max=2, invalid_input_max=2)
    sales = make_menu(system, "Sales")
    main = make_menu(
        system,
        "Main",
        keys={"1": (A.TRANSFER_TO_PHONE, SALES_LINE), "2": (A.GO_TO_MENU, sales.sid)},
    )
    make_weekly_block(main, [(day, "00:00", "24:00") for day in range(1, 8)])
    PhoneNumber.objects.create(enterprise=enterprise_a, number=NUMBER, auto_attendant=system)
    platform = RestcommPlatform(to=NUMBER)
    sids = {}
    for name, script in (
        ("transfer", ["1", "dial:completed"]),
        ("timeout", ["", ""]),
        ("invalid", ["7", "8"]),
        ("abandoned", ["2"]),
    ):
        platform.call(script)
        sids[name] = platform.call_sid
    drain_call_steps.apply()  # what beat runs every two seconds (the Redis stream, if any)
    close_idle_calls(timezone.now() + timedelta(seconds=settings.CALL_IDLE_SECONDS + 1))
    return sids


EXPECTED = {
    "transfer": ("Transferred", ["PROMPT", "TRANSFER_TO_PHONE", "HANGUP"]),
    "timeout": ("Hung up by the flow", ["PROMPT", "TIMEOUT", "HANGUP"]),
    "invalid": ("Hung up by the flow", ["PROMPT", "INVALID", "HANGUP"]),
    "abandoned": ("Caller hung up", ["PROMPT", "GO_TO_MENU"]),
}


def test_the_calls_page_shows_each_call_with_its_outcome_and_timeline(
    page, live_server, bg_admin, four_calls
):
    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    page.goto(f"{live_server.url}/console/calls/")
    rows = page.locator("table.call-table tbody tr")
    expect(rows).to_have_count(4)
    for name, call_sid in four_calls.items():
        outcome, actions = EXPECTED[name]
        call = Call.objects.get(call_sid=call_sid)
        row = rows.filter(has=page.locator(f"a[href='/console/calls/{call.sid}/']"))
        expect(row.locator(".outcome")).to_have_text(outcome)
        row.get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Call from 15550009999")
        steps = page.locator(".timeline-step")
        expect(steps).to_have_count(len(actions))
        for step, action in zip(steps.all(), actions, strict=True):
            expect(step).to_contain_text(action)
        page.go_back()

    # The outcome filter narrows the list.
    page.get_by_label("Outcome").select_option("CALLER_HUNG_UP")
    page.get_by_role("button", name="Show calls").click()
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".outcome")).to_have_text("Caller hung up")


def test_insights_count_the_calls(page, live_server, bg_admin, four_calls):
    log_in(page, live_server, bg_admin.user.email, PASSWORD)
    page.goto(f"{live_server.url}/console/insights/")
    expect(page.locator(".kpi").first).to_contain_text("4")
    expect(page.locator(".kpi").nth(1)).to_contain_text("25.0%")  # one abandoned of four
    page.get_by_text("Key presses as a table").click()
    table = page.locator("table", has=page.get_by_role("columnheader", name="Presses"))
    expect(table.locator("tbody tr")).to_have_count(4)  # Main: keys 1, 2, 7, 8 once each


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_calls_and_insights_pass_axe_at_desktop_and_phone_widths(
    browser, live_server, bg_admin, four_calls, viewport
):
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    call = Call.objects.get(call_sid=four_calls["transfer"])
    try:
        log_in(page, live_server, bg_admin.user.email, PASSWORD)
        found = {}
        for name, path in {
            "calls": "/console/calls/",
            "call": f"/console/calls/{call.sid}/",
            "insights": "/console/insights/",
        }.items():
            page.goto(live_server.url + path)
            for summary in page.locator("summary").all():
                summary.click()  # the tables behind the charts too
            violations = axe_violations(page)
            if violations:
                found[name] = violations
            assert overflow(page) <= 0, f"{name} scrolls sideways"
        assert found == {}
    finally:
        context.close()
