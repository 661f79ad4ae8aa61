"""Compiled call flows: an AA system read from the database into the engine's
:class:`~autoattendant.callflow.model.System`, cached until anything in it changes.

The platform gives each request six seconds and a call makes a request per key press, so the hot
path reads at most one row and nothing else:

- :func:`lookup_number` / :func:`lookup_system` — **one query** naming the system, its
  ``flow_version`` and whether it (and its enterprise) may take calls. On PostgreSQL the answer
  is remembered until PostgreSQL notifies that a number, system or enterprise changed
  (:mod:`autoattendant.routing`), so a warm call usually needs **no query**; elsewhere it is read
  on every call. Either way a number moved to another system, a suspended system or enterprise
  take effect on the next call.
- :func:`get_snapshot` — the compiled flow from the cache (Django's cache: in-process by
  default, Redis in production), keyed by :func:`flow_key`: system sid, ``flow_version``, the
  system row's ``date_updated`` and the base URL its Play URLs were made absolute with. Every
  write to what a call hears bumps ``flow_version`` (services call ``touch_systems``;
  ``autoattendant.signals`` is the safety net), so a stale flow is never read and needs no
  explicit deletion. In front of a shared cache each process keeps its most recently used flows
  too (``CALLFLOW_LOCAL_FLOWS``, default 1024; none in front of the in-process default cache):
  under the same versioned key, so it is exactly as fresh, and it saves the cache round trip and
  the unpickling. The engine's answers are remembered under the same key
  (``services.simulation``).

- :func:`build_snapshot` — on a miss, **four queries** whatever the number of menus, keys,
  schedule entries or extensions: the system with its directory, the menus with their keys, the
  schedule blocks with their entries, and the announcements the flow refers to.

So a call-flow request costs at most one query on a warm cache and at most five on a cold one.

The lookups' SQL is compiled by the ORM once per process and then run as is: compiling a query
costs more than PostgreSQL takes to answer it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connections
from django.db.models import Q, QuerySet

from .callflow.model import (
    Action,
    Announcement,
    DateRangeBlock,
    Extension,
    Menu,
    System,
    TimeEntry,
    WeeklyBlock,
)
from .choices import EnterpriseStatus, ScheduleType, SystemStatus
from .errors import Errors
from .lru import LocalLru
from .models import Announcement as AnnouncementRow
from .models import AutoAttendantSystem, PhoneNumber, ScheduleBlock
from .models import Menu as MenuRow
from .routing import remembered_route
from .sids import ANNOUNCEMENT

__all__ = [
    "FlowRef",
    "answers_capacity",
    "build_snapshot",
    "flow_key",
    "get_snapshot",
    "load_flow",
    "lookup_number",
    "lookup_system",
]

logger = logging.getLogger(__name__)

#: How long a compiled flow stays cached. Changes never wait for it (they change the key); it
#: only bounds the memory old versions occupy.
DEFAULT_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class FlowRef:
    """What one lookup query knows about the system answering a call.

    ``version`` is the cache key's part that changes with every write the flow depends on:
    ``flow_version`` plus the system row's ``date_updated`` (a save of a stale instance may write
    an old ``flow_version`` back, but never an old ``date_updated``). ``live`` is False when the
    system or its enterprise is suspended: such a call gets an apology.
    """

    system_id: int
    system_sid: str
    enterprise_id: int
    enterprise_sid: str
    version: str
    live: bool


def _ref(row: dict[str, Any], prefix: str = "") -> FlowRef:
    stamp = row[f"{prefix}date_updated"]
    # An aware datetime on PostgreSQL; the stored text on SQLite (rows are read without the
    # ORM's converters): either identifies the write.
    stamp_id = int(stamp.timestamp() * 1_000_000) if isinstance(stamp, datetime) else stamp
    live = (
        row[f"{prefix}status"] == SystemStatus.ACTIVE
        and row["enterprise__status"] == EnterpriseStatus.ACTIVE
    )
    return FlowRef(
        system_id=row[f"{prefix}id"],
        system_sid=row[f"{prefix}sid"],
        enterprise_id=row["enterprise_id"],
        enterprise_sid=row["enterprise__sid"],
        version=f"{row[f'{prefix}flow_version']}.{stamp_id}",
        live=live,
    )


_REF_FIELDS = ("id", "sid", "flow_version", "date_updated", "status")
_NUMBER_FIELDS = (
    "enterprise_id",
    "enterprise__sid",
    "enterprise__status",
    *(f"auto_attendant__{name}" for name in _REF_FIELDS),
)
_SYSTEM_FIELDS = ("enterprise_id", "enterprise__sid", "enterprise__status", *_REF_FIELDS)


class CompiledLookup:
    """A one-row ``values()`` query compiled to SQL once per database, then run with new values.

    ``build`` makes the queryset from placeholder strings (one per keyword; string fields
    only); the compiled parameters are mapped back to the keywords, so the ORM stays the only
    author of the SQL (table names, joins, quoting, the database's dialect) and each call is one
    ``cursor.execute``.
    """

    def __init__(self, build: Callable[..., QuerySet], fields: tuple[str, ...], *names: str):
        self.build = build
        self.fields = fields
        self.names = names
        self._compiled: dict[str, tuple[str, tuple[str, ...]]] = {}

    def _compile(self, alias: str) -> tuple[str, tuple[str, ...]]:
        compiled = self._compiled.get(alias)
        if compiled is None:
            placeholders = {name: f"\x00{name}" for name in self.names}
            queryset = self.build(**placeholders).values(*self.fields).order_by()[:1]
            sql, params = queryset.query.get_compiler(alias).as_sql()
            by_value = {value: name for name, value in placeholders.items()}
            compiled = (sql, tuple(by_value[value] for value in params))
            self._compiled[alias] = compiled
        return compiled

    def first(self, alias: str = "default", **values: Any) -> dict[str, Any] | None:
        """The row, or None. Outside a transaction a dropped connection (a database restart, an
        idle timeout) is reopened and the query run again, so the lookup needs no health check
        at the start of the request and the caller never hears an apology for it."""
        sql, order = self._compile(alias)
        params = [values[name] for name in order]
        connection = connections[alias]
        retry = not connection.in_atomic_block
        if retry:
            connection.health_check_done = True  # this query checks the connection itself
        try:
            return self._run(connection, sql, params)
        except (InterfaceError, OperationalError):
            if not retry:
                raise
            logger.warning("Database connection lost; reconnecting for the call-flow lookup")
            connection.close()
            return self._run(connection, sql, params)

    def _run(self, connection: Any, sql: str, params: list[Any]) -> dict[str, Any] | None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        # values() selects the fields in the order named.
        return None if row is None else dict(zip(self.fields, row, strict=True))


_NUMBER_LOOKUP = CompiledLookup(
    lambda digits: PhoneNumber.objects.live().filter(number=digits), _NUMBER_FIELDS, "digits"
)
_SYSTEM_LOOKUP = CompiledLookup(
    lambda sid: AutoAttendantSystem.objects.filter(sid=sid), _SYSTEM_FIELDS, "sid"
)


def lookup_number(digits: str, *, enterprise_id: int | None = None) -> FlowRef:
    """The system answering the live main number ``digits`` — one query, or none when the route
    is remembered (:mod:`autoattendant.routing`; not for an enterprise's own lookup).

    Raises 491 when no live number has these digits (or it belongs to another enterprise than
    ``enterprise_id``, when given), 490 when the number has no AA system.
    """
    if enterprise_id is None and digits:
        return remembered_route(("number", digits), lambda: _number_ref(digits, None))
    return _number_ref(digits, enterprise_id)


def _number_ref(digits: str, enterprise_id: int | None) -> FlowRef:
    if not digits:
        row = None
    elif enterprise_id is None:
        row = _NUMBER_LOOKUP.first(digits=digits)
    else:
        row = PhoneNumber.objects.live().filter(number=digits, enterprise_id=enterprise_id)
        row = row.values(*_NUMBER_FIELDS).order_by().first()
    if row is None:
        raise Errors.NUMBER_NOT_FOUND({"phoneNumber": digits})
    if row["auto_attendant__id"] is None:
        raise Errors.SYSTEM_NOT_FOUND({"phoneNumber": digits})
    return _ref(row, "auto_attendant__")


def lookup_system(sid: str) -> FlowRef | None:
    """The system with this sid (a continuation names it in its signed state) — one query, or
    none when the route is remembered."""

    def read() -> FlowRef | None:
        row = _SYSTEM_LOOKUP.first(sid=sid)
        return None if row is None else _ref(row)

    return remembered_route(("system", sid), read)


@functools.lru_cache(maxsize=64)
def _base_tag(base_url: str) -> str:
    return hashlib.sha256(base_url.encode()).hexdigest()[:16]


#: The compiled flow's layout (``callflow.model``); a new layout never reads an old one's pickles.
FLOW_FORMAT = 3


def flow_key(ref: FlowRef, base_url: str) -> str:
    """The compiled flow's cache key: it names the flow's version, so it changes with every write
    the flow depends on. Whatever is derived from a flow may be remembered under it."""
    return f"aa:flow{FLOW_FORMAT}:{ref.system_sid}:{ref.version}:{_base_tag(base_url)}"


#: Compiled flows each process keeps in front of a shared cache (see ``CALLFLOW_LOCAL_FLOWS``).
DEFAULT_LOCAL_FLOWS = 1024
#: Engine answers each process remembers (see ``CALLFLOW_LOCAL_ANSWERS``).
DEFAULT_LOCAL_ANSWERS = 4096


#: The process's most recently used compiled flows, by :func:`flow_key`.
local_flows = LocalLru()
#: The process's most recent engine answers, by their flow's key and the request's inputs
#: (``services.simulation``).
local_answers = LocalLru()


def _local_capacity() -> int:
    """``CALLFLOW_LOCAL_FLOWS`` when set (0 or more); else none in front of the in-process cache
    (it is local already) and :data:`DEFAULT_LOCAL_FLOWS` in front of a shared one."""
    capacity = getattr(settings, "CALLFLOW_LOCAL_FLOWS", None)
    if capacity is None or capacity < 0:
        backend = settings.CACHES["default"]["BACKEND"]
        capacity = 0 if backend.endswith(".LocMemCache") else DEFAULT_LOCAL_FLOWS
    return capacity


def answers_capacity() -> int:
    """``CALLFLOW_LOCAL_ANSWERS`` when set, else :data:`DEFAULT_LOCAL_ANSWERS` (0 turns it off)."""
    return getattr(settings, "CALLFLOW_LOCAL_ANSWERS", DEFAULT_LOCAL_ANSWERS)


def get_snapshot(ref: FlowRef, base_url: str = "", key: str | None = None) -> System:
    """The compiled flow of ``ref``'s system: this process's copy, else the cache's, else built
    (four queries) and cached. ``key`` is :func:`flow_key`'s, when the caller has it already."""
    key = key or flow_key(ref, base_url)
    capacity = _local_capacity()
    system = local_flows.get(key) if capacity else None
    if system is not None:
        return system
    system = cache.get(key)
    if system is None:
        system = build_snapshot(ref.system_id, base_url=base_url)
        timeout = getattr(settings, "CALLFLOW_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)
        cache.set(key, system, timeout)
    if capacity:
        local_flows.put(key, system, capacity)
    return system


def load_flow(
    digits: str, base_url: str = "", *, enterprise_id: int | None = None
) -> tuple[System, FlowRef]:
    """The flow answering number ``digits`` (491/490 as :func:`lookup_number`)."""
    ref = lookup_number(digits, enterprise_id=enterprise_id)
    return get_snapshot(ref, base_url), ref


# --- building -------------------------------------------------------------------------------


def _action(action_type: str | None, action_data: str | None) -> Action | None:
    """An empty action type means "not set" (the engine's defaults apply)."""
    if not action_type:
        return None
    return Action(action_type, action_data or None)


def _announcement_sid(value: str | None) -> str | None:
    return value if value and value.startswith(ANNOUNCEMENT) else None


def build_snapshot(system: int | str, *, base_url: str = "") -> System:
    """Read system ``system`` (pk or sid) into the engine's model — four queries, whatever the
    number of menus, keys, schedule entries and extensions (three when no announcement is used).

    ``base_url`` (scheme and host, no trailing slash) makes announcement file URLs absolute, as
    ``<Play>`` needs. Extensions are the system's live directory numbers. Announcements are the
    enterprise's that the flow refers to (menu announcements and ringback tones, action data).
    A schedule entry with a malformed time is logged and left out rather than failing calls.
    Raises ``AutoAttendantSystem.DoesNotExist`` for an unknown system.
    """
    lookup = {"pk": system} if isinstance(system, int) else {"sid": system}
    rows = list(
        AutoAttendantSystem.objects.filter(**lookup)
        .values(
            "id",
            "sid",
            "name",
            "timezone_id",
            "language",
            "enterprise_id",
            "enterprise__sid",
            "default_menu__sid",
            "timeout_seconds",
            "timeout_max",
            "timeout_action_type",
            "timeout_action_data",
            "invalid_input_max",
            "invalid_input_action_type",
            "invalid_input_action_data",
            "invalid_extension_max",
            "invalid_extension_action_type",
            "invalid_extension_action_data",
            "extensions__number",
            "extensions__extension",
            "extensions__extension_spoken_name",
            "extensions__date_deleted",
        )
        .order_by("extensions__date_created", "extensions__id")
    )
    if not rows:
        raise AutoAttendantSystem.DoesNotExist(f"no AA system {system!r}")
    head = rows[0]
    extensions = tuple(
        Extension(
            number=row["extensions__number"],
            extension=row["extensions__extension"] or None,
            spoken_name=row["extensions__extension_spoken_name"] or None,
        )
        for row in rows
        if row["extensions__number"] and row["extensions__date_deleted"] is None
    )
    actions = {
        name: _action(head[f"{name}_action_type"], head[f"{name}_action_data"])
        for name in ("timeout", "invalid_input", "invalid_extension")
    }

    menu_rows, announcement_ids, announcement_sids = _menu_rows(head["id"])
    for action in actions.values():
        if action and _announcement_sid(action.action_data):
            announcement_sids.add(action.action_data)
    announcements, sid_of = _announcements(
        head["enterprise_id"], announcement_ids, announcement_sids, base_url
    )
    menus = {
        sid: Menu(
            sid=sid,
            name=menu["name"],
            announcement_sid=sid_of.get(menu["announcement_id"]),
            ringback_sid=sid_of.get(menu["ringback_tone_id"]),
            timeout_seconds=menu["timeout_seconds"],
            timeout_max=menu["timeout_max"],
            timeout_action=_action(menu["timeout_action_type"], menu["timeout_action_data"]),
            keys=menu["keys"],
        )
        for sid, menu in menu_rows.items()
    }
    weekly, date_ranges = _schedule(head["id"])
    return System(
        sid=head["sid"],
        enterprise_sid=head["enterprise__sid"],
        name=head["name"],
        timezone_id=head["timezone_id"] or "UTC",
        language=head["language"] or "en",
        default_menu_sid=head["default_menu__sid"],
        timeout_seconds=head["timeout_seconds"],
        timeout_max=head["timeout_max"],
        timeout_action=actions["timeout"],
        invalid_input_max=head["invalid_input_max"],
        invalid_input_action=actions["invalid_input"],
        invalid_extension_max=head["invalid_extension_max"],
        invalid_extension_action=actions["invalid_extension"],
        menus=menus,
        announcements=announcements,
        extensions=extensions,
        weekly=weekly,
        date_ranges=date_ranges,
    )


def _menu_rows(system_id: int) -> tuple[dict[str, dict[str, Any]], set[int], set[str]]:
    """The system's menus with their keys (one query: a LEFT JOIN, a row per key), plus the
    announcements they refer to (ids of announcements and ringback tones, sids in action data)."""
    menus: dict[str, dict[str, Any]] = {}
    ids: set[int] = set()
    sids: set[str] = set()
    rows = (
        MenuRow.objects.filter(auto_attendant_id=system_id)
        .values(
            "sid",
            "name",
            "announcement_id",
            "ringback_tone_id",
            "timeout_seconds",
            "timeout_max",
            "timeout_action_type",
            "timeout_action_data",
            "keys__key",
            "keys__action_type",
            "keys__action_data",
        )
        .order_by("date_created", "sid", "keys__key")
    )
    for row in rows:
        menu = menus.get(row["sid"])
        if menu is None:
            menu = menus[row["sid"]] = {**row, "keys": {}}
            ids.update(pk for pk in (row["announcement_id"], row["ringback_tone_id"]) if pk)
            if _announcement_sid(row["timeout_action_data"]):
                sids.add(row["timeout_action_data"])
        if row["keys__key"]:
            menu["keys"][row["keys__key"]] = Action(
                row["keys__action_type"], row["keys__action_data"] or None
            )
            if _announcement_sid(row["keys__action_data"]):
                sids.add(row["keys__action_data"])
    return menus, ids, sids


def _announcements(
    enterprise_id: int, ids: set[int], sids: set[str], base_url: str
) -> tuple[dict[str, Announcement], dict[int, str]]:
    """The enterprise's announcements with these ids or sids (one query; none if none named)."""
    if not ids and not sids:
        return {}, {}
    rows = (
        AnnouncementRow.objects.filter(enterprise_id=enterprise_id)
        .filter(Q(pk__in=ids) | Q(sid__in=sids))
        .only("id", "sid", "type", "body", "language", "voice", "file")
        .order_by()
    )
    announcements: dict[str, Announcement] = {}
    sid_of: dict[int, str] = {}
    for row in rows:
        uri = row.file_uri
        announcements[row.sid] = Announcement(
            sid=row.sid,
            type=row.type,
            body=row.body,
            language=row.language,
            voice=row.voice,
            file_url=f"{base_url}{uri}" if uri else None,
        )
        sid_of[row.pk] = row.sid
    return announcements, sid_of


def _schedule(system_id: int) -> tuple[tuple[WeeklyBlock, ...], tuple[DateRangeBlock, ...]]:
    """The schedule blocks with their entries (one query: a LEFT JOIN, a row per entry)."""
    blocks: dict[int, dict[str, Any]] = {}
    rows = (
        ScheduleBlock.objects.filter(auto_attendant_id=system_id)
        .values(
            "id",
            "schedule_type",
            "menu__sid",
            "start_date",
            "end_date",
            "entries__id",
            "entries__day",
            "entries__start_time",
            "entries__end_time",
        )
        .order_by("schedule_type", "position", "id", "entries__position", "entries__id")
    )
    for row in rows:
        block = blocks.setdefault(row["id"], {**row, "entries": [], "had_entries": False})
        if row["entries__id"] is None:
            continue
        block["had_entries"] = True
        entry = _entry(row, weekly=row["schedule_type"] == ScheduleType.WEEKLY)
        if entry is not None:
            block["entries"].append(entry)
    weekly: list[WeeklyBlock] = []
    date_ranges: list[DateRangeBlock] = []
    for block in blocks.values():
        if block["had_entries"] and not block["entries"]:
            continue  # every entry malformed: better no block than a whole-day one
        if block["schedule_type"] == ScheduleType.WEEKLY:
            weekly.append(WeeklyBlock(block["menu__sid"], tuple(block["entries"])))
        elif block["start_date"] and block["end_date"]:
            date_ranges.append(
                DateRangeBlock(
                    block["start_date"],
                    block["end_date"],
                    block["menu__sid"],
                    tuple(block["entries"]),
                )
            )
    return tuple(weekly), tuple(date_ranges)


def _entry(row: dict[str, Any], *, weekly: bool) -> TimeEntry | None:
    try:
        if weekly and row["entries__day"] is None:
            raise ValueError("a weekly entry needs a day")
        return TimeEntry(
            row["entries__start_time"],
            row["entries__end_time"],
            row["entries__day"] if weekly else None,
        )
    except ValueError as exc:
        logger.warning("Schedule entry %s left out of the call flow: %s", row["entries__id"], exc)
        return None
