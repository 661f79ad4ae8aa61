"""Schedules as the console shows them: compiled for the call-flow resolver (which menu answers
now, and when that changes), and laid out on a week grid.

The resolver is the engine's own (``callflow.schedule``); this module only converts rows that the
page already loaded (``prefetch_related``), so a page of many systems costs no extra queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from ..callflow import model
from ..callflow.schedule import Resolution, next_change, resolve, zone_of
from ..colours import is_color_code
from ..models import AutoAttendantSystem
from ..runtime.compiler import (
    StoredBlock,
    StoredCalendar,
    StoredEntry,
    compile_holidays,
    compile_override,
    holiday_years,
    stored_entry,
)
from ..runtime.compiler import compile_schedule as runtime_compile_schedule
from ..services.business_hours import REASONS, timeline

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Menus without a colour of their own get one of these, by position.
PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#9d755d")


def menu_colour(color_code: str, index: int = 0) -> str:
    """A safe CSS colour for a menu: its own ``colorCode`` when well formed, else the palette's."""
    if is_color_code(color_code):
        return color_code
    return PALETTE[index % len(PALETTE)]


def ink_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (``#rgb`` / ``#rrggbb``): a menu's
    name drawn on its own colour keeps at least WCAG's 4.5:1 contrast whatever colour it has."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    # Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05): equal at L ≈ 0.179.
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def menu_mark(index: int) -> str:
    """A short mark for the ``index``-th menu (A, B, … Z, A2, …): shown with its colour in the
    week grid and its legend, so that colour is never the only cue."""
    return chr(ord("A") + index % 26) + (str(index // 26 + 1) if index >= 26 else "")


def compile_schedule(system: AutoAttendantSystem) -> model.System:
    """The schedule part of the engine's flow, from ``system.schedule`` (prefetched with
    ``menu`` and ``entries``), ``system.holiday_links`` (prefetched with ``menu`` and
    ``calendar__entries``), ``system.default_menu`` and ``system.override_menu`` (selected),
    through the runtime's own compilers: the console shows exactly what callers hear."""
    weekly, date_ranges = runtime_compile_schedule(
        StoredBlock(
            block.schedule_type,
            block.menu.sid if block.menu_id else None,
            block.start_date,
            block.end_date,
            tuple(
                StoredEntry(entry.pk, entry.day, entry.start_time, entry.end_time)
                for entry in block.entries.all()
            ),
        )
        for block in system.schedule.all()
    )
    holidays = compile_holidays(
        (
            StoredCalendar(
                link.calendar.sid,
                link.calendar.name,
                link.calendar.country,
                link.calendar.subdivision,
                link.menu.sid,
                tuple(stored_entry(entry) for entry in link.calendar.entries.all()),
            )
            for link in system.holiday_links.all()
        ),
        holiday_years(),
    )
    return model.System(
        sid=system.sid,
        enterprise_sid="",
        name=system.name,
        timezone_id=system.timezone_id,
        default_menu_sid=system.default_menu.sid if system.default_menu_id else None,
        weekly=weekly,
        date_ranges=date_ranges,
        holidays=holidays,
        override=compile_override(
            system.override_menu.sid if system.override_menu_id else None,
            system.override_until,
            system.override_reason,
        ),
    )


@dataclass
class NowPlaying:
    resolution: Resolution
    menu: object | None  # the Menu row, when it is one of the loaded ones
    next_change: datetime | None  # local time of the system
    flow: model.System | None = None  # the compiled schedule it was resolved from

    @property
    def reason(self) -> str:
        return describe(self.resolution)


DAY_FULL_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def describe(resolution: Resolution) -> str:
    """Why this menu answers, in words: the schedule entry that matched, or the fallback."""
    entry = resolution.entry
    if resolution.source == "weekly" and entry is not None and entry.day:
        return f"Weekly schedule: {DAY_FULL_NAMES[entry.day - 1]} {entry.start}–{entry.end}"
    if resolution.source == "date_range" and isinstance(resolution.block, model.DateRangeBlock):
        block = resolution.block
        dates = f"{block.start_date:%d %b %Y}–{block.end_date:%d %b %Y}"
        times = f" {entry.start}–{entry.end}" if entry else " (whole day)"
        return f"Special days {dates}{times}"
    if resolution.source == "override":
        return "Override: set on the dashboard, it wins over the schedule"
    if resolution.source == "holiday" and resolution.holiday and resolution.calendar:
        times = f" {entry.start}–{entry.end}" if entry else " (whole day)"
        return f"Holiday: {resolution.holiday.name} ({resolution.calendar.name}){times}"
    if resolution.source == "default":
        return "Default menu: no schedule entry covers this moment"
    return "No schedule entry and no default menu: callers hear an apology (error 498)"


def now_playing(system: AutoAttendantSystem, instant: datetime) -> NowPlaying:
    """The menu callers hear at ``instant``, why, and when that changes next (local time)."""
    snapshot = compile_schedule(system)
    resolution = resolve(snapshot, instant)
    menus = {block.menu.sid: block.menu for block in system.schedule.all() if block.menu_id}
    menus.update((link.menu.sid, link.menu) for link in system.holiday_links.all())
    for menu in (system.default_menu, system.override_menu):
        if menu is not None:
            menus[menu.sid] = menu
    change = next_change(snapshot, instant)
    return NowPlaying(
        resolution=resolution,
        menu=menus.get(resolution.menu_sid) if resolution.menu_sid else None,
        next_change=change.astimezone(zone_of(snapshot)) if change else None,
        flow=snapshot,
    )


# --- the week grid ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GridBlock:
    """One coloured block in a day column: ``top``/``height`` in percent of the day."""

    day: int
    start: int
    end: int
    menu_name: str
    colour: str
    label: str
    row: int  # the form row that edits it
    ink: str = "#ffffff"  # the text colour on ``colour``
    mark: str = ""  # the menu's mark in the legend

    @property
    def top(self) -> float:
        return round(self.start / 1440 * 100, 3)

    @property
    def height(self) -> float:
        return round((self.end - self.start) / 1440 * 100, 3)


def _minutes(value: str) -> int | None:
    try:
        return model.parse_hhmm(value)
    except ValueError:
        return None


def week_grid(rows: list[dict]) -> list[list[GridBlock]]:
    """Seven day columns of blocks, from rows ``{menu_name, colour, day, start, end, row}``
    (and optionally ``ink`` and ``mark``).

    An entry whose end is not after its start is drawn as the engine plays it: to midnight, then
    on into the next morning.
    """
    days: list[list[GridBlock]] = [[] for _ in range(7)]
    for r in rows:
        start, end, day = _minutes(r["start"]), _minutes(r["end"]), r["day"]
        if start is None or end is None or not (isinstance(day, int) and 1 <= day <= 7):
            continue
        label = f"{DAY_NAMES[day - 1]} {r['start']}–{r['end']} {r['menu_name']}"
        parts = [(day, start, end)] if end > start else [(day, start, 1440)]
        if end <= start and end > 0:
            parts.append((day % 7 + 1, 0, end))
        for d, s, e in parts:
            days[d - 1].append(
                GridBlock(
                    d,
                    s,
                    e,
                    r["menu_name"],
                    r["colour"],
                    label,
                    r["row"],
                    r.get("ink", "#ffffff"),
                    r.get("mark", ""),
                )
            )
    return days


# --- what overrides the week grid in the next seven days -------------------------------------

_WHY = {"OVERRIDE": "override", "SPECIAL_DAY": "special day", "HOLIDAY": "holiday", "NONE": "gap"}


def week_exceptions(system: AutoAttendantSystem) -> list[dict]:
    """The next seven days' stretches where something other than the weekly schedule answers
    (override, special day, holiday, a gap), resolved by the engine's one resolution over the
    compiled flow — shown beside the week grid, which draws the weekly entries only."""
    now = timezone.now()
    line = timeline(system, now, now + timedelta(days=7), now=now)
    zone = zone_of(line.flow)
    shown = []
    for segment in line.segments:
        reason = REASONS[segment.resolution.source]
        if reason in ("WEEKLY", "DEFAULT"):
            continue
        shown.append(
            {
                "start": segment.start.astimezone(zone),
                "end": segment.end.astimezone(zone),
                "menu": line.menu_name(segment.resolution.menu_sid),
                "why": _WHY[reason],
                "detail": segment.resolution.holiday.name if segment.resolution.holiday else "",
            }
        )
    return shown
