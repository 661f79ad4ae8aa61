from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...choices import SystemLanguage, SystemStatus
from ...services.systems import ACTION_PREFIXES, LIMITS, is_timezone
from ..fields import RecordSerializer
from .business_hours import HolidayLinkSerializer, HolidayLinksField, OverrideField, links_in
from .names import ACTION_NAMES, FieldNames, action_in, action_out

_OPTIONAL_INTS = (
    "timeoutSeconds",
    "timeoutMaxOccurance",
    "invalidExtensionMaxOccurance",
    "invalidInputMaxOccurance",
)


@extend_schema_field(
    {
        "type": "object",
        "properties": {"actionType": {"type": "string"}, "actionData": {"type": "string"}},
        "example": {"actionType": "TRANSFER_TO_PHONE", "actionData": "919960639901"},
    }
)
class ActionField(serializers.Field):
    """``{"actionType", "actionData"}`` out; ``{}`` when unset, as in the spec's examples."""

    def __init__(self, prefix: str, **kwargs):
        self.prefix = prefix
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, system) -> dict:
        return action_out(
            getattr(system, f"{self.prefix}_action_type"),
            getattr(system, f"{self.prefix}_action_data"),
        )


class AutoAttendantSystemSerializer(RecordSerializer):
    """As the spec shows it: unset numbers and an empty description are left out, unset
    actions are ``{}``; ``aaNumbers`` and ``extensions`` list full numbers.

    Lists prefetch ``live_main_numbers`` / ``live_extensions``; without them each list costs a
    query.
    """

    resource_path = "system"
    omitted_when_empty = (
        "description",
        "defaultMenuSid",
        "invalidInputAnnouncementSid",
        "timeoutAnnouncementSid",
        *_OPTIONAL_INTS,
    )

    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    aaNumbers = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField()
    enterpriseSid = serializers.CharField(source="enterprise.sid", read_only=True)
    timeoutSeconds = serializers.IntegerField(source="timeout_seconds", read_only=True)
    timeoutMaxOccurance = serializers.IntegerField(source="timeout_max", read_only=True)
    timeoutAction = ActionField("timeout")
    invalidExtensionMaxOccurance = serializers.IntegerField(
        source="invalid_extension_max", read_only=True
    )
    invalidExtensionAction = ActionField("invalid_extension")
    invalidInputMaxOccurance = serializers.IntegerField(source="invalid_input_max", read_only=True)
    invalidInputAction = ActionField("invalid_input")
    timezoneId = serializers.CharField(source="timezone_id", read_only=True)
    language = serializers.CharField(read_only=True)
    defaultMenuSid = serializers.SerializerMethodField()
    # business-hours control (DESIGN §14); lists prefetch ``holiday_links`` with calendar, menu
    holidayCalendars = HolidayLinksField()
    override = OverrideField()
    # DESIGN §15, after the spec's fields (additive).
    dialFailureAction = ActionField("dial_failure")
    invalidInputAnnouncementSid = serializers.CharField(
        source="invalid_input_announcement_sid", read_only=True
    )
    timeoutAnnouncementSid = serializers.CharField(
        source="timeout_announcement_sid", read_only=True
    )

    def get_aaNumbers(self, system) -> list[str]:
        rows = getattr(system, "live_main_numbers", None)
        if rows is None:  # not fetched with the list's prefetch: one query
            rows = system.main_numbers.live().order_by("number")
        return [n.number for n in rows]

    def get_extensions(self, system) -> list[str]:
        rows = getattr(system, "live_extensions", None)
        if rows is None:
            rows = system.extensions.live().order_by("number")
        return [n.number for n in rows]

    def get_defaultMenuSid(self, system) -> str | None:
        return system.default_menu.sid if system.default_menu_id else None

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        if not data["description"]:
            data.pop("description")
        if data["defaultMenuSid"] is None:
            data.pop("defaultMenuSid")
        for key in ("invalidInputAnnouncementSid", "timeoutAnnouncementSid"):
            if not data[key]:
                data.pop(key)
        for key in _OPTIONAL_INTS:
            if data[key] is None:
                data.pop(key)
        return data


#: What a list page reads of each system (``AutoAttendantSystemViewSet.list_fields``).
@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(" + "|".join(SystemStatus.values) + ")$",
        "example": SystemStatus.ACTIVE,
        "description": " or ".join(SystemStatus.values),
    }
)
class SystemStatusField(serializers.ChoiceField):
    """A plain string in the schema: an enum named ``status`` would collide with the users' and
    enterprises' (a different choice set under the same field name)."""

    def __init__(self, **kwargs):
        super().__init__(choices=SystemStatus.choices, **kwargs)


def _count(field: str) -> serializers.IntegerField:
    """A count within the service's ``LIMITS`` for ``field``."""
    minimum, maximum = LIMITS[field]
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=minimum, max_value=maximum
    )


class AutoAttendantSystemWriteSerializer(serializers.Serializer):
    """A create or (partial) update body. Numeric fields accept numeric strings; ``null``
    resets a setting to its default. ``numbers`` is the spec example's alias of ``aaNumbers``.
    Actions are checked by the service (shape, then references)."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=2000
    )
    enterpriseSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    status = SystemStatusField(required=False)
    aaNumbers = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=1000
    )
    numbers = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=1000
    )
    extensions = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=1000
    )
    timezoneId = serializers.CharField(required=False, max_length=64)
    language = serializers.ChoiceField(choices=SystemLanguage.choices, required=False)
    timeoutSeconds = _count("timeout_seconds")
    timeoutMaxOccurance = _count("timeout_max")
    timeoutAction = serializers.JSONField(required=False, allow_null=True)
    invalidInputMaxOccurance = _count("invalid_input_max")
    invalidInputAction = serializers.JSONField(required=False, allow_null=True)
    invalidExtensionMaxOccurance = _count("invalid_extension_max")
    invalidExtensionAction = serializers.JSONField(required=False, allow_null=True)
    dialFailureAction = serializers.JSONField(required=False, allow_null=True)
    invalidInputAnnouncementSid = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=40
    )
    timeoutAnnouncementSid = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=40
    )
    defaultMenuSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    holidayCalendars = HolidayLinkSerializer(many=True, required=False, max_length=100)

    def validate_timezoneId(self, value: str) -> str:
        if not is_timezone(value):
            raise serializers.ValidationError(f"{value!r} is not an IANA time zone.")
        return value

    def validate(self, attrs: dict) -> dict:
        if "aaNumbers" in attrs and "numbers" in attrs:
            raise serializers.ValidationError({"numbers": "Send aaNumbers or numbers, not both."})
        if "numbers" in attrs:
            attrs["aaNumbers"] = attrs.pop("numbers")
        return attrs


# The body's names → ``services.systems.SYSTEM_FIELDS`` (``numbers`` arrives as ``aaNumbers``);
# inside actions, and in errors, the action's fields and a number's system.
SYSTEM_NAMES = FieldNames(
    {
        "name": "name",
        "description": "description",
        "status": "status",
        "timezoneId": "timezone_id",
        "language": "language",
        "timeoutSeconds": "timeout_seconds",
        "timeoutMaxOccurance": "timeout_max",
        "invalidInputMaxOccurance": "invalid_input_max",
        "invalidExtensionMaxOccurance": "invalid_extension_max",
        "timeoutAction": "timeout_action",
        "invalidInputAction": "invalid_input_action",
        "invalidExtensionAction": "invalid_extension_action",
        "dialFailureAction": "dial_failure_action",
        "invalidInputAnnouncementSid": "invalid_input_announcement",
        "timeoutAnnouncementSid": "timeout_announcement",
        "aaNumbers": "main_numbers",
        "extensions": "extensions",
        "defaultMenuSid": "default_menu",
        "holidayCalendars": "holiday_calendars",
    },
    inner={
        **ACTION_NAMES,
        "autoAttendantSid": "auto_attendant",
        "calendarSid": "calendar",
        "menuSid": "menu",
    },
)


def system_changes(data: dict) -> dict:
    """The validated body as ``do_create_system`` / ``do_update_system`` take it (only the
    fields sent)."""
    changes = SYSTEM_NAMES.changes(data)
    for prefix in ACTION_PREFIXES:
        if f"{prefix}_action" in changes:
            changes[f"{prefix}_action"] = action_in(changes[f"{prefix}_action"])
    if "holiday_calendars" in changes:
        changes["holiday_calendars"] = links_in(changes["holiday_calendars"])
    return changes
