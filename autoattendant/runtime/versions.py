"""The call flow's change counter: every write to what a call hears bumps its system's
``flow_version``, so a cached compiled flow is recognised as stale without re-reading its rows.

Services call :func:`touch_systems` inside their writing transaction. The signal handlers of
:mod:`.invalidation` bump too, as a safety net for the admin and plain ORM saves; a system
the enclosing transaction has already touched is not bumped again (:func:`already_touched`), so a
service's own saves cost no extra query.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable

from django.db import connection
from django.db.models import F
from django.dispatch import Signal

from ..models import AutoAttendantSystem

__all__ = ["already_touched", "bump_systems", "systems_bumped", "touch_systems"]

#: Sent after every bump with ``system_ids`` (a sorted list): the flow of those systems changed
#: in the current transaction. Flow versions and flow tests listen (``services.flowversions``);
#: writes only, never a call.
systems_bumped = Signal()

_local = threading.local()


def bump_systems(system_ids: Iterable[int | None]) -> list[int]:
    """One UPDATE adding 1 to ``flow_version`` of these systems (none given → no query).

    A queryset ``update`` sends no signals, so bumping never recurses. Returns the ids bumped.
    """
    ids = sorted({pk for pk in system_ids if pk is not None})
    if ids:
        AutoAttendantSystem.objects.filter(pk__in=ids).update(flow_version=F("flow_version") + 1)
        systems_bumped.send(sender=AutoAttendantSystem, system_ids=ids)
    return ids


def touch_systems(system_ids: Iterable[int | None]) -> None:
    """Bump ``flow_version`` of these systems in one UPDATE (none given → no query).

    Call it inside the writing transaction: the row lock it takes also orders concurrent writers
    of the same system, and a rolled-back write leaves the version untouched. ``date_updated`` is
    left alone (it is the API's "the system itself changed" stamp).
    """
    _remember(bump_systems(system_ids))


def _remember(ids: list[int]) -> None:
    """Note that the innermost transaction block has bumped ``ids``: later writes inside that
    block commit (or roll back) together with the bump, so they need no bump of their own."""
    blocks = connection.atomic_blocks
    if not ids or not blocks or getattr(blocks[-1], "_from_testcase", False):
        return
    block = blocks[-1]
    touched: dict[int, tuple[weakref.ref, set[int]]] = getattr(_local, "touched", {})
    live = {id(b) for b in blocks}
    touched = {key: value for key, value in touched.items() if key in live and value[0]()}
    entry = touched.get(id(block))
    if entry is None or entry[0]() is not block:
        entry = (weakref.ref(block), set())
        touched[id(block)] = entry
    entry[1].update(ids)
    _local.touched = touched


def already_touched(system_id: int | None) -> bool:
    """True when a transaction block enclosing the current code has bumped this system."""
    touched = getattr(_local, "touched", None)
    if not touched or system_id is None:
        return False
    for block in connection.atomic_blocks:
        entry = touched.get(id(block))
        if entry is not None and entry[0]() is block and system_id in entry[1]:
            return True
    return False
