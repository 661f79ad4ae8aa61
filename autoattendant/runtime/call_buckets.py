"""Quarter-hour roll-ups of the call history (:class:`~autoattendant.models.CallBucket`,
:class:`~autoattendant.models.KeyPressBucket`), so statistics over a million calls add up a few
thousand rows instead of scanning every call.

A bucket is recomputed from its calls whenever one of them is written, closed or deleted —
deleted and inserted again, never incremented — so running a refresh twice, or two at once on
different buckets, gives the same rows. Quarter hours (UTC) because every timezone's offset is a
whole number of them: a bucket falls in exactly one local hour and day of any system.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from ..models import Call, CallBucket, CallStep, KeyPressBucket

__all__ = ["BUCKET", "bucket_of", "refresh_buckets"]

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


def refresh_buckets(touched: Iterable[tuple[int, datetime]]) -> None:
    """Recompute the buckets ``touched`` ((enterprise id, any instant in the bucket) pairs) from
    their calls, in one transaction: a query for the calls, one for their key presses, the
    deletes and two inserts."""
    buckets = {(enterprise_id, bucket_of(instant)) for enterprise_id, instant in touched}
    if not buckets:
        return
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
    with transaction.atomic():
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
