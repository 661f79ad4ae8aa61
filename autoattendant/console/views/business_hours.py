"""Business-hours control in the console (DESIGN §14): the dashboard's override, holiday calendars
(list, editor with the resolved dates of this and next year, delete), a system's calendar links,
and its year timeline (calendar view and table)."""

from __future__ import annotations

import calendar as month_calendar
from datetime import UTC, date, datetime, timedelta

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ...callflow.schedule import zone_of
from ...errors import AppError, Errors
from ...models import AutoAttendantSystem, HolidayCalendar, HolidayEntry, Menu
from ...services.business_hours import (
    do_clear_override,
    do_set_override,
    quick_menus_of,
    segment_payload,
    timeline,
)
from ...services.calendars import (
    calendar_dates,
    do_create_calendar,
    do_delete_calendar,
    do_update_calendar,
)
from ...services.systems import do_update_system
from ..week import ink_on, menu_colour
from .base import confirm_delete, console_view, explain, visible

WEEKDAYS = [(1, "Monday"), (2, "Tuesday"), (3, "Wednesday"), (4, "Thursday"), (5, "Friday"),
            (6, "Saturday"), (7, "Sunday")]  # fmt: skip
NTHS = [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (5, "5th"), (-1, "last")]
MONTHS = [(i, month_calendar.month_name[i]) for i in range(1, 13)]
BLANK_ROWS = 3


# --- override ---------------------------------------------------------------------------------


@console_view()
def system_override(request: HttpRequest, sid: str) -> HttpResponse:
    """POST from the dashboard: set ("Closed now" / "Open now" / another menu, until cleared, the
    next change or a local time) or clear the system's override; back to the dashboard."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    system = visible(request, AutoAttendantSystem.objects.all(), sid, Errors.SYSTEM_NOT_FOUND)
    back = redirect(f"{reverse('console:dashboard')}#system-{system.sid}")
    try:
        if request.POST.get("clear"):
            do_clear_override(request.user, system)
            messages.success(request, f"{system.name}: override cleared; the schedule answers.")
            return back
        preset = request.POST.get("preset", "")
        quick, zone = quick_menus_of(system)
        menu = {"closed": quick.closed, "open": quick.open}.get(preset) or request.POST.get("menu")
        mode = request.POST.get("until_mode", "cleared")
        until = None
        if mode == "time":
            raw = request.POST.get("until", "")
            try:
                until = datetime.fromisoformat(raw).replace(tzinfo=zone)
            except ValueError:
                messages.error(request, f"{system.name}: give the time the override should end.")
                return back
        do_set_override(
            request.user,
            system,
            menu=menu or "",
            until=until,
            until_next_change=mode == "next",
            reason=request.POST.get("reason", ""),
        )
    except AppError as exc:
        messages.error(request, f"{system.name}: {_words(exc)}")
        return back
    messages.success(request, f"{system.name}: override set.")
    return back


# --- calendars --------------------------------------------------------------------------------


def _calendars(request: HttpRequest):
    return HolidayCalendar.objects.filter(enterprise=request.enterprise).prefetch_related(
        Prefetch("entries", HolidayEntry.objects.order_by("position", "id")),
        "system_links__auto_attendant",
    )


@console_view()
def calendar_list(request: HttpRequest) -> HttpResponse:
    calendars = _calendars(request).order_by("name", "sid")
    return render(request, "console/calendar_list.html", {"calendars": calendars})


def _entry_rows(entries) -> list[dict]:
    rows = []
    for entry in entries:
        kind = "once" if entry.date else ("nth" if entry.weekday else "yearly")
        rows.append(
            {
                "name": entry.name,
                "kind": kind,
                "date": entry.date.isoformat() if entry.date else "",
                "month": entry.month or "",
                "day": entry.day or "",
                "weekday": entry.weekday or "",
                "nth": entry.nth or "",
                "start": entry.start_time,
                "end": entry.end_time,
            }
        )
    return rows


def _posted_rows(post) -> list[dict]:
    rows = []
    for i in range(int(post.get("rows", "0") or 0)):
        keys = ("name", "kind", "date", "month", "day", "weekday", "nth", "start", "end")
        rows.append({key: post.get(f"entry-{i}-{key}", "").strip() for key in keys})
    return rows


def _entry_input(row: dict) -> dict:
    """A posted row as the service takes it (the service checks the values)."""
    entry: dict = {"name": row["name"]}
    if row["kind"] == "once":
        entry["date"] = row["date"] or None
    else:
        entry["month"] = row["month"] or None
        if row["kind"] == "nth":
            entry["weekday"] = row["weekday"] or None
            entry["nth"] = row["nth"] or None
        else:
            entry["day"] = row["day"] or None
    if row["start"] or row["end"]:
        entry["start_time"], entry["end_time"] = row["start"], row["end"]
    return entry


def _calendar_page(request: HttpRequest, calendar: HolidayCalendar | None) -> HttpResponse:
    error = ""
    if request.method == "POST":
        rows = [r for r in _posted_rows(request.POST) if any(r[k] for k in ("name", "date"))]
        changes = {
            "name": request.POST.get("name", ""),
            "country": request.POST.get("country", "").strip(),
            "subdivision": request.POST.get("subdivision", "").strip(),
            "entries": [_entry_input(r) for r in rows],
        }
        try:
            if calendar is None:
                saved = do_create_calendar(
                    request.user, enterprise=request.enterprise, changes=changes
                )
            else:
                saved = do_update_calendar(request.user, calendar, changes)
        except AppError as exc:
            error = _words(exc)
        else:
            messages.success(request, f"Holiday calendar “{saved.name}” saved.")
            return redirect("console:calendar_edit", sid=saved.sid)
        form = {k: request.POST.get(k, "") for k in ("name", "country", "subdivision")}
    else:
        rows = _entry_rows(calendar.entries.all()) if calendar else []
        form = {
            "name": calendar.name if calendar else "",
            "country": calendar.country if calendar else "",
            "subdivision": calendar.subdivision if calendar else "",
        }
    blank = {k: "" for k in ("name", "date", "month", "day", "weekday", "nth", "start", "end")}
    rows = [*rows, *({**blank, "kind": "once"} for _ in range(BLANK_ROWS))]
    year = timezone.now().year
    years = []
    if calendar is not None and not error:
        years = [(y, calendar_dates(calendar, y)) for y in (year, year + 1)]
    return render(
        request,
        "console/calendar_form.html",
        {
            "calendar": calendar,
            "form": form,
            "rows": rows,
            "error": error,
            "years": years,
            "weekdays": WEEKDAYS,
            "nths": NTHS,
            "months": MONTHS,
        },
    )


def _words(exc: AppError) -> str:
    """A refusal in words; a field error names the field (``entry 2 end time: …``)."""
    if exc.error is Errors.VALIDATION and isinstance(exc.data, dict):
        parts = []
        for field, message in exc.data.items():
            where = field.replace("entries[", "entry ").replace("]", "").replace("_", " ")
            if where.startswith("entry "):
                number, _, rest = where[6:].partition(".")
                where = f"entry {int(number) + 1} {rest}".strip() if number.isdigit() else where
            parts.append(f"{where}: {message}")
        return "; ".join(parts)
    return explain(exc)


@console_view()
def calendar_create(request: HttpRequest) -> HttpResponse:
    return _calendar_page(request, None)


@console_view()
def calendar_edit(request: HttpRequest, sid: str) -> HttpResponse:
    calendar = visible(request, _calendars(request), sid, Errors.CALENDAR_NOT_FOUND)
    return _calendar_page(request, calendar)


@console_view()
def calendar_delete(request: HttpRequest, sid: str) -> HttpResponse:
    calendar = visible(request, HolidayCalendar.objects.all(), sid, Errors.CALENDAR_NOT_FOUND)
    return confirm_delete(
        request,
        lambda: do_delete_calendar(calendar),
        kind="holiday calendar",
        name=calendar.name,
        back=reverse("console:calendar_edit", kwargs={"sid": calendar.sid}),
        done=reverse("console:calendar_list"),
        deleted=f"Holiday calendar “{calendar.name}” deleted.",
    )


# --- a system's calendars ---------------------------------------------------------------------


@console_view()
def system_holidays(request: HttpRequest, sid: str) -> HttpResponse:
    """The system's holiday calendars, in the order they are tried, each with its menu."""
    system = visible(request, AutoAttendantSystem.objects.all(), sid, Errors.SYSTEM_NOT_FOUND)
    calendars = list(
        HolidayCalendar.objects.filter(enterprise=request.enterprise).order_by("name", "sid")
    )
    menus = list(Menu.objects.filter(auto_attendant=system).order_by("name", "sid"))
    error = ""
    if request.method == "POST":
        links = []
        for i in range(len(calendars)):
            calendar, menu = request.POST.get(f"calendar-{i}", ""), request.POST.get(f"menu-{i}")
            if calendar:
                links.append({"calendar": calendar, "menu": menu or ""})
        try:
            do_update_system(request.user, system, {"holiday_calendars": links})
        except AppError as exc:
            error = _words(exc)
        else:
            messages.success(request, f"{system.name}: holiday calendars saved.")
            return redirect("console:system_holidays", sid=system.sid)
    current = [
        {"calendar": link.calendar.sid, "menu": link.menu.sid}
        for link in system.holiday_links.select_related("calendar", "menu")
    ]
    rows = current + [{"calendar": "", "menu": ""}] * max(0, len(calendars) - len(current))
    return render(
        request,
        "console/system_holidays.html",
        {
            "system": system,
            "rows": rows,
            "calendars": calendars,
            "menus": menus,
            "error": error,
        },
    )


# --- the year timeline ------------------------------------------------------------------------

REASON_WORDS = {
    "OVERRIDE": "Override",
    "SPECIAL_DAY": "Special day",
    "HOLIDAY": "Holiday",
    "WEEKLY": "Weekly",
    "DEFAULT": "Default menu",
    "NONE": "Gap: apology (498)",
}


@console_view()
def system_timeline(request: HttpRequest, sid: str) -> HttpResponse:
    """The next 12 months as callers hear them: a calendar of days (each day coloured by what
    it is mostly, marked where callers meet a gap or something conflicts) and the table of
    segments, the same data as ``GET …/system/{sid}/timeline``."""
    system = visible(request, AutoAttendantSystem.objects.all(), sid, Errors.SYSTEM_NOT_FOUND)
    now = timezone.now()
    line = timeline(system, now=now)
    zone = zone_of(line.flow)
    menus = {m.sid: m for m in Menu.objects.filter(auto_attendant=system).order_by("date_created")}
    colours = {sid: menu_colour(m.color_code, i) for i, (sid, m) in enumerate(menus.items())}
    rows = []
    days: dict[date, dict] = {}
    for segment in line.segments:
        payload = segment_payload(line, segment)
        start, end = segment.start.astimezone(zone), segment.end.astimezone(zone)
        rows.append(
            {
                **payload,
                "start_local": start,
                "end_local": end,
                "words": REASON_WORDS[payload["reason"]],
                "colour": colours.get(payload["menuSid"] or "", "#ffffff"),
                "ink": ink_on(colours.get(payload["menuSid"] or "", "#ffffff")),
            }
        )
        day = start.date()
        while day <= (end - timedelta(microseconds=1)).date():
            info = days.setdefault(
                day, {"seconds": {}, "gap": False, "conflict": [], "why": set(), "pieces": []}
            )
            # local midnights, compared as instants: a DST day lasts 23 or 25 hours
            day_start = datetime.combine(day, datetime.min.time(), zone).astimezone(UTC)
            day_end = datetime.combine(
                day + timedelta(days=1), datetime.min.time(), zone
            ).astimezone(UTC)
            lo = max(segment.start, day_start)
            hi = min(segment.end, day_end)
            key = (payload["menuSid"], payload["reason"])
            info["seconds"][key] = info["seconds"].get(key, 0) + max(0, (hi - lo).total_seconds())
            span = (day_end - day_start).total_seconds() or 1
            info["pieces"].append(
                (
                    (lo - day_start).total_seconds() / span,
                    (hi - day_start).total_seconds() / span,
                    colours.get(payload["menuSid"] or "", GAP_COLOUR),
                    payload["menuSid"],
                )
            )
            if payload["reason"] == "NONE":
                info["gap"] = True
            if payload["reason"] in ("OVERRIDE", "SPECIAL_DAY", "HOLIDAY"):
                info["why"].add(payload["detail"] or REASON_WORDS[payload["reason"]])
            if payload["conflict"]:
                info["conflict"].append(payload["conflict"])
            day += timedelta(days=1)
    months = _months(days, menus, colours, line.start.astimezone(zone).date())
    gaps = sum(1 for r in rows if r["reason"] == "NONE")
    conflicts = sum(1 for r in rows if r["conflict"])
    legend = [
        {"name": m.name, "colour": colours[sid], "mark": _mark(i)}
        for i, (sid, m) in enumerate(menus.items())
    ]
    return render(
        request,
        "console/system_timeline.html",
        {
            "system": system,
            "months": months,
            "rows": rows,
            "gaps": gaps,
            "conflicts": conflicts,
            "legend": legend,
            "zone": zone.key,
            "weekday_names": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        },
    )


#: The year view's colour for a stretch of day without a menu (callers hear the apology).
GAP_COLOUR = "#d0021b"


def _bar(pieces: list[tuple[float, float, str, str | None]]) -> str:
    """A CSS gradient drawing the day from midnight to midnight, a colour per stretch."""
    stops = [f"{colour} {start * 100:.2f}% {end * 100:.2f}%" for start, end, colour, _ in pieces]
    return f"linear-gradient(to right, {', '.join(stops)})" if stops else "none"


def _mark(index: int) -> str:
    return chr(ord("A") + index % 26)


def _months(days: dict, menus: dict, colours: dict, first: date) -> list[dict]:
    """Twelve months of weeks (Monday first) of day cells for the year view."""
    marks = {sid: _mark(i) for i, sid in enumerate(menus)}
    months = []
    year, month = first.year, first.month
    for _ in range(13):
        weeks = []
        for week in month_calendar.Calendar().monthdatescalendar(year, month):
            cells = []
            for day in week:
                info = days.get(day) if day.month == month else None
                if info is None:
                    cells.append({"day": day if day.month == month else None, "empty": True})
                    continue
                (menu_sid, _reason), _ = max(info["seconds"].items(), key=lambda kv: kv[1])
                special = sorted(info["why"])
                label = [day.strftime("%a %d %b %Y")]
                name = menus[menu_sid].name if menu_sid in menus else None
                label.append(f"mostly {name}" if name else "mostly no menu")
                label += special
                if info["gap"]:
                    label.append("gap: some callers hear the apology")
                label += info["conflict"]
                cells.append(
                    {
                        "day": day,
                        "bar": _bar(info["pieces"]),
                        "mark": "".join(
                            dict.fromkeys(marks.get(p[3] or "", "–") for p in info["pieces"])
                        )[:4],
                        "gap": info["gap"],
                        "conflict": bool(info["conflict"]),
                        "special": bool(special),
                        "label": "; ".join(label),
                    }
                )
            weeks.append(cells)
        months.append({"name": date(year, month, 1).strftime("%B %Y"), "weeks": weeks})
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return [m for m in months if any(not c.get("empty") for w in m["weeks"] for c in w)]
