"""The console's "callers hear now" and the call flow read schedules through one compiler, so they
agree — on every hour of a week, with special days, a default menu, and blocks whose stored
entries are malformed (written behind the services' back, as an old import or a shell might)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Prefetch

from autoattendant.callflow.schedule import resolve
from autoattendant.console.week import now_playing
from autoattendant.models import AutoAttendantSystem, ScheduleBlock, ScheduleEntry
from autoattendant.runtime.compiler import compile_flow
from tests.builders import make_date_range_block, make_menu, make_system, make_weekly_block

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)  # a week that crosses Europe's DST change


@pytest.fixture
def system(enterprise_a):
    system = make_system(enterprise_a, "Mixed", timezone_id="Europe/Paris")
    office = make_menu(system, "Office")
    night = make_menu(system, "Night")
    broken = make_menu(system, "Broken")
    holiday = make_menu(system, "Holiday")
    make_weekly_block(office, [(day, "09:00", "17:00") for day in range(1, 6)])
    make_weekly_block(night, [(day, "22:00", "06:00") for day in range(1, 8)], position=1)
    # Every entry of this block is malformed: the whole block must be left out, not made a
    # whole-day block.
    bad = make_weekly_block(broken, [(6, "10:00", "12:00")], position=2)
    ScheduleEntry.objects.filter(block=bad).update(start_time="9am", end_time="noon")
    # One good and one malformed entry: only the good one counts.
    partly = make_weekly_block(office, [(6, "13:00", "15:00"), (7, "13:00", "15:00")], position=3)
    ScheduleEntry.objects.filter(block=partly, day=7).update(end_time="25:00")
    make_date_range_block(holiday, dt.date(2026, 3, 4), dt.date(2026, 3, 4))
    # A special day whose only entry is malformed: left out, so Thursday is a weekly day — not
    # a whole-day special day.
    odd = make_date_range_block(
        broken, dt.date(2026, 3, 5), dt.date(2026, 3, 5), [("10:00", "11:00")]
    )
    ScheduleEntry.objects.filter(block=odd).update(start_time="10h")
    system.default_menu = night
    system.save()
    return system


def _console_view(system_id: int) -> AutoAttendantSystem:
    """The system as the dashboard loads it (prefetched, no per-block queries)."""
    blocks = ScheduleBlock.objects.select_related("menu").prefetch_related("entries")
    return (
        AutoAttendantSystem.objects.select_related("default_menu")
        .prefetch_related(Prefetch("schedule", queryset=blocks))
        .get(pk=system_id)
    )


def test_every_hour_of_the_week_agrees(system):
    flow = compile_flow(system.pk)
    loaded = _console_view(system.pk)
    checked = set()
    for hour in range(24 * 8):
        instant = MONDAY + dt.timedelta(hours=hour, minutes=30)
        console = now_playing(loaded, instant)
        assert console.resolution.menu_sid == resolve(flow, instant).menu_sid, instant
        checked.add(console.resolution.menu_sid)
    # The week really exercised every layer: office, night (weekly and default), holiday.
    names = {menu.sid: menu.name for menu in system.menus.all()}
    assert {names[sid] for sid in checked} == {"Office", "Night", "Holiday"}


@pytest.mark.parametrize(
    ("instant", "source"),
    [
        (dt.datetime(2026, 3, 7, 10, 0, tzinfo=dt.UTC), "default"),  # Saturday 11:00 in Paris
        (dt.datetime(2026, 3, 5, 9, 30, tzinfo=dt.UTC), "weekly"),  # Thursday 10:30 in Paris
    ],
)
def test_malformed_blocks_are_left_out_by_both(system, instant, source):
    flow = compile_flow(system.pk)
    console = now_playing(_console_view(system.pk), instant)
    assert resolve(flow, instant).source == console.resolution.source == source
