"""Validation of actions — a type and its data (menu keys, timeout and invalid-input actions),
shared by menus and AA systems.

The rules (DESIGN §11 "Actions"): ANNOUNCEMENT_HANGUP / ANNOUNCEMENT_RETURN need an announcement
sid of the enterprise; GO_TO_MENU a menu sid of the same AA system; TRANSFER_TO_PHONE a dialable
number; DIAL_BY_EXTENSION / DIAL_BY_NAME take an optional announcement sid as their prompt;
VOICEMAIL a mailbox sid of the enterprise; HANGUP, REPLAY_MENU and RETURN_TO_PREVIOUS_MENU ignore
actionData.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..choices import (
    ACTIONS_NEEDING_ANNOUNCEMENT,
    ACTIONS_NEEDING_MAILBOX,
    ACTIONS_NEEDING_MENU,
    ACTIONS_NEEDING_NUMBER,
    ACTIONS_WITH_OPTIONAL_ANNOUNCEMENT,
    ActionType,
)
from ..errors import Errors
from ..models import Announcement, Enterprise, Mailbox, Menu
from ..sids import ANNOUNCEMENT, MAILBOX, MENU, is_sid

_DIALABLE = re.compile(r"^\+?[0-9][0-9 ()\-.]{1,30}$")


@dataclass(frozen=True)
class Action:
    """An action as the models store it (``*_action_type`` / ``*_action_data``); an empty
    ``action_type`` means none is set."""

    action_type: str
    action_data: str = ""


NO_ACTION = Action("", "")


def normalise_dialable(value: str) -> str | None:
    """A number a caller can be transferred to: digits only (``+``, spaces, dashes dropped),
    3 to 15 digits; None when it is not one."""
    if not isinstance(value, str) or not _DIALABLE.match(value.strip()):
        return None
    digits = re.sub(r"\D", "", value)
    return digits if 3 <= len(digits) <= 15 else None


def parse_action(raw: Any, field: str) -> Action:
    """The shape only (no database). ``raw`` is an :class:`Action` or its fields as a mapping
    (``{"action_type", "action_data"}``); ``{}`` / null → no action; else a known type (400 if
    not). Errors name ``field`` and its parts in the same terms (``{field}.action_type``)."""
    if isinstance(raw, Action):
        return raw
    if raw in (None, {}, ""):
        return NO_ACTION
    if not isinstance(raw, dict):
        raise Errors.VALIDATION({field: "Expected an object with actionType and actionData."})
    action_type = raw.get("action_type")
    if action_type not in ActionType.values:
        raise Errors.VALIDATION(
            {f"{field}.action_type": f"Unknown actionType {action_type!r}; one of "
             + ", ".join(ActionType.values)}
        )  # fmt: skip
    data = raw.get("action_data")
    if data is not None and not isinstance(data, str | int):
        raise Errors.VALIDATION({f"{field}.action_data": "Expected a string."})
    return Action(action_type, "" if data is None else str(data).strip())


def check_action(
    action: Action,
    field: str,
    *,
    enterprise: Enterprise,
    system_id: int | None,
    announcements: dict[str, Announcement] | None = None,
    menus: dict[str, Menu] | None = None,
    mailboxes: set[str] | None = None,
) -> Action:
    """Validate ``action`` against the database and return it normalised; errors name
    ``field`` (``{field}.action_data``, or ``field`` itself for a sid that names nothing).

    ``announcements`` / ``menus`` may hold rows already fetched (sid → row), ``mailboxes`` the
    sids of mailboxes known to exist, so that a menu with eleven keys costs one query per kind,
    not one per key; missing sids are looked up here.
    A sid that names nothing visible (absent, another enterprise's, another system's menu) is
    that resource's not-found error (500 / 502); a value of the wrong form is a 400.
    """
    kind = action.action_type
    data = action.action_data
    if not kind:
        return action
    prompt = kind in ACTIONS_WITH_OPTIONAL_ANNOUNCEMENT and data
    if kind in ACTIONS_NEEDING_ANNOUNCEMENT or prompt:
        if not data:
            raise Errors.VALIDATION({f"{field}.action_data": f"{kind} needs an announcement sid."})
        if not is_sid(data, ANNOUNCEMENT):
            raise Errors.VALIDATION({f"{field}.action_data": "Expected an announcement sid."})
        known = announcements if announcements is not None else {}
        if data not in known:
            found = Announcement.objects.filter(sid=data, enterprise=enterprise).first()
            if found is None:
                raise Errors.ANNOUNCEMENT_NOT_FOUND({"sid": data, "field": field})
            known[data] = found
        return action
    if kind in ACTIONS_NEEDING_MENU:
        if not is_sid(data, MENU):
            raise Errors.VALIDATION({f"{field}.action_data": "GO_TO_MENU needs a menu sid."})
        known = menus if menus is not None else {}
        if data not in known:
            found = Menu.objects.filter(
                sid=data, enterprise=enterprise, auto_attendant_id=system_id
            ).first()
            if found is None:
                raise Errors.MENU_NOT_FOUND({"sid": data, "field": field})
            known[data] = found
        return action
    if kind in ACTIONS_NEEDING_MAILBOX:
        if not is_sid(data, MAILBOX):
            raise Errors.VALIDATION({f"{field}.action_data": "VOICEMAIL needs a mailbox sid."})
        known_mailboxes = mailboxes if mailboxes is not None else set()
        if data not in known_mailboxes:
            if not Mailbox.objects.filter(sid=data, enterprise=enterprise).exists():
                raise Errors.MAILBOX_NOT_FOUND({"sid": data, "field": field})
            known_mailboxes.add(data)
        return action
    if kind in ACTIONS_NEEDING_NUMBER:
        number = normalise_dialable(data)
        if number is None:
            raise Errors.VALIDATION(
                {f"{field}.action_data": "TRANSFER_TO_PHONE needs a phone number (3-15 digits)."}
            )
        return Action(kind, number)
    # HANGUP, REPLAY_MENU, RETURN_TO_PREVIOUS_MENU, and DIAL_BY_* without a prompt.
    return Action(kind, "")
