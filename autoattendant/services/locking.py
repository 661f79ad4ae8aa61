"""Row locks: the one order every service transaction takes them in.

Concurrent writes to the same rows must run one after the other, and a delete must see every
reference committed before it. So each writer locks (``SELECT … FOR UPDATE``) the rows it is
about to refer to, change or delete, always in this order — each kind in primary-key order:

1. **announcements** it refers to, changes or deletes;
2. **phone numbers** it assigns, changes or releases;
3. **AA systems** — the ``flow_version`` bump (:func:`~..runtime.versions.touch_systems`) is an
   ``UPDATE`` and locks the row too; every menu and schedule write locks its system first, so the
   system row also guards its menus, their keys and its schedule;
4. **menus** (re-read under their system's lock).

Two transactions taking locks in the same order cannot deadlock. Because a writer locks what it
refers to *before* writing the reference, and a delete locks its row *before* checking its
guards, one of them always waits for the other: either the reference is committed first and
the delete's guard sees it (507, 523, 506, 614, 509), or the delete commits first and the writer
finds the row gone (that resource's not-found error). An update re-reads its row under the lock
(:func:`lock_row`), so it never writes a stale copy back, never resurrects a deleted row, and a
row deleted meanwhile answers not-found instead of a server error.

On SQLite (the embedded default) ``FOR UPDATE`` is ignored: its write transactions are serial
already (``transaction_mode`` IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model, QuerySet

from ..models import Announcement, AutoAttendantSystem

__all__ = ["lock_announcements", "lock_row", "lock_systems", "lock_systems_of"]


def lock_row(instance: Model) -> bool:
    """Lock ``instance``'s row and copy its committed values onto ``instance`` (one query).

    False when the row no longer exists. Cached relations whose key changed are dropped (the
    foreign-key descriptors do that), the others are kept, so callers pay no extra queries.
    """
    model = type(instance)
    row = model._base_manager.select_for_update().filter(pk=instance.pk).first()
    if row is None:
        return False
    for field in model._meta.concrete_fields:
        setattr(instance, field.attname, row.__dict__[field.attname])
    return True


def lock_announcements(enterprise_id: int, sids: Iterable[str]) -> dict[str, Announcement]:
    """The enterprise's announcements among ``sids``, locked, by sid (one query; none when no
    sid is given). A sid missing from the answer names nothing (any more)."""
    wanted = {sid for sid in sids if isinstance(sid, str) and sid}
    if not wanted:
        return {}
    rows = (
        Announcement.objects.select_for_update()
        .filter(enterprise_id=enterprise_id, sid__in=wanted)
        .order_by("pk")
    )
    return {row.sid: row for row in rows}


def lock_systems(system_ids: Iterable[int | None]) -> set[int]:
    """Lock these AA systems in primary-key order; the ids that still exist (one query; none
    when no id is given)."""
    ids = sorted({pk for pk in system_ids if pk is not None})
    if not ids:
        return set()
    return _lock_systems(AutoAttendantSystem.objects.filter(pk__in=ids))


def lock_systems_of(enterprise_id: int) -> set[int]:
    """Lock every AA system of the enterprise in primary-key order; their ids (one query)."""
    return _lock_systems(AutoAttendantSystem.objects.filter(enterprise_id=enterprise_id))


def _lock_systems(systems: QuerySet) -> set[int]:
    return set(systems.select_for_update().order_by("pk").values_list("pk", flat=True))
