"""Holiday calendars resolved to dates (DESIGN §14) — pure, so the compiler, the API's
``/calendar/{sid}/dates`` and the console's editor all expand a calendar the same way.

An entry is one of:

- once: ``date`` (that date only);
- yearly: ``month`` and ``day`` (every year; 29 February only in leap years);
- nth weekday: ``month``, ``weekday`` (ISO, 1 = Monday) and ``nth`` (1–5, or -1 for the last),
  e.g. the last Monday of May, the 4th Thursday of November. A 5th weekday that a month lacks
  gives no date that year.

Optional ``start``/``end`` (``HH:MM``, end after start or ``24:00``) make it part of a day. A
calendar's ``country`` (ISO 3166-1 alpha-2) and ``subdivision`` add that country's public holidays
from the ``holidays`` package, imported only when a calendar names a country.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .model import HolidayDate, TimeEntry

__all__ = [
    "CalendarEntry",
    "ResolvedDate",
    "entry_dates",
    "nth_weekday",
    "public_holidays",
    "resolve_dates",
    "to_holiday_dates",
]


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One entry of a calendar as stored (see the module's docstring for the three kinds)."""

    name: str
    date: date | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    start: str = ""
    end: str = ""

    @property
    def kind(self) -> str:
        if self.date is not None:
            return "once"
        if self.weekday is not None:
            return "nth_weekday"
        return "yearly"


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A date a calendar covers, with its name and, for part of a day, the times."""

    day: date
    name: str
    start: str = ""
    end: str = ""

    @property
    def whole_day(self) -> bool:
        return not (self.start and self.end)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The ``nth`` (1–5, or -1 = last) ISO ``weekday`` (1 = Monday) of ``month`` in ``year``;
    ``None`` when that month has no such day (a 5th Friday that is not there)."""
    if not (1 <= month <= 12 and 1 <= weekday <= 7 and (1 <= nth <= 5 or nth == -1)):
        raise ValueError(f"no such rule: month {month}, weekday {weekday}, nth {nth}")
    days_in_month = _calendar.monthrange(year, month)[1]
    if nth == -1:
        last = date(year, month, days_in_month)
        return last - timedelta(days=(last.isoweekday() - weekday) % 7)
    first = date(year, month, 1)
    found = first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
    return found if found.month == month else None


def entry_dates(entry: CalendarEntry, year: int) -> list[date]:
    """The dates ``entry`` covers in ``year`` (none, or one)."""
    if entry.date is not None:
        return [entry.date] if entry.date.year == year else []
    if entry.month is None:
        return []
    if entry.weekday is not None:
        found = nth_weekday(year, entry.month, entry.weekday, entry.nth or 1)
        return [found] if found else []
    if entry.day is None:
        return []
    try:
        return [date(year, entry.month, entry.day)]
    except ValueError:  # 29 February of a common year
        return []


def public_holidays(country: str, subdivision: str, years: Iterable[int]) -> dict[date, str]:
    """``country``'s (and ``subdivision``'s) public holidays in ``years`` from the ``holidays``
    package, by date (several on one date are joined with "; "). Raises ``ValueError`` for a
    country or subdivision the package does not know."""
    if not country:
        return {}
    import holidays  # only calendars naming a country pay for the import

    try:
        found = holidays.country_holidays(
            country.upper(), subdiv=subdivision or None, years=list(years)
        )
    except (NotImplementedError, KeyError) as exc:
        raise ValueError(f"unknown country or subdivision: {country} {subdivision}") from exc
    return {day: name for day, name in sorted(found.items())}


def resolve_dates(
    entries: Iterable[CalendarEntry], year: int, public: dict[date, str] | None = None
) -> list[ResolvedDate]:
    """Every date the calendar covers in ``year``, sorted: its own entries and the public
    holidays given (``public``, e.g. from :func:`public_holidays`; only ``year``'s are used).
    A whole-day entry and a part-day one on the same date both stay (the whole day wins when
    resolved)."""
    found: list[ResolvedDate] = [
        ResolvedDate(day, name) for day, name in (public or {}).items() if day.year == year
    ]
    for entry in entries:
        for day in entry_dates(entry, year):
            found.append(ResolvedDate(day, entry.name, entry.start, entry.end))
    found.sort(key=lambda r: (r.day, r.start, r.name))
    return found


def to_holiday_dates(resolved: Iterable[ResolvedDate]) -> dict[date, tuple[HolidayDate, ...]]:
    """Resolved dates grouped by day for the compiled flow: a whole-day date keeps no entries; a
    part-day one keeps its times (a malformed time leaves that entry out rather than failing)."""
    by_day: dict[date, list[HolidayDate]] = {}
    for item in resolved:
        entries: tuple[TimeEntry, ...] = ()
        if not item.whole_day:
            try:
                entries = (TimeEntry(item.start, item.end),)
            except ValueError:
                continue
        by_day.setdefault(item.day, []).append(HolidayDate(item.day, item.name, entries))
    # whole days first, so the resolver stops at the first one
    return {
        day: tuple(sorted(items, key=lambda h: bool(h.entries))) for day, items in by_day.items()
    }
