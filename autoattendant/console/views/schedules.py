"""The schedule editor: the week drawn as a grid, weekly time ranges and special days.

With JavaScript the grid is a painter (``static/console/week-painter.js``): it edits the rows of
the weekly form, which posts them as it always has — the list stays the fallback without
JavaScript and the place for times to the minute.

Each of the two forms replaces that schedule type of the AA system through the same service as
``POST /schedule``; its refusals (overlaps, bad times, a menu of another system) come back naming
``schedule[i].entries[j].start_time``… — the rows' own field names — and are shown on the row
that produced that entry.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ...choices import ScheduleType
from ...errors import AppError, Errors
from ...models import AutoAttendantSystem, Menu
from ...services.schedules import BlockInput, EntryInput, do_replace_schedule, read_schedule
from ..forms.schedules import DAYS, SpecialDayFormSet, WeeklyFormSet
from ..week import DAY_NAMES, ink_on, menu_colour, menu_mark, week_exceptions, week_grid
from .base import console_view, explain, visible
from .history import failing_tests, flow_write

_AT = re.compile(r"^schedule\[(\d+)\](?:\.entries\[(\d+)\])?(?:\.(\w+))?$")
Where = dict[tuple[int, int | None], int]


def _kept_rows(formset: BaseFormSet):
    """(row index, cleaned data) of the rows that hold a time range to keep."""
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        yield index, data


def weekly_blocks(formset: BaseFormSet) -> tuple[list[BlockInput], Where]:
    """One block per menu (in the order the rows name them), and where each entry came from."""
    order: dict[str, int] = {}
    entries: dict[str, list[EntryInput]] = {}
    where: Where = {}
    for index, data in _kept_rows(formset):
        menu = data["menu"]
        i = order.setdefault(menu, len(order))
        entries.setdefault(menu, [])
        where[(i, len(entries[menu]))] = index
        where.setdefault((i, None), index)
        entries[menu].append(EntryInput(data["start_time"], data["end_time"], data["day"]))
    blocks = [BlockInput(menu=menu, entries=tuple(entries[menu])) for menu in order]
    return blocks, where


def special_day_blocks(formset: BaseFormSet) -> tuple[list[BlockInput], Where]:
    """Rows with the same menu and dates and a time range form one block; a row without times
    is a whole-day block of its own."""
    order: dict[tuple, int] = {}
    blocks: list[dict] = []
    where: Where = {}
    for index, data in _kept_rows(formset):
        whole_day = not data.get("start_time")
        key = ("row", index) if whole_day else (data["menu"], data["start_date"], data["end_date"])
        if key not in order:
            order[key] = len(blocks)
            blocks.append(
                {
                    "menu": data["menu"],
                    "start": data["start_date"],
                    "end": data["end_date"],
                    "entries": [],
                }
            )
            where[(order[key], None)] = index
        i = order[key]
        if not whole_day:
            where[(i, len(blocks[i]["entries"]))] = index
            blocks[i]["entries"].append(EntryInput(data["start_time"], data["end_time"]))
    return [
        BlockInput(b["menu"], tuple(b["entries"]), start_date=b["start"], end_date=b["end"])
        for b in blocks
    ], where


def _describe(item: dict, menu_names: dict[str, str]) -> str:
    name = menu_names.get(item.get("menu", ""), "another menu")
    if item.get("day"):
        when = f"{DAY_NAMES[int(item['day']) - 1]} {item['start_time']}–{item['end_time']}"
    elif "start_date" in item:
        times = f" {item['start_time']}–{item['end_time']}" if "start_time" in item else " all day"
        when = f"{item['start_date']} to {item['end_date']}{times}"
    else:
        when = ""
    return f"{when} ({name})".strip()


def place_schedule_error(
    formset: BaseFormSet, error: AppError, where: Where, menu_names: dict[str, str]
) -> str | None:
    """Mark the rows an error names; returns a message for the top of the form."""
    data = error.data if isinstance(error.data, dict) else {}
    overlapping = data.get("overlapping")
    if isinstance(overlapping, list) and len(overlapping) == 2:
        for item, other in ((overlapping[0], overlapping[1]), (overlapping[1], overlapping[0])):
            row = _row_of(item.get("at", ""), where)
            if row is not None:
                formset.forms[row].add_error(None, f"Overlaps {_describe(other, menu_names)}.")
        return explain(error)
    placed = False
    names = [(k, v) for k, v in data.items() if k not in ("sid", "field")]
    if isinstance(data.get("field"), str):
        names.append((data["field"], explain(error)))
    for name, message in names:
        match = _AT.match(name)
        if not match:
            continue
        row = _row_of(name, where)
        field = match[3]
        if row is None:
            continue
        form = formset.forms[row]
        text = (
            message
            if isinstance(message, str) and error.error is Errors.VALIDATION
            else (explain(error))
        )
        form.add_error(field if field in form.fields else None, text)
        placed = True
    return None if placed else explain(error)


def _row_of(at: str, where: Where) -> int | None:
    match = _AT.match(at)
    if not match:
        return None
    block = int(match[1])
    entry = int(match[2]) if match[2] is not None else None
    return where.get((block, entry), where.get((block, None)))


@console_view()
def schedule_edit(request: HttpRequest, sid: str) -> HttpResponse:
    system = visible(request, AutoAttendantSystem.objects.all(), sid, Errors.SYSTEM_NOT_FOUND)
    menus = list(Menu.objects.filter(auto_attendant=system).order_by("date_created", "sid"))
    colours = {m.sid: menu_colour(m.color_code, i) for i, m in enumerate(menus)}
    names = {m.sid: m.name for m in menus}
    # Each menu's colour, the text colour that reads on it, and a mark (A, B, …) so that the
    # grid never tells menus apart by colour alone; the painter (week-painter.js) reads the same.
    legend = [
        {
            "sid": m.sid,
            "name": m.name,
            "colour": colours[m.sid],
            "ink": ink_on(colours[m.sid]),
            "mark": menu_mark(i),
        }
        for i, m in enumerate(menus)
    ]
    looks = {item["sid"]: item for item in legend}
    options = sorted(((m.sid, m.name) for m in menus), key=lambda o: o[1].lower())
    blocks = read_schedule(system)

    weekly_initial, special_initial = [], []
    for block in blocks:
        entries = list(block.entries.all())
        if block.schedule_type == ScheduleType.WEEKLY:
            weekly_initial += [
                {
                    "menu": block.menu.sid,
                    "day": e.day,
                    "start_time": e.start_time,
                    "end_time": e.end_time,
                }
                for e in entries
            ]
        else:
            dates = {
                "menu": block.menu.sid,
                "start_date": block.start_date,
                "end_date": block.end_date,
            }
            special_initial += [
                {**dates, "start_time": e.start_time, "end_time": e.end_time} for e in entries
            ] or [dates]

    weekly_initial.sort(key=lambda r: (r["day"] or 0, r["start_time"]))
    posted = request.POST.get("schedule_type") if request.method == "POST" else None
    # A posted formset is read as sent (no ``initial``): its rows are whatever the page held.
    weekly = (
        WeeklyFormSet(request.POST, prefix="weekly", form_kwargs={"menus": options})
        if posted == ScheduleType.WEEKLY
        else WeeklyFormSet(prefix="weekly", initial=weekly_initial, form_kwargs={"menus": options})
    )
    special = (
        SpecialDayFormSet(request.POST, prefix="special", form_kwargs={"menus": options})
        if posted == ScheduleType.DATE_RANGE
        else SpecialDayFormSet(
            prefix="special", initial=special_initial, form_kwargs={"menus": options}
        )
    )
    errors = {"weekly": None, "special": None}
    failures = {"weekly": None, "special": None}  # flow tests a save would break
    if posted in (ScheduleType.WEEKLY, ScheduleType.DATE_RANGE):
        formset, which = (
            (weekly, "weekly") if posted == ScheduleType.WEEKLY else (special, "special")
        )
        if formset.is_valid():
            build = weekly_blocks if posted == ScheduleType.WEEKLY else special_day_blocks
            new_blocks, where = build(formset)
            try:
                with flow_write(request):
                    do_replace_schedule(request.user, system, posted, new_blocks)
            except AppError as exc:
                failures[which] = failing_tests(exc)
                if failures[which] is None:
                    errors[which] = place_schedule_error(formset, exc, where, names)
            else:
                label = "Weekly schedule" if posted == ScheduleType.WEEKLY else "Special days"
                messages.success(request, f"{label} saved.")
                return redirect("console:schedule_edit", sid=system.sid)
        else:
            errors[which] = "Please correct the rows marked below."

    grid_rows = [
        {
            "menu_name": names.get(r["menu"], "?"),
            "colour": colours.get(r["menu"], "#999"),
            "ink": looks[r["menu"]]["ink"] if r["menu"] in looks else "#000000",
            "mark": looks[r["menu"]]["mark"] if r["menu"] in looks else "",
            "day": r["day"],
            "start": r["start_time"],
            "end": r["end_time"],
            "row": i,
        }
        for i, r in enumerate(weekly_initial)
    ]
    return render(
        request,
        "console/schedule.html",
        {
            "system": system,
            "legend": legend,
            "weekly": weekly,
            "special": special,
            "errors": errors,
            "failures": failures,
            "grid": list(zip(DAY_NAMES, week_grid(grid_rows), strict=True)),
            "hours": range(0, 24, 3),
            "days": DAYS,
            "no_menus": not menus,
            "exceptions": week_exceptions(system),
        },
    )
