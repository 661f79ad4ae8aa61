"""A record's fields as the file spells them.

Each field is checked for form (type, length, range) before any service sees it; a field of the
wrong form raises ``BadField`` with a message that names it. The rules themselves (a menu's limits,
a schedule's overlaps…) stay with the services, and ``DOCUMENT_NAMES`` turns the model-terms names
of their refusals back into the file's, so every problem reads in the file's words."""

from __future__ import annotations

import datetime as dt
import json

from ...errors import AppError, rename_fields

__all__ = [
    "DOCUMENT_NAMES",
    "BadField",
    "describe_error",
    "read_choice",
    "read_count",
    "read_date",
    "read_text",
]

# The document's names for what the services name in model terms, so that a problem reported
# from a service names the field as the file spells it.
DOCUMENT_NAMES = {
    "color_code": "colorCode",
    "announcement": "announcementSid",
    "ringback_tone": "ringbackToneSid",
    "timeout_seconds": "timeoutSeconds",
    "timeout_max": "timeoutMaxOccurance",
    "timeout_action": "timeoutAction",
    "key": "menuKey",
    "action": "menuAction",
    "action_type": "actionType",
    "action_data": "actionData",
    "timezone_id": "timezoneId",
    "invalid_input_max": "invalidInputMaxOccurance",
    "invalid_extension_max": "invalidExtensionMaxOccurance",
    "invalid_input_action": "invalidInputAction",
    "invalid_extension_action": "invalidExtensionAction",
    "main_numbers": "aaNumbers",
    "default_menu": "defaultMenuSid",
    "auto_attendant": "autoAttendantSid",
    "schedule_type": "scheduleType",
    "menu": "menuSid",
    "start_date": "startDate",
    "end_date": "endDate",
    "start_time": "startTime",
    "end_time": "endTime",
    "referenced_by": "referencedBy",
    "greeting": "greetingAnnouncementSid",
    "notify_emails": "notifyEmails",
    "max_length_seconds": "maxLengthSeconds",
    "dial_failure_action": "dialFailureAction",
    "invalid_input_announcement": "invalidInputAnnouncementSid",
    "timeout_announcement": "timeoutAnnouncementSid",
}


class BadField(Exception):
    """A record's field has the wrong form; the message names it."""


def read_text(item: dict, key: str, *, required: bool = False, max_length: int = 200) -> str:
    value = item.get(key)
    if value is None or value == "":
        if required:
            raise BadField(f"{key}: required")
        return ""
    if not isinstance(value, str):
        raise BadField(f"{key}: expected a string")
    if len(value) > max_length:
        raise BadField(f"{key}: longer than {max_length} characters")
    return value


def read_count(item: dict, key: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 120:
        raise BadField(f"{key}: expected a whole number from 1 to 120, or null")
    return value


def read_choice(item: dict, key: str, choices: list[str], default: str) -> str:
    value = item.get(key) or default
    if value not in choices:
        raise BadField(f"{key}: expected one of {', '.join(choices)}")
    return value


def read_date(item: dict, key: str) -> dt.date | None:
    value = item.get(key)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadField(f"{key}: expected a date YYYY-MM-DD") from None


def describe_error(error: AppError) -> str:
    """A service's refusal as a problem's reason, its fields named as the file spells them."""
    data = rename_fields(error.data, DOCUMENT_NAMES)
    detail = json.dumps(data, default=str) if data else ""
    return f"{error.message} ({error.error_code}){': ' + detail if detail else ''}"
