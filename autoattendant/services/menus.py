"""Menus: create, update (partial; ``keys`` replaces every key), delete with its protections.

Every write runs in one transaction that bumps the system's ``flow_version`` (``touch_systems``)
before it reads or writes a menu: that UPDATE also locks the system row, so writes to one
system's menus and schedule run one after another and the checks below cannot be raced by a
concurrent write. The announcements a write names are locked before that (the lock order of
``services.locking``), so an announcement cannot be deleted between the check and the commit.

Rules (DESIGN §4, §5, §11):

- a menu belongs to one AA system of its enterprise and never moves to another one (its keys and
  the schedule that uses it only make sense within that system);
- keys are ``0-9`` and ``*``, each at most once (613, and a constraint in the database);
- every action is checked by ``services.actions``: announcements of the enterprise (500), menus
  of the same system (502), dialable numbers (400); a GO_TO_MENU to the menu itself is refused
  (400) — REPLAY_MENU says that without pushing the menu onto the "previous" path;
- ``announcement`` / ``ringback_tone`` name announcements of the enterprise (500);
- ``color_code`` is ``#RGB`` or ``#RRGGBB``; the timeouts are within ``LIMITS``.

Arguments and errors use the models' names (``timeout_seconds``, ``keys[0].action.action_data``);
the API's serializers translate its names to these and back.
- delete: used in a schedule → 506, then target of a GO_TO_MENU (another menu's key or timeout
  action, a system's action) or a system's default menu → 614, then an announcement assigned
  → 509.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q

from ..access import get_visible
from ..audit import delete_logged, log_created
from ..choices import (
    ACTIONS_NEEDING_ANNOUNCEMENT,
    ACTIONS_NEEDING_MAILBOX,
    ACTIONS_NEEDING_MENU,
    ACTIONS_WITH_OPTIONAL_ANNOUNCEMENT,
    MENU_KEYS,
    ActionType,
)
from ..colours import is_color_code
from ..errors import Errors
from ..models import (
    Announcement,
    AutoAttendantSystem,
    Enterprise,
    Mailbox,
    Menu,
    MenuKey,
    ScheduleBlock,
    SystemHolidayCalendar,
    User,
)
from ..runtime.versions import touch_systems
from ..sids import ANNOUNCEMENT, is_sid
from .actions import Action, check_action, parse_action
from .flowversions import flow_change
from .locking import lock_announcements, lock_row, lock_systems

__all__ = [
    "LIMITS",
    "MENU_FIELDS",
    "do_create_menu",
    "do_delete_menu",
    "do_update_menu",
    "get_system_for",
    "keypad_order",
]

_MENU_KEY = re.compile(r"^[0-9*]$")

#: The fields a create or update may set (the models' names). ``announcement`` and
#: ``ringback_tone`` are announcement sids; ``timeout_action`` an :class:`Action` (or its fields
#: as a mapping); ``keys`` a list of ``{"key": "1", "action": …}``, the action as for a timeout.
MENU_FIELDS = (
    "name",
    "color_code",
    "announcement",
    "ringback_tone",
    "timeout_seconds",
    "timeout_max",
    "timeout_action",
    "keys",
)

#: The whole numbers a menu's timeout settings may be (null: the AA system's, else a default).
LIMITS = {"timeout_seconds": (1, 60), "timeout_max": (1, 10)}


def keypad_order(key: str) -> int:
    """Keys are listed as a keypad reads: 1-9, *, 0."""
    return MENU_KEYS.index(key) if key in MENU_KEYS else len(MENU_KEYS)


def get_system_for(
    user: User, sid: Any, enterprise: Enterprise | None = None
) -> AutoAttendantSystem:
    """The AA system ``sid`` as ``user`` sees it (and, when given, of ``enterprise``), else 490."""
    queryset = AutoAttendantSystem.objects.select_related("enterprise")
    if enterprise is not None:
        queryset = queryset.filter(enterprise=enterprise)
    return get_visible(queryset, user, sid, Errors.SYSTEM_NOT_FOUND)


# --- validation ------------------------------------------------------------------------------


def _parse_keys(raw_keys: list[dict]) -> list[tuple[str, Action]]:
    """Shape only: key characters (400), each key once (613), each action well formed (400)."""
    parsed: list[tuple[str, Action]] = []
    seen: set[str] = set()
    for i, item in enumerate(raw_keys):
        field = f"keys[{i}]"
        if not isinstance(item, dict):
            raise Errors.VALIDATION({field: "Expected an object with menuKey and menuAction."})
        key = item.get("key")
        key = str(key) if isinstance(key, int) and not isinstance(key, bool) else key
        if not isinstance(key, str) or not _MENU_KEY.match(key):
            raise Errors.VALIDATION({f"{field}.key": "A menu key is one of 0-9 and *."})
        if key in seen:
            raise Errors.DUPLICATE_MENU_KEY({"key": key, "field": field})
        seen.add(key)
        action = parse_action(item.get("action"), f"{field}.action")
        if not action.action_type:
            raise Errors.VALIDATION({f"{field}.action": "A key needs an actionType."})
        parsed.append((key, action))
    return parsed


def _announcement_sids(action: Action) -> set[str]:
    kind, data = action.action_type, action.action_data
    wants = kind in ACTIONS_NEEDING_ANNOUNCEMENT or kind in ACTIONS_WITH_OPTIONAL_ANNOUNCEMENT
    return {data} if wants and is_sid(data, ANNOUNCEMENT) else set()


@dataclass
class _Parsed:
    """A create/update's fields after every check that needs no database: ``values`` holds the
    plain fields, the actions are parsed (``None``: not given, keep)."""

    fields: dict
    values: dict[str, Any]
    timeout_action: Action | None
    keys: list[tuple[str, Action]] | None

    @property
    def actions(self) -> list[tuple[str, Action]]:
        """Every action given, with the field its errors name."""
        actions = [("timeout_action", self.timeout_action)] if self.timeout_action else []
        actions += [(f"keys[{i}].action", action) for i, (_k, action) in enumerate(self.keys or [])]
        return actions

    @property
    def announcement_sids(self) -> set[str]:
        """The announcements this write would refer to (to lock them before writing)."""
        sids = {self.fields[f] for f in ("announcement", "ringback_tone") if self.fields.get(f)}
        return sids | {sid for _f, action in self.actions for sid in _announcement_sids(action)}


@dataclass
class _Prepared:
    """A create/update's values after every check, ready to be written (``keys`` None: keep)."""

    values: dict[str, Any]
    keys: list[tuple[str, Action]] | None


def _parse(fields: dict, *, menu: Menu | None) -> _Parsed:
    """Check the shape of ``fields`` (``MENU_FIELDS``; only those given): every 400 and 613,
    before the database is asked anything."""
    unknown = set(fields) - set(MENU_FIELDS)
    if unknown:
        raise TypeError(f"Unknown menu fields: {sorted(unknown)}")
    values: dict[str, Any] = {}
    if "name" in fields:
        name = (fields["name"] or "").strip()
        if not name:
            raise Errors.VALIDATION({"name": "This field may not be blank."})
        values["name"] = name
    if "color_code" in fields:
        color = (fields["color_code"] or "").strip()
        if color and not is_color_code(color):
            raise Errors.VALIDATION({"color_code": "Expected a colour like #e56052 or #e56."})
        values["color_code"] = color
    for field, (low, high) in LIMITS.items():
        if field in fields:
            value = fields[field]
            if value is not None and not (isinstance(value, int) and low <= value <= high):
                raise Errors.VALIDATION({field: f"Expected a whole number from {low} to {high}."})
            values[field] = value

    timeout_action = (
        parse_action(fields["timeout_action"], "timeout_action")
        if "timeout_action" in fields
        else None
    )
    keys = _parse_keys(fields["keys"] or []) if "keys" in fields else None
    parsed = _Parsed(fields, values, timeout_action, keys)
    for field, action in parsed.actions:
        is_go_to = action.action_type == ActionType.GO_TO_MENU
        if menu is not None and is_go_to and action.action_data == menu.sid:
            raise Errors.VALIDATION(
                {f"{field}.action_data": "A menu cannot go to itself; use REPLAY_MENU."}
            )
    return parsed


def _resolve(
    parsed: _Parsed,
    *,
    enterprise: Enterprise,
    system: AutoAttendantSystem,
    announcements: dict[str, Announcement],
) -> _Prepared:
    """Check ``parsed`` against the database: ``announcements`` are the rows its sids name
    (locked by the caller); GO_TO_MENU targets are read here, one query whatever the number of
    keys (plus one per sid that turns out not to exist, for its error)."""
    fields, values = parsed.fields, dict(parsed.values)
    actions = parsed.actions
    wanted_menus = {
        a.action_data
        for _f, a in actions
        if a.action_type in ACTIONS_NEEDING_MENU and a.action_data
    }
    menus: dict[str, Menu] = {}
    if wanted_menus:
        found = Menu.objects.filter(
            enterprise=enterprise, auto_attendant=system, sid__in=wanted_menus
        )
        menus = {m.sid: m for m in found}
    wanted_mailboxes = {
        a.action_data for _f, a in actions if a.action_type in ACTIONS_NEEDING_MAILBOX
    }
    mailboxes: set[str] = set()
    if wanted_mailboxes:  # one query for every VOICEMAIL key
        mailboxes = set(
            Mailbox.objects.filter(enterprise=enterprise, sid__in=wanted_mailboxes).values_list(
                "sid", flat=True
            )
        )

    for field in ("announcement", "ringback_tone"):
        if field in fields:
            sid = fields[field]
            if sid in (None, ""):
                values[field] = None
            elif sid in announcements:
                values[field] = announcements[sid]
            else:
                raise Errors.ANNOUNCEMENT_NOT_FOUND({"sid": sid, "field": field})

    def checked(action: Action, field: str) -> Action:
        return check_action(
            action,
            field,
            enterprise=enterprise,
            system_id=system.pk,
            announcements=announcements,
            menus=menus,
            mailboxes=mailboxes,
        )

    timeout_action = parsed.timeout_action
    if timeout_action is not None:
        timeout_action = checked(timeout_action, "timeout_action")
        values["timeout_action_type"] = timeout_action.action_type
        values["timeout_action_data"] = timeout_action.action_data
    keys = parsed.keys
    if keys is not None:
        keys = [(key, checked(action, f"keys[{i}].action")) for i, (key, action) in enumerate(keys)]
    return _Prepared(values, keys)


def _write_keys(menu: Menu, keys: list[tuple[str, Action]]) -> None:
    """Replace every key of ``menu`` (two queries whatever the number of keys)."""
    delete_logged(MenuKey.objects.filter(menu=menu).select_related("menu"))
    rows = [
        MenuKey(menu=menu, key=key, action_type=action.action_type, action_data=action.action_data)
        for key, action in sorted(keys, key=lambda pair: keypad_order(pair[0]))
    ]
    try:
        with transaction.atomic():
            log_created(MenuKey.objects.bulk_create(rows))
    except IntegrityError:  # a concurrent writer slipped a key in: the documented 613
        raise Errors.DUPLICATE_MENU_KEY({"sid": menu.sid}) from None


# --- writes ----------------------------------------------------------------------------------


def do_create_menu(
    actor: User,
    *,
    enterprise: Enterprise,
    system: AutoAttendantSystem,
    name: str,
    **fields: Any,
) -> Menu:
    """Create a menu of ``system`` with its keys, in one transaction.

    ``fields`` are any of ``MENU_FIELDS``. ``system`` must belong to ``enterprise`` (490, also
    when it was deleted meanwhile). Locks, in ``services.locking``'s order: the announcements
    it names, then the system.
    """
    if system.enterprise_id != enterprise.pk:
        raise Errors.SYSTEM_NOT_FOUND({"sid": system.sid})
    parsed = _parse({"name": name, **fields}, menu=None)
    with flow_change(actor):
        announcements = lock_announcements(enterprise.pk, parsed.announcement_sids)
        if not lock_systems([system.pk]):
            raise Errors.SYSTEM_NOT_FOUND({"sid": system.sid})
        touch_systems([system.pk])
        prepared = _resolve(
            parsed, enterprise=enterprise, system=system, announcements=announcements
        )
        menu = Menu(enterprise=enterprise, auto_attendant=system, created_by=actor)
        for field, value in prepared.values.items():
            setattr(menu, field, value)
        menu.save()
        if prepared.keys:
            _write_keys(menu, prepared.keys)
    return menu


def do_update_menu(actor: User, menu: Menu, changes: dict) -> Menu:
    """Apply a partial update (``MENU_FIELDS``, as for create); ``keys`` replaces every key.

    Only the fields given are written, so a concurrent update of other fields is not undone.
    Locks, in ``services.locking``'s order: the announcements it names, the system, the menu
    (re-read: a menu deleted meanwhile answers 502).
    """
    parsed = _parse(changes, menu=menu)
    with flow_change(actor):
        announcements = lock_announcements(menu.enterprise_id, parsed.announcement_sids)
        touch_systems([menu.auto_attendant_id])
        _lock(menu)
        prepared = _resolve(
            parsed,
            enterprise=menu.enterprise,
            system=menu.auto_attendant,
            announcements=announcements,
        )
        for field, value in prepared.values.items():
            setattr(menu, field, value)
        menu.save(update_fields=[*prepared.values, "date_updated"])
        if prepared.keys is not None:
            _write_keys(menu, prepared.keys)
    return menu


def _lock(menu: Menu) -> None:
    """Lock the menu's row (its system's is held already) and take its committed values; 502
    when it was deleted meanwhile."""
    if not lock_row(menu):
        raise Errors.MENU_NOT_FOUND({"sid": menu.sid})


def _check_deletable(menu: Menu) -> None:
    """506, then 614, then 509 — the order DESIGN §11 fixes."""
    if (
        ScheduleBlock.objects.filter(menu=menu).exists()
        or SystemHolidayCalendar.objects.filter(menu=menu).exists()
    ):
        raise Errors.MENU_IN_SCHEDULE({"sid": menu.sid})
    go_to = ActionType.GO_TO_MENU
    referring = set(
        MenuKey.objects.filter(action_type=go_to, action_data=menu.sid)
        .exclude(menu=menu)
        .values_list("menu__sid", flat=True)
    )
    referring |= set(
        Menu.objects.filter(timeout_action_type=go_to, timeout_action_data=menu.sid)
        .exclude(pk=menu.pk)
        .values_list("sid", flat=True)
    )
    referring |= set(
        AutoAttendantSystem.objects.filter(
            Q(default_menu=menu)
            | Q(timeout_action_type=go_to, timeout_action_data=menu.sid)
            | Q(invalid_input_action_type=go_to, invalid_input_action_data=menu.sid)
            | Q(invalid_extension_action_type=go_to, invalid_extension_action_data=menu.sid)
            | Q(dial_failure_action_type=go_to, dial_failure_action_data=menu.sid)
        ).values_list("sid", flat=True)
    )
    if referring:
        raise Errors.MENU_IS_TARGET({"sid": menu.sid, "referenced_by": sorted(referring)})
    if menu.announcement_id is not None:
        raise Errors.MENU_HAS_ANNOUNCEMENT({"sid": menu.sid})


def do_delete_menu(actor: User, menu: Menu) -> None:
    """Delete ``menu`` and its keys, unless something still uses it (506 / 614 / 509).

    The system's row is locked (bumped) before the checks: every write that can refer to the
    menu locks it too, so a reference is either committed before the checks run or its writer
    waits and then finds the menu gone (502). The menu is re-read under the lock: one deleted
    meanwhile answers 502, and the 509 check sees an announcement assigned meanwhile.
    """
    with flow_change(actor):
        touch_systems([menu.auto_attendant_id])
        _lock(menu)
        _check_deletable(menu)
        try:
            with transaction.atomic():
                Menu.objects.filter(pk=menu.pk).delete()
        except ProtectedError:  # a reference written by a path that does not lock the system
            _check_deletable(menu)
            raise
