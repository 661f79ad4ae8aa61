"""Which system answers a call: the number → system route and a continuation's system, read in
one precompiled query (or none, when the route is remembered: :mod:`.routes`).

The lookups' SQL is compiled by the ORM once per process and then run as is: compiling a query
costs more than PostgreSQL takes to answer it. A dropped connection is reopened and the query run
again, so the webhook needs no health check at the start of a request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import InterfaceError, OperationalError, connections
from django.db.models import QuerySet

from ..choices import EnterpriseStatus, SystemStatus
from ..errors import Errors
from ..models import AutoAttendantSystem, PhoneNumber
from .routes import remembered_route

__all__ = ["CompiledLookup", "FlowRef", "lookup_number", "lookup_system"]

logger = logging.getLogger(__name__)


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
    is remembered (:mod:`.routes`; not for an enterprise's own lookup).

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
