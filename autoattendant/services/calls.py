"""Call history (DESIGN §13): the reads the API and the console share — lists, one call with its
steps, statistics, the CSV rows — and the housekeeping the tasks and commands run (closing idle
calls, the retention purge, forgetting a caller).

Statistics add up quarter-hour roll-ups kept beside the calls (``runtime.call_buckets``), so
they cost the same for a thousand calls as for a million.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, close_old_connections, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from ..access import scope
from ..choices import CallOutcome
from ..errors import Errors
from ..models import AutoAttendantSystem, Call, CallBucket, CallStep, KeyPressBucket, Menu, User
from ..runtime import recording
from ..runtime.call_buckets import (
    BUCKET,
    RollUpChanges,
    bucket_of,
    lock_history,
    refresh_buckets,
)
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


def _up_to_date() -> None:
    """What this process still holds in its recording buffer written; on the embedded default,
    where no Celery beat runs (tasks are eager), idle calls closed too (one indexed update)."""
    recording.flush_local()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        close_idle_calls()


def visible_calls(user: User) -> QuerySet[Call]:
    """The calls ``user`` may see (an enterprise's admins their enterprise's, superusers all),
    up to date (:func:`_up_to_date`)."""
    _up_to_date()
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


def _zones(enterprise_id: int | None, system: AutoAttendantSystem | None) -> dict[str, ZoneInfo]:
    """Each system sid → its timezone (calls whose system is gone count in UTC)."""
    if system is not None:
        return {system.sid: ZoneInfo(system.timezone_id)}
    systems = AutoAttendantSystem.objects.all()
    if enterprise_id is not None:
        systems = systems.filter(enterprise_id=enterprise_id)
    zones = {}
    for sid, zone in systems.values_list("sid", "timezone_id"):
        try:
            zones[sid] = ZoneInfo(zone or "UTC")
        except (KeyError, ValueError):
            zones[sid] = ZoneInfo("UTC")
    return zones


def call_stats(
    enterprise_id: int | None,
    start: datetime,
    end: datetime,
    system: AutoAttendantSystem | None = None,
) -> CallStats:
    """Statistics of the calls of ``enterprise_id`` (``None``: every enterprise), of ``system``
    when given, that started within ``start``..``end`` (inclusive). ``byHour`` and ``byDay`` are
    in the system's timezone (with several systems, each call in its own system's).

    The whole quarter hours of the window are read from the roll-ups
    (:mod:`~autoattendant.runtime.call_buckets`: a few thousand rows for a month, whatever the
    number of calls), the partial quarter hours at its ends from the calls themselves; the same
    figures as counting every call. Queries: the systems' timezones, the call roll-ups, the
    key-press roll-ups, the calls and the key presses at the ends, the menus' names."""
    _up_to_date()
    scope = Q() if enterprise_id is None else Q(enterprise_id=enterprise_id)
    if system is not None:
        scope &= Q(system_sid=system.sid)
    first_full = bucket_of(start) if start == bucket_of(start) else bucket_of(start) + BUCKET
    last_edge = bucket_of(end)
    if first_full >= last_edge:
        full = Q(pk__in=[])
        edges = Q(start_time__gte=start, start_time__lte=end)
    else:
        full = Q(bucket__gte=first_full, bucket__lt=last_edge)
        edges = Q(start_time__gte=start, start_time__lt=first_full) | Q(
            start_time__gte=last_edge, start_time__lte=end
        )

    # (system sid, bucket, outcome) → calls and seconds
    counts: Counter = Counter()
    seconds: Counter = Counter()
    for system_sid, bucket, outcome, n, total in CallBucket.objects.filter(
        scope & full
    ).values_list("system_sid", "bucket", "outcome", "calls", "seconds"):
        counts[system_sid, bucket, outcome] += n
        seconds[system_sid, bucket, outcome] += total
    for system_sid, started, outcome, duration in Call.objects.filter(scope & edges).values_list(
        "system_sid", "start_time", "outcome", "duration_seconds"
    ):
        counts[system_sid, bucket_of(started), outcome] += 1
        seconds[system_sid, bucket_of(started), outcome] += duration

    zones = _zones(enterprise_id, system)
    utc = ZoneInfo("UTC")
    by_outcome = dict.fromkeys(CallOutcome.values, 0)
    by_hour = [0] * 24
    by_weekday_hour = [[0] * 24 for _ in range(7)]
    days: dict[date, dict[str, int]] = {}
    local: dict[tuple, datetime] = {}
    total = duration = 0
    for (system_sid, bucket, outcome), n in counts.items():
        zone = zones.get(system_sid, utc)
        when = local.get((bucket, zone))
        if when is None:
            when = local[bucket, zone] = bucket.astimezone(zone)
        total += n
        duration += seconds[system_sid, bucket, outcome]
        by_outcome[outcome] = by_outcome.get(outcome, 0) + n
        by_hour[when.hour] += n
        by_weekday_hour[when.weekday()][when.hour] += n
        per_day = days.setdefault(when.date(), dict.fromkeys(CallOutcome.values, 0))
        per_day[outcome] = per_day.get(outcome, 0) + n
    used = {str(zones.get(sid, utc)) for sid, _, _ in counts} or {
        str(zone) for zone in zones.values()
    }
    zone_name = (
        system.timezone_id if system is not None else (used.pop() if len(used) == 1 else "UTC")
    )
    return CallStats(
        total=total,
        by_outcome=by_outcome,
        abandoned_rate=round(by_outcome[CallOutcome.CALLER_HUNG_UP] / total, 4) if total else 0.0,
        average_duration_seconds=round(duration / total, 1) if total else 0.0,
        by_hour=by_hour,
        by_day=_by_day(days, start, end, ZoneInfo(zone_name)),
        key_presses=_key_presses(scope, full, edges),
        start=start,
        end=end,
        timezone=zone_name,
        by_weekday_hour=by_weekday_hour,
    )


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


def _key_presses(scope: Q, full: Q, edges: Q) -> list[dict]:
    tally: Counter = Counter()
    for menu_sid, key, n in (
        KeyPressBucket.objects.filter(scope & full)
        .values_list("menu_sid", "key")
        .annotate(n=Sum("presses"))
        .order_by()
    ):
        tally[menu_sid, key] += n
    step_scope = Q(key__gt="", call__in=Call.objects.filter(scope & edges).values("id"))
    for menu_sid, key in CallStep.objects.filter(step_scope).values_list("menu_sid", "key"):
        tally[menu_sid, key] += 1
    names = dict(Menu.objects.filter(sid__in={m for m, _ in tally}).values_list("sid", "name"))
    presses = [
        {"menuSid": menu_sid, "menuName": names.get(menu_sid, ""), "key": key, "count": count}
        for (menu_sid, key), count in tally.items()
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
    ``CALLER_HUNG_UP`` (this process's recording buffer written first; their roll-ups
    changed with them). A step that arrives later reopens the call with its own outcome.
    Idempotent."""
    recording.flush_local()
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.CALL_IDLE_SECONDS)
    idle = Call.objects.filter(outcome=CallOutcome.IN_PROGRESS, end_time__lt=cutoff)
    if not idle.exists():
        return 0
    roll_ups = RollUpChanges()
    with transaction.atomic():
        lock_history()  # then read again: a step written meanwhile may have moved a call on
        rows = list(
            idle.order_by().values_list(
                "pk", "enterprise_id", "system_sid", "start_time", "duration_seconds"
            )
        )
        Call.objects.filter(pk__in=[row[0] for row in rows]).update(
            outcome=CallOutcome.CALLER_HUNG_UP
        )
        for _, enterprise_id, system_sid, start, duration in rows:
            bucket = bucket_of(start)
            roll_ups.call_changed(
                enterprise_id, system_sid, (bucket, CallOutcome.IN_PROGRESS, duration),
                (bucket, CallOutcome.CALLER_HUNG_UP, duration), (), (),
            )  # fmt: skip
        roll_ups.apply()
    return len(rows)


def purge_history(now: datetime | None = None, batch: int = 5000) -> int:
    """Calls (and their steps) that started more than ``CALL_HISTORY_DAYS`` ago, deleted in
    batches of ``batch`` calls so no transaction grows with the history. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CALL_HISTORY_DAYS)
    deleted = 0
    while ids := list(
        Call.objects.filter(start_time__lt=cutoff).order_by().values_list("id", flat=True)[:batch]
    ):
        with transaction.atomic():
            CallStep.objects.filter(call_id__in=ids).delete()
            Call.objects.filter(id__in=ids).delete()
        deleted += len(ids)
    # The roll-ups of what is gone; the quarter hour the cutoff falls in, recomputed.
    edge = bucket_of(cutoff)
    CallBucket.objects.filter(bucket__lt=edge).delete()
    KeyPressBucket.objects.filter(bucket__lt=edge).delete()
    enterprises = CallBucket.objects.filter(bucket=edge).values_list("enterprise_id", flat=True)
    refresh_buckets((enterprise_id, edge) for enterprise_id in set(enterprises))
    return deleted


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
