"""The dashboard: every AA system, its numbers and time zone, the menu callers hear now and
when that changes next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import PhoneNumber, ScheduleBlock
from tests.builders import make_date_range_block, make_menu, make_system, make_weekly_block

from .helpers import text

pytestmark = pytest.mark.django_db

# Wednesday 2025-06-04 10:00 in Paris (08:00 UTC).
WEDNESDAY_10_PARIS = dt.datetime(2025, 6, 4, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: WEDNESDAY_10_PARIS)


def test_it_shows_each_system_its_numbers_zone_and_current_menu(bg, world, frozen):
    page = text(bg.get("/console/"))
    assert "Front desk" in page
    assert "15550001000" in page
    assert "Europe/Paris" in page
    assert "Main menu" in page
    assert "Weekly schedule: Wednesday 00:00–24:00" in page
    assert "(now Wed 10:00)" in page  # the system's local time, not UTC


def test_it_says_when_the_menu_changes_next(bg, world, frozen):
    ScheduleBlock.objects.all().delete()
    make_weekly_block(world.main, [(3, "09:00", "17:30")])
    page = text(bg.get("/console/"))
    assert "Weekly schedule: Wednesday 09:00–17:30" in page
    assert "Wed 4 Jun, 17:30" in page


def test_special_days_and_the_default_menu_are_explained(bg, world, frozen):
    make_date_range_block(world.sales, dt.date(2025, 6, 4), dt.date(2025, 6, 4))
    page = text(bg.get("/console/"))
    assert "Special days 04 Jun 2025–04 Jun 2025 (whole day)" in page
    assert "Thu 5 Jun, 00:00" in page
    ScheduleBlock.objects.all().delete()
    world.system.default_menu = world.sales
    world.system.save()
    page = text(bg.get("/console/"))
    assert "Default menu: no schedule entry covers this moment" in page


def test_a_system_without_a_menu_for_now_is_flagged(bg, world, frozen):
    ScheduleBlock.objects.all().delete()
    page = text(bg.get("/console/"))
    assert "No menu" in page
    assert "error 498" in page


def test_another_enterprises_systems_never_appear(bg, world, world_b):
    world_b.system.name = "Bolt dispatch"
    world_b.system.save()
    page = text(bg.get("/console/"))
    assert "Front desk" in page
    assert "Bolt dispatch" not in page
    assert world_b.number.number not in page


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/console/").status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_systems_numbers_and_schedules(bg, world, frozen):
    one = _dashboard_queries(bg)
    for i in range(30):
        system = make_system(world.system.enterprise, f"Branch {i}")
        menu = make_menu(system, f"Menu {i}")
        make_weekly_block(menu, [(d, "08:00", "18:00") for d in range(1, 8)])
        make_date_range_block(menu, dt.date(2025, 12, 24), dt.date(2025, 12, 26))
        PhoneNumber.objects.create(
            enterprise=system.enterprise, number=f"1555777{i:04d}", auto_attendant=system
        )
    # session, user (+ enterprise), systems with default menus, numbers, schedule blocks with
    # their menus, entries
    assert _dashboard_queries(bg) == one
