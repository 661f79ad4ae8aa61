"""Which menu a caller hears at a given instant, and when that changes next.

Rules (DESIGN §6, §11 "Special days" and §14), in this order — the one resolution that calls, the
simulator, ``rcml/search``, the dashboard, the week grid and the timeline all go through:

1. an active override (``System.override``, until its ``until``: expiry needs no job);
2. DATE_RANGE special days;
3. holiday calendars, in the system's list order (a part-day date covers only its times; the rest
   of that day follows the layers below);
4. WEEKLY; 5. the default menu; 6. nothing (error 498).

- The instant is converted to the system's zone with ``zoneinfo`` and compared by *wall clock*.
  Consequences on DST days, which the tests pin down: on a spring-forward day the skipped local
  times never occur, so an entry starting inside the gap (02:30 in New York on 2025-03-09) takes
  effect at the first instant after the gap (03:00 EDT), and an entry lying entirely inside the gap
  never matches that day; on a fall-back day the repeated local hour occurs twice, so an entry
  covering 01:00–02:00 matches during both real hours.
- A DATE_RANGE block covering the local date wins over WEEKLY completely. Without entries it covers
  the whole day; with entries only those times.
- A WEEKLY entry matches when ``day`` is the local ISO weekday and ``start <= time < end``;
  ``24:00`` is the end of the day; an entry whose end is not after its start runs past midnight
  into the next day (Monday 22:00–06:00 matches Tuesday 03:00). Same-day entries are tried before
  spill-overs from the previous day; blocks and entries in snapshot order (overlaps are rejected
  when saved, so the order only makes inconsistent data deterministic).
- Nothing matched → the system's default menu, else no menu (the caller answers error 498).

Both functions are pure and cheap: ``resolve`` is linear in the number of entries;
``next_change`` evaluates ``resolve`` only at candidate boundaries (entry edges, midnights and DST
transitions), never minute by minute.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .model import (
    DateRangeBlock,
    HolidayDate,
    HolidayLayer,
    System,
    TimeEntry,
    WeeklyBlock,
)

__all__ = [
    "Resolution",
    "Segment",
    "local_time",
    "next_change",
    "resolve",
    "timeline",
    "without_override",
    "zone_of",
]

Source = Literal["override", "date_range", "holiday", "weekly", "default", "none"]

_DAY_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of resolving a schedule, with the reason (for the console and the simulator).

    ``menu_sid`` is ``None`` only when nothing matched and there is no default menu (error 498).
    ``source`` says which rule decided; ``block``/``entry`` name the matching block and entry where
    one matched (``entry`` is ``None`` for a DATE_RANGE block without entries). ``local`` is the
    instant as wall-clock time in the system's zone.
    """

    menu_sid: str | None
    source: Source
    local: datetime
    block: WeeklyBlock | DateRangeBlock | None = None
    entry: TimeEntry | None = None
    holiday: HolidayDate | None = None
    calendar: HolidayLayer | None = None

    @property
    def matched(self) -> bool:
        """True when the caller gets a menu (a schedule entry or the default menu)."""
        return self.menu_sid is not None

    @property
    def reason(self) -> str:
        """A one-line human explanation, e.g. for the dashboard or ``simulate_call``."""
        when = self.local.strftime("%a %Y-%m-%d %H:%M %Z")
        if self.source == "override":
            return f"override at {when}"
        if self.source == "holiday":
            assert self.holiday is not None and self.calendar is not None
            times = f" {self.entry.start}-{self.entry.end}" if self.entry else " (whole day)"
            return f"holiday {self.holiday.name!r} ({self.calendar.name}){times} at {when}"
        if self.source == "date_range":
            assert isinstance(self.block, DateRangeBlock)
            span = f"{self.block.start_date.isoformat()}..{self.block.end_date.isoformat()}"
            times = f" {self.entry.start}-{self.entry.end}" if self.entry else " (whole day)"
            return f"special days {span}{times} at {when}"
        if self.source == "weekly":
            assert self.entry is not None
            e = self.entry
            return f"weekly day {e.day} {e.start}-{e.end} at {when}"
        if self.source == "default":
            return f"default menu (no schedule entry) at {when}"
        return f"no schedule entry and no default menu at {when}"


def zone_of(system: System) -> ZoneInfo:
    """The system's zone; an empty or unknown ``timezone_id`` counts as UTC rather than failing."""
    try:
        return ZoneInfo(system.timezone_id or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(system: System, instant: datetime) -> datetime:
    """``instant`` (aware) as wall-clock time in the system's zone. Naive datetimes are refused.

    Goes through UTC first: ``astimezone`` to the datetime's own zone is a no-op in Python, which
    would let a nonexistent wall time (02:30 on a spring-forward day) through unnormalised.
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(UTC).astimezone(zone_of(system))


def _seconds_of_day(local: datetime) -> int:
    return local.hour * 3600 + local.minute * 60 + local.second


def _same_day_match(entry: TimeEntry, seconds: int) -> bool:
    """Does the part of ``entry`` that lies on its own day cover ``seconds``?"""
    start = entry.start_minute * 60
    end = entry.end_minute * 60
    if entry.overnight:
        return seconds >= start
    return start <= seconds < end


def _spill_match(entry: TimeEntry, seconds: int) -> bool:
    """Does the part of an overnight ``entry`` that runs into the next day cover ``seconds``?"""
    return entry.overnight and seconds < entry.end_minute * 60


def resolve(system: System, instant: datetime) -> Resolution:
    """Resolve the menu for ``instant`` (any aware datetime; usually now in UTC).

    Guarantees exactly one outcome for every instant in every zone and never raises for an aware
    datetime; a naive one raises ``ValueError`` (it is a programming error, not call data).
    """
    local = local_time(system, instant)
    override = system.override
    if override is not None and override.active(instant):
        return Resolution(override.menu_sid, "override", local)
    today = local.date()
    seconds = _seconds_of_day(local)

    covering = [block for block in system.date_ranges if block.covers(today)]
    if covering:
        for block in covering:
            if not block.entries:
                if block.menu_sid is not None:
                    return Resolution(block.menu_sid, "date_range", local, block)
                continue
            for entry in block.entries:
                if _same_day_match(entry, seconds) and block.menu_sid is not None:
                    return Resolution(block.menu_sid, "date_range", local, block, entry)
        yesterday = today - timedelta(days=1)
        for block in covering:
            if block.menu_sid is None or not block.covers(yesterday):
                continue
            for entry in block.entries:
                if _spill_match(entry, seconds):
                    return Resolution(block.menu_sid, "date_range", local, block, entry)
        return _fallback(system, local)

    for layer in system.holidays:
        for holiday in layer.dates.get(today, ()):
            if not holiday.entries:
                return Resolution(layer.menu_sid, "holiday", local, holiday=holiday, calendar=layer)
            for entry in holiday.entries:
                if _same_day_match(entry, seconds):
                    return Resolution(
                        layer.menu_sid, "holiday", local, entry=entry, holiday=holiday,
                        calendar=layer,
                    )  # fmt: skip

    weekday = local.isoweekday()
    previous_weekday = 7 if weekday == 1 else weekday - 1
    for block in system.weekly:
        for entry in block.entries:
            if entry.day == weekday and _same_day_match(entry, seconds):
                return Resolution(block.menu_sid, "weekly", local, block, entry)
    for block in system.weekly:
        for entry in block.entries:
            if entry.day == previous_weekday and _spill_match(entry, seconds):
                return Resolution(block.menu_sid, "weekly", local, block, entry)
    return _fallback(system, local)


def _fallback(system: System, local: datetime) -> Resolution:
    if system.default_menu_sid:
        return Resolution(system.default_menu_sid, "default", local)
    return Resolution(None, "none", local)


def _transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants in ``(start, end]`` at which the zone's UTC offset changes (to the second).

    Offsets are sampled hourly (zones do not change offset twice within an hour) and each change is
    narrowed by bisection, so an 8-day window costs a few hundred ``utcoffset`` calls.
    """

    def offset(instant: datetime) -> timedelta | None:
        return instant.astimezone(zone).utcoffset()

    found: list[datetime] = []
    step = timedelta(hours=1)
    left = start.replace(microsecond=0)
    left_offset = offset(left)
    while left < end:
        right = min(left + step, end).replace(microsecond=0)
        if right <= left:
            break
        right_offset = offset(right)
        if right_offset != left_offset:
            low, high = left, right  # offset(low) == left_offset != offset(high)
            while (high - low) > timedelta(seconds=1):
                middle = low + timedelta(seconds=(high - low).total_seconds() // 2)
                if offset(middle) == left_offset:
                    low = middle
                else:
                    high = middle
            if start < high <= end:
                found.append(high)
        left, left_offset = right, right_offset
    return found


def _candidate_instants(system: System, instant: datetime, horizon: timedelta) -> list[datetime]:
    """Every instant in ``(instant, instant + horizon]`` at which the resolution *could* change.

    The resolution is a step function of the local wall clock whose steps sit at entry edges and
    midnights; the wall clock itself only jumps at DST transitions. So the candidates are those
    wall-clock edges mapped back to UTC (both folds, for repeated hours) plus the transitions.
    Nonexistent wall times map to some harmless extra instant; the transition covers them.
    """
    zone = zone_of(system)
    end = instant + horizon
    minutes = {0}
    for block in system.weekly:
        for entry in block.entries:
            minutes.add(entry.start_minute % 1440)
            minutes.add(entry.end_minute % 1440)
    for dr_block in system.date_ranges:
        for entry in dr_block.entries:
            minutes.add(entry.start_minute % 1440)
            minutes.add(entry.end_minute % 1440)
    for layer in system.holidays:
        for holidays in layer.dates.values():
            for holiday in holidays:
                for entry in holiday.entries:
                    minutes.add(entry.start_minute % 1440)
                    minutes.add(entry.end_minute % 1440)

    first_day = instant.astimezone(zone).date() - timedelta(days=1)
    days = horizon.days + 3
    candidates: set[datetime] = set(_transitions(zone, instant, end))
    until = system.override.until if system.override is not None else None
    if until is not None and instant < until <= end:
        candidates.add(until.astimezone(UTC))
    for offset_days in range(days):
        day: date = first_day + timedelta(days=offset_days)
        for minute in minutes:
            wall = datetime.combine(day, time(minute // 60, minute % 60))
            for fold in (0, 1):
                utc = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
                if instant < utc <= end:
                    candidates.add(utc)
    return sorted(candidates)


def next_change(
    system: System, instant: datetime, *, horizon: timedelta = timedelta(days=8)
) -> datetime | None:
    """The first instant (UTC) after ``instant`` at which the resolved menu differs, or ``None``.

    Only the menu sid counts (moving from one entry to an adjacent entry of the same menu is not a
    change). Looks at most ``horizon`` ahead (default 8 days: a weekly schedule repeats within 7, so
    ``None`` then means "never", unless special days lie further ahead).
    """
    current = resolve(system, instant).menu_sid
    start = instant.astimezone(UTC)
    for candidate in _candidate_instants(system, start, horizon):
        if resolve(system, candidate).menu_sid != current:
            return candidate
    return None


def without_override(system: System) -> System:
    """``system`` as its schedule alone would answer (e.g. to find the "next change" an
    override set until then should end at)."""
    return replace(system, override=None) if system.override is not None else system


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of time ``start``..``end`` (UTC, end exclusive) during which one rule answers:
    ``resolution`` is the resolution at ``start``; ``conflict`` names something an admin
    should look at (a holiday on a day the schedule closes anyway, one hidden by a special day,
    an override about to expire), or is empty."""

    start: datetime
    end: datetime
    resolution: Resolution
    conflict: str = ""


def _segment_key(resolution: Resolution) -> tuple:
    """Adjacent instants with the same key belong to one segment: same menu, same rule and, for
    special days and holidays, the same block or date."""
    if resolution.source == "holiday":
        assert resolution.holiday is not None and resolution.calendar is not None
        detail: object = (resolution.calendar.calendar_sid, resolution.holiday.name)
    elif resolution.source == "date_range":
        detail = id(resolution.block)
    else:
        detail = None
    return (resolution.menu_sid, resolution.source, detail)


def _conflict(system: System, segment: Segment) -> str:
    resolution = segment.resolution
    if resolution.source == "override" and system.override and system.override.until:
        return "override ends; the schedule resumes"
    if resolution.source == "holiday":
        below = resolve(replace(system, holidays=(), override=None), segment.start)
        if below.menu_sid == resolution.menu_sid:
            assert resolution.holiday is not None
            return f"holiday {resolution.holiday.name!r} falls when callers hear this menu anyway"
    if resolution.source == "date_range":
        day = resolution.local.date()
        hidden = [h.name for layer in system.holidays for h in layer.dates.get(day, ())]
        if hidden:
            return f"special day hides holiday {', '.join(sorted(set(hidden)))}"
    return ""


def timeline(system: System, start: datetime, end: datetime) -> list[Segment]:
    """What callers hear from ``start`` to ``end`` (aware), as consecutive segments covering the
    whole span: the resolution is a step function whose steps lie among
    :func:`_candidate_instants` (entry edges, midnights, DST transitions, the override's end), so
    resolving at those instants only is exact, and DST-correct by construction."""
    start = start.astimezone(UTC)
    end = end.astimezone(UTC)
    if end <= start:
        return []
    points = [start] + [c for c in _candidate_instants(system, start, end - start) if c < end]
    segments: list[Segment] = []
    current_start = start
    current = resolve(system, start)
    for point in points[1:]:
        resolution = resolve(system, point)
        if _segment_key(resolution) != _segment_key(current):
            segments.append(Segment(current_start, point, current))
            current_start, current = point, resolution
    segments.append(Segment(current_start, end, current))
    return [replace(s, conflict=_conflict(system, s)) for s in segments]
