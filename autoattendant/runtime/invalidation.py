"""Cache invalidation's safety net: any save or delete of something a call flow reads bumps the
``flow_version`` of the systems it affects, whoever made the change (services, the admin, a shell).

Services already call ``touch_systems`` in their transaction; a system they have touched is not
bumped again here (``already_touched``), so these handlers add no query to a service's write.
Only ``QuerySet.update()`` escapes them (it sends no signals): code that updates flow rows in bulk
must call ``touch_systems`` itself, as the services do.

A bump is a queryset ``update``, which sends no signal, so a handler never triggers itself; a
system's own save bumps by ``update`` too and keeps the instance's counter in step, so saving the
same instance again does not move the counter backwards. Main numbers are not part of a compiled
flow (the number → system lookup is read live on every call), so assigning one needs no bump.
"""

from __future__ import annotations

import threading
import weakref

from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from ..models import (
    Announcement,
    AutoAttendantSystem,
    HolidayCalendar,
    HolidayEntry,
    Mailbox,
    Menu,
    MenuKey,
    PhoneNumber,
    ScheduleBlock,
    ScheduleEntry,
    SystemHolidayCalendar,
)
from .versions import already_touched, bump_systems

_local = threading.local()


def _first_of_delete(origin: object, key: object) -> bool:
    """False when this deletion (one ``delete()`` call: a queryset or a cascade, inside the
    transaction block Django opens for it) has already bumped for ``key``: deleting eleven keys
    of one menu costs one UPDATE, not eleven."""
    blocks = connection.atomic_blocks
    if origin is None or not blocks:
        return True
    block = blocks[-1]
    seen = getattr(_local, "deletion", None)
    if seen is None or seen[0]() is not origin or seen[1]() is not block:
        try:
            seen = (weakref.ref(origin), weakref.ref(block), set())
        except TypeError:
            return True
        _local.deletion = seen
    if key in seen[2]:
        return False
    seen[2].add(key)
    return True


def _bump(system_id: int | None, origin: object = None) -> None:
    if system_id is None or already_touched(system_id):
        return
    if _first_of_delete(origin, ("system", system_id)):
        bump_systems([system_id])


def _bump_where(origin: object, key: tuple, **lookup) -> None:
    """Bump the systems matching ``lookup`` (a join, so no row is read first)."""
    if _first_of_delete(origin, key):
        AutoAttendantSystem.objects.filter(**lookup).update(flow_version=F("flow_version") + 1)


def _cascaded(origin: object, model: type) -> bool:
    """True when a deletion started at a parent row (a menu, a schedule block, the system):
    the parent's own handler bumps, so its cascaded children need not."""
    if origin is None:
        return False
    origin_model = getattr(origin, "model", None) or type(origin)
    return origin_model is not model


@receiver(post_save, sender=AutoAttendantSystem, dispatch_uid="aa_flow_system_saved")
def _system_saved(sender, instance: AutoAttendantSystem, created: bool, **kwargs) -> None:
    if created or already_touched(instance.pk):
        return
    bump_systems([instance.pk])
    instance.flow_version = (instance.flow_version or 0) + 1


@receiver(post_save, sender=Menu, dispatch_uid="aa_flow_menu_saved")
@receiver(post_delete, sender=Menu, dispatch_uid="aa_flow_menu_deleted")
def _menu_changed(sender, instance: Menu, origin=None, **kwargs) -> None:
    _bump(instance.auto_attendant_id, origin)


@receiver(post_save, sender=ScheduleBlock, dispatch_uid="aa_flow_block_saved")
@receiver(post_delete, sender=ScheduleBlock, dispatch_uid="aa_flow_block_deleted")
def _block_changed(sender, instance: ScheduleBlock, origin=None, **kwargs) -> None:
    _bump(instance.auto_attendant_id, origin)


@receiver(post_save, sender=MenuKey, dispatch_uid="aa_flow_key_saved")
@receiver(post_delete, sender=MenuKey, dispatch_uid="aa_flow_key_deleted")
def _key_changed(sender, instance: MenuKey, origin=None, **kwargs) -> None:
    if _cascaded(origin, MenuKey):
        return
    menu = instance._state.fields_cache.get("menu")
    if menu is not None:
        _bump(menu.auto_attendant_id, origin)
    else:
        _bump_where(origin, ("menu", instance.menu_id), menus__id=instance.menu_id)


@receiver(post_save, sender=ScheduleEntry, dispatch_uid="aa_flow_entry_saved")
@receiver(post_delete, sender=ScheduleEntry, dispatch_uid="aa_flow_entry_deleted")
def _entry_changed(sender, instance: ScheduleEntry, origin=None, **kwargs) -> None:
    if _cascaded(origin, ScheduleEntry):
        return
    block = instance._state.fields_cache.get("block")
    if block is not None:
        _bump(block.auto_attendant_id, origin)
    else:
        _bump_where(origin, ("block", instance.block_id), schedule__id=instance.block_id)


@receiver(post_save, sender=Announcement, dispatch_uid="aa_flow_announcement_saved")
@receiver(post_delete, sender=Announcement, dispatch_uid="aa_flow_announcement_deleted")
def _announcement_changed(sender, instance: Announcement, origin=None, **kwargs) -> None:
    """Any system of the enterprise may voice it: bump them all (one UPDATE; rare writes)."""
    if kwargs.get("created"):
        return  # nothing refers to an announcement that did not exist
    key = ("enterprise", instance.enterprise_id)
    _bump_where(origin, key, enterprise_id=instance.enterprise_id)


@receiver(post_save, sender=Mailbox, dispatch_uid="aa_flow_mailbox_saved")
@receiver(post_delete, sender=Mailbox, dispatch_uid="aa_flow_mailbox_deleted")
def _mailbox_changed(sender, instance: Mailbox, origin=None, **kwargs) -> None:
    """A mailbox's greeting and longest message are in every flow recording into it: bump the
    enterprise's systems, as for announcements (one UPDATE; rare writes)."""
    if kwargs.get("created"):
        return
    _bump_where(origin, ("mailbox", instance.enterprise_id), enterprise_id=instance.enterprise_id)


@receiver(post_save, sender=PhoneNumber, dispatch_uid="aa_flow_number_saved")
@receiver(pre_delete, sender=PhoneNumber, dispatch_uid="aa_flow_number_deleted")
def _number_changed(sender, instance: PhoneNumber, origin=None, **kwargs) -> None:
    """A number's digits, code or spoken name are in the directory of every system listing it
    (read before a delete: afterwards the directory rows are gone)."""
    if kwargs.get("created"):
        return
    _bump_where(origin, ("number", instance.pk), extensions__id=instance.pk)


@receiver(
    m2m_changed, sender=AutoAttendantSystem.extensions.through, dispatch_uid="aa_flow_directory"
)
def _directory_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """``system.extensions`` changed (from either side). A reverse ``clear`` names no systems,
    so it bumps before the rows go."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        _bump(instance.pk)
    elif pk_set:
        bump_systems(pk for pk in pk_set if not already_touched(pk))
    elif action == "pre_clear":
        _bump_where(None, ("number", instance.pk), extensions__id=instance.pk)


# --- holiday calendars: a calendar is shared, so a change reaches every system linking it -----


@receiver(post_save, sender=HolidayCalendar, dispatch_uid="aa_flow_calendar_saved")
def _calendar_changed(sender, instance: HolidayCalendar, origin=None, **kwargs) -> None:
    if kwargs.get("created"):
        return  # no system links a calendar that did not exist
    _bump_where(origin, ("calendar", instance.pk), holiday_links__calendar_id=instance.pk)


@receiver(post_save, sender=HolidayEntry, dispatch_uid="aa_flow_calendar_entry_saved")
@receiver(post_delete, sender=HolidayEntry, dispatch_uid="aa_flow_calendar_entry_deleted")
def _calendar_entry_changed(sender, instance: HolidayEntry, origin=None, **kwargs) -> None:
    if _cascaded(origin, HolidayEntry):
        return
    key = ("calendar", instance.calendar_id)
    _bump_where(origin, key, holiday_links__calendar_id=instance.calendar_id)


@receiver(post_save, sender=SystemHolidayCalendar, dispatch_uid="aa_flow_calendar_link_saved")
@receiver(post_delete, sender=SystemHolidayCalendar, dispatch_uid="aa_flow_calendar_link_deleted")
def _calendar_link_changed(sender, instance: SystemHolidayCalendar, origin=None, **kwargs) -> None:
    if _cascaded(origin, SystemHolidayCalendar) and not isinstance(origin, HolidayCalendar):
        return
    _bump(instance.auto_attendant_id, origin)
