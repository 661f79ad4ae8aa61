"""Schedule resolution: weekly entries, special days, defaults, DST, and the next change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from autoattendant.callflow.model import DateRangeBlock, System, TimeEntry, WeeklyBlock
from autoattendant.callflow.schedule import local_time, next_change, resolve

NY = ZoneInfo("America/New_York")


def system(
    weekly: tuple[WeeklyBlock, ...] = (),
    date_ranges: tuple[DateRangeBlock, ...] = (),
    zone: str = "UTC",
    default: str | None = None,
) -> System:
    return System(
        sid="AA1",
        enterprise_sid="EN1",
        timezone_id=zone,
        default_menu_sid=default,
        weekly=weekly,
        date_ranges=date_ranges,
    )


def weekly(menu: str, *entries: tuple[int, str, str]) -> WeeklyBlock:
    return WeeklyBlock(menu, tuple(TimeEntry(start, end, day) for day, start, end in entries))


def at(text: str, zone: str = "UTC") -> datetime:
    """A wall-clock time in ``zone``, e.g. ``at("2025-06-02 09:00")`` (a Monday)."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def menu_at(sys_: System, when: datetime) -> str | None:
    return resolve(sys_, when).menu_sid


# 2025-06-02 is a Monday.
OFFICE = system(
    weekly=(weekly("DAY", (1, "09:00", "17:00")), weekly("NIGHT", (1, "22:00", "06:00")))
)


@pytest.mark.parametrize(
    ("when", "menu"),
    [
        ("2025-06-02 08:59:59", None),
        ("2025-06-02 09:00", "DAY"),  # start inclusive
        ("2025-06-02 16:59:59", "DAY"),
        ("2025-06-02 17:00", None),  # end exclusive
        ("2025-06-02 21:59", None),
        ("2025-06-02 22:00", "NIGHT"),
        ("2025-06-02 23:59:59", "NIGHT"),
        ("2025-06-03 00:00", "NIGHT"),  # Monday's overnight entry runs into Tuesday
        ("2025-06-03 03:00", "NIGHT"),
        ("2025-06-03 05:59:59", "NIGHT"),
        ("2025-06-03 06:00", None),
        ("2025-06-03 09:00", None),  # Tuesday has no day entry
        ("2025-06-01 23:00", None),  # Sunday
    ],
)
def test_weekly_entry_boundaries(when: str, menu: str | None) -> None:
    assert menu_at(OFFICE, at(when)) == menu


def test_end_24_00_is_end_of_day_and_does_not_spill() -> None:
    sys_ = system(weekly=(weekly("LATE", (1, "18:00", "24:00")),))
    assert menu_at(sys_, at("2025-06-02 23:59:59")) == "LATE"
    assert menu_at(sys_, at("2025-06-03 00:00")) is None


def test_sunday_overnight_runs_into_monday() -> None:
    sys_ = system(weekly=(weekly("WEEKEND", (7, "20:00", "02:00")),))
    assert menu_at(sys_, at("2025-06-01 20:00")) == "WEEKEND"
    assert menu_at(sys_, at("2025-06-02 01:59")) == "WEEKEND"
    assert menu_at(sys_, at("2025-06-02 02:00")) is None


def test_equal_start_and_end_covers_twenty_four_hours() -> None:
    sys_ = system(
        weekly=(weekly("ALL", (1, "00:00", "00:00")), weekly("SHIFT", (3, "08:00", "08:00")))
    )
    assert menu_at(sys_, at("2025-06-02 00:00")) == "ALL"
    assert menu_at(sys_, at("2025-06-02 23:59")) == "ALL"
    assert menu_at(sys_, at("2025-06-03 00:00")) is None
    assert menu_at(sys_, at("2025-06-04 08:00")) == "SHIFT"
    assert menu_at(sys_, at("2025-06-05 07:59")) == "SHIFT"
    assert menu_at(sys_, at("2025-06-05 08:00")) is None


def test_same_day_entries_win_over_the_previous_days_spill() -> None:
    sys_ = system(
        weekly=(weekly("NIGHT", (1, "22:00", "06:00")), weekly("EARLY", (2, "05:00", "07:00")))
    )
    assert menu_at(sys_, at("2025-06-03 05:30")) == "EARLY"


def test_no_match_falls_to_the_default_menu() -> None:
    sys_ = system(weekly=(weekly("DAY", (1, "09:00", "17:00")),), default="CLOSED")
    result = resolve(sys_, at("2025-06-02 18:00"))
    assert (result.menu_sid, result.source, result.matched) == ("CLOSED", "default", True)
    assert "default menu" in result.reason


def test_no_match_without_default_is_no_menu() -> None:
    result = resolve(OFFICE, at("2025-06-02 18:00"))
    assert (result.menu_sid, result.source, result.matched) == (None, "none", False)
    assert "no schedule entry" in result.reason


def test_resolution_names_the_block_and_entry() -> None:
    result = resolve(OFFICE, at("2025-06-03 03:00"))
    assert result.source == "weekly"
    assert result.block is OFFICE.weekly[1]
    assert result.entry == TimeEntry("22:00", "06:00", 1)
    assert result.reason == "weekly day 1 22:00-06:00 at Tue 2025-06-03 03:00 UTC"


def test_the_instant_is_compared_in_the_systems_zone() -> None:
    sys_ = system(weekly=(weekly("DAY", (1, "09:00", "17:00")),), zone="Asia/Tokyo")
    assert menu_at(sys_, datetime(2025, 6, 2, 0, 0, tzinfo=UTC)) == "DAY"  # 09:00 JST Monday
    assert menu_at(sys_, datetime(2025, 6, 2, 8, 0, tzinfo=UTC)) is None  # 17:00 JST


def test_unknown_or_empty_zone_counts_as_utc() -> None:
    for zone in ("", "Mars/Olympus_Mons"):
        sys_ = system(weekly=(weekly("DAY", (1, "09:00", "17:00")),), zone=zone)
        assert menu_at(sys_, datetime(2025, 6, 2, 9, 0, tzinfo=UTC)) == "DAY"


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        resolve(OFFICE, datetime(2025, 6, 2, 9, 0))


# --------------------------------------------------------------------------- special days

XMAS = date(2025, 12, 25)  # a Thursday


def test_a_whole_day_date_range_overrides_the_week() -> None:
    sys_ = system(
        weekly=(weekly("DAY", (4, "00:00", "24:00")),),
        date_ranges=(DateRangeBlock(XMAS, XMAS, "HOLIDAY"),),
    )
    assert menu_at(sys_, at("2025-12-25 00:00")) == "HOLIDAY"
    assert menu_at(sys_, at("2025-12-25 23:59")) == "HOLIDAY"
    assert menu_at(sys_, at("2025-12-24 23:59")) is None  # Wednesday, no entry
    assert menu_at(sys_, at("2026-01-01 12:00")) == "DAY"  # the next Thursday is normal
    result = resolve(sys_, at("2025-12-25 10:00"))
    assert result.source == "date_range" and result.entry is None
    assert (
        result.reason
        == "special days 2025-12-25..2025-12-25 (whole day) at Thu 2025-12-25 10:00 UTC"
    )


def test_date_range_with_entries_leaves_the_rest_of_the_day_to_the_default() -> None:
    block = DateRangeBlock(XMAS, XMAS, "HOLIDAY", (TimeEntry("09:00", "12:00"),))
    week = (weekly("DAY", (4, "00:00", "24:00")),)
    without_default = system(weekly=week, date_ranges=(block,))
    assert menu_at(without_default, at("2025-12-25 10:00")) == "HOLIDAY"
    assert menu_at(without_default, at("2025-12-25 12:00")) is None  # WEEKLY does not apply
    assert menu_at(without_default, at("2025-12-25 08:59")) is None
    with_default = system(weekly=week, date_ranges=(block,), default="CLOSED")
    assert menu_at(with_default, at("2025-12-25 13:00")) == "CLOSED"


def test_multi_day_range_and_overnight_entries_within_it() -> None:
    block = DateRangeBlock(
        date(2025, 12, 24), date(2025, 12, 26), "HOLIDAY", (TimeEntry("20:00", "02:00"),)
    )
    sys_ = system(weekly=(weekly("DAY", (6, "00:00", "24:00")),), date_ranges=(block,))
    assert menu_at(sys_, at("2025-12-24 01:00")) is None  # the spill from the 23rd is not covered
    assert menu_at(sys_, at("2025-12-24 21:00")) == "HOLIDAY"
    assert menu_at(sys_, at("2025-12-25 01:59")) == "HOLIDAY"
    assert menu_at(sys_, at("2025-12-26 23:00")) == "HOLIDAY"
    assert menu_at(sys_, at("2025-12-27 01:00")) == "DAY"  # the 27th is a normal Saturday


def test_several_date_ranges_on_one_day() -> None:
    morning = DateRangeBlock(XMAS, XMAS, "AM", (TimeEntry("08:00", "12:00"),))
    evening = DateRangeBlock(XMAS, XMAS, "PM", (TimeEntry("12:00", "18:00"),))
    sys_ = system(date_ranges=(morning, evening), default="CLOSED")
    assert [menu_at(sys_, at(f"2025-12-25 {t}")) for t in ("07:00", "08:00", "12:00", "18:00")] == [
        "CLOSED",
        "AM",
        "PM",
        "CLOSED",
    ]


def test_a_closed_date_range_suppresses_the_week() -> None:
    sys_ = system(
        weekly=(weekly("DAY", (4, "00:00", "24:00")),),
        date_ranges=(DateRangeBlock(XMAS, XMAS, None),),
        default="CLOSED",
    )
    assert menu_at(sys_, at("2025-12-25 10:00")) == "CLOSED"


def test_special_days_use_the_local_date() -> None:
    sys_ = system(date_ranges=(DateRangeBlock(XMAS, XMAS, "HOLIDAY"),), zone="Pacific/Auckland")
    assert menu_at(sys_, datetime(2025, 12, 24, 11, 0, tzinfo=UTC)) == "HOLIDAY"  # 00:00 NZDT
    assert menu_at(sys_, datetime(2025, 12, 24, 10, 59, tzinfo=UTC)) is None


# --------------------------------------------------------------------------- DST

SPRING = system(
    weekly=(weekly("GAP", (7, "02:30", "04:00")), weekly("INSIDE", (7, "02:00", "02:45"))),
    zone="America/New_York",
    default="DEFAULT",
)


def test_spring_forward_an_entry_starting_in_the_gap_starts_when_the_clock_resumes() -> None:
    """2025-03-09: New York clocks jump from 02:00 EST to 03:00 EDT; 02:30 never happens."""
    assert menu_at(SPRING, datetime(2025, 3, 9, 6, 59, 59, tzinfo=UTC)) == "DEFAULT"  # 01:59:59 EST
    assert menu_at(SPRING, datetime(2025, 3, 9, 7, 0, tzinfo=UTC)) == "GAP"  # 03:00 EDT
    assert menu_at(SPRING, datetime(2025, 3, 9, 7, 59, tzinfo=UTC)) == "GAP"  # 03:59 EDT
    assert menu_at(SPRING, datetime(2025, 3, 9, 8, 0, tzinfo=UTC)) == "DEFAULT"  # 04:00 EDT


def test_spring_forward_an_entry_inside_the_gap_never_matches_that_day() -> None:
    instant = datetime(2025, 3, 9, 5, 0, tzinfo=UTC)
    while instant < datetime(2025, 3, 9, 9, 0, tzinfo=UTC):
        assert menu_at(SPRING, instant) != "INSIDE"
        instant += timedelta(minutes=1)
    assert menu_at(SPRING, at("2025-03-16 02:10", "America/New_York")) == "INSIDE"  # a week later


def test_a_nonexistent_local_time_given_as_input_is_read_with_the_pre_transition_offset() -> None:
    """02:30 on 2025-03-09 (fold=0) is 07:30 UTC, i.e. 03:30 EDT: it resolves like 03:30."""
    result = resolve(SPRING, datetime(2025, 3, 9, 2, 30, tzinfo=NY))
    assert result.local.strftime("%H:%M %Z") == "03:30 EDT"
    assert result.menu_sid == "GAP"


def test_fall_back_an_entry_in_the_repeated_hour_matches_both_times() -> None:
    """2025-11-02: 01:00-02:00 EDT, then 01:00-02:00 EST again; 01:30 happens twice."""
    sys_ = system(
        weekly=(weekly("REPEAT", (7, "01:00", "02:00")),),
        zone="America/New_York",
        default="DEFAULT",
    )
    first = resolve(sys_, datetime(2025, 11, 2, 5, 30, tzinfo=UTC))  # 01:30 EDT
    second = resolve(sys_, datetime(2025, 11, 2, 6, 30, tzinfo=UTC))  # 01:30 EST
    assert (first.menu_sid, first.local.fold, first.local.tzname()) == ("REPEAT", 0, "EDT")
    assert (second.menu_sid, second.local.fold, second.local.tzname()) == ("REPEAT", 1, "EST")
    assert menu_at(sys_, datetime(2025, 11, 2, 4, 59, tzinfo=UTC)) == "DEFAULT"  # 00:59 EDT
    assert menu_at(sys_, datetime(2025, 11, 2, 7, 0, tzinfo=UTC)) == "DEFAULT"  # 02:00 EST
    # two real hours, and the next change is after both of them
    assert next_change(sys_, datetime(2025, 11, 2, 5, 0, tzinfo=UTC)) == datetime(
        2025, 11, 2, 7, 0, tzinfo=UTC
    )
    # an ambiguous local time given as input follows its fold
    assert resolve(sys_, datetime(2025, 11, 2, 1, 30, tzinfo=NY, fold=1)).local.tzname() == "EST"


def test_local_time_helper() -> None:
    assert local_time(SPRING, datetime(2025, 3, 9, 7, 0, tzinfo=UTC)).hour == 3


# --------------------------------------------------------------------------- next change


def test_next_change_is_the_next_entry_edge() -> None:
    assert next_change(OFFICE, at("2025-06-02 08:00")) == at("2025-06-02 09:00")
    assert next_change(OFFICE, at("2025-06-02 09:00")) == at("2025-06-02 17:00")
    assert next_change(OFFICE, at("2025-06-02 23:00")) == at("2025-06-03 06:00")
    # after Tuesday 06:00 nothing changes until next Monday 09:00
    assert next_change(OFFICE, at("2025-06-03 07:00")) == at("2025-06-09 09:00")


def test_adjacent_entries_of_the_same_menu_are_not_a_change() -> None:
    sys_ = system(weekly=(weekly("A", (1, "09:00", "12:00"), (1, "12:00", "17:00")),))
    assert next_change(sys_, at("2025-06-02 10:00")) == at("2025-06-02 17:00")


def test_next_change_is_none_when_nothing_ever_changes() -> None:
    always = system(weekly=(weekly("A", *[(d, "00:00", "24:00") for d in range(1, 8)]),))
    assert next_change(always, at("2025-06-02 10:00")) is None
    assert next_change(system(), at("2025-06-02 10:00")) is None


def test_next_change_sees_special_days() -> None:
    sys_ = system(
        weekly=(weekly("A", *[(d, "00:00", "24:00") for d in range(1, 8)]),),
        date_ranges=(DateRangeBlock(date(2025, 6, 5), date(2025, 6, 5), "HOLIDAY"),),
        zone="Europe/Paris",
    )
    assert next_change(sys_, at("2025-06-02 10:00", "Europe/Paris")) == at(
        "2025-06-05 00:00", "Europe/Paris"
    )


def test_next_change_across_spring_forward() -> None:
    assert next_change(SPRING, datetime(2025, 3, 9, 6, 0, tzinfo=UTC)) == datetime(
        2025, 3, 9, 7, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "zone", ["America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC"]
)
@pytest.mark.parametrize("start", ["2025-03-07 00:00", "2025-10-31 12:00", "2025-04-04 00:00"])
def test_next_change_agrees_with_a_minute_by_minute_scan(zone: str, start: str) -> None:
    sys_ = system(
        weekly=(
            weekly("A", (5, "09:00", "17:00"), (6, "01:30", "02:30"), (7, "01:00", "03:00")),
            weekly("B", (6, "23:00", "01:30"), (7, "03:00", "03:30")),
        ),
        date_ranges=(
            DateRangeBlock(
                date(2025, 11, 2), date(2025, 11, 2), "C", (TimeEntry("01:15", "01:45"),)
            ),
        ),
        zone=zone,
    )
    instant = datetime.fromisoformat(start).replace(tzinfo=UTC)
    horizon = timedelta(days=3)
    expected = None
    current = menu_at(sys_, instant)
    probe = instant + timedelta(minutes=1)
    while probe <= instant + horizon:
        if menu_at(sys_, probe) != current:
            expected = probe
            break
        probe += timedelta(minutes=1)
    assert next_change(sys_, instant, horizon=horizon) == expected
