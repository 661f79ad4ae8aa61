"""Holiday calendars (DESIGN §14): an enterprise's shared calendars, and their links to AA systems.

- A calendar has a ``name``, an optional ``country`` (ISO 3166-1 alpha-2, one the ``holidays``
  package knows) and ``subdivision``, and ``entries``: once (``date``), yearly (``month``,
  ``day``) or the ``nth`` (1–5, -1 = last) ``weekday`` (1–7) of a ``month``, each optionally for
  part of a day (``start_time`` < ``end_time``, ``HH:MM``, end may be ``24:00``).
- Entries sent replace the stored ones; left out, they are kept.
- A calendar linked to a system can't be deleted (661, naming the systems).
- A system's ``holiday_calendars`` is a list of ``{calendar, menu}`` (a calendar of the
  enterprise, a menu of that system), tried in list order; each calendar at most once.

Every write runs in one transaction and bumps ``flow_version`` of every system linking the
calendar, so a change reaches each of them at its next call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from ..callflow.calendars import CalendarEntry, ResolvedDate, public_holidays, resolve_dates
from ..callflow.model import parse_hhmm
from ..errors import Errors
from ..models import (
    AutoAttendantSystem,
    Enterprise,
    HolidayCalendar,
    HolidayEntry,
    Menu,
    SystemHolidayCalendar,
    User,
)
from ..runtime.compiler import stored_entry
from ..runtime.versions import touch_systems
from .locking import lock_row

__all__ = [
    "CALENDAR_FIELDS",
    "calendar_dates",
    "do_create_calendar",
    "do_delete_calendar",
    "do_update_calendar",
    "entry_in",
    "entry_out",
    "get_calendar_for",
    "replace_links",
]

CALENDAR_FIELDS = ("name", "country", "subdivision", "entries")
ENTRY_FIELDS = ("name", "date", "month", "day", "weekday", "nth", "start_time", "end_time")
MAX_ENTRIES = 500


def get_calendar_for(user: User, sid: Any) -> HolidayCalendar:
    """The calendar ``sid`` as ``user`` sees it, else 660 (missing or another enterprise's)."""
    from ..access import get_visible

    queryset = HolidayCalendar.objects.select_related("enterprise")
    return get_visible(queryset, user, sid, Errors.CALENDAR_NOT_FOUND)


# --- validation ------------------------------------------------------------------------------


def _int(value: Any, field: str, low: int, high: int, allowed: Iterable[int] = ()) -> int:
    if isinstance(value, str) and value.lstrip("-").isdigit():
        value = int(value)
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not (low <= value <= high or value in allowed)
    ):
        extra = f" or {', '.join(map(str, allowed))}" if allowed else ""
        raise Errors.VALIDATION({field: f"Expected a whole number from {low} to {high}{extra}."})
    return value


def _entry(raw: Any, at: str) -> HolidayEntry:
    """One entry, checked (400 naming ``entries[i].field``); not saved."""
    if not isinstance(raw, dict):
        raise Errors.VALIDATION({at: "Expected an object."})
    unknown = set(raw) - set(ENTRY_FIELDS)
    if unknown:
        raise Errors.VALIDATION({f"{at}.{sorted(unknown)[0]}": "Unknown field."})
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise Errors.VALIDATION({f"{at}.name": "A name of 1 to 200 characters is required."})
    entry = HolidayEntry(name=name.strip())
    if raw.get("date") not in (None, ""):
        value = raw["date"]
        if isinstance(value, date):
            entry.date = value
        else:
            try:
                entry.date = date.fromisoformat(str(value))
            except ValueError:
                raise Errors.VALIDATION({f"{at}.date": "Expected a date YYYY-MM-DD."}) from None
        for other in ("month", "day", "weekday", "nth"):
            if raw.get(other) is not None:
                raise Errors.VALIDATION({f"{at}.{other}": "Not allowed with a date."})
    else:
        if raw.get("month") is None:
            raise Errors.VALIDATION(
                {f"{at}.date": "Send a date, or a month with a day or a weekday and nth."}
            )
        entry.month = _int(raw["month"], f"{at}.month", 1, 12)
        if raw.get("weekday") is not None:
            if raw.get("day") is not None:
                raise Errors.VALIDATION({f"{at}.day": "Send a day or a weekday, not both."})
            entry.weekday = _int(raw["weekday"], f"{at}.weekday", 1, 7)
            entry.nth = _int(raw.get("nth"), f"{at}.nth", 1, 5, allowed=(-1,))
        else:
            if raw.get("nth") is not None:
                raise Errors.VALIDATION({f"{at}.nth": "nth goes with a weekday."})
            entry.day = _int(raw.get("day"), f"{at}.day", 1, 31)
            try:  # a day the month never has (31 April); 29 February is a leap-year date
                date(2024, entry.month, entry.day)
            except ValueError:
                raise Errors.VALIDATION({f"{at}.day": "The month has no such day."}) from None
    start, end = raw.get("start_time") or "", raw.get("end_time") or ""
    if start or end:
        try:
            start_minute, end_minute = parse_hhmm(start), parse_hhmm(end)
        except ValueError:
            raise Errors.VALIDATION(
                {f"{at}.start_time": "Part-day entries need start and end times HH:MM."}
            ) from None
        if end_minute <= start_minute:
            raise Errors.VALIDATION({f"{at}.end_time": "The end time must be after the start."})
        entry.start_time, entry.end_time = start, end
    return entry


def _check(changes: dict, is_new: bool) -> list[HolidayEntry] | None:
    unknown = set(changes) - set(CALENDAR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown calendar fields: {sorted(unknown)}")
    if is_new and not changes.get("name"):
        raise Errors.VALIDATION({"name": "This field is required."})
    if "name" in changes and not (changes["name"] or "").strip():
        raise Errors.VALIDATION({"name": "This field may not be blank."})
    country = (changes.get("country") or "").upper()
    subdivision = changes.get("subdivision") or ""
    if "country" in changes or "subdivision" in changes:
        if subdivision and not country:
            raise Errors.VALIDATION({"subdivision": "A subdivision needs a country."})
        if country:
            try:
                public_holidays(country, subdivision, [date.today().year])
            except ValueError:
                field = "subdivision" if subdivision else "country"
                raise Errors.VALIDATION(
                    {field: f"No public holidays known for {country} {subdivision}".strip()}
                ) from None
    entries = changes.get("entries")
    if entries is None:
        return None
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
        raise Errors.VALIDATION({"entries": f"Expected a list of at most {MAX_ENTRIES} entries."})
    return [_entry(raw, f"entries[{i}]") for i, raw in enumerate(entries)]


def _apply(calendar: HolidayCalendar, changes: dict) -> HolidayCalendar:
    is_new = calendar.pk is None
    entries = _check(changes, is_new)
    with transaction.atomic():
        if not is_new:
            if not lock_row(calendar):
                raise Errors.CALENDAR_NOT_FOUND({"sid": calendar.sid})
            touch_systems(
                SystemHolidayCalendar.objects.filter(calendar=calendar).values_list(
                    "auto_attendant_id", flat=True
                )
            )
        if "name" in changes:
            calendar.name = changes["name"].strip()
        if "country" in changes:
            calendar.country = (changes["country"] or "").upper()
        if "subdivision" in changes:
            calendar.subdivision = changes["subdivision"] or ""
        calendar.save()
        if entries is not None:
            calendar.entries.all().delete()
            for position, entry in enumerate(entries):
                entry.calendar = calendar
                entry.position = position
            HolidayEntry.objects.bulk_create(entries)
    return calendar


def do_create_calendar(actor: User, *, enterprise: Enterprise, changes: dict) -> HolidayCalendar:
    """A new calendar of ``enterprise`` (``changes``: ``CALENDAR_FIELDS``; ``name`` required)."""
    return _apply(HolidayCalendar(enterprise=enterprise, created_by=actor), changes)


def do_update_calendar(actor: User, calendar: HolidayCalendar, changes: dict) -> HolidayCalendar:
    """A partial update; ``entries`` sent replace the stored ones."""
    return _apply(calendar, changes)


def do_delete_calendar(calendar: HolidayCalendar) -> None:
    """Delete the calendar with its entries, unless a system links it (661)."""
    with transaction.atomic():
        if not lock_row(calendar):
            raise Errors.CALENDAR_NOT_FOUND({"sid": calendar.sid})
        users = sorted(
            SystemHolidayCalendar.objects.filter(calendar=calendar).values_list(
                "auto_attendant__sid", flat=True
            )
        )
        if users:
            raise Errors.CALENDAR_IN_USE({"sid": calendar.sid, "auto_attendants": users})
        calendar.delete()


def entry_out(entry: HolidayEntry) -> dict:
    """An entry in the API's (and the export document's) names: only the fields of its kind."""
    data: dict = {"name": entry.name}
    if entry.date is not None:
        data["date"] = entry.date.isoformat()
    elif entry.weekday is not None:
        data.update(month=entry.month, weekday=entry.weekday, nth=entry.nth)
    else:
        data.update(month=entry.month, day=entry.day)
    if entry.start_time:
        data.update(startTime=entry.start_time, endTime=entry.end_time)
    return data


def entry_in(raw: Any) -> Any:
    """An entry in the API's names as :func:`_entry` takes it (anything else unchanged)."""
    if not isinstance(raw, dict):
        return raw
    names = {"startTime": "start_time", "endTime": "end_time"}
    return {names.get(k, k): v for k, v in raw.items() if k not in names.values()}


# --- reading ---------------------------------------------------------------------------------


def calendar_entries(calendar: HolidayCalendar) -> list[CalendarEntry]:
    """The calendar's entries as the resolver takes them (uses a prefetched ``entries``)."""
    return [stored_entry(row) for row in calendar.entries.all()]


def calendar_dates(calendar: HolidayCalendar, year: int) -> list[ResolvedDate]:
    """Every date ``calendar`` covers in ``year`` (its public holidays and its entries), sorted."""
    public = {}
    if calendar.country:
        try:
            public = public_holidays(calendar.country, calendar.subdivision, [year])
        except ValueError:
            public = {}
    return resolve_dates(calendar_entries(calendar), year, public)


# --- links from systems ----------------------------------------------------------------------


@dataclass(frozen=True)
class LinkInput:
    calendar: str
    menu: str


def parse_links(raw: Any, field: str = "holiday_calendars") -> list[LinkInput]:
    """``[{"calendar", "menu"}]`` (sids) checked for shape (400)."""
    if not isinstance(raw, list):
        raise Errors.VALIDATION({field: "Expected a list."})
    links = []
    for i, item in enumerate(raw):
        if isinstance(item, LinkInput):
            links.append(item)
            continue
        if not isinstance(item, dict):
            raise Errors.VALIDATION({f"{field}[{i}]": "Expected an object."})
        for key in ("calendar", "menu"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise Errors.VALIDATION({f"{field}[{i}].{key}": "This field is required."})
        links.append(LinkInput(item["calendar"], item["menu"]))
    return links


def replace_links(system: AutoAttendantSystem, raw: Any) -> None:
    """Replace the system's calendar links (call inside the system's writing transaction, with
    the system locked and touched): calendars of its enterprise (660), menus of the system
    (502), each calendar once (400)."""
    links = parse_links(raw)
    field = "holiday_calendars"
    calendars = {
        c.sid: c
        for c in HolidayCalendar.objects.filter(
            enterprise_id=system.enterprise_id, sid__in={link.calendar for link in links}
        )
    }
    menus = {
        m.sid: m
        for m in Menu.objects.filter(
            auto_attendant_id=system.pk, sid__in={link.menu for link in links}
        )
    }
    rows = []
    seen = set()
    for i, link in enumerate(links):
        calendar = calendars.get(link.calendar)
        if calendar is None:
            raise Errors.CALENDAR_NOT_FOUND({"sid": link.calendar, "field": f"{field}[{i}]"})
        if calendar.pk in seen:
            raise Errors.VALIDATION({f"{field}[{i}].calendar": "Each calendar at most once."})
        seen.add(calendar.pk)
        menu = menus.get(link.menu)
        if menu is None:
            raise Errors.MENU_NOT_FOUND({"sid": link.menu, "field": f"{field}[{i}]"})
        rows.append(
            SystemHolidayCalendar(auto_attendant=system, calendar=calendar, menu=menu, position=i)
        )
    SystemHolidayCalendar.objects.filter(auto_attendant=system).delete()
    SystemHolidayCalendar.objects.bulk_create(rows)
