"""Quarter-hour roll-ups of the call history (:class:`~autoattendant.models.CallBucket`,
:class:`~autoattendant.models.KeyPressBucket`), so statistics over a million calls add up a few
thousand rows instead of scanning every call.

Writing steps and closing idle calls change the buckets by what changed (:class:`RollUpChanges`):
a call's old contribution out, its new one in, one writer of the history at a time
(:func:`lock_history`), so the work is in proportion to the batch, never to the calls a busy
quarter hour already holds. Deleting calls (the retention purge) recomputes the buckets it
touches from their calls (:func:`refresh_buckets`). Either way a bucket always equals what
counting its calls gives (tests hold them to it). Quarter hours (UTC) because every timezone's
offset is a whole number of them: a bucket falls in exactly one local hour and day of any
system.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q

from ..models import Call, CallBucket, CallStep, KeyPressBucket

__all__ = ["BUCKET", "RollUpChanges", "bucket_of", "lock_history", "refresh_buckets"]

#: The PostgreSQL advisory lock the writers of the call history take in turn.
HISTORY_LOCK = 0x41414348  # "AACH"

BUCKET = timedelta(minutes=15)


def bucket_of(instant: datetime) -> datetime:
    """The start of ``instant``'s quarter hour."""
    return instant.replace(minute=instant.minute - instant.minute % 15, second=0, microsecond=0)


def _ranges(buckets: set[tuple[int, datetime]], prefix: str = "") -> Q:
    query = Q()
    for enterprise_id, start in buckets:
        query |= Q(
            **{
                f"{prefix}enterprise_id": enterprise_id,
                f"{prefix}start_time__gte": start,
                f"{prefix}start_time__lt": start + BUCKET,
            }
        )
    return query


def lock_history() -> None:
    """Inside a transaction: wait until no other transaction writes the call history, and keep
    it to this one until commit. The writers (the drain task, a process writing its own buffer
    while Redis is away, closing idle calls, the purge) each read a call's summary and change
    the roll-ups by the difference: two at once on the same call would count it twice, and
    locking the calls' rows instead deadlocks writers that create the same new calls in
    different orders. One PostgreSQL advisory lock; SQLite's write transactions (``BEGIN
    IMMEDIATE``) are one at a time already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HISTORY_LOCK])


def refresh_buckets(touched: Iterable[tuple[int, datetime]]) -> None:
    """Recompute the buckets ``touched`` ((enterprise id, any instant in the bucket) pairs) from
    their calls, in one transaction: a query for the calls, one for their key presses, the
    deletes and two inserts."""
    buckets = {(enterprise_id, bucket_of(instant)) for enterprise_id, instant in touched}
    if not buckets:
        return
    with transaction.atomic():
        lock_history()
        _recompute(buckets)


def _recompute(buckets: set[tuple[int, datetime]]) -> None:
    calls: Counter = Counter()
    seconds: Counter = Counter()
    for enterprise_id, system_sid, start, outcome, duration in Call.objects.filter(
        _ranges(buckets)
    ).values_list("enterprise_id", "system_sid", "start_time", "outcome", "duration_seconds"):
        key = (enterprise_id, system_sid, bucket_of(start), outcome)
        calls[key] += 1
        seconds[key] += duration
    presses: Counter = Counter()
    for enterprise_id, system_sid, start, menu_sid, key in (
        CallStep.objects.filter(_ranges(buckets, "call__"), key__gt="")
        .values_list(
            "call__enterprise_id", "call__system_sid", "call__start_time", "menu_sid", "key"
        )
        .order_by()
    ):
        presses[enterprise_id, system_sid, bucket_of(start), menu_sid, key] += 1
    stale = Q()
    for enterprise_id, start in buckets:
        stale |= Q(enterprise_id=enterprise_id, bucket=start)
    CallBucket.objects.filter(stale).delete()
    KeyPressBucket.objects.filter(stale).delete()
    CallBucket.objects.bulk_create(
        CallBucket(
            enterprise_id=e,
            system_sid=s,
            bucket=b,
            outcome=o,
            calls=n,
            seconds=seconds[e, s, b, o],
        )
        for (e, s, b, o), n in calls.items()
    )
    KeyPressBucket.objects.bulk_create(
        KeyPressBucket(enterprise_id=e, system_sid=s, bucket=b, menu_sid=m, key=k, presses=n)
        for (e, s, b, m, k), n in presses.items()
    )


class RollUpChanges:
    """What a batch changes in the roll-ups, gathered call by call and written in a few
    statements by :meth:`apply` (in the caller's transaction, after :func:`lock_history`)."""

    def __init__(self) -> None:
        self.calls: Counter = Counter()
        self.seconds: Counter = Counter()
        self.presses: Counter = Counter()

    def call_changed(
        self,
        enterprise_id: int,
        system_sid: str,
        before: tuple | None,
        after: tuple,
        earlier_steps: Iterable[tuple],
        added_steps: Iterable[tuple],
    ) -> None:
        """A call went from ``before`` to ``after`` ((quarter hour, outcome, seconds); ``before``
        None for a call in no bucket yet) by gaining ``added_steps``; ``earlier_steps`` are the
        ones it had. Steps are tuples whose [2] is the menu and [4] the key pressed."""
        if before is not None:
            key = (enterprise_id, system_sid, before[0], before[1])
            self.calls[key] -= 1
            self.seconds[key] -= before[2]
        key = (enterprise_id, system_sid, after[0], after[1])
        self.calls[key] += 1
        self.seconds[key] += after[2]
        moved = before is None or before[0] != after[0]
        if moved and before is not None:
            for step in earlier_steps:
                if step[4]:
                    self.presses[enterprise_id, system_sid, before[0], step[2], step[4]] -= 1
        for step in (*earlier_steps, *added_steps) if moved else added_steps:
            if step[4]:
                self.presses[enterprise_id, system_sid, after[0], step[2], step[4]] += 1

    def apply(self) -> None:
        calls = {
            key: (n, self.seconds[key]) for key, n in self.calls.items() if n or self.seconds[key]
        }
        _add(CallBucket, ("outcome",), ("calls", "seconds"), calls)
        presses = {key: (n,) for key, n in self.presses.items() if n}
        _add(KeyPressBucket, ("menu_sid", "key"), ("presses",), presses)


def _add(model, keys: tuple[str, ...], counts: tuple[str, ...], changes: dict) -> None:
    """Add ``changes`` ((enterprise id, system, bucket, *keys) -> counts) to ``model``'s rows:
    an upsert for what grows, an update for what shrinks (never below zero), and the rows left
    at zero deleted."""
    if not changes:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    columns = ("enterprise_id", "system_sid", "bucket", *keys)
    where = " AND ".join(f"{quote(column)} = %s" for column in columns)
    grow, shrink = [], []
    for (enterprise_id, system_sid, bucket, *rest), values in changes.items():
        key = (enterprise_id, system_sid, adapt(bucket), *rest)
        (grow if values[0] > 0 else shrink).append((key, values))
    first = quote(counts[0])
    with connection.cursor() as cursor:
        if grow:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(quote(c) for c in (*columns, *counts))}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * (len(columns) + len(counts)))}) "
                f"ON CONFLICT ({', '.join(quote(c) for c in columns)}) DO UPDATE SET "
                + ", ".join(
                    f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in counts
                ),
                [(*key, *values) for key, values in grow],
            )
        if shrink:
            sets = ", ".join(
                [f"{first} = CASE WHEN {first} + %s > 0 THEN {first} + %s ELSE 0 END"]
                + [f"{quote(c)} = {quote(c)} + %s" for c in counts[1:]]
            )
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE {where}",  # noqa: S608 - our own names
                [(values[0], values[0], *values[1:], *key) for key, values in shrink],
            )
            cursor.executemany(
                f"DELETE FROM {table} WHERE {where} AND {first} = 0",  # noqa: S608
                [key for key, _ in shrink],
            )
