"""Schedules: an AA system's WEEKLY and DATE_RANGE (special days) blocks.

A write replaces every block of one ``schedule_type`` of one system, atomically; the other type
is untouched. Rules (DESIGN §5, §6, §11):

- each block's menu is a menu of that system (502, also for another system's or enterprise's);
- WEEKLY entries have ``day`` 1-7; DATE_RANGE blocks have ``start_date <= end_date`` and optional
  entries without a ``day``; times are ``HH:MM`` (the engine's own ``parse_hhmm``), starts
  ``00:00``-``23:59``, ends up to ``24:00``; an entry whose end is not after its start runs past
  midnight into the next day;
- WEEKLY entries of *different* menus may not overlap (615) — overnight entries included (Mon
  22:00-02:00 overlaps Tue 01:00-03:00); overlapping entries of one menu are allowed, they
  resolve to the same menu;
- two DATE_RANGE blocks whose dates *and* times overlap are refused (616), whatever their menus: a
  block without entries covers its whole days. Overlap is judged as the call flow resolves: an
  overnight entry spills into the next day only where that day is within the block's dates.

Errors use the models' names: a block is ``schedule[i]`` (the system's ``schedule``), its fields
``menu``, ``start_date``…, an entry ``schedule[i].entries[j]`` with ``day``, ``start_time``,
``end_time``; the API's serializers translate them to its names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..audit import delete_logged, log_created
from ..callflow.model import parse_hhmm
from ..choices import ScheduleType
from ..errors import Errors
from ..models import AutoAttendantSystem, Menu, ScheduleBlock, ScheduleEntry, User
from ..runtime.versions import touch_systems
from .flowversions import flow_change

__all__ = [
    "BlockInput",
    "EntryInput",
    "do_replace_schedule",
    "read_schedule",
]

_DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class EntryInput:
    start_time: str
    end_time: str
    day: int | None = None


@dataclass(frozen=True)
class BlockInput:
    """One block of the schedule; ``menu`` is a menu sid of the system. ``schedule_type`` may be
    omitted (it is the write's own type)."""

    menu: str
    entries: Sequence[EntryInput] = ()
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    schedule_type: str | None = None


# --- shape -----------------------------------------------------------------------------------


def _check_time(value: Any, field_name: str, *, end: bool) -> None:
    """``HH:MM``: a start up to ``23:59``, an end up to ``24:00``."""
    try:
        minutes = parse_hhmm(value)
    except ValueError:
        minutes = None
    if minutes is None or (minutes == _DAY_MINUTES and not end):
        what = "00:00 to 24:00" if end else "00:00 to 23:59"
        raise Errors.VALIDATION({field_name: f"Expected HH:MM from {what}."})


def _check_shape(schedule_type: str, blocks: Sequence[BlockInput]) -> None:
    """Every 400 of a schedule write, before the database is asked anything."""
    if schedule_type not in ScheduleType.values:
        raise Errors.VALIDATION({"schedule_type": "Expected WEEKLY or DATE_RANGE."})
    weekly = schedule_type == ScheduleType.WEEKLY
    for i, block in enumerate(blocks):
        at = f"schedule[{i}]"
        if block.schedule_type not in (None, "", schedule_type):
            raise Errors.VALIDATION(
                {f"{at}.schedule_type": f"Must be the request's scheduleType, {schedule_type}."}
            )
        if not isinstance(block.menu, str) or not block.menu:
            raise Errors.VALIDATION({f"{at}.menu": "This field is required."})
        dates = (("start_date", block.start_date), ("end_date", block.end_date))
        if weekly:
            for name, value in dates:
                if value is not None:
                    raise Errors.VALIDATION({f"{at}.{name}": "Only DATE_RANGE blocks have dates."})
        else:
            for name, value in dates:
                if value is None:
                    raise Errors.VALIDATION({f"{at}.{name}": "A DATE_RANGE block needs it."})
            if block.start_date > block.end_date:
                raise Errors.VALIDATION({f"{at}.end_date": "endDate is before startDate."})
        for j, entry in enumerate(block.entries):
            where = f"{at}.entries[{j}]"
            if weekly:
                day = entry.day
                if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
                    raise Errors.VALIDATION({f"{where}.day": "Expected 1 (Monday) to 7 (Sunday)."})
            elif entry.day is not None:
                raise Errors.VALIDATION({f"{where}.day": "DATE_RANGE entries have no day."})
            _check_time(entry.start_time, f"{where}.start_time", end=False)
            _check_time(entry.end_time, f"{where}.end_time", end=True)


# --- overlaps --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """Minutes ``[start, end)`` of each day from ``first`` to ``last`` (weekdays or dates)."""

    first: Any
    last: Any
    start: int
    end: int
    block: int
    menu: str
    describe: dict = field(compare=False)


def _day_parts(start: int, end: int) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """An entry's part on its own day and, for an overnight entry, its part on the next day."""
    if end > start:
        return (start, end), None
    return (start, _DAY_MINUTES), ((0, end) if end > 0 else None)


def _weekly_spans(blocks: Sequence[BlockInput]) -> list[_Span]:
    spans = []
    for i, block in enumerate(blocks):
        for j, entry in enumerate(block.entries):
            start, end = parse_hhmm(entry.start_time), parse_hhmm(entry.end_time)
            describe = {
                "at": f"schedule[{i}].entries[{j}]",
                "menu": block.menu,
                "day": entry.day,
                "start_time": entry.start_time,
                "end_time": entry.end_time,
            }
            same_day, next_day = _day_parts(start, end)
            day = entry.day
            spans.append(_Span(day, day, *same_day, i, block.menu, describe))
            if next_day is not None:
                following = day % 7 + 1
                spans.append(_Span(following, following, *next_day, i, block.menu, describe))
    return spans


def _date_range_spans(blocks: Sequence[BlockInput]) -> list[_Span]:
    spans = []
    for i, block in enumerate(blocks):
        dates = {
            "menu": block.menu,
            "start_date": block.start_date.isoformat(),
            "end_date": block.end_date.isoformat(),
        }
        if not block.entries:
            describe = {"at": f"schedule[{i}]", **dates}
            spans.append(
                _Span(block.start_date, block.end_date, 0, _DAY_MINUTES, i, block.menu, describe)
            )
        for j, entry in enumerate(block.entries):
            describe = {
                "at": f"schedule[{i}].entries[{j}]",
                **dates,
                "start_time": entry.start_time,
                "end_time": entry.end_time,
            }
            same_day, next_day = _day_parts(
                parse_hhmm(entry.start_time), parse_hhmm(entry.end_time)
            )
            spans.append(
                _Span(block.start_date, block.end_date, *same_day, i, block.menu, describe)
            )
            # The call flow lets an overnight entry spill only into days the block covers.
            if next_day is not None and block.end_date > block.start_date:
                first = block.start_date + dt.timedelta(days=1)
                spans.append(_Span(first, block.end_date, *next_day, i, block.menu, describe))
    return spans


def _first_overlap(
    spans: Iterable[_Span], conflicting: Callable[[_Span, _Span], bool]
) -> tuple[_Span, _Span] | None:
    """The first pair of spans sharing a day and a minute that ``conflicting`` cares about.

    A sweep over the spans sorted by first day: only spans still running that day are compared.
    """
    active: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.first, s.start, s.block)):
        active = [a for a in active if a.last >= span.first]
        for other in active:
            if other.start < span.end and span.start < other.end and conflicting(other, span):
                return other, span
        active.append(span)
    return None


def _check_overlaps(schedule_type: str, blocks: Sequence[BlockInput]) -> None:
    if schedule_type == ScheduleType.WEEKLY:
        pair = _first_overlap(_weekly_spans(blocks), lambda a, b: a.menu != b.menu)
        if pair:
            raise Errors.SCHEDULE_OVERLAP({"overlapping": [pair[0].describe, pair[1].describe]})
    else:
        pair = _first_overlap(_date_range_spans(blocks), lambda a, b: a.block != b.block)
        if pair:
            raise Errors.DATE_RANGE_OVERLAP({"overlapping": [pair[0].describe, pair[1].describe]})


# --- write and read --------------------------------------------------------------------------


def do_replace_schedule(
    actor: User,
    system: AutoAttendantSystem,
    schedule_type: str,
    blocks: Sequence[BlockInput],
) -> None:
    """Replace every ``schedule_type`` block of ``system`` with ``blocks``, all or nothing.

    Queries, whatever the size: the ``flow_version`` bump (which locks the system row, so the
    menus read next cannot be deleted under us: every menu delete locks that row too), one read
    of the menus named, a delete of the old blocks and two bulk inserts. A system deleted before
    the bump has no menus left: a schedule naming any answers 490 (an empty one writes nothing).
    """
    _check_shape(schedule_type, blocks)
    with flow_change(actor):
        touch_systems([system.pk])
        wanted = {block.menu for block in blocks}
        menus = {m.sid: m for m in Menu.objects.filter(auto_attendant=system, sid__in=wanted)}
        for i, block in enumerate(blocks):
            if block.menu not in menus:
                if not AutoAttendantSystem.objects.filter(pk=system.pk).exists():
                    raise Errors.SYSTEM_NOT_FOUND({"sid": system.sid})
                raise Errors.MENU_NOT_FOUND({"sid": block.menu, "field": f"schedule[{i}].menu"})
        _check_overlaps(schedule_type, blocks)
        old = ScheduleBlock.objects.filter(auto_attendant=system, schedule_type=schedule_type)
        delete_logged(
            ScheduleEntry.objects.filter(block__in=old).select_related("block__auto_attendant")
        )
        delete_logged(old.select_related("auto_attendant"))
        rows = ScheduleBlock.objects.bulk_create(
            ScheduleBlock(
                auto_attendant=system,
                schedule_type=schedule_type,
                menu=menus[block.menu],
                start_date=block.start_date,
                end_date=block.end_date,
                position=i,
            )
            for i, block in enumerate(blocks)
        )
        log_created(rows)
        entries = ScheduleEntry.objects.bulk_create(
            ScheduleEntry(
                block=row,
                day=entry.day if schedule_type == ScheduleType.WEEKLY else None,
                start_time=entry.start_time,
                end_time=entry.end_time,
                position=j,
            )
            for row, block in zip(rows, blocks, strict=True)
            for j, entry in enumerate(block.entries)
        )
        log_created(entries)


def read_schedule(
    system: AutoAttendantSystem, schedule_type: str | None = None
) -> list[ScheduleBlock]:
    """The system's blocks (one type, or both: WEEKLY first), in stored order, each with its
    menu and entries loaded: two queries whatever the number of blocks and entries."""
    blocks = ScheduleBlock.objects.filter(auto_attendant=system)
    if schedule_type is not None:
        blocks = blocks.filter(schedule_type=schedule_type)
    blocks = blocks.select_related("menu").prefetch_related("entries")
    weekly_first = {ScheduleType.WEEKLY: 0, ScheduleType.DATE_RANGE: 1}
    return sorted(blocks, key=lambda b: (weekly_first.get(b.schedule_type, 2), b.position, b.pk))
