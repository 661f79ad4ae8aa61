"""The console's paged lists for a large enterprise (a system's menus and directory, the
announcements) pass axe-core's WCAG 2.1 AA checks at desktop and phone widths, pager included,
and never scroll sideways."""

from __future__ import annotations

import os

import pytest

from autoattendant.choices import ActionType
from autoattendant.console.views.announcements import PAGE_SIZE as ANNOUNCEMENTS_PAGE
from autoattendant.console.views.systems import EXTENSIONS_SHOWN, MENU_PAGE_SIZE
from autoattendant.models import Announcement, Menu, MenuKey
from tests.builders import make_extension, make_system
from tests.conftest import PASSWORD

from .axe import axe_violations
from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def big(enterprise_a):
    system = make_system(enterprise_a, "Head office")
    menus = Menu.objects.bulk_create(
        Menu(enterprise=enterprise_a, auto_attendant=system, name=f"Menu {n:03d}")
        for n in range(MENU_PAGE_SIZE + 5)
    )
    MenuKey.objects.bulk_create(
        MenuKey(menu=menu, key=key, action_type=ActionType.HANGUP) for menu in menus for key in "10"
    )
    for n in range(EXTENSIONS_SHOWN + 5):
        system.extensions.add(make_extension(enterprise_a, f"1555{n:07d}", f"{n:03d}", "Person"))
    Announcement.objects.bulk_create(
        Announcement(enterprise=enterprise_a, name=f"Notice {n:03d}", type="play")
        for n in range(ANNOUNCEMENTS_PAGE + 5)
    )
    return system


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_paged_lists_pass_axe_at_desktop_and_phone_widths(
    browser, live_server, bg_admin, big, viewport
):
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    shots = os.environ.get("CONSOLE_SCREENSHOTS")
    try:
        log_in(page, live_server, bg_admin.user.email, PASSWORD)
        found = {}
        for name, path in {
            "system": f"/console/systems/{big.sid}/",
            "system page 2": f"/console/systems/{big.sid}/?page=2",
            "announcements": "/console/announcements/",
            "announcements page 2": "/console/announcements/?page=2",
        }.items():
            page.goto(live_server.url + path)
            page.wait_for_load_state()
            assert page.get_by_role("navigation", name="Pages").is_visible(), name
            if name == "system":
                assert page.get_by_text("and 5 more").is_visible()
            violations = axe_violations(page)
            if violations:
                found[name] = violations
            width = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert width <= 0, f"{name} scrolls sideways"
            if shots:
                page.screenshot(
                    path=f"{shots}/{name.replace(' ', '-')}-{viewport['width']}.png",
                    full_page=True,
                )
        assert found == {}
    finally:
        context.close()
