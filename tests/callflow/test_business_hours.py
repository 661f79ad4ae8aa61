"""Business-hours layers in the pure engine (DESIGN §14): the resolution order with every layer
present at once, across DST changes in two zones; calendar rules over ten years; the timeline."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autoattendant.callflow.calendars import (
    CalendarEntry,
    entry_dates,
    nth_weekday,
    public_holidays,
    resolve_dates,
    to_holiday_dates,
)
from autoattendant.callflow.model import (
    DateRangeBlock,
    HolidayLayer,
    Override,
    System,
    TimeEntry,
    WeeklyBlock,
)
from autoattendant.callflow.schedule import next_change, resolve, timeline, without_override

# Spring-forward and fall-back Sundays of 2026 in each zone.
ZONES = {
    "America/New_York": (date(2026, 3, 8), date(2026, 11, 1)),
    "Europe/Berlin": (date(2026, 3, 29), date(2026, 10, 25)),
}
#: The hour that happens twice on the fall-back night (local): 01:00 in New York, 02:00 in Berlin.
REPEATED = {"America/New_York": 1, "Europe/Berlin": 2}


def hh(zone: str, minutes: int = 0, shift: int = 0) -> str:
    """``HH:MM`` of the repeated hour (plus ``shift`` hours and ``minutes``)."""
    return f"{REPEATED[zone] + shift:02d}:{minutes:02d}"


def layer(sid: str, menu: str, *entries: CalendarEntry) -> HolidayLayer:
    resolved = [d for year in (2026, 2027) for d in resolve_dates(entries, year)]
    return HolidayLayer(sid, sid, menu, to_holiday_dates(resolved), 2026, 2027)


def every_layer(zone: str, *, calendars_reversed: bool = False, default: bool = True) -> System:
    """All six layers at once: an override ending at 01:30 local on the spring-forward Sunday;
    a special day on that Sunday (00:00–03:00, inside and across the DST gap); two calendars
    (CAL1 covers the spring Sunday whole — hidden by the special day — and the fall-back
    Sunday's hour that happens twice; CAL2 covers the fall-back Sunday and the Monday
    after it whole); a weekly schedule; a default menu."""
    spring, fall = ZONES[zone]
    tz = ZoneInfo(zone)
    cal1 = layer(
        "CAL1",
        "HOL1",
        CalendarEntry("Spring", date=spring),
        CalendarEntry("Clocks back", date=fall, start=hh(zone), end=hh(zone, shift=1)),
    )
    cal2 = layer(
        "CAL2",
        "HOL2",
        CalendarEntry("Fall Sunday", date=fall),
        CalendarEntry("Fall Monday", date=fall + timedelta(days=1)),
    )
    return System(
        sid="AA1",
        enterprise_sid="EN1",
        timezone_id=zone,
        default_menu_sid="CLOSED" if default else None,
        weekly=(
            WeeklyBlock("OPEN", tuple(TimeEntry("09:00", "17:00", d) for d in range(1, 6))),
            WeeklyBlock("WEEKEND", (TimeEntry("00:00", "24:00", 7),)),
        ),
        date_ranges=(DateRangeBlock(spring, spring, "SPECIAL", (TimeEntry("00:00", "03:00"),)),),
        holidays=(cal2, cal1) if calendars_reversed else (cal1, cal2),
        override=Override(
            "OVR",
            until=datetime.combine(spring, datetime.min.time().replace(hour=1, minute=30))
            .replace(tzinfo=tz)
            .astimezone(UTC),
            reason="snow",
        ),
    )


def local(zone: str, day: date, hhmm: str, fold: int = 0) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone), fold=fold)


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_every_layer_at_once_resolves_in_the_documented_order(zone):
    spring, fall = ZONES[zone]
    flow = every_layer(zone)
    expected = [
        # the override wins over the special day, until it expires (no job: the instant decides)
        (local(zone, spring, "00:30"), "OVR", "override"),
        (local(zone, spring, "01:29"), "OVR", "override"),
        (local(zone, spring, "01:45"), "SPECIAL", "date_range"),
        # after the DST gap the special day's entry is over; the special day still hides the
        # holiday calendar (CAL1 covers the whole day) and WEEKLY's Sunday: the default answers
        (local(zone, spring, "03:30"), "CLOSED", "default"),
        (local(zone, spring, "12:00"), "CLOSED", "default"),
        # the fall-back Sunday: CAL1's part-day hour, both times it happens; CAL2 the rest
        (local(zone, fall, hh(zone, 30, -1)), "HOL2", "holiday"),
        (local(zone, fall, hh(zone, 30), fold=0), "HOL1", "holiday"),
        (local(zone, fall, hh(zone, 30), fold=1), "HOL1", "holiday"),
        (local(zone, fall, hh(zone, 30, 1)), "HOL2", "holiday"),
        # a holiday on a weekday wins over WEEKLY
        (local(zone, fall + timedelta(days=1), "10:00"), "HOL2", "holiday"),
        # a week later: WEEKLY, then the default menu
        (local(zone, fall + timedelta(days=8), "10:00"), "OPEN", "weekly"),
        (local(zone, fall + timedelta(days=8), "18:00"), "CLOSED", "default"),
        (local(zone, fall + timedelta(days=7), "18:00"), "WEEKEND", "weekly"),
    ]
    got = [
        (when, resolve(flow, when).menu_sid, resolve(flow, when).source) for when, _, _ in expected
    ]
    assert got == expected


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_calendars_are_tried_in_the_systems_list_order(zone):
    _, fall = ZONES[zone]
    first = every_layer(zone)
    swapped = every_layer(zone, calendars_reversed=True)
    when = local(zone, fall, hh(zone, 30))
    assert resolve(first, when).menu_sid == "HOL1"
    assert resolve(swapped, when).menu_sid == "HOL2"  # CAL2 covers the whole day, first now


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_without_a_default_menu_the_uncovered_rest_of_a_special_day_is_error_498(zone):
    spring, _ = ZONES[zone]
    flow = every_layer(zone, default=False)
    resolution = resolve(flow, local(zone, spring, "12:00"))
    assert (resolution.menu_sid, resolution.source) == (None, "none")


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_timeline_across_both_dst_changes_is_contiguous_and_counts_real_hours(zone):
    spring, fall = ZONES[zone]
    flow = every_layer(zone)
    tz = ZoneInfo(zone)
    start = local(zone, spring, "00:00").astimezone(UTC)
    end = local(zone, fall + timedelta(days=2), "00:00").astimezone(UTC)
    segments = timeline(flow, start, end)
    assert segments[0].start == start and segments[-1].end == end
    assert all(a.end == b.start for a, b in itertools.pairwise(segments))
    first = segments[0]
    assert (first.resolution.source, first.end) == ("override", flow.override.until)
    assert first.conflict == "override ends; the schedule resumes"
    # the spring day: override 01:30, then SPECIAL to 03:00 local — only 30 real minutes
    # later in New York and Berlin alike, because 02:00–03:00 does not exist that night
    special = segments[1]
    assert special.resolution.source == "date_range"
    assert special.end - special.start == timedelta(minutes=30)
    assert special.conflict.startswith("special day hides holiday")
    # the fall-back night's repeated hour lasts two real hours
    hol1 = next(s for s in segments if s.resolution.menu_sid == "HOL1")
    assert hol1.end - hol1.start == timedelta(hours=2)
    assert hol1.start.astimezone(tz).utcoffset() != hol1.end.astimezone(tz).utcoffset()
    # each resolution in a segment is the resolution at every instant inside it
    for segment in segments:
        middle = segment.start + (segment.end - segment.start) / 2
        assert resolve(flow, middle).menu_sid == segment.resolution.menu_sid


def test_an_override_until_next_change_ends_where_the_schedule_changes():
    flow = every_layer("America/New_York")
    monday = local("America/New_York", date(2026, 6, 1), "10:00")
    change = next_change(without_override(flow), monday)
    assert change == local("America/New_York", date(2026, 6, 1), "17:00").astimezone(UTC)


# --- rules over ten years ------------------------------------------------------------------

MEMORIAL_DAYS = [
    date(2020, 5, 25), date(2021, 5, 31), date(2022, 5, 30), date(2023, 5, 29),
    date(2024, 5, 27), date(2025, 5, 26), date(2026, 5, 25), date(2027, 5, 31),
    date(2028, 5, 29), date(2029, 5, 28),
]  # fmt: skip
THANKSGIVINGS = [
    date(2020, 11, 26), date(2021, 11, 25), date(2022, 11, 24), date(2023, 11, 23),
    date(2024, 11, 28), date(2025, 11, 27), date(2026, 11, 26), date(2027, 11, 25),
    date(2028, 11, 23), date(2029, 11, 22),
]  # fmt: skip


def test_last_monday_of_may_over_ten_years():
    rule = CalendarEntry("Memorial Day", month=5, weekday=1, nth=-1)
    assert [d for year in range(2020, 2030) for d in entry_dates(rule, year)] == MEMORIAL_DAYS


def test_fourth_thursday_of_november_over_ten_years():
    rule = CalendarEntry("Thanksgiving", month=11, weekday=4, nth=4)
    assert [d for year in range(2020, 2030) for d in entry_dates(rule, year)] == THANKSGIVINGS


def test_the_rules_agree_with_the_holidays_package():
    us = public_holidays("US", "", range(2020, 2030))
    assert [d for d, n in us.items() if n == "Memorial Day"] == MEMORIAL_DAYS
    assert [d for d, n in us.items() if n == "Thanksgiving Day"] == THANKSGIVINGS


def test_a_fifth_weekday_a_month_lacks_gives_no_date_and_yearly_29_february_only_in_leap_years():
    assert nth_weekday(2026, 2, 1, 5) is None  # February 2026 has four Mondays
    assert nth_weekday(2026, 3, 1, 5) == date(2026, 3, 30)
    leap = CalendarEntry("Leap", month=2, day=29)
    assert entry_dates(leap, 2028) == [date(2028, 2, 29)]
    assert entry_dates(leap, 2027) == []


def test_subdivision_holidays_come_from_the_package():
    bavaria = public_holidays("DE", "BY", [2026])
    berlin = public_holidays("DE", "BE", [2026])
    assert date(2026, 1, 6) in bavaria  # Epiphany is a holiday in Bavaria
    assert date(2026, 1, 6) not in berlin
    with pytest.raises(ValueError):
        public_holidays("XX", "", [2026])


@settings(max_examples=60, deadline=None)
@given(
    year=st.integers(1950, 2150),
    month=st.integers(1, 12),
    weekday=st.integers(1, 7),
    nth=st.sampled_from([1, 2, 3, 4, 5, -1]),
)
def test_nth_weekday_is_that_weekday_in_that_month_at_that_rank(year, month, weekday, nth):
    found = nth_weekday(year, month, weekday, nth)
    if found is None:
        assert nth == 5
        return
    assert (found.year, found.month, found.isoweekday()) == (year, month, weekday)
    if nth == -1:
        assert (found + timedelta(days=7)).month != month
    else:
        assert (found.day - 1) // 7 + 1 == nth


@settings(max_examples=80, deadline=None)
@given(st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2027, 1, 31)))
def test_any_instant_resolves_to_exactly_one_outcome_in_either_zone(naive):
    for zone in ZONES:
        resolution = resolve(every_layer(zone), naive.replace(tzinfo=UTC))
        assert resolution.source in ("override", "date_range", "holiday", "weekly", "default")
        assert resolution.menu_sid is not None
