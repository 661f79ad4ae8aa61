"""An AA system's flow as one JSON document, and the difference of two in words.

The document is what a flow version keeps (``models.FlowVersion.document``) and what a restore
writes back: the system's call settings and actions, its directory, its menus with their keys,
and its schedule — everything a call reads but the announcements' audio and the main numbers
(DESIGN §16). Sids name what the flow refers to; ``names`` keeps the names of the
announcements it uses, so an old version still reads in words after they are renamed or deleted.

:func:`flow_document` costs five queries whatever the flow's size (four when no announcement is
used). :func:`describe_changes` is pure.
"""

from __future__ import annotations

from typing import Any

from ..choices import MENU_KEYS, ActionType, ScheduleType
from ..models import Announcement, AutoAttendantSystem, Menu, PhoneNumber
from ..runtime.compiler import schedule_rows
from ..sids import ANNOUNCEMENT

__all__ = [
    "DOCUMENT_FORMAT",
    "SETTING_FIELDS",
    "describe_action",
    "describe_changes",
    "flow_document",
    "same_flow",
]

DOCUMENT_FORMAT = 1

#: The system's call settings kept in a version: document name → model field.
SETTING_FIELDS = {
    "timezoneId": "timezone_id",
    "language": "language",
    "timeoutSeconds": "timeout_seconds",
    "timeoutMax": "timeout_max",
    "invalidInputMax": "invalid_input_max",
    "invalidExtensionMax": "invalid_extension_max",
}
#: The system's actions: document name → model field prefix.
SYSTEM_ACTIONS = {
    "timeoutAction": "timeout",
    "invalidInputAction": "invalid_input",
    "invalidExtensionAction": "invalid_extension",
}
MENU_FIELDS = {
    "name": "name",
    "colorCode": "color_code",
    "timeoutSeconds": "timeout_seconds",
    "timeoutMax": "timeout_max",
}


def _action(action_type: str | None, action_data: str | None) -> dict | None:
    if not action_type:
        return None
    return {"actionType": action_type, "actionData": action_data or ""}


def _keypad(key: str) -> int:
    return MENU_KEYS.index(key) if key in MENU_KEYS else len(MENU_KEYS)


def flow_document(system: AutoAttendantSystem | int) -> dict[str, Any] | None:
    """The flow of ``system`` (a row or its pk) as stored now (inside the caller's transaction:
    its own writes included); None when there is no such system. Five queries: the system's
    settings, its directory, its menus with their keys, its schedule with its entries, the names
    of the announcements referred to."""
    system_id = system if isinstance(system, int) else system.pk
    head = (
        AutoAttendantSystem.objects.filter(pk=system_id)
        .values(
            *SETTING_FIELDS.values(),
            *(
                f"{prefix}_action_{part}"
                for prefix in SYSTEM_ACTIONS.values()
                for part in ("type", "data")
            ),
            "default_menu__sid",
            "enterprise_id",
        )
        .first()
    )
    if head is None:
        return None
    settings = {name: head.get(field) for name, field in SETTING_FIELDS.items()}
    for name, prefix in SYSTEM_ACTIONS.items():
        settings[name] = _action(
            head.get(f"{prefix}_action_type"), head.get(f"{prefix}_action_data")
        )
    settings["defaultMenuSid"] = head.get("default_menu__sid")
    extensions = sorted(
        PhoneNumber.objects.filter(
            extension_of_systems=system_id, date_deleted__isnull=True
        ).values_list("number", flat=True)
    )

    menus: dict[str, dict] = {}
    rows = (
        Menu.objects.filter(auto_attendant_id=system_id)
        .values(
            "sid",
            *MENU_FIELDS.values(),
            "announcement__sid",
            "ringback_tone__sid",
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
            menu = menus[row["sid"]] = {
                "sid": row["sid"],
                **{name: row[field] for name, field in MENU_FIELDS.items()},
                "announcementSid": row["announcement__sid"],
                "ringbackToneSid": row["ringback_tone__sid"],
                "timeoutAction": _action(row["timeout_action_type"], row["timeout_action_data"]),
                "keys": {},
            }
        if row["keys__key"]:
            menu["keys"][row["keys__key"]] = _action(
                row["keys__action_type"], row["keys__action_data"]
            )
    for menu in menus.values():
        menu["keys"] = dict(sorted(menu["keys"].items(), key=lambda item: _keypad(item[0])))

    blocks: dict[int, dict] = {}
    rows = schedule_rows(system_id)
    for block_id, kind, menu_sid, start, end, entry_id, day, start_time, end_time in rows:
        block = blocks.setdefault(
            block_id,
            {
                "scheduleType": kind,
                "menuSid": menu_sid,
                "startDate": start.isoformat() if start else None,
                "endDate": end.isoformat() if end else None,
                "entries": [],
            },
        )
        if entry_id is not None:
            block["entries"].append({"day": day, "startTime": start_time, "endTime": end_time})

    document = {
        "format": DOCUMENT_FORMAT,
        "settings": settings,
        "extensions": extensions,
        # by sid: a menu a restore brings back is the same menu, whenever it was re-created
        "menus": sorted(menus.values(), key=lambda menu: menu["sid"]),
        "schedule": list(blocks.values()),
    }
    sids = _announcement_sids(document)
    names = {}
    if sids:
        names = dict(
            Announcement.objects.filter(enterprise_id=head["enterprise_id"], sid__in=sids)
            .values_list("sid", "name")
            .order_by("sid")
        )
    document["names"] = names
    return document


def _actions(document: dict) -> list[dict]:
    actions = [a for a in (document["settings"].get(n) for n in SYSTEM_ACTIONS) if a]
    for menu in document["menus"]:
        actions += [a for a in [menu["timeoutAction"], *menu["keys"].values()] if a]
    return actions


def _announcement_sids(document: dict) -> set[str]:
    sids = {
        menu[field]
        for menu in document["menus"]
        for field in ("announcementSid", "ringbackToneSid")
        if menu[field]
    }
    sids |= {
        a["actionData"] for a in _actions(document) if a["actionData"].startswith(ANNOUNCEMENT)
    }
    return sids


def same_flow(a: dict | None, b: dict | None) -> bool:
    """Whether two documents describe the same flow (announcement names aside)."""
    if a is None or b is None:
        return a is b
    strip = lambda d: {k: v for k, v in d.items() if k != "names"}  # noqa: E731
    return strip(a) == strip(b)


# --- in words --------------------------------------------------------------------------------

DAYS = dict(
    enumerate(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), 1)
)
SETTING_WORDS = {
    "timezoneId": "time zone",
    "language": "language",
    "timeoutSeconds": "seconds to wait for a key",
    "timeoutMax": "silences allowed",
    "invalidInputMax": "wrong keys allowed",
    "invalidExtensionMax": "wrong extensions allowed",
    "timeoutAction": "after too many silences",
    "invalidInputAction": "after too many wrong keys",
    "invalidExtensionAction": "after too many wrong extensions",
    "defaultMenuSid": "menu outside the schedule",
}


class _Names:
    """Menu and announcement names of both documents, the newer winning."""

    def __init__(self, *documents: dict):
        self.names: dict[str, str] = {}
        for document in documents:
            self.names.update(document.get("names") or {})
            self.names.update({m["sid"]: m["name"] for m in document["menus"]})

    def __call__(self, sid: str | None) -> str:
        if not sid:
            return "none"
        return self.names.get(sid, f"a deleted item ({sid})")


def describe_action(action: dict | None, name=None) -> str:
    """An action as a receptionist says it: "go to menu Sales", "transfer to 15551234567"."""
    name = name or (lambda sid: sid)
    if not action:
        return "the default (hang up)"
    kind, data = action["actionType"], action.get("actionData") or ""
    if kind == ActionType.GO_TO_MENU:
        return f"go to menu {name(data)}"
    if kind == ActionType.TRANSFER_TO_PHONE:
        return f"transfer to {data}"
    if kind == ActionType.ANNOUNCEMENT_HANGUP:
        return f"play “{name(data)}” and hang up"
    if kind == ActionType.ANNOUNCEMENT_RETURN:
        return f"play “{name(data)}” and come back"
    words = {
        ActionType.DIAL_BY_EXTENSION: "dial by extension",
        ActionType.DIAL_BY_NAME: "dial by name",
        ActionType.HANGUP: "hang up",
        ActionType.REPLAY_MENU: "replay the menu",
        ActionType.RETURN_TO_PREVIOUS_MENU: "go back to the previous menu",
    }
    return words.get(kind, kind.replace("_", " ").lower() + (f" ({data})" if data else ""))


def _setting(name: str, value: Any, names: _Names) -> str:
    if name in SYSTEM_ACTIONS:
        return describe_action(value, names)
    if name == "defaultMenuSid":
        return names(value) if value else "none (callers hear an apology)"
    return "the default" if value in (None, "") else str(value)


def _times(entries: list[dict]) -> str:
    return ", ".join(f"{e['startTime']}–{e['endTime']}" for e in entries) or "all day"


def _weekly(document: dict) -> dict[tuple[str, int], list[dict]]:
    """(menu sid, day) → its entries, for WEEKLY blocks."""
    days: dict[tuple[str, int], list[dict]] = {}
    for block in document["schedule"]:
        if block["scheduleType"] != ScheduleType.WEEKLY:
            continue
        for entry in block["entries"]:
            days.setdefault((block["menuSid"], entry["day"]), []).append(entry)
    for entries in days.values():
        entries.sort(key=lambda e: e["startTime"])
    return days


def _special_days(document: dict, names: _Names) -> list[str]:
    lines = []
    for block in document["schedule"]:
        if block["scheduleType"] != ScheduleType.DATE_RANGE:
            continue
        dates = block["startDate"]
        if block["endDate"] != block["startDate"]:
            dates = f"{block['startDate']} to {block['endDate']}"
        lines.append(f"{dates}, {_times(block['entries'])}: {names(block['menuSid'])}")
    return lines


def describe_changes(old: dict, new: dict) -> list[str]:
    """What changed from ``old`` to ``new``, one sentence a line, in the words of the console:
    "Business hours, key 2: go to menu Sales → transfer to 15551234567",
    "Business hours on Tuesday: 08:00–18:00 → 09:00–18:00". Empty when nothing did."""
    names = _Names(old, new)
    lines: list[str] = []
    for name in SETTING_WORDS:
        before, after = old["settings"].get(name), new["settings"].get(name)
        if before != after:
            lines.append(
                f"System, {SETTING_WORDS[name]}: {_setting(name, before, names)} → "
                f"{_setting(name, after, names)}"
            )
    old_menus = {m["sid"]: m for m in old["menus"]}
    new_menus = {m["sid"]: m for m in new["menus"]}
    for sid, menu in old_menus.items():
        if sid not in new_menus:
            lines.append(f"Menu {menu['name']} removed")
    for sid, menu in new_menus.items():
        before = old_menus.get(sid)
        if before is None:
            keys = ", ".join(
                f"key {k}: {describe_action(a, names)}" for k, a in menu["keys"].items()
            )
            lines.append(f"Menu {menu['name']} added" + (f" ({keys})" if keys else ""))
            continue
        label = menu["name"]
        if before["name"] != menu["name"]:
            lines.append(f"Menu {before['name']} renamed {menu['name']}")
        for field, words in (
            ("announcementSid", "greeting"),
            ("ringbackToneSid", "ringback tone"),
        ):
            if before[field] != menu[field]:
                lines.append(f"{label}, {words}: {names(before[field])} → {names(menu[field])}")
        for field, words in (
            ("colorCode", "colour"),
            ("timeoutSeconds", "seconds to wait for a key"),
            ("timeoutMax", "silences allowed"),
        ):
            if before[field] != menu[field]:
                lines.append(
                    f"{label}, {words}: {before[field] or 'the default'} → "
                    f"{menu[field] or 'the default'}"
                )
        if before["timeoutAction"] != menu["timeoutAction"]:
            lines.append(
                f"{label}, after too many silences: "
                f"{describe_action(before['timeoutAction'], names)} → "
                f"{describe_action(menu['timeoutAction'], names)}"
            )
        for key in sorted(set(before["keys"]) | set(menu["keys"]), key=_keypad):
            was, now = before["keys"].get(key), menu["keys"].get(key)
            if was == now:
                continue
            if was is None:
                lines.append(f"{label}, key {key} added: {describe_action(now, names)}")
            elif now is None:
                lines.append(f"{label}, key {key} removed (was: {describe_action(was, names)})")
            else:
                lines.append(
                    f"{label}, key {key}: {describe_action(was, names)} → "
                    f"{describe_action(now, names)}"
                )
    old_days, new_days = _weekly(old), _weekly(new)
    for menu_sid, day in sorted(
        set(old_days) | set(new_days), key=lambda md: (md[1], names(md[0]))
    ):
        was, now = old_days.get((menu_sid, day)), new_days.get((menu_sid, day))
        if was != now:
            before = _times(was) if was else "not scheduled"
            after = _times(now) if now else "not scheduled"
            lines.append(f"{names(menu_sid)} on {DAYS.get(day, day)}: {before} → {after}")
    old_special, new_special = _special_days(old, names), _special_days(new, names)
    lines += [f"Special days {line} removed" for line in old_special if line not in new_special]
    lines += [f"Special days {line} added" for line in new_special if line not in old_special]
    gone = sorted(set(old["extensions"]) - set(new["extensions"]))
    added = sorted(set(new["extensions"]) - set(old["extensions"]))
    if gone:
        lines.append("Directory: " + ", ".join(gone) + " removed")
    if added:
        lines.append("Directory: " + ", ".join(added) + " added")
    return lines
