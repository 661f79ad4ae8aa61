"""Call history (DESIGN §13): the reads the API and the console share — lists, one call with its
steps, statistics, the CSV rows — and the housekeeping the tasks and commands run (closing idle
calls, the retention purge, forgetting a caller).

Statistics are computed in the database (``GROUP BY``): one pass over the calls (by local day,
local hour and outcome, in each system's timezone) and one over the key presses, whatever the
number of calls.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, close_old_connections, transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone

from ..access import scope
from ..choices import CallOutcome
from ..errors import Errors
from ..models import AutoAttendantSystem, Call, CallStep, Menu, User
from ..runtime import recording
from ..timestamps import format_timestamp

__all__ = [
    "CSV_COLUMNS",
    "CallStats",
    "call_stats",
    "close_idle_calls",
    "csv_lines",
    "default_window",
    "forget_caller",
    "get_call",
    "purge_history",
    "visible_calls",
    "write_recorded_steps",
]

logger = logging.getLogger(__name__)

#: How far back statistics look when no window is given.
DEFAULT_STATS_DAYS = 30
#: A window longer than this lists only the days that had calls in ``byDay``.
MAX_LISTED_DAYS = 400

CSV_COLUMNS = (
    "sid",
    "callSid",
    "autoAttendantSid",
    "from",
    "to",
    "dialect",
    "startTime",
    "endTime",
    "durationSeconds",
    "outcome",
    "transferredTo",
    "menuPath",
)


def visible_calls(user: User) -> QuerySet[Call]:
    """The calls ``user`` may see (an enterprise's admins their enterprise's, superusers all),
    with what this process still holds in its recording buffer written first."""
    recording.flush_local()
    return scope(Call.objects.all(), user)


def get_call(user: User, sid: object) -> Call:
    """One visible call with its steps (two queries), else 626 for missing and foreign alike."""
    if not isinstance(sid, str) or not sid:
        raise Errors.CALL_NOT_FOUND({"sid": sid})
    call = visible_calls(user).filter(sid=sid).prefetch_related("steps").first()
    if call is None:
        raise Errors.CALL_NOT_FOUND({"sid": sid})
    return call


def default_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now - timedelta(days=DEFAULT_STATS_DAYS), now


@dataclass
class CallStats:
    total: int
    by_outcome: dict[str, int]
    abandoned_rate: float
    average_duration_seconds: float
    by_hour: list[int]
    by_day: list[dict]
    key_presses: list[dict]
    start: datetime
    end: datetime
    timezone: str
    #: Calls by local weekday (Monday first) × local hour, for the console's heatmap.
    by_weekday_hour: list[list[int]]


def _zones(calls: QuerySet[Call], system: AutoAttendantSystem | None) -> dict[str, list]:
    """Timezone → the system ids of ``calls`` in it (``None`` for calls whose system is gone,
    counted in UTC)."""
    if system is not None:
        return {system.timezone_id: [system.pk]}
    zones: dict[str, list] = {}
    systems = AutoAttendantSystem.objects.filter(enterprise__in=calls.values("enterprise"))
    for pk, zone in systems.values_list("pk", "timezone_id"):
        zones.setdefault(zone or "UTC", []).append(pk)
    zones.setdefault("UTC", []).append(None)
    return zones


def call_stats(
    calls: QuerySet[Call],
    start: datetime,
    end: datetime,
    system: AutoAttendantSystem | None = None,
) -> CallStats:
    """Statistics of ``calls`` (already scoped and filtered by system) that started within
    ``start``..``end`` (inclusive). ``byHour`` and ``byDay`` are in the system's timezone (with
    several systems, each call in its own system's). Queries: one per timezone in use, plus the
    key presses and their menus' names."""
    calls = calls.filter(start_time__gte=start, start_time__lte=end)
    by_outcome = dict.fromkeys(CallOutcome.values, 0)
    by_hour = [0] * 24
    by_weekday_hour = [[0] * 24 for _ in range(7)]
    days: dict[date, dict[str, int]] = {}
    total = duration = 0
    zones = _zones(calls, system)
    for zone_name, system_ids in zones.items():
        zone = ZoneInfo(zone_name)
        subset = calls
        if system is None:
            known = [pk for pk in system_ids if pk is not None]
            subset = calls.filter(system_id__in=known)
            if None in system_ids:
                subset = subset | calls.filter(system__isnull=True)
        rows = (
            subset.annotate(
                day=TruncDate("start_time", tzinfo=zone),
                hour=ExtractHour("start_time", tzinfo=zone),
            )
            .values_list("day", "hour", "outcome")
            .annotate(n=Count("id"), seconds=Sum("duration_seconds"))
            .order_by()
        )
        for day, hour, outcome, n, seconds in rows:
            total += n
            duration += seconds or 0
            by_outcome[outcome] = by_outcome.get(outcome, 0) + n
            by_hour[hour] += n
            by_weekday_hour[day.weekday()][hour] += n
            per_day = days.setdefault(day, dict.fromkeys(CallOutcome.values, 0))
            per_day[outcome] = per_day.get(outcome, 0) + n
    zone_name = system.timezone_id if system is not None else _single_zone(zones)
    by_day = _by_day(days, start, end, ZoneInfo(zone_name))
    return CallStats(
        total=total,
        by_outcome=by_outcome,
        abandoned_rate=round(by_outcome[CallOutcome.CALLER_HUNG_UP] / total, 4) if total else 0.0,
        average_duration_seconds=round(duration / total, 1) if total else 0.0,
        by_hour=by_hour,
        by_day=by_day,
        key_presses=_key_presses(calls),
        start=start,
        end=end,
        timezone=zone_name,
        by_weekday_hour=by_weekday_hour,
    )


def _single_zone(zones: dict[str, list]) -> str:
    used = [name for name, ids in zones.items() if any(pk is not None for pk in ids)]
    return used[0] if len(used) == 1 else "UTC"


def _by_day(days: dict, start: datetime, end: datetime, zone: ZoneInfo) -> list[dict]:
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    if (last - first).days <= MAX_LISTED_DAYS:
        listed = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        listed += [day for day in days if day < first or day > last]
    else:
        listed = list(days)
    empty = dict.fromkeys(CallOutcome.values, 0)
    return [
        {
            "date": day,
            "total": sum(days.get(day, empty).values()),
            "byOutcome": days.get(day, empty),
        }
        for day in sorted(set(listed))
    ]


def _key_presses(calls: QuerySet[Call]) -> list[dict]:
    rows = list(
        CallStep.objects.filter(call__in=calls.values("id"), key__gt="")
        .values_list("menu_sid", "key")
        .annotate(count=Count("id"))
        .order_by()
    )
    names = dict(Menu.objects.filter(sid__in={row[0] for row in rows}).values_list("sid", "name"))
    presses = [
        {"menuSid": menu_sid, "menuName": names.get(menu_sid, ""), "key": key, "count": count}
        for menu_sid, key, count in rows
    ]
    presses.sort(key=lambda p: (p["menuName"].lower(), p["menuSid"], p["key"]))
    return presses


# --- CSV export ------------------------------------------------------------------------------


def csv_lines(calls: QuerySet[Call]) -> Iterator[str]:
    """The header and one line per call, read through a server-side cursor (``iterator``) in
    chunks: memory stays flat whatever the number of calls."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(CSV_COLUMNS)
    rows = calls.values_list(
        "sid",
        "call_sid",
        "system_sid",
        "from_number",
        "to_number",
        "dialect",
        "start_time",
        "end_time",
        "duration_seconds",
        "outcome",
        "transferred_to",
        "menu_path",
    )
    for row in rows.iterator(chunk_size=2000):
        values = list(row)
        values[6] = format_timestamp(values[6])
        values[7] = format_timestamp(values[7])
        values[11] = " ".join(values[11] or ())
        yield line(_safe(values))


def _safe(values: list) -> list:
    """Cells a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) quoted with ``'``
    (caller-controlled text such as a spoken name never becomes a formula)."""
    return [
        f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value
        for value in values
    ]


# --- housekeeping ----------------------------------------------------------------------------


def write_recorded_steps() -> int:
    """What the recording buffer holds written to the database (the drain task's work). A
    database error is logged and leaves the steps in the buffer for the next run: the next run
    is the retry. Returns how many steps were written."""
    try:
        return recording.settle()
    except DatabaseError:
        logger.warning("Call steps not written yet (database unavailable); kept for the next run")
        close_old_connections()
        return 0


def close_idle_calls(now: datetime | None = None) -> int:
    """Calls still waiting for the caller ``CALL_IDLE_SECONDS`` after their last step:
    ``CALLER_HUNG_UP`` (one update; this process's recording buffer written first). A step
    that arrives later reopens the call with its own outcome. Idempotent."""
    recording.flush_local()
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.CALL_IDLE_SECONDS)
    return Call.objects.filter(outcome=CallOutcome.IN_PROGRESS, end_time__lt=cutoff).update(
        outcome=CallOutcome.CALLER_HUNG_UP
    )


def purge_history(now: datetime | None = None, batch: int = 5000) -> int:
    """Calls (and their steps) that started more than ``CALL_HISTORY_DAYS`` ago, deleted in
    batches of ``batch`` calls so no transaction grows with the history. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CALL_HISTORY_DAYS)
    deleted = 0
    while True:
        ids = list(
            Call.objects.filter(start_time__lt=cutoff)
            .order_by()
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            return deleted
        with transaction.atomic():
            CallStep.objects.filter(call_id__in=ids).delete()
            Call.objects.filter(id__in=ids).delete()
        deleted += len(ids)


def forget_caller(number: str) -> int:
    """Erase ``number`` (digits; ``+``, spaces and dashes ignored) from every call's caller and
    dialled fields, what is still buffered written first. Returns how many calls changed."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if not digits:
        raise ValueError("a number needs digits")
    recording.settle()
    variants = {digits, f"+{digits}"}
    with transaction.atomic():
        changed = Call.objects.filter(from_number__in=variants).update(from_number="")
        changed += Call.objects.filter(to_number__in=variants).update(to_number="")
        changed += Call.objects.filter(transferred_to__in=variants).update(transferred_to="")
        CallStep.objects.filter(transferred_to__in=variants).update(transferred_to="")
        for step in CallStep.objects.filter(detail__contains=digits).only("id", "detail"):
            step.detail = step.detail.replace(digits, "…")
            step.save(update_fields=["detail"])
    return changed
