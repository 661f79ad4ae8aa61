"""Business-hours control in the API (DESIGN §14): the override, holiday calendars, their links
from systems and the timeline."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...services.business_hours import override_active
from ...services.calendars import entry_in, entry_out
from ...timestamps import format_timestamp
from ..fields import RecordSerializer, UTCDateTimeField
from .names import FieldNames

# --- override ---------------------------------------------------------------------------------

OVERRIDE_SCHEMA = {
    "type": "object",
    "nullable": True,
    "properties": {
        "menuSid": {"type": "string"},
        "until": {"type": "string", "nullable": True},
        "reason": {"type": "string"},
        "setBy": {"type": "string", "nullable": True},
        "setAt": {"type": "string", "nullable": True},
    },
    "description": "The active override, or null (an expired one shows as null).",
}


def override_out(system) -> dict | None:
    """``{menuSid, until, reason, setBy, setAt}`` of an active override, else ``None``."""
    if not override_active(system, timezone.now()):
        return None
    return {
        "menuSid": system.override_menu.sid,
        "until": format_timestamp(system.override_until),
        "reason": system.override_reason,
        "setBy": system.override_set_by.email if system.override_set_by_id else None,
        "setAt": format_timestamp(system.override_set_at),
    }


@extend_schema_field(OVERRIDE_SCHEMA)
class OverrideField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, system) -> dict | None:
        return override_out(system)


class OverrideWriteSerializer(serializers.Serializer):
    menuSid = serializers.CharField(max_length=64)
    until = serializers.DateTimeField(required=False, allow_null=True, default_timezone=dt.UTC)
    untilNextChange = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    def validate(self, attrs: dict) -> dict:
        if attrs.get("until") is not None and attrs.get("untilNextChange"):
            raise serializers.ValidationError({"until": "Send until or untilNextChange, not both."})
        return attrs


OVERRIDE_NAMES = FieldNames(
    {
        "menuSid": "menu",
        "until": "until",
        "untilNextChange": "until_next_change",
        "reason": "reason",
    }
)

# --- links ------------------------------------------------------------------------------------

LINKS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"calendarSid": {"type": "string"}, "menuSid": {"type": "string"}},
    },
    "description": "Holiday calendars, tried in list order, each with the menu its dates play.",
}


@extend_schema_field(LINKS_SCHEMA)
class HolidayLinksField(serializers.Field):
    """Out: the system's links in order (``holiday_links`` prefetched with calendar and menu)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, system) -> list[dict]:
        return [
            {"calendarSid": link.calendar.sid, "menuSid": link.menu.sid}
            for link in system.holiday_links.all()
        ]


class HolidayLinkSerializer(serializers.Serializer):
    calendarSid = serializers.CharField(max_length=64)
    menuSid = serializers.CharField(max_length=64)


def links_in(links: list[dict]) -> list[dict]:
    return [{"calendar": link["calendarSid"], "menu": link["menuSid"]} for link in links]


# --- calendars --------------------------------------------------------------------------------


class HolidayEntrySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    date = serializers.DateField(required=False, allow_null=True)
    month = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=12)
    day = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=31)
    weekday = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=7)
    nth = serializers.IntegerField(required=False, allow_null=True, min_value=-1, max_value=5)
    startTime = serializers.CharField(required=False, allow_blank=True, max_length=5)
    endTime = serializers.CharField(required=False, allow_blank=True, max_length=5)


@extend_schema_field({"type": "array", "items": {"type": "object"}})
class EntriesField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, calendar) -> list[dict]:
        return [entry_out(e) for e in calendar.entries.all()]


class HolidayCalendarSerializer(RecordSerializer):
    resource_path = "calendar"

    name = serializers.CharField(read_only=True)
    enterpriseSid = serializers.CharField(source="enterprise.sid", read_only=True)
    country = serializers.CharField(read_only=True)
    subdivision = serializers.CharField(read_only=True)
    entries = EntriesField()


class HolidayCalendarWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    enterpriseSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    country = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=2)
    subdivision = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=16
    )
    entries = HolidayEntrySerializer(many=True, required=False)


CALENDAR_NAMES = FieldNames(
    {"name": "name", "country": "country", "subdivision": "subdivision", "entries": "entries"},
    inner={"startTime": "start_time", "endTime": "end_time"},
)


def calendar_changes(data: dict) -> dict:
    changes = CALENDAR_NAMES.changes(data)
    if "entries" in changes:
        changes["entries"] = [entry_in(dict(e)) for e in changes["entries"]]
    return changes


class CalendarDateSerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()
    startTime = serializers.CharField(required=False)
    endTime = serializers.CharField(required=False)


class CalendarDatesSerializer(serializers.Serializer):
    calendarSid = serializers.CharField()
    year = serializers.IntegerField()
    dates = CalendarDateSerializer(many=True)


# --- timeline ---------------------------------------------------------------------------------


SEGMENT_SCHEMA = {
    "type": "object",
    "required": ["start", "end", "menuSid", "menuName", "reason", "detail", "conflict"],
    "properties": {
        "start": {"type": "string", "description": "Local time with its UTC offset (ISO-8601)."},
        "end": {"type": "string", "description": "Local time with its UTC offset; exclusive."},
        "menuSid": {"type": "string", "nullable": True},
        "menuName": {"type": "string", "nullable": True},
        "reason": {
            "type": "string",
            "enum": ["OVERRIDE", "SPECIAL_DAY", "HOLIDAY", "WEEKLY", "DEFAULT", "NONE"],
        },
        "detail": {"type": "string", "description": "The holiday's name or the override's reason."},
        "conflict": {"type": "string", "nullable": True},
    },
}
#: The timeline: a plain list of segments in ``data`` (not a page).
TIMELINE_SCHEMA = {"type": "array", "items": SEGMENT_SCHEMA, "x-plain-list": True}


__all__ = [
    "CALENDAR_NAMES",
    "OVERRIDE_NAMES",
    "TIMELINE_SCHEMA",
    "CalendarDatesSerializer",
    "HolidayCalendarSerializer",
    "HolidayCalendarWriteSerializer",
    "HolidayLinkSerializer",
    "HolidayLinksField",
    "OverrideField",
    "OverrideWriteSerializer",
    "UTCDateTimeField",
    "calendar_changes",
    "links_in",
    "override_out",
]
