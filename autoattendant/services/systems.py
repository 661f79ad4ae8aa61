"""Auto attendant systems: settings, main numbers, the extension directory and error handling.

- ``main_numbers`` entries must be live numbers of the enterprise (491), not extensions (623),
  and not another system's main number (619): a number is never moved from a system silently.
- ``extensions`` entries are full numbers or the enterprise's extension codes (``"101"``); they
  must exist (491) and be flagged ``is_extension`` (493). An extension may serve several systems.
- A list sent replaces the stored one; a list left out is kept.
- Actions are checked as for menus; a system's GO_TO_MENU must name one of its own menus, so a
  new system cannot have one yet (502). ``default_menu`` likewise.
- Only enterprise admins (and the operator) edit the extension directory
  (``numbers.may_edit_directory``): anyone else sending ``extensions`` gets 403.

Arguments and errors use the models' names (``timezone_id``, ``main_numbers``); the API's
serializers translate its names to these and back. Every write runs in one transaction and bumps
the system's ``flow_version``.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from ..choices import SystemLanguage, SystemStatus
from ..errors import AppError, Errors
from ..models import (
    AutoAttendantSystem,
    Enterprise,
    Menu,
    PhoneNumber,
    ScheduleBlock,
    SystemHolidayCalendar,
    User,
)
from ..runtime.versions import touch_systems
from ..sids import ANNOUNCEMENT, is_sid
from ..timezones import is_timezone
from .actions import check_action, parse_action
from .calendars import replace_links
from .flowversions import flow_change
from .locking import lock_announcements, lock_row
from .numbers import may_edit_directory, normalise_number

#: The model prefixes of the three system-level actions (``timeout_action_type``…); a change
#: names each as ``{prefix}_action`` (an :class:`~.actions.Action` or its fields as a mapping).
ACTION_PREFIXES = ("timeout", "invalid_input", "invalid_extension", "dial_failure")
#: The retry prompts (DESIGN §15): announcement sids of the enterprise, or None/"" for none.
PROMPT_FIELDS = ("invalid_input_announcement", "timeout_announcement")
SETTING_FIELDS = (
    "name",
    "description",
    "status",
    "timezone_id",
    "language",
    "timeout_seconds",
    "timeout_max",
    "invalid_input_max",
    "invalid_extension_max",
)
#: Everything a change may hold: the settings, the actions, ``main_numbers`` and ``extensions``
#: (lists of numbers or extension codes), ``default_menu`` (a menu sid of the system) and
#: ``holiday_calendars`` (``[{"calendar", "menu"}]`` sids, :func:`.calendars.replace_links`).
SYSTEM_FIELDS = (
    *SETTING_FIELDS,
    *(f"{prefix}_action" for prefix in ACTION_PREFIXES),
    *PROMPT_FIELDS,
    "main_numbers",
    "extensions",
    "default_menu",
    "holiday_calendars",
)
#: The whole numbers each count may be (null: the documented default).
LIMITS = {
    "timeout_seconds": (1, 120),
    "timeout_max": (1, 20),
    "invalid_input_max": (1, 20),
    "invalid_extension_max": (1, 20),
}
_ENTRY_NOISE = re.compile(r"[\s\-+()]")
_UPDATABLE = [
    f.name
    for f in AutoAttendantSystem._meta.concrete_fields
    if not f.primary_key and f.name not in ("flow_version", "date_created", "created_by")
]


def _lock_numbers(enterprise: Enterprise, entries: list[Any]) -> dict[str, PhoneNumber]:
    """The enterprise's live numbers among ``entries``, locked in primary-key order (one query),
    so that two systems claiming the same number one after the other see each other's claim
    (619, not a silent move). Entries that are not numbers are left for
    :func:`_claim_main_numbers` to refuse, in the order errors are reported."""
    digits = set()
    for entry in entries:
        try:
            digits.add(normalise_number(entry, "main_numbers"))
        except AppError:
            continue
    if not digits:
        return {}
    rows = (
        PhoneNumber.objects.live()
        .select_for_update()
        .filter(enterprise=enterprise, number__in=digits)
        .order_by("pk")
    )
    return {row.number: row for row in rows}


def _claim_main_numbers(
    entries: list[Any], locked: dict[str, PhoneNumber], system: AutoAttendantSystem | None
) -> list[PhoneNumber]:
    """The numbers named (``locked`` by :func:`_lock_numbers`): each a live number of the
    enterprise (491), not an extension (623), not another system's main number (619)."""
    digits = list(dict.fromkeys(normalise_number(e, "main_numbers") for e in entries))
    numbers = []
    for number in digits:
        row = locked.get(number)
        if row is None:
            raise Errors.NUMBER_NOT_FOUND({"number": number})
        if row.is_extension:
            raise Errors.EXTENSION_AS_MAIN_NUMBER({"number": number})
        if row.auto_attendant_id is not None and (
            system is None or row.auto_attendant_id != system.pk
        ):
            other = AutoAttendantSystem.objects.filter(pk=row.auto_attendant_id).first()
            raise Errors.NUMBER_ON_OTHER_SYSTEM(
                {"number": number, "auto_attendant": other.sid if other else None}
            )
        numbers.append(row)
    return numbers


def _find_extensions(enterprise: Enterprise, entries: list[str]) -> list[PhoneNumber]:
    """Each entry as a full number of the enterprise first, else as one of its extension codes
    (two queries whatever the list's length)."""
    wanted = []
    for entry in entries:
        code = _ENTRY_NOISE.sub("", entry)
        if not code.isascii() or not code.isdigit() or not 1 <= len(code) <= 15:
            raise Errors.VALIDATION(
                {"extensions": f"{entry!r} is not a phone number or an extension code."}
            )
        wanted.append(code)
    wanted = list(dict.fromkeys(wanted))
    live = PhoneNumber.objects.live().filter(enterprise=enterprise)
    by_number = {n.number: n for n in live.filter(number__in=wanted)}
    by_code = {n.extension: n for n in live.filter(extension__in=wanted)}
    found: dict[int, PhoneNumber] = {}
    for entry in wanted:
        row = by_number.get(entry) or by_code.get(entry)
        if row is None:
            raise Errors.NUMBER_NOT_FOUND({"number": entry})
        if not row.is_extension:
            raise Errors.NOT_AN_EXTENSION({"number": entry})
        found[row.pk] = row
    return list(found.values())


def _default_menu(system: AutoAttendantSystem | None, menu_sid: Any) -> Menu | None:
    if menu_sid in (None, ""):
        return None
    menu = (
        Menu.objects.filter(sid=menu_sid, auto_attendant=system).first()
        if system is not None
        else None
    )
    if menu is None:
        raise Errors.MENU_NOT_FOUND({"sid": menu_sid, "field": "default_menu"})
    return menu


def _check_settings(changes: dict, is_new: bool) -> None:
    """The 400s of the plain settings (before anything is read or written)."""
    unknown = set(changes) - set(SYSTEM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown AA system fields: {sorted(unknown)}")
    if is_new and "name" not in changes:
        raise Errors.VALIDATION({"name": "This field is required."})
    if "name" in changes and not (changes["name"] or "").strip():
        raise Errors.VALIDATION({"name": "This field may not be blank."})
    for field, choices in (("status", SystemStatus), ("language", SystemLanguage)):
        if field in changes and changes[field] not in choices.values:
            raise Errors.VALIDATION({field: f"Expected one of {', '.join(choices.values)}."})
    if "timezone_id" in changes and not is_timezone(changes["timezone_id"]):
        raise Errors.VALIDATION(
            {"timezone_id": f"{changes['timezone_id']!r} is not an IANA time zone."}
        )
    for field, (low, high) in LIMITS.items():
        value = changes.get(field)
        if value is not None and not (isinstance(value, int) and low <= value <= high):
            raise Errors.VALIDATION({field: f"Expected a whole number from {low} to {high}."})


def _apply(actor: User, system: AutoAttendantSystem, changes: dict) -> AutoAttendantSystem:
    """Validate and write ``changes`` (``SYSTEM_FIELDS``) in one transaction.

    Locks, in ``services.locking``'s order: the announcements the actions name, the main numbers
    claimed, then the system — re-read, so the changes apply to what is stored now and a system
    deleted meanwhile answers 490. Menus (default menu, GO_TO_MENU targets) are read under the
    system's lock, which every menu delete takes as well.
    """
    if changes.get("extensions") is not None and not may_edit_directory(actor):
        raise Errors.FORBIDDEN({"extensions": "Only an enterprise admin edits extensions."})
    is_new = system.pk is None
    _check_settings(changes, is_new)
    enterprise = system.enterprise
    actions = {
        prefix: parse_action(changes[f"{prefix}_action"], f"{prefix}_action")
        for prefix in ACTION_PREFIXES
        if f"{prefix}_action" in changes
    }
    main_numbers = changes.get("main_numbers")
    with flow_change(actor):
        prompts = {field: changes[field] or "" for field in PROMPT_FIELDS if field in changes}
        announcements = lock_announcements(
            enterprise.pk,
            {a.action_data for a in actions.values() if is_sid(a.action_data, ANNOUNCEMENT)}
            | {sid for sid in prompts.values() if isinstance(sid, str)},
        )
        numbers = _lock_numbers(enterprise, main_numbers) if main_numbers is not None else {}
        if not is_new and not lock_row(system):
            raise Errors.SYSTEM_NOT_FOUND({"sid": system.sid})
        for prefix, action in actions.items():
            action = check_action(
                action,
                f"{prefix}_action",
                enterprise=enterprise,
                system_id=system.pk,
                announcements=announcements,
            )
            setattr(system, f"{prefix}_action_type", action.action_type)
            setattr(system, f"{prefix}_action_data", action.action_data)
        for field, sid in prompts.items():
            if sid and sid not in announcements:
                if not isinstance(sid, str) or not is_sid(sid, ANNOUNCEMENT):
                    raise Errors.VALIDATION({field: "Expected an announcement sid."})
                raise Errors.ANNOUNCEMENT_NOT_FOUND({"sid": sid, "field": field})
            setattr(system, f"{field}_sid", sid)
        if "default_menu" in changes:
            system.default_menu = _default_menu(None if is_new else system, changes["default_menu"])
        if main_numbers is not None:
            main_numbers = _claim_main_numbers(main_numbers, numbers, None if is_new else system)
        extensions = changes.get("extensions")
        if extensions is not None:
            extensions = _find_extensions(enterprise, extensions)
        for field in SETTING_FIELDS:
            if field in changes:
                value = changes[field]
                setattr(system, field, "" if field == "description" and value is None else value)
        if is_new:
            system.save()
            touch_systems([system.pk])
        else:
            # Bump first, then save every field but the counter (the bump already moved it).
            touch_systems([system.pk])
            system.save(update_fields=_UPDATABLE)
        if main_numbers is not None:
            keep = [n.pk for n in main_numbers]
            now = timezone.now()
            system.main_numbers.exclude(pk__in=keep).update(auto_attendant=None, date_updated=now)
            PhoneNumber.objects.filter(pk__in=keep).exclude(auto_attendant=system).update(
                auto_attendant=system, date_updated=now
            )
        if extensions is not None:
            system.extensions.set(extensions)
        if changes.get("holiday_calendars") is not None:
            # calendars of the enterprise with menus of this system, in list order (DESIGN §14)
            replace_links(system, changes["holiday_calendars"])
    return system


def do_create_system(actor: User, *, enterprise: Enterprise, changes: dict) -> AutoAttendantSystem:
    """Create a system of ``enterprise`` (``changes`` as for :func:`do_update_system`; ``name``
    required, the timezone defaults to UTC, the language to ``en``)."""
    system = AutoAttendantSystem(enterprise=enterprise, created_by=actor)
    return _apply(actor, system, changes)


def do_update_system(
    actor: User, system: AutoAttendantSystem, changes: dict
) -> AutoAttendantSystem:
    """A partial update (``changes``: any of ``SYSTEM_FIELDS``); lists sent replace the stored
    ones."""
    return _apply(actor, system, changes)


def do_delete_system(system: AutoAttendantSystem) -> AutoAttendantSystem:
    """Delete the system with its menus and schedule; its numbers stay, unassigned.

    All or nothing: the default menu (protected) is cleared, the schedule (which protects its
    menus) removed, the numbers released, then the system and its menus deleted.
    """
    with transaction.atomic():
        # services.locking's order: its main numbers, then the system (re-read: a system
        # deleted meanwhile answers 490, a default menu set meanwhile is seen).
        list(PhoneNumber.objects.select_for_update().filter(auto_attendant=system).order_by("pk"))
        if not lock_row(system):
            raise Errors.SYSTEM_NOT_FOUND({"sid": system.sid})
        if system.default_menu_id is not None:
            system.default_menu = None
            system.save(update_fields=["default_menu"])
        system.main_numbers.update(auto_attendant=None, date_updated=timezone.now())
        ScheduleBlock.objects.filter(auto_attendant=system).delete()
        SystemHolidayCalendar.objects.filter(auto_attendant=system).delete()
        try:
            system.delete()
        except ProtectedError as exc:  # a menu of it is another system's default menu
            raise Errors.MENU_IS_TARGET(
                {"sid": system.sid, "menus": sorted({o.sid for o in exc.protected_objects})}
            ) from None
    return system
