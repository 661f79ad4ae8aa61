"""The schedule editor: the week grid, weekly time ranges and special days, with the
service's refusals (overlaps, bad times) shown on the rows that caused them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.choices import ScheduleType
from autoattendant.models import ScheduleBlock
from tests.builders import make_date_range_block, make_menu, make_weekly_block

from .helpers import errors_next_to, text

pytestmark = pytest.mark.django_db


def weekly(rows: list[tuple[str, int, str, str]], initial: int = 0) -> dict:
    data = {
        "schedule_type": "WEEKLY",
        "weekly-TOTAL_FORMS": str(len(rows)),
        "weekly-INITIAL_FORMS": str(initial),
        "weekly-MIN_NUM_FORMS": "0",
        "weekly-MAX_NUM_FORMS": "1000",
    }
    for i, (menu, day, start, end) in enumerate(rows):
        data.update(
            {
                f"weekly-{i}-menu": menu,
                f"weekly-{i}-day": str(day),
                f"weekly-{i}-start_time": start,
                f"weekly-{i}-end_time": end,
            }
        )
    return data


def special(rows: list[tuple], initial: int = 0) -> dict:
    data = {
        "schedule_type": "DATE_RANGE",
        "special-TOTAL_FORMS": str(len(rows)),
        "special-INITIAL_FORMS": str(initial),
        "special-MIN_NUM_FORMS": "0",
        "special-MAX_NUM_FORMS": "1000",
    }
    for i, (menu, first, last, start, end) in enumerate(rows):
        data.update(
            {
                f"special-{i}-menu": menu,
                f"special-{i}-start_date": first,
                f"special-{i}-end_date": last,
                f"special-{i}-start_time": start,
                f"special-{i}-end_time": end,
            }
        )
    return data


def url(world) -> str:
    return f"/console/systems/{world.system.sid}/schedule/"


def test_the_week_grid_draws_each_entry_in_its_menus_colour(bg, world):
    ScheduleBlock.objects.all().delete()
    make_weekly_block(world.main, [(1, "09:00", "17:30"), (5, "22:00", "06:00")])
    page = text(bg.get(url(world)))
    # Monday 09:00-17:30: top 37.5 %, height 35.417 %, in the menu's own colour, its name in
    # black (which reads better than white on #e56052)
    colours = "--menu-colour: #e56052; --menu-ink: #000000"
    assert f'style="top: 37.5%; height: 35.417%; {colours}"' in page
    assert "Mon 09:00–17:30 Main menu" in page
    # an overnight entry is drawn to midnight, then on into the next morning
    assert f'style="top: 91.667%; height: 8.333%; {colours}"' in page
    assert f'style="top: 0.0%; height: 25.0%; {colours}"' in page


def test_each_menu_has_a_mark_beside_its_colour_for_the_legend_and_the_painter(bg, world):
    """Colour is never the only cue: Sales (created first) is A, Main menu B, in the legend, on
    the week's blocks and in the data the painter reads."""
    response = bg.get(url(world))
    assert response.context["legend"] == [
        {
            "sid": world.sales.sid,
            "name": "Sales",
            "colour": "#4c78a8",
            "ink": "#ffffff",
            "mark": "A",
        },
        {
            "sid": world.main.sid,
            "name": "Main menu",
            "colour": "#e56052",
            "ink": "#000000",
            "mark": "B",
        },
    ]
    page = text(response)
    assert '<script id="week-menus" type="application/json">' in page
    assert 'aria-hidden="true">B</span> <a href="/console/menus/' in page
    assert '<span aria-hidden="true">B · Main menu</span>' in page
    assert "console/week-painter.js" in page


def test_saving_weekly_rows_groups_them_by_menu(bg, world):
    data = weekly(
        [
            (world.main.sid, 1, "09:00", "17:00"),
            (world.sales.sid, 1, "17:00", "20:00"),
            (world.main.sid, 2, "09:00", "17:00"),
        ]
    )
    response = bg.post(url(world), data)
    assert response.status_code == 302
    blocks = ScheduleBlock.objects.filter(schedule_type=ScheduleType.WEEKLY).order_by("position")
    assert [
        (b.menu, [(e.day, e.start_time, e.end_time) for e in b.entries.all()]) for b in blocks
    ] == [
        (world.main, [(1, "09:00", "17:00"), (2, "09:00", "17:00")]),
        (world.sales, [(1, "17:00", "20:00")]),
    ]
    assert "Weekly schedule saved." in text(bg.get(url(world)))


def test_removed_and_blank_rows_are_left_out(bg, world):
    data = weekly(
        [
            (world.main.sid, 1, "09:00", "17:00"),
            (world.sales.sid, 2, "09:00", "10:00"),
            ("", 1, "", ""),
        ],
        initial=2,
    )
    data["weekly-1-DELETE"] = "on"
    assert bg.post(url(world), data).status_code == 302
    entries = [(b.menu, b.entries.count()) for b in ScheduleBlock.objects.all()]
    assert entries == [(world.main, 1)]


def test_overlapping_ranges_are_marked_on_both_rows(bg, world):
    data = weekly(
        [
            (world.main.sid, 1, "09:00", "17:00"),
            (world.sales.sid, 3, "08:00", "09:00"),
            (world.sales.sid, 1, "16:00", "18:00"),
        ]
    )
    response = bg.post(url(world), data)
    assert response.status_code == 200
    formset = response.context["weekly"]
    assert formset.forms[0].non_field_errors() == ["Overlaps Mon 16:00–18:00 (Sales)."]
    assert formset.forms[2].non_field_errors() == ["Overlaps Mon 09:00–17:00 (Main menu)."]
    assert formset.forms[1].errors == {}
    page = text(response)
    assert "These time ranges overlap: two menus cannot answer at the same time." in page
    assert 'id="weekly-row-0"' in page and "Overlaps Mon 16:00–18:00 (Sales)." in page
    # nothing was replaced
    assert ScheduleBlock.objects.get().entries.count() == 7


def test_a_bad_time_is_shown_next_to_it(bg, world):
    data = weekly([(world.main.sid, 1, "09:00", "17:00"), (world.main.sid, 2, "25:00", "26:00")])
    response = bg.post(url(world), data)
    assert response.status_code == 200
    assert errors_next_to(response, "weekly-1-start_time") == [
        "Expected HH:MM from 00:00 to 23:59."
    ]


def test_special_days_are_saved_whole_day_or_with_times(bg, world):
    data = special(
        [
            (world.sales.sid, "2025-12-24", "2025-12-26", "", ""),
            (world.main.sid, "2025-12-31", "2025-12-31", "09:00", "12:00"),
            (world.main.sid, "2025-12-31", "2025-12-31", "13:00", "15:00"),
        ]
    )
    assert bg.post(url(world), data).status_code == 302
    blocks = ScheduleBlock.objects.filter(schedule_type=ScheduleType.DATE_RANGE)
    got = sorted(
        (
            b.menu.name,
            b.start_date.isoformat(),
            b.end_date.isoformat(),
            [(e.start_time, e.end_time) for e in b.entries.all()],
        )
        for b in blocks
    )
    assert got == [
        ("Main menu", "2025-12-31", "2025-12-31", [("09:00", "12:00"), ("13:00", "15:00")]),
        ("Sales", "2025-12-24", "2025-12-26", []),
    ]
    # the weekly schedule is untouched
    assert ScheduleBlock.objects.filter(schedule_type=ScheduleType.WEEKLY).count() == 1
    page = text(bg.get(url(world)))
    assert 'value="2025-12-24"' in page


def test_special_day_errors_are_shown_in_place(bg, world):
    data = special(
        [
            (world.sales.sid, "2025-12-26", "2025-12-24", "", ""),
            (world.main.sid, "2025-12-31", "2025-12-31", "09:00", ""),
        ]
    )
    response = bg.post(url(world), data)
    assert errors_next_to(response, "special-1-end_time") == [
        "Give both times, or neither for the whole day."
    ]
    data = special([(world.sales.sid, "2025-12-26", "2025-12-24", "", "")])
    response = bg.post(url(world), data)
    assert errors_next_to(response, "special-0-end_date") == ["endDate is before startDate."]
    data = special(
        [
            (world.sales.sid, "2025-12-24", "2025-12-26", "", ""),
            (world.main.sid, "2025-12-25", "2025-12-25", "", ""),
        ]
    )
    response = bg.post(url(world), data)
    assert "These special days overlap in dates and times." in text(response)
    assert response.context["special"].forms[1].non_field_errors() == [
        "Overlaps 2025-12-24 to 2025-12-26 all day (Sales)."
    ]


def test_only_this_systems_menus_are_offered(bg, world, world_b):
    form = bg.get(url(world)).context["weekly"].forms[0]
    offered = dict(form.fields["menu"].choices)
    assert world.main.sid in offered and world_b.main.sid not in offered
    response = bg.post(url(world), weekly([(world_b.main.sid, 1, "09:00", "10:00")]))
    assert errors_next_to(response, "weekly-0-menu")[0].startswith("Select a valid choice.")


def test_another_enterprises_schedule_is_not_found(bg, world_b):
    assert bg.get(url(world_b)).status_code == 404
    response = bg.post(url(world_b), weekly([]))
    assert response.status_code == 404
    assert ScheduleBlock.objects.filter(auto_attendant=world_b.system).exists()


def test_the_editor_costs_the_same_queries_with_hundreds_of_entries(bg, world):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert bg.get(url(world)).status_code == 200
        return len(queries)

    before = count()
    for i in range(100):
        menu = make_menu(world.system, f"Menu {i}")
        make_date_range_block(
            menu,
            dt.date(2026, 1, 1) + dt.timedelta(days=i),
            dt.date(2026, 1, 1) + dt.timedelta(days=i),
            [("09:00", "10:00")],
        )
    # session, user, enterprise, system, menus, blocks with menus, entries
    assert count() == before
