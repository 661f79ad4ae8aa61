"""Usage records: how many phone numbers each enterprise held in a period, and the monthly
roll-up that stores closed months.

**Counting rule.** A number (main or extension) counts for its enterprise in the period
``[start, end)`` if it existed at any moment of it::

    date_created < end  AND  (date_deleted IS NULL OR date_deleted >= start)

so a number added on the 5th and deleted on the 25th counts for that month and not the next,
and a number never deleted counts every month after it was added. Periods are whole UTC days:
``Period(first, last)`` covers ``first 00:00`` up to (not including) ``last + 1 day 00:00``.

**Where answers come from.** A closed calendar month (one that ended before the current month
began) is read from ``MonthlyUsage`` once ``rollup_month`` has stored it; everything else is
counted live. Both paths apply the same rule to the same rows, so they give the same count.

Counting is set-based: one ``GROUP BY enterprise`` query covers up to ``PERIODS_PER_QUERY``
periods (conditional aggregates), whatever the number of enterprises or numbers.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..errors import Errors
from ..models import Enterprise, MonthlyUsage, PhoneNumber
from ..timestamps import DateOutOfRange, check_day, parse_instant

logger = logging.getLogger(__name__)

# How many periods one counting query aggregates (each adds a FILTER'd COUNT and two parameters).
PERIODS_PER_QUERY = 50
# A roll-up holds its lock at most this long (a crashed run frees it by itself).
ROLLUP_LOCK_SECONDS = 15 * 60
# First key of the PostgreSQL advisory lock (the second is the month, YYYYMM): "USAG".
_ADVISORY_LOCK_CLASS = 0x55534147

SUBRESOURCES = ("daily", "monthly", "yearly", "today", "yesterday", "thismonth", "lastmonth")


# --- Periods -------------------------------------------------------------------------------------
def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return add_months(day, 1) - dt.timedelta(days=1)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC)


@dataclass(frozen=True)
class Period:
    """The UTC days ``first`` .. ``last``, both included."""

    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return _midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the period (exclusive bound)."""
        return _midnight(self.last) + dt.timedelta(days=1)

    @property
    def calendar_month(self) -> dt.date | None:
        """The month's first day when the period is exactly one calendar month, else None."""
        if self.first.day == 1 and self.last == month_end(self.first):
            return self.first
        return None


@dataclass(frozen=True)
class PeriodSeries(Sequence):
    """The periods of ``first`` .. ``last`` split by ``step`` (day, month, year, or whole).

    Lazy: a daily series over decades costs nothing until a page of it is read. Months and
    years at either end are clipped to the range, so each period says exactly what it counts.
    """

    first: dt.date
    last: dt.date
    step: str = "whole"

    def __len__(self) -> int:
        if self.step == "day":
            return (self.last - self.first).days + 1
        if self.step == "month":
            return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        if self.step == "year":
            return self.last.year - self.first.year + 1
        return 1

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if self.step == "day":
            day = self.first + dt.timedelta(days=index)
            return Period(day, day)
        if self.step == "month":
            first = add_months(month_start(self.first), index)
            return Period(max(first, self.first), min(month_end(first), self.last))
        if self.step == "year":
            year = self.first.year + index
            return Period(
                max(dt.date(year, 1, 1), self.first), min(dt.date(year, 12, 31), self.last)
            )
        return Period(self.first, self.last)


_RELATIVE = re.compile(r"^([+-])\s*(\d{1,7})\s*days?$", re.IGNORECASE)


def parse_usage_date(name: str, raw: str, today: dt.date) -> dt.date:
    """``YYYY-MM-DD`` (a date-time is taken at its UTC date) or an offset to today such as
    ``-30days`` / ``+30days``, within the range every timestamp keeps to
    (``timestamps.FIRST_DAY`` .. ``LAST_DAY``). Anything else → 612 naming the parameter."""
    value = raw.strip()
    relative = _RELATIVE.match(value)
    try:
        if relative:
            days = int(relative.group(2))
            day = today + dt.timedelta(days=-days if relative.group(1) == "-" else days)
            return check_day(day, raw)
        return parse_instant(value).date()
    except DateOutOfRange as exc:
        raise Errors.INVALID_FILTER({name: str(exc)}) from None
    except OverflowError:  # an offset past year 9999 (or before year 1)
        raise Errors.INVALID_FILTER({name: str(DateOutOfRange(raw))}) from None
    except ValueError:
        raise Errors.INVALID_FILTER(
            {name: f"{raw!r} is not a date (YYYY-MM-DD) or an offset such as -30days"}
        ) from None


# kind → (step, first day by default given the last one)
_STEPS = {
    "records": ("whole", month_start),
    "daily": ("day", lambda last: last - dt.timedelta(days=29)),
    "monthly": ("month", lambda last: add_months(last, -11)),
    "yearly": ("year", lambda last: dt.date(last.year - 1, 1, 1)),
}


def usage_series(
    kind: str, today: dt.date, first: dt.date | None = None, last: dt.date | None = None
) -> PeriodSeries:
    """The periods a usage resource answers with, ``today`` being the current UTC date.

    ``records`` (the base resource): one period, ``first`` defaulting to the 1st of ``last``'s
    month and ``last`` to today. ``daily``: 30 days ending today; ``monthly``: 12 months ending
    with the current one; ``yearly``: last year and this one — each ending today unless dates
    are given. ``today``, ``yesterday``, ``thismonth`` (1st to today) and ``lastmonth`` take no
    dates. ``first`` after ``last`` → 612.
    """
    if kind == "today":
        return PeriodSeries(today, today)
    if kind == "yesterday":
        yesterday = today - dt.timedelta(days=1)
        return PeriodSeries(yesterday, yesterday)
    if kind == "thismonth":
        return PeriodSeries(month_start(today), today)
    if kind == "lastmonth":
        previous = add_months(today, -1)
        return PeriodSeries(previous, month_end(previous))

    if kind not in _STEPS:
        raise ValueError(f"unknown usage resource {kind!r}")
    step, default_first = _STEPS[kind]
    last = last or today
    if first is None:
        try:
            first = default_first(last)
        except (ValueError, OverflowError):
            first = dt.date.min
    if first > last:
        raise Errors.INVALID_FILTER(
            {
                "startDate": first.isoformat(),
                "endDate": last.isoformat(),
                "detail": "startDate must be on or before endDate",
            }
        )
    return PeriodSeries(first, last, step)


# --- Counting ------------------------------------------------------------------------------------
def _existed_in(period: Period) -> Q:
    return Q(date_created__lt=period.end) & (
        Q(date_deleted__isnull=True) | Q(date_deleted__gte=period.start)
    )


def count_numbers(
    periods: Sequence[Period], enterprise_ids: Sequence[int] | None = None
) -> list[dict[int, int]]:
    """Numbers held per enterprise in each period, computed live: ``[{enterprise_id: n}]``
    aligned with ``periods`` (enterprises with none are absent).

    One ``GROUP BY enterprise`` query per ``PERIODS_PER_QUERY`` periods; ``enterprise_ids``
    narrows it (None = every enterprise). Never a query per enterprise or per number.
    """
    if enterprise_ids is not None and not enterprise_ids:
        return [{} for _ in periods]
    results: list[dict[int, int]] = []
    for offset in range(0, len(periods), PERIODS_PER_QUERY):
        chunk = periods[offset : offset + PERIODS_PER_QUERY]
        envelope = Period(min(p.first for p in chunk), max(p.last for p in chunk))
        rows = PhoneNumber.objects.filter(_existed_in(envelope))
        if enterprise_ids is not None:
            rows = rows.filter(enterprise_id__in=enterprise_ids)
        if len(chunk) == 1:
            aggregates = {"p0": Count("pk")}
        else:
            aggregates = {f"p{i}": Count("pk", filter=_existed_in(p)) for i, p in enumerate(chunk)}
        counts: list[dict[int, int]] = [{} for _ in chunk]
        for row in rows.order_by().values("enterprise_id").annotate(**aggregates):
            for i in range(len(chunk)):
                if row[f"p{i}"]:
                    counts[i][row["enterprise_id"]] = row[f"p{i}"]
        results.extend(counts)
    return results


@dataclass(frozen=True)
class Tally:
    """One enterprise's count in one period."""

    count: int
    as_of: dt.datetime | None  # when it was computed; None = now (live)


def _rolled_up(months: set[dt.date], enterprise_ids: Sequence[int]) -> dict[dt.date, dict]:
    """Stored counts of the months that have been rolled up: ``{month: {enterprise_id: Tally}}``.

    A rolled-up month has a row for every enterprise that existed when it ran (zeros too); an
    enterprise without one was created later and held no number then (count 0). A month with
    no row at all has not been rolled up and is absent. One query, plus one when a page's
    enterprise lacks a row (to tell "created later" from "not rolled up").
    """
    if not months or not enterprise_ids:
        return {}
    stored: dict[dt.date, dict] = {}
    for month, enterprise_id, count, computed_at in MonthlyUsage.objects.filter(
        month__in=months, enterprise_id__in=enterprise_ids
    ).values_list("month", "enterprise_id", "count", "computed_at"):
        stored.setdefault(month, {})[enterprise_id] = Tally(count, computed_at)
    incomplete = {m for m in months if len(stored.get(m, {})) < len(enterprise_ids)}
    if incomplete:
        done = set(
            MonthlyUsage.objects.filter(month__in=incomplete)
            .order_by()
            .values_list("month", flat=True)
            .distinct()
        )
        for month in done:
            stored.setdefault(month, {})
    return stored


def usage_counts(
    periods: Sequence[Period], enterprise_ids: Sequence[int], today: dt.date
) -> list[dict[int, Tally]]:
    """Counts per enterprise for each period: closed calendar months from the roll-up where
    it exists, the rest live. Same answer either way; a bounded number of queries."""
    current_month = month_start(today)
    closed = {
        i: p.calendar_month
        for i, p in enumerate(periods)
        if p.calendar_month is not None and p.calendar_month < current_month
    }
    stored = _rolled_up(set(closed.values()), enterprise_ids)
    live_index = [i for i in range(len(periods)) if closed.get(i) not in stored]
    live = count_numbers([periods[i] for i in live_index], enterprise_ids)
    result: list[dict[int, Tally]] = [{} for _ in periods]
    for i, counts in zip(live_index, live, strict=True):
        result[i] = {e: Tally(n, None) for e, n in counts.items()}
    for i, month in closed.items():
        if month in stored:
            result[i] = stored[month]
    return result


@dataclass(frozen=True)
class UsageRecord:
    enterprise_sid: str
    period: Period
    count: int
    as_of: dt.datetime


class UsageTable:
    """Every usage record of a request, period-major: each period × each enterprise.

    A sized, sliceable sequence for ``SequencePage``; a slice computes only its own rows.
    Queries per slice: 1 enterprise count (once), at most 2 for the slice's enterprises, and
    those of ``usage_counts`` — none grows with the number of enterprises or numbers.
    """

    def __init__(self, enterprises: QuerySet, series: PeriodSeries, *, now: dt.datetime):
        self.enterprises = enterprises.order_by("date_created", "sid").only("id", "sid")
        self.series = series
        self.now = now
        self._enterprise_count: int | None = None

    @property
    def enterprise_count(self) -> int:
        if self._enterprise_count is None:
            self._enterprise_count = self.enterprises.count()
        return self._enterprise_count

    def __len__(self) -> int:
        return len(self.series) * self.enterprise_count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("UsageTable supports contiguous slices only")
        start, stop, _ = index.indices(len(self))
        return self._rows(start, stop) if start < stop else []

    def _enterprises_at(self, start: int, stop: int) -> dict[int, Enterprise]:
        """The enterprises of rows ``start`` .. ``stop - 1`` by position (1 or 2 queries)."""
        n = self.enterprise_count
        if stop - start >= n:
            return dict(enumerate(self.enterprises))
        first, last = start % n, (stop - 1) % n
        # A slice that wraps from one period into the next needs the end and the start.
        ranges = [(first, last + 1)] if first <= last else [(first, n), (0, last + 1)]
        found: dict[int, Enterprise] = {}
        for lo, hi in ranges:
            found.update(zip(range(lo, hi), self.enterprises[lo:hi], strict=True))
        return found

    def _rows(self, start: int, stop: int) -> list[UsageRecord]:
        n = self.enterprise_count
        enterprises = self._enterprises_at(start, stop)
        first_period = start // n
        periods = self.series[first_period : (stop - 1) // n + 1]
        counts = usage_counts(
            periods, [e.pk for e in enterprises.values()], self.now.astimezone(dt.UTC).date()
        )
        rows = []
        for i in range(start, stop):
            p, enterprise = i // n - first_period, enterprises[i % n]
            value = counts[p].get(enterprise.pk, Tally(0, None))
            rows.append(
                UsageRecord(enterprise.sid, periods[p], value.count, value.as_of or self.now)
            )
        return rows


# --- Roll-up -------------------------------------------------------------------------------------
class MonthNotClosed(ValueError):
    """The month has not ended yet (UTC): its count could still change."""


@dataclass(frozen=True)
class RollupResult:
    month: dt.date
    ran: bool  # False when another run of the same month held the lock
    enterprises: int = 0
    numbers: int = 0

    def summary(self) -> str:
        if not self.ran:
            return f"Another roll-up of {self.month:%Y-%m} is running; nothing done."
        return (
            f"Rolled up {self.month:%Y-%m}: {self.enterprises} enterprises, {self.numbers} numbers."
        )


def parse_month(raw: str) -> dt.date:
    """``YYYY-MM`` → the month's first day; anything else → ValueError."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (raw or "").strip())
    try:
        if not match:
            raise ValueError
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise ValueError(f"{raw!r} is not a month in the form YYYY-MM") from None


def previous_month(today: dt.date) -> dt.date:
    return add_months(today, -1)


def _advisory_lock(month: dt.date) -> None:
    """On PostgreSQL, serialise roll-ups of one month across processes for this transaction
    (the cache lock covers the rest; with a per-process cache this one still holds)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [_ADVISORY_LOCK_CLASS, month.year * 100 + month.month],
            )


def rollup_month(month: dt.date, *, now: dt.datetime | None = None) -> RollupResult:
    """Store one closed month's count for every enterprise (zeros included) in MonthlyUsage.

    Recomputes and upserts under the (enterprise, month) unique constraint — never
    increments — so running it twice, or twice at once, leaves the same rows. A cache lock
    (and on PostgreSQL an advisory lock) keeps runs of one month from overlapping: a run that
    finds the lock taken does nothing. One transaction; queries: the enterprise ids, one
    counting query, and one upsert per 1000 enterprises. ``MonthNotClosed`` for the current
    or a future month.
    """
    now = now or timezone.now()
    month = month_start(month)
    if add_months(month, 1) > now.astimezone(dt.UTC).date():
        raise MonthNotClosed(f"{month:%Y-%m} has not ended yet; only closed months roll up")
    lock = f"usage-rollup:{month:%Y-%m}"
    if not cache.add(lock, now.isoformat(), ROLLUP_LOCK_SECONDS):
        logger.info("Usage roll-up of %s already running; skipped", f"{month:%Y-%m}")
        return RollupResult(month, ran=False)
    try:
        with transaction.atomic():
            _advisory_lock(month)
            enterprise_ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
            (counts,) = count_numbers([Period(month, month_end(month))])
            rows = [
                MonthlyUsage(
                    enterprise_id=pk, month=month, count=counts.get(pk, 0), computed_at=now
                )
                for pk in enterprise_ids
            ]
            MonthlyUsage.objects.bulk_create(
                rows,
                batch_size=1000,
                update_conflicts=True,
                unique_fields=["enterprise", "month"],
                update_fields=["count", "computed_at"],
            )
    finally:
        cache.delete(lock)
    result = RollupResult(
        month,
        ran=True,
        enterprises=len(enterprise_ids),
        numbers=sum(counts.get(pk, 0) for pk in enterprise_ids),
    )
    logger.info(result.summary())
    return result


def run_rollup(month: str | None = None, *, now: dt.datetime | None = None) -> RollupResult:
    """The roll-up as the beat task and ``manage.py rollup_usage`` run it: ``month`` as
    ``YYYY-MM`` (ValueError when malformed), default the previous month (UTC)."""
    now = now or timezone.now()
    target = parse_month(month) if month else previous_month(now.astimezone(dt.UTC).date())
    return rollup_month(target, now=now)
