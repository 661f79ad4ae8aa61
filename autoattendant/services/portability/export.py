"""The enterprise → the document, and the document → its text (see the package's docstring for
what the document holds). Reads only: the same records in the same order give the same document
but for ``exportedAt``."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch

from ...choices import ScheduleType
from ...models import (
    Announcement,
    AutoAttendantSystem,
    Enterprise,
    FlowTest,
    HolidayCalendar,
    HolidayEntry,
    Mailbox,
    Menu,
    PhoneNumber,
    ScheduleBlock,
    SystemHolidayCalendar,
    User,
)
from ...timestamps import format_timestamp
from ..calendars import entry_out
from ..menus import keypad_order
from .loader import FORMAT, VERSION

__all__ = ["dump_document", "export_enterprise"]


def _email(user: User | None) -> str | None:
    return user.email if user is not None else None


def _sid(obj: Any) -> str | None:
    return obj.sid if obj is not None else None


def _document_action(action_type: str, action_data: str) -> dict:
    """An action as the document (like the API) writes it; ``{}`` when none is set."""
    if not action_type:
        return {}
    return {"actionType": action_type, **({"actionData": action_data} if action_data else {})}


def _audio(announcement: Announcement, warn: Callable[[str], None] | None) -> str | None:
    if not announcement.file:
        return None
    try:
        with announcement.file.open("rb") as stream:
            return base64.b64encode(stream.read()).decode("ascii")
    except OSError as exc:
        if warn:
            warn(f"announcement {announcement.sid}: audio file unreadable ({exc}); left out")
        return None


def export_enterprise(enterprise: Enterprise, *, warn: Callable[[str], None] | None = None) -> dict:
    """The whole enterprise as a JSON-ready dict; records in creation order.

    Eleven queries (twelve with holiday calendars) whatever the enterprise's size (plus one
    storage read per audio file); ``warn`` hears about audio files that cannot be read (they are
    left out, not fatal).
    """
    users = (
        User.objects.filter(enterprise=enterprise)
        .select_related("created_by")
        .order_by("date_created", "id")
    )
    numbers = (
        PhoneNumber.objects.live()
        .filter(enterprise=enterprise)
        .select_related("created_by", "auto_attendant")
        .order_by("date_created", "id")
    )
    announcements = (
        Announcement.objects.filter(enterprise=enterprise)
        .select_related("created_by")
        .order_by("date_created", "id")
    )
    systems = list(
        AutoAttendantSystem.objects.filter(enterprise=enterprise)
        .select_related("created_by", "default_menu")
        .prefetch_related(
            Prefetch(
                "extensions",
                queryset=PhoneNumber.objects.live().order_by("number"),
                to_attr="live_extensions",
            ),
            Prefetch(
                "holiday_links",
                queryset=SystemHolidayCalendar.objects.select_related("calendar", "menu"),
            ),
        )
        .order_by("date_created", "id")
    )
    calendars = (
        HolidayCalendar.objects.filter(enterprise=enterprise)
        .select_related("created_by")
        .prefetch_related(Prefetch("entries", HolidayEntry.objects.order_by("position", "id")))
        .order_by("date_created", "id")
    )
    menus = (
        Menu.objects.filter(enterprise=enterprise)
        .select_related("created_by", "auto_attendant", "announcement", "ringback_tone")
        .prefetch_related("keys")
        .order_by("date_created", "id")
    )
    system_order = {s.pk: i for i, s in enumerate(systems)}
    type_order = {ScheduleType.WEEKLY: 0, ScheduleType.DATE_RANGE: 1}
    blocks = sorted(
        ScheduleBlock.objects.filter(auto_attendant__enterprise=enterprise)
        .select_related("auto_attendant", "menu")
        .prefetch_related("entries"),
        key=lambda b: (
            system_order.get(b.auto_attendant_id, 0),
            type_order.get(b.schedule_type, 2),
            b.position,
            b.pk,
        ),
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exportedAt": format_timestamp(dt.datetime.now(dt.UTC)),
        "enterprise": {
            "sid": enterprise.sid,
            "name": enterprise.name,
            "status": enterprise.status,
            "dateCreated": format_timestamp(enterprise.date_created),
            "dateUpdated": format_timestamp(enterprise.date_updated),
        },
        "users": [
            {
                "sid": u.sid,
                "accountSid": u.account_sid,
                "name": u.name,
                "emailId": u.email,
                "role": u.role,
                "status": u.status,
                "accountEmail": _email(u.created_by),
                "dateCreated": format_timestamp(u.date_created),
                "dateUpdated": format_timestamp(u.date_updated),
            }
            for u in users
        ],
        "numbers": [
            {
                "sid": n.sid,
                "number": n.number,
                "isExtension": n.is_extension,
                "extension": n.extension,
                "extensionSpokenName": n.extension_spoken_name,
                "autoAttendantSid": _sid(n.auto_attendant),
                "accountEmail": _email(n.created_by),
                "dateCreated": format_timestamp(n.date_created),
                "dateUpdated": format_timestamp(n.date_updated),
            }
            for n in numbers
        ],
        "announcements": [
            {
                "sid": a.sid,
                "name": a.name,
                "description": a.description,
                "type": a.type,
                "body": a.body,
                "language": a.language,
                "voice": a.voice,
                "audio": _audio(a, warn),
                "accountEmail": _email(a.created_by),
                "dateCreated": format_timestamp(a.date_created),
                "dateUpdated": format_timestamp(a.date_updated),
            }
            for a in announcements
        ],
        "mailboxes": [
            {
                "sid": b.sid,
                "name": b.name,
                "greetingAnnouncementSid": _sid(b.greeting),
                "notifyEmails": list(b.notify_emails or []),
                "maxLengthSeconds": b.max_length_seconds,
                "accountEmail": _email(b.created_by),
                "dateCreated": format_timestamp(b.date_created),
                "dateUpdated": format_timestamp(b.date_updated),
            }
            for b in Mailbox.objects.filter(enterprise=enterprise)
            .select_related("greeting", "created_by")
            .order_by("date_created", "sid")
        ],
        "systems": [
            {
                "sid": s.sid,
                "name": s.name,
                "description": s.description,
                "status": s.status,
                "timezoneId": s.timezone_id,
                "language": s.language,
                "timeoutSeconds": s.timeout_seconds,
                "timeoutMaxOccurance": s.timeout_max,
                "timeoutAction": _document_action(s.timeout_action_type, s.timeout_action_data),
                "invalidInputMaxOccurance": s.invalid_input_max,
                "invalidInputAction": _document_action(
                    s.invalid_input_action_type, s.invalid_input_action_data
                ),
                "invalidExtensionMaxOccurance": s.invalid_extension_max,
                "invalidExtensionAction": _document_action(
                    s.invalid_extension_action_type, s.invalid_extension_action_data
                ),
                "defaultMenuSid": _sid(s.default_menu),
                "dialFailureAction": _document_action(
                    s.dial_failure_action_type, s.dial_failure_action_data
                ),
                "invalidInputAnnouncementSid": s.invalid_input_announcement_sid or None,
                "timeoutAnnouncementSid": s.timeout_announcement_sid or None,
                "extensions": [n.number for n in s.live_extensions],
                "holidayCalendars": [
                    {"calendarSid": link.calendar.sid, "menuSid": link.menu.sid}
                    for link in s.holiday_links.all()
                ],
                "accountEmail": _email(s.created_by),
                "dateCreated": format_timestamp(s.date_created),
                "dateUpdated": format_timestamp(s.date_updated),
            }
            for s in systems
        ],
        "menus": [
            {
                "sid": m.sid,
                "autoAttendantSid": m.auto_attendant.sid,
                "name": m.name,
                "colorCode": m.color_code,
                "announcementSid": _sid(m.announcement),
                "ringbackToneSid": _sid(m.ringback_tone),
                "timeoutSeconds": m.timeout_seconds,
                "timeoutMaxOccurance": m.timeout_max,
                "timeoutAction": _document_action(m.timeout_action_type, m.timeout_action_data),
                "keys": [
                    {
                        "menuKey": k.key,
                        "menuAction": _document_action(k.action_type, k.action_data),
                    }
                    for k in sorted(m.keys.all(), key=lambda k: keypad_order(k.key))
                ],
                "accountEmail": _email(m.created_by),
                "dateCreated": format_timestamp(m.date_created),
                "dateUpdated": format_timestamp(m.date_updated),
            }
            for m in menus
        ],
        "schedules": [
            {
                "autoAttendantSid": b.auto_attendant.sid,
                "scheduleType": b.schedule_type,
                "menuSid": b.menu.sid,
                "startDate": b.start_date.isoformat() if b.start_date else None,
                "endDate": b.end_date.isoformat() if b.end_date else None,
                "entries": [
                    {"day": e.day, "startTime": e.start_time, "endTime": e.end_time}
                    if b.schedule_type == ScheduleType.WEEKLY
                    else {"startTime": e.start_time, "endTime": e.end_time}
                    for e in b.entries.all()
                ],
            }
            for b in blocks
        ],
        "calendars": [
            {
                "sid": c.sid,
                "name": c.name,
                "country": c.country,
                "subdivision": c.subdivision,
                "entries": [entry_out(e) for e in c.entries.all()],
                "accountEmail": _email(c.created_by),
                "dateCreated": format_timestamp(c.date_created),
                "dateUpdated": format_timestamp(c.date_updated),
            }
            for c in calendars
        ],
        # Flow tests travel with their flows; versions and the audit trail stay behind.
        "flowTests": [
            {
                "sid": t.sid,
                "autoAttendantSid": t.system.sid,
                "name": t.name,
                "at": t.at,
                "inputs": list(t.inputs),
                "expect": dict(t.expect),
                "accountEmail": _email(t.created_by),
                "dateCreated": format_timestamp(t.date_created),
                "dateUpdated": format_timestamp(t.date_updated),
            }
            for t in FlowTest.objects.filter(system__enterprise=enterprise)
            .select_related("system", "created_by")
            .order_by("date_created", "id")
        ],
    }


def dump_document(document: dict) -> str:
    """Pretty-printed (one field a line), so an import's line numbers point somewhere useful."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
