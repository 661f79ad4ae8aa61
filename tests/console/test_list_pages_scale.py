"""The console's list pages for a large enterprise: pages of rows, a constant number of queries
whatever the number of menus, keys, announcements or extensions, and nothing of another page
(or another enterprise) on the one shown."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from autoattendant.choices import ActionType as A
from autoattendant.console.views.systems import EXTENSIONS_SHOWN, MENU_PAGE_SIZE
from autoattendant.models import Announcement, Menu, MenuKey
from tests.builders import make_announcement, make_extension, make_menu, make_system

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_announcements_come_in_pages_with_where_each_is_used(bg, enterprise_a, bg_admin):
    system = make_system(enterprise_a, "Big")
    first = make_announcement(enterprise_a, "A000 first")
    make_menu(
        system, "Uses the first", announcement=first, keys={"2": (A.ANNOUNCEMENT_RETURN, first.sid)}
    )
    few, _ = queries(bg, reverse("console:announcement_list"))
    Announcement.objects.bulk_create(
        Announcement(enterprise=enterprise_a, name=f"A{n:03d}", type="play") for n in range(1, 150)
    )
    last = make_announcement(enterprise_a, "Z last")
    make_menu(system, "Uses the last", announcement=last)
    many, page_one = queries(bg, reverse("console:announcement_list"))
    assert many == few
    assert "A000 first" in page_one and "Z last" not in page_one
    assert "menu Uses the first" in page_one and "key 2 of Uses the first" in page_one
    assert "Page 1 of 2" in page_one
    _, page_two = queries(bg, reverse("console:announcement_list") + "?page=2")
    assert "Z last" in page_two and "menu Uses the last" in page_two
    assert "A000 first" not in page_two


def test_a_system_with_many_menus_and_extensions_shows_a_page_of_each(bg, enterprise_a):
    system = make_system(enterprise_a, "Head office")
    make_menu(system, "Menu 000", keys={"1": A.HANGUP, "2": A.HANGUP})
    for n in range(3):
        system.extensions.add(
            make_extension(enterprise_a, f"155500{n:04d}", f"{n:03d}", f"Person {n}")
        )
    url = reverse("console:system_detail", args=[system.sid])
    few, small = queries(bg, url)
    assert "and 3 more" not in small and "001" in small
    menus = Menu.objects.bulk_create(
        Menu(enterprise=enterprise_a, auto_attendant=system, name=f"Menu {n:03d}")
        for n in range(1, MENU_PAGE_SIZE + 20)
    )
    MenuKey.objects.bulk_create(
        MenuKey(menu=menu, key=key, action_type=A.HANGUP) for menu in menus for key in "123"
    )
    for n in range(3, EXTENSIONS_SHOWN + 30):
        system.extensions.add(
            make_extension(enterprise_a, f"155500{n:04d}", f"{n:03d}", f"Person {n}")
        )
    many, page_one = queries(bg, url)
    assert many == few
    assert "and 30 more" in page_one
    assert "Menu 000" in page_one and f"Menu {MENU_PAGE_SIZE:03d}" not in page_one
    assert "Page 1 of 2" in page_one
    _, page_two = queries(bg, url + "?page=2")
    assert f"Menu {MENU_PAGE_SIZE:03d}" in page_two and "Menu 000" not in page_two
    # Each menu's key count, counted for the page's menus.
    assert page_two.count("<td>3</td>") == 20
