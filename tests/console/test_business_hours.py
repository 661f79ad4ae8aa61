"""The console's business-hours pages with Django's test client: who may do what, refusals in
words, and the dashboard agreeing with calls (the browser tests walk the same pages for real)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import HolidayCalendar, SystemHolidayCalendar
from autoattendant.services.calendars import do_create_calendar
from autoattendant.services.systems import do_update_system


def _local_today(world) -> dt.date:
    """Today where the system is (the dashboard's today), not where the tests run."""
    return dt.datetime.now(ZoneInfo(world.system.timezone_id)).date()


def test_an_aa_admin_sets_and_clears_an_override_from_the_dashboard(aa, aa_admin, world):
    url = f"/console/systems/{world.system.sid}/override/"
    # the world's schedule plays Main around the clock: there is no "next change" to wait for
    page = aa.post(url, {"preset": "menu", "menu": world.sales.sid, "until_mode": "next"},
                   follow=True).content.decode()  # fmt: skip
    assert "does not change menus within 400 days" in page
    response = aa.post(
        url, {"preset": "menu", "menu": world.sales.sid, "until_mode": "cleared", "reason": "Promo"}
    )
    assert response.status_code == 302 and response.url.endswith(f"#system-{world.system.sid}")
    world.system.refresh_from_db()
    assert world.system.override_menu == world.sales
    assert world.system.override_until is None
    assert world.system.override_set_by == aa_admin.user
    page = aa.get("/console/").content.decode()
    assert "Override on" in page and "“Promo”" in page
    assert "Override: set on the dashboard" in page  # why callers hear it
    aa.post(url, {"clear": "1"})
    world.system.refresh_from_db()
    assert world.system.override_menu is None


def test_override_refusals_are_explained_and_nothing_is_written(bg, world):
    url = f"/console/systems/{world.system.sid}/override/"
    response = bg.post(url, {"preset": "menu", "menu": "MN" + "0" * 32}, follow=True)
    assert "Front desk:" in response.content.decode()
    response = bg.post(url, {"preset": "menu", "menu": world.sales.sid, "until_mode": "time",
                             "until": "2001-01-01T10:00"}, follow=True)  # fmt: skip
    assert "must end in the future" in response.content.decode()
    world.system.refresh_from_db()
    assert world.system.override_menu is None
    assert bg.get(url).status_code == 405


def test_another_enterprises_system_and_calendar_are_not_found(bg_b, world, bg_admin):
    calendar = do_create_calendar(bg_admin.user, enterprise=world.system.enterprise,
                                  changes={"name": "A's"})  # fmt: skip
    assert (
        bg_b.post(f"/console/systems/{world.system.sid}/override/", {"clear": "1"}).status_code
        == 404
    )
    assert bg_b.get(f"/console/systems/{world.system.sid}/timeline/").status_code == 404
    assert bg_b.get(f"/console/calendars/{calendar.sid}/").status_code == 404
    assert "A&#x27;s" not in bg_b.get("/console/calendars/").content.decode()


def test_the_calendar_editor_saves_rows_and_explains_a_bad_one(bg, world):
    rows = {
        "name": "Ours", "country": "", "subdivision": "", "rows": "2",
        "entry-0-name": "Last Monday of May", "entry-0-kind": "nth", "entry-0-month": "5",
        "entry-0-weekday": "1", "entry-0-nth": "-1",
        "entry-1-name": "Half day", "entry-1-kind": "once", "entry-1-date": "2027-03-03",
        "entry-1-start": "13:00", "entry-1-end": "24:00",
    }  # fmt: skip
    response = bg.post("/console/calendars/new/", rows)
    calendar = HolidayCalendar.objects.get(name="Ours")
    assert response.url == f"/console/calendars/{calendar.sid}/"
    page = bg.get(response.url).content.decode()
    assert "Mon 31 May 2027" in page and "13:00–24:00" in page  # next year's dates listed
    bad = {**rows, "entry-1-end": "12:00"}
    page = bg.post(response.url, bad).content.decode()
    assert "entry 2 end time: The end time must be after the start." in page
    assert calendar.entries.count() == 2  # nothing half-written


def test_the_dashboard_hears_the_holiday_the_calls_hear_and_its_queries_do_not_grow(
    bg, bg_admin, world
):
    today = _local_today(world)
    calendar = do_create_calendar(bg_admin.user, enterprise=world.system.enterprise, changes={
        "name": "Today", "entries": [{"name": "Founders' day", "date": today.isoformat()}],
    })  # fmt: skip
    links = [{"calendar": calendar.sid, "menu": world.sales.sid}]
    do_update_system(bg_admin.user, world.system, {"holiday_calendars": links})
    with CaptureQueriesContext(connection) as one:
        page = bg.get("/console/").content.decode()
    assert "Holiday: Founders&#x27; day (Today)" in page
    do_update_system(bg_admin.user, world.system, {"holiday_calendars": []})
    assert not SystemHolidayCalendar.objects.exists()
    with CaptureQueriesContext(connection) as none:
        bg.get("/console/")
    assert len(one.captured_queries) == len(none.captured_queries) + 1  # the calendar's entries


def test_the_year_ahead_counts_gaps(bg, world):
    world.system.default_menu = None
    world.system.save()
    page = bg.get(f"/console/systems/{world.system.sid}/timeline/").content.decode()
    assert "data-gap-count>0<" in page  # the world's week is covered every day, all day
    # the table shows local times with their offset (one segment all year: Main around the clock)
    assert page.count("<small>+0100</small>") == 2 and "+0000" not in page


def test_the_schedule_page_lists_this_weeks_exceptions_from_the_one_resolution(bg, bg_admin, world):
    tomorrow = _local_today(world) + dt.timedelta(days=1)
    calendar = do_create_calendar(bg_admin.user, enterprise=world.system.enterprise, changes={
        "name": "Days", "entries": [{"name": "Stocktaking", "date": tomorrow.isoformat(),
                                     "start_time": "10:00", "end_time": "12:00"}],
    })  # fmt: skip
    links = [{"calendar": calendar.sid, "menu": world.sales.sid}]
    do_update_system(bg_admin.user, world.system, {"holiday_calendars": links})
    page = bg.get(f"/console/systems/{world.system.sid}/schedule/").content.decode()
    assert "This week, not by the weekly schedule" in page
    assert f"{tomorrow:%a} {tomorrow.day} {tomorrow:%b} 10:00" in page
    assert "Sales — holiday “Stocktaking”" in page
