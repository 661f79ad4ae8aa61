"""Flow versions: one per committed transaction that changed an AA system's flow; diff; restore.

How a change becomes a version. Every write to a flow bumps its system's ``flow_version``
(``runtime.versions``), which sends ``systems_bumped``. The services' flow writes run inside
:func:`flow_change`, which collects the systems bumped inside it and, at the end of its
transaction block (before the commit), for each system whose flow document differs from its
latest version: runs the system's flow tests against the new flow, refuses the whole change
(409, the failing tests in ``data``) when a test that passed now fails — unless forced
(:func:`forcing`) —, stores the verdicts and writes version N+1. Nested changes join the
outermost one, so an import or a restore is one version per system, whatever it wrote.

Writes outside a service (the admin, a shell) are versioned too: their bumps are gathered per
transaction and recorded once it commits (tests run and their verdicts are stored, but nothing
can be refused any more).

Only writes pay for this: a call never reads a version or a test.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.dispatch import receiver

from ..audit import current_actor
from ..choices import ScheduleType
from ..errors import Errors
from ..models import (
    Announcement,
    AutoAttendantSystem,
    FlowTest,
    FlowVersion,
    Menu,
    MenuKey,
    PhoneNumber,
    ScheduleBlock,
    ScheduleEntry,
    User,
)
from ..runtime.compiler import compile_flow
from ..runtime.versions import systems_bumped, touch_systems
from ..sids import ANNOUNCEMENT
from .flowdoc import MENU_FIELDS, SETTING_FIELDS, SYSTEM_ACTIONS, flow_document, same_flow
from .flowtests import run_tests, store_results

__all__ = [
    "do_restore_version",
    "flow_change",
    "forcing",
    "latest_version",
    "record_version",
]

_local = threading.local()
_force: contextvars.ContextVar[bool] = contextvars.ContextVar("flow_force", default=False)


@contextlib.contextmanager
def forcing(force: bool = True) -> Iterator[None]:
    """Changes made inside are saved even when they break a flow test that passed (the API's
    ``?force=true``, the console's "save anyway")."""
    token = _force.set(bool(force))
    try:
        yield
    finally:
        _force.reset(token)


@dataclass
class _Change:
    actor: User | None
    system_ids: set[int] = field(default_factory=set)
    restored_from: dict[int, int] = field(default_factory=dict)


def _stack() -> list[_Change]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


@contextlib.contextmanager
def flow_change(actor: User | None = None) -> Iterator[_Change]:
    """A transaction block whose flow changes become versions (see the module's docstring).

    The versions are written, and the flow tests run, at the end of the outermost block, still
    inside its transaction: a refusal (409) rolls everything back.
    """
    stack = _stack()
    if stack:
        with transaction.atomic():
            yield stack[-1]
        return
    change = _Change(actor)
    stack.append(change)
    try:
        with transaction.atomic():
            yield change
            stack.remove(change)
            _finish(change)
    finally:
        if change in stack:
            stack.remove(change)


def _finish(change: _Change) -> None:
    user, command = current_actor()
    actor = change.actor or user
    for system_id in sorted(change.system_ids):
        record_version(
            system_id,
            actor=actor,
            command=command,
            force=_force.get(),
            restored_from=change.restored_from.get(system_id),
        )


@receiver(systems_bumped, dispatch_uid="aa_flow_versions")
def _systems_bumped(sender, system_ids: list[int], **kwargs) -> None:
    stack = _stack()
    if stack:
        stack[-1].system_ids.update(system_ids)
        return
    # A write outside the services (the admin, a shell): version it once its transaction
    # commits, once per transaction however many rows it wrote.
    late = getattr(_local, "late", None)
    pending = {id(entry[1]) for entry in connection.run_on_commit}
    if late is not None and id(late[1]) in pending:
        late[0].update(system_ids)
        return
    ids = set(system_ids)
    user, command = current_actor()

    def record() -> None:
        _record_late(ids, user, command)

    _local.late = (ids, record)
    transaction.on_commit(record, robust=True)  # a failure is logged, the write stands


def _record_late(system_ids: set[int], user: User | None, command: str) -> None:
    with transaction.atomic():
        for system_id in sorted(system_ids):
            record_version(system_id, actor=user, command=command, force=True)


def latest_version(system_id: int) -> FlowVersion | None:
    return FlowVersion.objects.filter(system_id=system_id).order_by("-number").first()


def record_version(
    system_id: int,
    *,
    actor: User | None = None,
    command: str = "",
    force: bool = False,
    restored_from: int | None = None,
) -> FlowVersion | None:
    """Version N+1 of the system's flow if it differs from version N (else None), after its
    flow tests: one that passed and now fails refuses the change (409) unless ``force``.

    Queries: the flow document (five), the latest version; with tests, the tests, the compiled
    flow (four) and one or two UPDATEs of their verdicts; the INSERT.
    """
    document = flow_document(system_id)
    if document is None:  # deleted in the same transaction: its versions went with it
        return None
    last = latest_version(system_id)
    if last is not None and same_flow(last.document, document):
        return None
    tests = list(FlowTest.objects.filter(system_id=system_id).select_related("system"))
    if tests:
        results = run_tests(compile_flow(system_id), tests, save=False)
        broken = [
            result
            for test, result in zip(tests, results, strict=True)
            if test.passing and not result["passed"]
        ]
        if broken and not force:
            raise Errors.FLOW_TESTS_FAILED(
                {
                    "autoAttendantSid": tests[0].system.sid,
                    "failures": [
                        {k: r[k] for k in ("sid", "name", "failures", "transcript")} for r in broken
                    ],
                }
            )
        store_results(tests, results)
    return FlowVersion.objects.create(
        system_id=system_id,
        number=(last.number + 1) if last else 1,
        document=document,
        created_by=actor if getattr(actor, "pk", None) else None,
        actor_command=command,
        restored_from=restored_from,
    )


# --- restore ---------------------------------------------------------------------------------


def _missing(system: AutoAttendantSystem, document: dict) -> tuple[dict, dict]:
    """What the document names that no longer exists (announcements, extension numbers), and
    the announcements and numbers found."""
    wanted = {
        menu[f]
        for menu in document["menus"]
        for f in ("announcementSid", "ringbackToneSid")
        if menu[f]
    }
    actions = [document["settings"].get(name) for name in SYSTEM_ACTIONS]
    for menu in document["menus"]:
        actions += [menu["timeoutAction"], *menu["keys"].values()]
    wanted |= {a["actionData"] for a in actions if a and a["actionData"].startswith(ANNOUNCEMENT)}
    announcements = {
        a.sid: a
        for a in Announcement.objects.filter(enterprise_id=system.enterprise_id, sid__in=wanted)
    }
    numbers = {
        n.number: n
        for n in PhoneNumber.objects.live().filter(
            enterprise_id=system.enterprise_id,
            number__in=document["extensions"],
            is_extension=True,
        )
    }
    names = document.get("names") or {}
    missing = {}
    gone = sorted(wanted - set(announcements))
    if gone:
        missing["announcements"] = [{"sid": sid, "name": names.get(sid, "")} for sid in gone]
    gone_numbers = sorted(set(document["extensions"]) - set(numbers))
    if gone_numbers:
        missing["extensions"] = gone_numbers
    return missing, {"announcements": announcements, "numbers": numbers}


def _set_action(row, prefix: str, action: dict | None) -> None:
    setattr(row, f"{prefix}_action_type", action["actionType"] if action else "")
    setattr(row, f"{prefix}_action_data", action["actionData"] if action else "")


def do_restore_version(actor: User, system: AutoAttendantSystem, number: int) -> FlowVersion:
    """Write version ``number``'s flow back: version N+1, which behaves exactly as ``number``
    did. Menus deleted since come back under their old sids; menus added since go. 409 (naming
    them) when the version refers to announcements or extension numbers that no longer exist.
    Flow tests guard the restore as any change (409 unless forced)."""
    version = FlowVersion.objects.filter(system=system, number=number).first()
    if version is None:
        raise Errors.VERSION_NOT_FOUND({"autoAttendantSid": system.sid, "number": number})
    document = version.document
    with flow_change(actor) as change:
        touch_systems([system.pk])
        missing, found = _missing(system, document)
        if missing:
            raise Errors.RESTORE_IMPOSSIBLE(
                {"autoAttendantSid": system.sid, "number": number, **missing}
            )
        announcements = found["announcements"]
        system = AutoAttendantSystem.objects.select_for_update().get(pk=system.pk)
        ScheduleBlock.objects.filter(auto_attendant=system).delete()
        system.default_menu = None
        system.save(update_fields=["default_menu"])
        keep = {m["sid"] for m in document["menus"]}
        Menu.objects.filter(auto_attendant=system).exclude(sid__in=keep).delete()
        existing = {m.sid: m for m in Menu.objects.filter(auto_attendant=system)}
        if Menu.objects.filter(sid__in=keep - set(existing)).exists():
            raise Errors.RESTORE_IMPOSSIBLE({"autoAttendantSid": system.sid, "number": number})
        menus = {}
        for item in document["menus"]:
            menu = existing.get(item["sid"]) or Menu(
                sid=item["sid"],
                enterprise_id=system.enterprise_id,
                auto_attendant=system,
                created_by=actor,
            )
            for name, field_name in MENU_FIELDS.items():
                setattr(menu, field_name, item[name] if item[name] is not None else None)
            menu.color_code = item["colorCode"] or ""
            menu.announcement = announcements.get(item["announcementSid"] or "")
            menu.ringback_tone = announcements.get(item["ringbackToneSid"] or "")
            _set_action(menu, "timeout", item["timeoutAction"])
            menu.save()
            menus[menu.sid] = menu
            current = {k.key: k for k in MenuKey.objects.filter(menu=menu)}
            for key, action in item["keys"].items():
                row = current.pop(key, None) or MenuKey(menu=menu, key=key)
                if (row.action_type, row.action_data) != (
                    action["actionType"],
                    action["actionData"],
                ):
                    row.action_type, row.action_data = action["actionType"], action["actionData"]
                    row.save()
            for row in current.values():
                row.delete()
        for position, item in enumerate(document["schedule"]):
            block = ScheduleBlock.objects.create(
                auto_attendant=system,
                schedule_type=item["scheduleType"],
                menu=menus[item["menuSid"]],
                start_date=date.fromisoformat(item["startDate"]) if item["startDate"] else None,
                end_date=date.fromisoformat(item["endDate"]) if item["endDate"] else None,
                position=position,
            )
            weekly = item["scheduleType"] == ScheduleType.WEEKLY
            for j, entry in enumerate(item["entries"]):
                ScheduleEntry.objects.create(
                    block=block,
                    day=entry["day"] if weekly else None,
                    start_time=entry["startTime"],
                    end_time=entry["endTime"],
                    position=j,
                )
        settings = document["settings"]
        for name, field_name in SETTING_FIELDS.items():
            setattr(system, field_name, settings.get(name))
        for name, prefix in SYSTEM_ACTIONS.items():
            _set_action(system, prefix, settings.get(name))
        system.default_menu = menus.get(settings.get("defaultMenuSid") or "")
        system.save()
        system.extensions.set(found["numbers"].values())
        change.restored_from[system.pk] = number
    restored = latest_version(system.pk)
    return restored
