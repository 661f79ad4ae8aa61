"""The audit trail: who changed what, when, from where — recorded by django-auditlog.

django-auditlog (rather than django-simple-history) because the trail is one table read across
every model — "what happened in this enterprise since Monday", "what did this user do" — with
each write's changed fields as ``{field: [before, after]}``, which is what the API and the
console show; simple-history keeps a full copy of every row per model, which suits "show me this
row as it was" (flow versions do that for the call flow, as one document per change).

Every registered model's save and delete is logged by auditlog's signal receivers, whoever
writes: services (API, console, commands), the admin, a shell. Who did it comes from a context
that each entry point sets:

- web requests: :class:`AuditActorMiddleware` (the session's user: console and admin);
- the API: its Basic authentication happens in the view, after every middleware has run, so the
  authentication class names the user itself (:func:`set_actor`);
- management commands: :func:`acting_as_command` (the command's name).

The platform's call-flow webhooks write nothing audited and are passed straight through (no work
added per call). Rows written with ``bulk_create`` send no signal: services log them with
:func:`log_created`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from auditlog.cid import get_cid
from auditlog.context import auditlog_value, disable_auditlog, set_extra_data
from auditlog.diff import model_instance_diff
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.deletion import Collector

__all__ = [
    "AuditActorMiddleware",
    "acting_as",
    "acting_as_command",
    "current_actor",
    "delete_logged",
    "log_created",
    "register_models",
    "set_actor",
]

#: Paths of the platform's webhooks: nothing there is audited, so nothing is set up per call.
WEBHOOK_PREFIX = "/autoattendant/internal/"


#: For each kind of row, the foreign key to the row whose history includes it (a key's menu,
#: an entry's block, a block's or a test's system); the block's is followed to its system.
PARENTS = {
    "MenuKey": "menu",
    "ScheduleEntry": "block",
    "ScheduleBlock": "auto_attendant",
    "Menu": "auto_attendant",
    "FlowTest": "system",
    "HolidayEntry": "calendar",
    "SystemHolidayCalendar": "auto_attendant",
}


def _identity(row: Model) -> tuple[str, int | None]:
    return getattr(row, "sid", ""), getattr(row, "enterprise_id", None)


def _parent(instance: Model, name: str) -> tuple[str, int | None]:
    """The parent's sid and enterprise: from the rows the instance already holds when it can
    (writers that log many rows load them with ``select_related``), else one narrow query (never
    the whole parent row)."""
    field = PARENTS[name]
    fk = getattr(instance, f"{field}_id", None)
    if fk is None:
        return "", None
    cached = instance._state.fields_cache.get(field)
    if name == "ScheduleEntry":  # an entry's history belongs to its block's system
        if cached is not None:
            system = cached._state.fields_cache.get("auto_attendant")
            if system is not None:
                return _identity(system)
        model = instance._meta.get_field(field).related_model
        row = (
            model.objects.filter(pk=fk)
            .values_list("auto_attendant__sid", "auto_attendant__enterprise_id")
            .first()
        )
        return row or ("", None)
    if cached is not None:
        return _identity(cached)
    model = instance._meta.get_field(field).related_model
    row = model.objects.filter(pk=fk).values_list("sid", "enterprise_id").first()
    return row or ("", None)


def additional_data(instance: Model) -> dict:
    """What the trail is searched by: the object's sid, its parent's, its enterprise."""
    name = type(instance).__name__
    parent_sid, parent_enterprise = _parent(instance, name) if name in PARENTS else ("", None)
    enterprise_id = getattr(instance, "enterprise_id", None) or parent_enterprise
    if name == "Enterprise":
        enterprise_id = instance.pk
    return {
        "sid": getattr(instance, "sid", "") or "",
        "parent_sid": parent_sid,
        "enterprise_id": enterprise_id,
    }


def register_models() -> None:
    """Register every model a person or a script changes (AppConfig.ready)."""
    from .models import (
        Announcement,
        AutoAttendantSystem,
        Enterprise,
        FlowTest,
        HolidayCalendar,
        HolidayEntry,
        Mailbox,
        Menu,
        MenuKey,
        PhoneNumber,
        ScheduleBlock,
        ScheduleEntry,
        SystemHolidayCalendar,
        User,
    )

    never = ["date_created", "date_updated"]
    registrations = {
        Enterprise: {"exclude_fields": never},
        User: {"exclude_fields": [*never, "password", "auth_token_hash", "last_login"]},
        Announcement: {"exclude_fields": never},
        Menu: {"exclude_fields": never},
        MenuKey: {},
        ScheduleBlock: {},
        ScheduleEntry: {},
        AutoAttendantSystem: {
            "exclude_fields": [*never, "flow_version"],
            "m2m_fields": {"extensions"},
        },
        PhoneNumber: {"exclude_fields": never},
        FlowTest: {"exclude_fields": [*never, "passing", "last_result", "last_run"]},
        HolidayCalendar: {"exclude_fields": never},
        HolidayEntry: {},
        SystemHolidayCalendar: {},
        Mailbox: {"exclude_fields": never},
    }
    for model, options in registrations.items():
        if not auditlog.contains(model):
            auditlog.register(model, **options)
        # auditlog asks each instance for its additional data; one implementation for all.
        model.get_additional_data = additional_data


def _context() -> dict | None:
    try:
        context = auditlog_value.get()
    except LookupError:
        return None
    return None if context.get("closed") else context


@contextlib.contextmanager
def _acting(context: dict) -> Iterator[dict]:
    """auditlog's context for the block; closed afterwards (auditlog leaves its value set)."""
    try:
        with set_extra_data(context):
            yield context
    finally:
        context["closed"] = True


def set_actor(user) -> None:
    """Name ``user`` as the actor of what the current request writes from now on (the API's
    authentication, which runs after the middleware)."""
    context = _context()
    if context is not None:
        context["actor"] = user


@contextlib.contextmanager
def acting_as_command(name: str) -> Iterator[None]:
    """Everything written inside is the command ``name``'s doing."""
    with _acting({"actor": None, "actor_command": name}):
        yield


@contextlib.contextmanager
def acting_as(user) -> Iterator[None]:
    """Everything written inside is ``user``'s doing (tasks, tests)."""
    with _acting({"actor": user}):
        yield


def current_actor() -> tuple[object | None, str]:
    """The user (None if nobody is logged in) and the command name that the current context
    names."""
    context = _context() or {}
    actor = context.get("actor")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return actor, context.get("actor_command", "") or ""


def _bulk_log(rows: Iterable[Model], action: int, created: bool) -> list[Model]:
    from .models import AuditEntry

    rows = [row for row in rows if row.pk is not None]
    if not rows:
        return rows
    context = _context() or {}
    actor, command = current_actor()
    content_type = ContentType.objects.get_for_model(rows[0])
    entries = []
    for row in rows:
        extra = additional_data(row)
        entries.append(
            AuditEntry(
                content_type=content_type,
                object_pk=str(row.pk),
                object_id=row.pk,
                object_repr=str(row),
                action=action,
                changes=model_instance_diff(None, row)
                if created
                else model_instance_diff(row, None),
                actor=actor,
                actor_email=getattr(actor, "email", None),
                actor_command=command,
                remote_addr=context.get("remote_addr"),
                additional_data=extra,
                enterprise_id=extra["enterprise_id"],
                object_sid=extra["sid"],
                parent_sid=extra["parent_sid"],
                cid=get_cid(),
            )
        )
    AuditEntry.objects.bulk_create(entries)
    return rows


def log_created(rows: Iterable[Model]) -> list[Model]:
    """Log rows written by ``bulk_create`` (which sends no signal) as created: one INSERT for
    all of them. Returns the rows."""
    from .models import AuditEntry

    return _bulk_log(rows, AuditEntry.Action.CREATE, created=True)


def delete_logged(queryset) -> None:
    """Delete ``queryset``'s rows, logged with one INSERT for all of them (not one per row)."""
    from .models import AuditEntry

    rows = list(queryset)
    if not rows:
        return
    # Deleted as the rows read (not read again by the collector): the signal receivers get them
    # with what ``queryset`` loaded alongside (a key's menu), and find the system already bumped.
    collector = Collector(using=queryset.db, origin=queryset)
    collector.collect(rows)
    with disable_auditlog():
        collector.delete()
    _bulk_log(rows, AuditEntry.Action.DELETE, created=False)


class AuditActorMiddleware:
    """Names the session's user (console, admin) as the actor of the request's writes; the
    webhooks pass straight through. Placed after ``AuthenticationMiddleware``; the user is only
    read when an entry is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(WEBHOOK_PREFIX):
            return self.get_response(request)
        # ``request.user`` is lazy: read (and checked to be a user) only when an entry is saved.
        context = {"actor": getattr(request, "user", None), "remote_addr": _address(request)}
        with _acting(context):
            return self.get_response(request)


def _address(request) -> str | None:
    address = request.META.get("REMOTE_ADDR") or None
    return address if address and len(address) <= 45 else None
