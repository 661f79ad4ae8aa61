"""Resource identifiers: a two- or three-letter prefix and 32 lowercase hex digits."""

from __future__ import annotations

import re
import secrets
import time
import uuid

ENTERPRISE = "EN"
USER = "RCS"
ACCOUNT = "AC"
ANNOUNCEMENT = "AN"
MENU = "MN"
SYSTEM = "AA"
PHONE_NUMBER = "PH"
FLOW_TEST = "FT"
HOLIDAY_CALENDAR = "HC"
MAILBOX = "MB"
VOICEMAIL = "VM"

_SID_RE = {p: re.compile(rf"^{p}[0-9a-f]{{32}}$") for p in
           (ENTERPRISE, USER, ACCOUNT, ANNOUNCEMENT, MENU, SYSTEM, PHONE_NUMBER,
            FLOW_TEST, HOLIDAY_CALENDAR, MAILBOX, VOICEMAIL)}  # fmt: skip


def new_sid(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex}"


def is_sid(value: object, prefix: str) -> bool:
    return isinstance(value, str) and bool(_SID_RE[prefix].match(value))


def new_enterprise_sid() -> str:
    return new_sid(ENTERPRISE)


def new_user_sid() -> str:
    return new_sid(USER)


def new_account_sid() -> str:
    return new_sid(ACCOUNT)


def new_announcement_sid() -> str:
    return new_sid(ANNOUNCEMENT)


def new_menu_sid() -> str:
    return new_sid(MENU)


def new_system_sid() -> str:
    return new_sid(SYSTEM)


def new_phone_number_sid() -> str:
    return new_sid(PHONE_NUMBER)


def new_flow_test_sid() -> str:
    return new_sid(FLOW_TEST)


def new_calendar_sid() -> str:
    return new_sid(HOLIDAY_CALENDAR)


def new_mailbox_sid() -> str:
    return new_sid(MAILBOX)


def new_voicemail_sid() -> str:
    return new_sid(VOICEMAIL)


CALL = "CL"


def new_call_sid() -> str:
    """A call's sid, ordered by creation time (milliseconds, then 80 random bits, as in a
    version 7 UUID): the call history's busiest index grows at its end instead of touching a
    random page per new call, which made writing a batch of calls cost more as history grew."""
    return new_call_sids(1)[0]


def new_call_sids(count: int) -> list[str]:
    """``count`` sids as :func:`new_call_sid` makes them, their random bits read at once."""
    prefix = f"{CALL}{time.time_ns() // 1_000_000:012x}"
    random = secrets.token_hex(10 * count)
    return [prefix + random[i : i + 20] for i in range(0, 20 * count, 20)]
