"""Compiling a flow: an AA system read from the database into the engine's
:class:`~autoattendant.callflow.model.System` — five queries, whatever the number of menus, keys,
schedule entries, calendars or extensions: the system with its directory and override, the menus
with their keys, the schedule blocks with their entries, the linked holiday calendars with their
entries, and the announcements the flow refers to (a sixth for the mailboxes when the flow records
voicemail). The built-in phrases are resolved here too, in the system's language, so no call does
translation work.

:func:`compile_schedule` is the one schedule compiler and :func:`compile_holidays` the one
calendar compiler: the engine's flows, the console's week grid, its "callers hear now" and the
timeline all read schedules through them, so they cannot disagree. Holiday calendars are resolved
to dates here, for a window of years around now (:func:`holiday_years`), so a call never
evaluates a rule nor touches the ``holidays`` package; the flow's cache key names the year
(:func:`~.store.flow_key`), so a flow is recompiled when the year turns.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Q

from ..callflow.calendars import (
    CalendarEntry,
    public_holidays,
    resolve_dates,
    to_holiday_dates,
)
from ..callflow.model import (
    Action,
    Announcement,
    DateRangeBlock,
    Extension,
    HolidayLayer,
    Mailbox,
    Menu,
    Override,
    System,
    TimeEntry,
    WeeklyBlock,
)
from ..choices import ScheduleType
from ..models import Announcement as AnnouncementRow
from ..models import AutoAttendantSystem, ScheduleBlock, SystemHolidayCalendar
from ..models import Mailbox as MailboxRow
from ..models import Menu as MenuRow
from ..sids import ANNOUNCEMENT, MAILBOX
from .phrases import phrases_for

__all__ = [
    "StoredBlock",
    "StoredCalendar",
    "StoredEntry",
    "compile_flow",
    "compile_holidays",
    "compile_override",
    "compile_schedule",
    "holiday_years",
    "schedule_rows",
]

logger = logging.getLogger(__name__)


def _action(action_type: str | None, action_data: str | None) -> Action | None:
    """An empty action type means "not set" (the engine's defaults apply)."""
    if not action_type:
        return None
    return Action(action_type, action_data or None)


def _announcement_sid(value: str | None) -> str | None:
    return value if value and value.startswith(ANNOUNCEMENT) else None


def compile_flow(
    system: int | str, *, base_url: str = "", years: tuple[int, int] | None = None
) -> System:
    """Read system ``system`` (pk or sid) into the engine's model — five queries, whatever the
    number of menus, keys, schedule entries, calendars and extensions (four when no announcement
    is used). Holiday calendars are resolved for ``years`` (first, last; default
    :func:`holiday_years`).

    ``base_url`` (scheme and host, no trailing slash) makes announcement file URLs absolute, as
    ``<Play>`` needs. Extensions are the system's live directory numbers. Announcements are the
    enterprise's that the flow refers to (menu announcements and ringback tones, action data).
    A schedule entry with a malformed time is logged and left out rather than failing calls.
    Raises ``AutoAttendantSystem.DoesNotExist`` for an unknown system.
    """
    lookup = {"pk": system} if isinstance(system, int) else {"sid": system}
    rows = list(
        AutoAttendantSystem.objects.filter(**lookup)
        .values(
            "id",
            "sid",
            "name",
            "timezone_id",
            "language",
            "enterprise_id",
            "enterprise__sid",
            "default_menu__sid",
            "timeout_seconds",
            "timeout_max",
            "timeout_action_type",
            "timeout_action_data",
            "invalid_input_max",
            "invalid_input_action_type",
            "invalid_input_action_data",
            "invalid_extension_max",
            "invalid_extension_action_type",
            "invalid_extension_action_data",
            "dial_failure_action_type",
            "dial_failure_action_data",
            "invalid_input_announcement_sid",
            "timeout_announcement_sid",
            "extensions__number",
            "extensions__extension",
            "extensions__extension_spoken_name",
            "extensions__date_deleted",
            "override_menu__sid",
            "override_until",
            "override_reason",
        )
        .order_by("extensions__date_created", "extensions__id")
    )
    if not rows:
        raise AutoAttendantSystem.DoesNotExist(f"no AA system {system!r}")
    head = rows[0]
    extensions = tuple(
        Extension(
            number=row["extensions__number"],
            extension=row["extensions__extension"] or None,
            spoken_name=row["extensions__extension_spoken_name"] or None,
        )
        for row in rows
        if row["extensions__number"] and row["extensions__date_deleted"] is None
    )
    actions = {
        name: _action(head[f"{name}_action_type"], head[f"{name}_action_data"])
        for name in ("timeout", "invalid_input", "invalid_extension", "dial_failure")
    }

    menu_rows, announcement_ids, announcement_sids = _menu_rows(head["id"])
    for action in actions.values():
        if action and _announcement_sid(action.action_data):
            announcement_sids.add(action.action_data)
    retry_prompts = {
        name: _announcement_sid(head[f"{name}_announcement_sid"])
        for name in ("invalid_input", "timeout")
    }
    announcement_sids.update(sid for sid in retry_prompts.values() if sid)
    mailbox_sids = {
        action.action_data
        for action in (*actions.values(), *_key_actions(menu_rows))
        if action and action.action_type == "VOICEMAIL" and _mailbox_sid(action.action_data)
    }
    mailboxes, greeting_ids = _mailboxes(head["enterprise_id"], mailbox_sids)
    announcement_ids.update(greeting_ids)
    announcements, sid_of = _announcements(
        head["enterprise_id"], announcement_ids, announcement_sids, base_url
    )
    menus = {
        sid: Menu(
            sid=sid,
            name=menu["name"],
            announcement_sid=sid_of.get(menu["announcement_id"]),
            ringback_sid=sid_of.get(menu["ringback_tone_id"]),
            timeout_seconds=menu["timeout_seconds"],
            timeout_max=menu["timeout_max"],
            timeout_action=_action(menu["timeout_action_type"], menu["timeout_action_data"]),
            keys=menu["keys"],
        )
        for sid, menu in menu_rows.items()
    }
    mailboxes = {
        sid: Mailbox(
            sid=sid,
            name=row["name"],
            greeting_sid=sid_of.get(row["greeting_id"]),
            max_length_seconds=row["max_length_seconds"],
        )
        for sid, row in mailboxes.items()
    }
    weekly, date_ranges = _schedule(head["id"])
    holidays = compile_holidays(_calendars(head["id"]), years or holiday_years())
    return System(
        sid=head["sid"],
        enterprise_sid=head["enterprise__sid"],
        name=head["name"],
        timezone_id=head["timezone_id"] or "UTC",
        language=head["language"] or "en",
        default_menu_sid=head["default_menu__sid"],
        timeout_seconds=head["timeout_seconds"],
        timeout_max=head["timeout_max"],
        timeout_action=actions["timeout"],
        invalid_input_max=head["invalid_input_max"],
        invalid_input_action=actions["invalid_input"],
        invalid_extension_max=head["invalid_extension_max"],
        invalid_extension_action=actions["invalid_extension"],
        dial_failure_action=actions["dial_failure"],
        invalid_input_announcement_sid=retry_prompts["invalid_input"],
        timeout_announcement_sid=retry_prompts["timeout"],
        phrases=phrases_for(head["language"]),
        mailboxes=mailboxes,
        menus=menus,
        announcements=announcements,
        extensions=extensions,
        weekly=weekly,
        date_ranges=date_ranges,
        holidays=holidays,
        override=compile_override(
            head["override_menu__sid"],
            head["override_until"],
            head["override_reason"],
        ),
    )


def _mailbox_sid(value: str | None) -> str | None:
    return value if value and value.startswith(MAILBOX) else None


def _key_actions(menu_rows: dict[str, dict[str, Any]]) -> list[Action | None]:
    """Every menu's key and timeout actions."""
    found: list[Action | None] = []
    for menu in menu_rows.values():
        found.extend(menu["keys"].values())
        found.append(_action(menu["timeout_action_type"], menu["timeout_action_data"]))
    return found


def _mailboxes(enterprise_id: int, sids: set[str]) -> tuple[dict[str, dict[str, Any]], set[int]]:
    """The enterprise's mailboxes the flow records into (one query; none if none named), and
    the ids of their greeting announcements."""
    if not sids:
        return {}, set()
    rows = list(
        MailboxRow.objects.filter(enterprise_id=enterprise_id, sid__in=sids)
        .values("sid", "name", "greeting_id", "max_length_seconds")
        .order_by()
    )
    mailboxes = {row["sid"]: row for row in rows}
    return mailboxes, {row["greeting_id"] for row in rows if row["greeting_id"]}


def _menu_rows(system_id: int) -> tuple[dict[str, dict[str, Any]], set[int], set[str]]:
    """The system's menus with their keys (one query: a LEFT JOIN, a row per key), plus the
    announcements they refer to (ids of announcements and ringback tones, sids in action data)."""
    menus: dict[str, dict[str, Any]] = {}
    ids: set[int] = set()
    sids: set[str] = set()
    rows = (
        MenuRow.objects.filter(auto_attendant_id=system_id)
        .values(
            "sid",
            "name",
            "announcement_id",
            "ringback_tone_id",
            "timeout_seconds",
            "timeout_max",
            "timeout_action_type",
            "timeout_action_data",
            "keys__key",
            "keys__action_type",
            "keys__action_data",
        )
        .order_by("date_created", "sid", "keys__key")
    )
    for row in rows:
        menu = menus.get(row["sid"])
        if menu is None:
            menu = menus[row["sid"]] = {**row, "keys": {}}
            ids.update(pk for pk in (row["announcement_id"], row["ringback_tone_id"]) if pk)
            if _announcement_sid(row["timeout_action_data"]):
                sids.add(row["timeout_action_data"])
        if row["keys__key"]:
            menu["keys"][row["keys__key"]] = Action(
                row["keys__action_type"], row["keys__action_data"] or None
            )
            if _announcement_sid(row["keys__action_data"]):
                sids.add(row["keys__action_data"])
    return menus, ids, sids


def _announcements(
    enterprise_id: int, ids: set[int], sids: set[str], base_url: str
) -> tuple[dict[str, Announcement], dict[int, str]]:
    """The enterprise's announcements with these ids or sids (one query; none if none named)."""
    if not ids and not sids:
        return {}, {}
    rows = (
        AnnouncementRow.objects.filter(enterprise_id=enterprise_id)
        .filter(Q(pk__in=ids) | Q(sid__in=sids))
        .only("id", "sid", "type", "body", "language", "voice", "file")
        .order_by()
    )
    announcements: dict[str, Announcement] = {}
    sid_of: dict[int, str] = {}
    for row in rows:
        uri = row.file_uri
        announcements[row.sid] = Announcement(
            sid=row.sid,
            type=row.type,
            body=row.body,
            language=row.language,
            voice=row.voice,
            file_url=f"{base_url}{uri}" if uri else None,
        )
        sid_of[row.pk] = row.sid
    return announcements, sid_of


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """A schedule entry as stored (possibly malformed: times are checked when compiled)."""

    id: int | None
    day: int | None
    start_time: str
    end_time: str


@dataclass(frozen=True, slots=True)
class StoredBlock:
    """A schedule block as stored, with its entries, whatever it was read with."""

    schedule_type: str
    menu_sid: str | None
    start_date: date | None
    end_date: date | None
    entries: tuple[StoredEntry, ...] = ()


def compile_schedule(
    blocks: Iterable[StoredBlock],
) -> tuple[tuple[WeeklyBlock, ...], tuple[DateRangeBlock, ...]]:
    """The engine's schedule from stored blocks — the one compiler, for calls and the console.

    A malformed entry (a time that is not ``HH:MM``, a weekly entry without a day) is logged and
    left out rather than failing calls; a block whose entries are *all* malformed is left out
    whole (better no block than a whole-day one), as is a special-days block without dates.
    """
    weekly: list[WeeklyBlock] = []
    date_ranges: list[DateRangeBlock] = []
    for block in blocks:
        is_weekly = block.schedule_type == ScheduleType.WEEKLY
        entries = tuple(
            entry
            for entry in (_entry(stored, weekly=is_weekly) for stored in block.entries)
            if entry is not None
        )
        if block.entries and not entries:
            continue
        if is_weekly:
            weekly.append(WeeklyBlock(block.menu_sid or "", entries))
        elif block.start_date and block.end_date:
            date_ranges.append(
                DateRangeBlock(block.start_date, block.end_date, block.menu_sid, entries)
            )
    return tuple(weekly), tuple(date_ranges)


def schedule_rows(system_id: int):
    """A system's schedule blocks with their entries, in order: one query (a LEFT JOIN, a row
    per entry: block id, type, menu sid, start date, end date, entry id, day, start, end)."""
    return (
        ScheduleBlock.objects.filter(auto_attendant_id=system_id)
        .values_list(
            "id",
            "schedule_type",
            "menu__sid",
            "start_date",
            "end_date",
            "entries__id",
            "entries__day",
            "entries__start_time",
            "entries__end_time",
        )
        .order_by("schedule_type", "position", "id", "entries__position", "entries__id")
    )


def _schedule(system_id: int) -> tuple[tuple[WeeklyBlock, ...], tuple[DateRangeBlock, ...]]:
    """The schedule blocks with their entries (:func:`schedule_rows`)."""
    rows = schedule_rows(system_id)
    blocks: dict[int, tuple[tuple, list[StoredEntry]]] = {}
    for block_id, kind, menu_sid, start, end, entry_id, day, start_time, end_time in rows:
        _, entries = blocks.setdefault(block_id, ((kind, menu_sid, start, end), []))
        if entry_id is not None:
            entries.append(StoredEntry(entry_id, day, start_time, end_time))
    return compile_schedule(
        StoredBlock(*head, entries=tuple(entries)) for head, entries in blocks.values()
    )


def _entry(stored: StoredEntry, *, weekly: bool) -> TimeEntry | None:
    try:
        if weekly and stored.day is None:
            raise ValueError("a weekly entry needs a day")
        return TimeEntry(stored.start_time, stored.end_time, stored.day if weekly else None)
    except ValueError as exc:
        logger.warning("Schedule entry %s left out of the call flow: %s", stored.id, exc)
        return None


# --- business-hours layers (DESIGN §14) ------------------------------------------------------


def compile_override(
    menu_sid: str | None, until: datetime | None, reason: str = "", set_by: str | None = ""
) -> Override | None:
    """The engine's override from the system row's fields (none without a menu)."""
    if not menu_sid:
        return None
    return Override(
        menu_sid=menu_sid,
        until=until.astimezone(UTC) if until is not None else None,
        reason=reason or "",
        set_by=set_by or "",
    )


def holiday_years(now: datetime | None = None) -> tuple[int, int]:
    """The years a compiled flow resolves holiday calendars for: last year to three years
    ahead, which covers any timeline (at most 400 days) and a year's turn of a cached flow."""
    year = (now or datetime.now(UTC)).year
    return (year - 1, year + 3)


@dataclass(frozen=True, slots=True)
class StoredCalendar:
    """A calendar linked to a system, as stored: the link's menu and the calendar's fields."""

    calendar_sid: str
    name: str
    country: str
    subdivision: str
    menu_sid: str
    entries: tuple[CalendarEntry, ...] = ()


@functools.lru_cache(maxsize=256)
def _public(country: str, subdivision: str, years: tuple[int, int]) -> dict[date, str]:
    """A country's public holidays for ``years`` (deterministic, so remembered per process)."""
    try:
        return public_holidays(country, subdivision, range(years[0], years[1] + 1))
    except ValueError as exc:
        logger.warning("Holiday calendar left without public holidays: %s", exc)
        return {}


def compile_holidays(
    calendars: Iterable[StoredCalendar], years: tuple[int, int]
) -> tuple[HolidayLayer, ...]:
    """The engine's holiday layers, in the system's list order, each calendar resolved to its
    dates for ``years`` (first, last; inclusive)."""
    layers = []
    for stored in calendars:
        public = _public(stored.country, stored.subdivision, years) if stored.country else {}
        resolved = [
            item
            for year in range(years[0], years[1] + 1)
            for item in resolve_dates(stored.entries, year, public)
        ]
        layers.append(
            HolidayLayer(
                calendar_sid=stored.calendar_sid,
                name=stored.name,
                menu_sid=stored.menu_sid,
                dates=to_holiday_dates(resolved),
                first_year=years[0],
                last_year=years[1],
            )
        )
    return tuple(layers)


def stored_entry(row: Any) -> CalendarEntry:
    """A :class:`CalendarEntry` from a ``HolidayEntry`` row (or anything with its fields)."""
    return CalendarEntry(
        name=row.name,
        date=row.date,
        month=row.month,
        day=row.day,
        weekday=row.weekday,
        nth=row.nth,
        start=row.start_time or "",
        end=row.end_time or "",
    )


def _calendars(system_id: int) -> list[StoredCalendar]:
    """The system's linked calendars with their entries, in list order (one query: a LEFT
    JOIN, a row per entry)."""
    rows = (
        SystemHolidayCalendar.objects.filter(auto_attendant_id=system_id)
        .values_list(
            "id",
            "calendar__sid",
            "calendar__name",
            "calendar__country",
            "calendar__subdivision",
            "menu__sid",
            "calendar__entries__id",
            "calendar__entries__name",
            "calendar__entries__date",
            "calendar__entries__month",
            "calendar__entries__day",
            "calendar__entries__weekday",
            "calendar__entries__nth",
            "calendar__entries__start_time",
            "calendar__entries__end_time",
        )
        .order_by("position", "id", "calendar__entries__position", "calendar__entries__id")
    )
    links: dict[int, tuple[tuple, list[CalendarEntry]]] = {}
    for link_id, sid, name, country, subdivision, menu_sid, entry_id, *entry in rows:
        _, entries = links.setdefault(link_id, ((sid, name, country, subdivision, menu_sid), []))
        if entry_id is not None:
            entry_name, day_date, month, day, weekday, nth, start, end = entry
            entries.append(
                CalendarEntry(
                    entry_name, day_date, month, day, weekday, nth, start or "", end or ""
                )
            )
    return [StoredCalendar(*head, entries=tuple(entries)) for head, entries in links.values()]
