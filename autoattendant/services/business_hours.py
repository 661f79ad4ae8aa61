"""Business-hours control (DESIGN §14): the override, and the timeline of what callers hear.

- :func:`do_set_override` — ``menu`` (a menu of the system) answers every call until ``until``,
  until the schedule's next change of menu (``until_next_change``: resolved now, to that instant),
  or until cleared. Expiry needs no job: calls compare their instant with ``until``.
  :func:`do_clear_override` clears it. Both bump ``flow_version`` (the override is part of the
  compiled flow, so calls and the opening-answer cache see it at once) but are not flow versions
  in the history sense.
- :func:`timeline` — the segments of what callers hear between two instants (at most 400 days),
  resolved by the engine's own resolver over the compiled flow.
- :func:`quick_menus` — the menus the dashboard's "Closed now" / "Open now" buttons pick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from ..callflow.model import System
from ..callflow.schedule import Segment, next_change, without_override, zone_of
from ..callflow.schedule import timeline as resolve_timeline
from ..errors import Errors
from ..models import AutoAttendantSystem, Menu, User
from ..runtime.compiler import compile_flow, holiday_years
from ..runtime.versions import touch_systems
from .locking import lock_row

__all__ = [
    "MAX_TIMELINE",
    "QuickMenus",
    "Timeline",
    "do_clear_override",
    "do_set_override",
    "quick_menus",
    "quick_menus_of",
    "timeline",
]

#: The longest timeline asked for at once (DESIGN §14).
MAX_TIMELINE = timedelta(days=400)
#: How far ahead "until the next change" looks for one.
NEXT_CHANGE_HORIZON = timedelta(days=400)
MAX_REASON = 500


def do_set_override(
    actor: User,
    system: AutoAttendantSystem,
    *,
    menu: str,
    until: datetime | None = None,
    until_next_change: bool = False,
    reason: str = "",
    now: datetime | None = None,
) -> AutoAttendantSystem:
    """Set the system's override (one transaction). ``menu``: a menu sid of the system (502).
    ``until`` must be in the future (400); with ``until_next_change`` it is resolved now to the
    next instant the schedule (without any override) changes menus — 400 when it does not
    change within 400 days."""
    now = now or timezone.now()
    if until is not None and until_next_change:
        raise Errors.VALIDATION({"until": "Send until or until_next_change, not both."})
    if until is not None:
        if until.tzinfo is None:
            raise Errors.VALIDATION({"until": "Expected a date-time with its UTC offset."})
        if until <= now:
            raise Errors.VALIDATION({"until": "The override must end in the future."})
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise Errors.VALIDATION({"reason": f"At most {MAX_REASON} characters."})
    with transaction.atomic():
        if not lock_row(system):
            raise Errors.SYSTEM_NOT_FOUND({"sid": system.sid})
        row = Menu.objects.filter(sid=menu, auto_attendant=system).first() if menu else None
        if row is None:
            raise Errors.MENU_NOT_FOUND({"sid": menu, "field": "menu"})
        if until_next_change:
            flow = without_override(compile_flow(system.pk))
            until = next_change(flow, now, horizon=NEXT_CHANGE_HORIZON)
            if until is None:
                raise Errors.VALIDATION(
                    {"until_next_change": "The schedule does not change menus within 400 days."}
                )
        touch_systems([system.pk])
        system.override_menu = row
        system.override_until = until
        system.override_reason = reason
        system.override_set_by = actor
        system.override_set_at = now
        system.save(update_fields=_OVERRIDE_FIELDS)
    return system


_OVERRIDE_FIELDS = [
    "override_menu",
    "override_until",
    "override_reason",
    "override_set_by",
    "override_set_at",
    "date_updated",
]


def do_clear_override(actor: User, system: AutoAttendantSystem) -> AutoAttendantSystem:
    """Clear the system's override (one transaction); clearing none is not an error."""
    with transaction.atomic():
        if not lock_row(system):
            raise Errors.SYSTEM_NOT_FOUND({"sid": system.sid})
        touch_systems([system.pk])
        system.override_menu = None
        system.override_until = None
        system.override_reason = ""
        system.override_set_by = None
        system.override_set_at = None
        system.save(update_fields=_OVERRIDE_FIELDS)
    return system


def override_active(system: AutoAttendantSystem, now: datetime | None = None) -> bool:
    """True when the system row has an override that has not expired at ``now``."""
    if system.override_menu_id is None:
        return False
    until = system.override_until
    return until is None or (now or timezone.now()) < until


# --- timeline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    """What callers hear between ``start`` and ``end``: ``segments`` in order, covering the span,
    with the compiled ``flow`` for names (menus) and the zone."""

    start: datetime
    end: datetime
    flow: System
    segments: list[Segment]

    def menu_name(self, sid: str | None) -> str | None:
        menu = self.flow.menus.get(sid) if sid else None
        return menu.name if menu else None


REASONS = {
    "override": "OVERRIDE",
    "date_range": "SPECIAL_DAY",
    "holiday": "HOLIDAY",
    "weekly": "WEEKLY",
    "default": "DEFAULT",
    "none": "NONE",
}


def timeline(
    system: AutoAttendantSystem,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    now: datetime | None = None,
) -> Timeline:
    """The timeline from ``start`` (default now) to ``end`` (default 12 months after ``start``);
    at most 400 days (400 otherwise). Compiles the flow with calendars resolved for the years
    the span touches (five queries), then resolves in memory."""
    now = now or timezone.now()
    start = start or now
    end = end or _months_later(start, 12)
    if end <= start:
        raise Errors.VALIDATION({"endTime": "endTime must be after startTime."})
    if end - start > MAX_TIMELINE:
        raise Errors.VALIDATION({"endTime": "A timeline spans at most 400 days."})
    first = min(start.astimezone(UTC).year - 1, holiday_years(now)[0])
    last = max(end.astimezone(UTC).year + 1, holiday_years(now)[1])
    flow = compile_flow(system.pk, years=(first, last))
    return Timeline(start, end, flow, resolve_timeline(flow, start, end))


def _months_later(instant: datetime, months: int) -> datetime:
    month = instant.month - 1 + months
    year = instant.year + month // 12
    month = month % 12 + 1
    day = min(instant.day, 28)
    return instant.replace(year=year, month=month, day=day)


def segment_payload(line: Timeline, segment: Segment) -> dict[str, Any]:
    """One segment as the API and the console show it: local times with their UTC offset."""
    zone = zone_of(line.flow)
    resolution = segment.resolution
    detail = ""
    if resolution.holiday is not None:
        detail = resolution.holiday.name
    elif resolution.source == "override" and line.flow.override is not None:
        detail = line.flow.override.reason
    return {
        "start": segment.start.astimezone(zone).isoformat(),
        "end": segment.end.astimezone(zone).isoformat(),
        "menuSid": resolution.menu_sid,
        "menuName": line.menu_name(resolution.menu_sid),
        "reason": REASONS[resolution.source],
        "detail": detail,
        "conflict": segment.conflict or None,
    }


# --- the dashboard's buttons ------------------------------------------------------------------


@dataclass(frozen=True)
class QuickMenus:
    """The menus behind "Closed now" and "Open now" (either may be ``None``)."""

    closed: str | None
    open: str | None


def quick_menus_of(system: AutoAttendantSystem) -> tuple[QuickMenus, ZoneInfo]:
    """:func:`quick_menus` of the system's compiled flow (five queries), with its zone."""
    flow = compile_flow(system.pk)
    return quick_menus(flow), zone_of(flow)


def quick_menus(flow: System) -> QuickMenus:
    """ "Open" is the menu the weekly schedule plays longest on weekdays 09:00–17:00; "closed"
    is the default menu, else the weekly menu playing longest outside those hours."""
    inside: dict[str, int] = {}
    outside: dict[str, int] = {}
    for block in flow.weekly:
        for entry in block.entries:
            day = entry.day or 1
            start = entry.start_minute
            end = entry.end_minute if not entry.overnight else 1440
            minutes = [(day, start, end)]
            if entry.overnight:
                minutes.append((day % 7 + 1, 0, entry.end_minute))
            for d, s, e in minutes:
                office = max(0, min(e, 17 * 60) - max(s, 9 * 60)) if d <= 5 else 0
                inside[block.menu_sid] = inside.get(block.menu_sid, 0) + office
                outside[block.menu_sid] = outside.get(block.menu_sid, 0) + (e - s - office)
    open_menu = max(inside, key=lambda sid: inside[sid]) if any(inside.values()) else None
    closed = flow.default_menu_sid
    if closed is None or closed == open_menu:
        candidates = {sid: n for sid, n in outside.items() if sid != open_menu and n}
        closed = max(candidates, key=lambda sid: candidates[sid]) if candidates else closed
    return QuickMenus(closed=closed, open=open_menu)
