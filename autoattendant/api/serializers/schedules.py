from __future__ import annotations

from rest_framework import serializers

from ...choices import ScheduleType
from ...services.schedules import BlockInput, EntryInput
from .names import FieldNames

# --- input (types only; services.schedules checks the rules and names each bad field) ----------


class ScheduleEntryInputSerializer(serializers.Serializer):
    day = serializers.IntegerField(
        required=False, allow_null=True, help_text="WEEKLY only: 1 (Monday) to 7 (Sunday)."
    )
    startTime = serializers.CharField(help_text="HH:MM, 00:00 to 23:59.")
    endTime = serializers.CharField(
        help_text="HH:MM, up to 24:00; not after startTime = runs into the next day."
    )


class ScheduleItemInputSerializer(serializers.Serializer):
    menuSid = serializers.CharField()
    scheduleType = serializers.ChoiceField(
        choices=ScheduleType.choices, required=False, allow_null=True
    )
    entries = serializers.ListField(
        child=ScheduleEntryInputSerializer(), required=False, allow_null=True
    )
    startDate = serializers.DateField(required=False, allow_null=True, help_text="DATE_RANGE.")
    endDate = serializers.DateField(required=False, allow_null=True, help_text="DATE_RANGE.")


class ScheduleWriteSerializer(serializers.Serializer):
    """Replaces every block of ``scheduleType`` of the AA system (the other type is kept)."""

    autoAttendantSid = serializers.CharField()
    scheduleType = serializers.ChoiceField(choices=ScheduleType.choices)
    schedule = serializers.ListField(child=ScheduleItemInputSerializer())


# The body's names → the service's (the models'), for the blocks built below and for errors
# (``schedule[0].entries[1].startTime`` where the service said ``…start_time``).
SCHEDULE_NAMES = FieldNames(
    {"scheduleType": "schedule_type", "schedule": "schedule"},
    inner={
        "menuSid": "menu",
        "startDate": "start_date",
        "endDate": "end_date",
        "startTime": "start_time",
        "endTime": "end_time",
    },
)


def block_inputs(data: dict) -> list[BlockInput]:
    """The validated body's ``schedule`` as ``do_replace_schedule`` takes it."""
    return [
        BlockInput(
            menu=item["menuSid"],
            schedule_type=item.get("scheduleType"),
            start_date=item.get("startDate"),
            end_date=item.get("endDate"),
            entries=[
                EntryInput(
                    day=entry.get("day"),
                    start_time=entry["startTime"],
                    end_time=entry["endTime"],
                )
                for entry in item.get("entries") or []
            ],
        )
        for item in data["schedule"]
    ]


# --- output ----------------------------------------------------------------------------------


class ScheduleEntrySerializer(serializers.Serializer):
    day = serializers.IntegerField(required=False, help_text="WEEKLY entries only.")
    startTime = serializers.CharField(source="start_time")
    endTime = serializers.CharField(source="end_time")

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        if data.get("day") is None:
            data.pop("day", None)
        return data


class ScheduleBlockSerializer(serializers.Serializer):
    """A stored block as the spec shows it; DATE_RANGE blocks add their dates."""

    menuSid = serializers.CharField(source="menu.sid")
    scheduleType = serializers.CharField(source="schedule_type")
    entries = ScheduleEntrySerializer(many=True)
    startDate = serializers.DateField(source="start_date", required=False)
    endDate = serializers.DateField(source="end_date", required=False)

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        if instance.schedule_type != ScheduleType.DATE_RANGE:
            data.pop("startDate", None)
            data.pop("endDate", None)
        return data


class ScheduleSerializer(serializers.Serializer):
    """``POST /schedule``: the system's blocks of the type just written."""

    autoAttendantSid = serializers.CharField()
    scheduleType = serializers.ChoiceField(choices=ScheduleType.choices)
    schedule = ScheduleBlockSerializer(many=True)


class FullScheduleSerializer(serializers.Serializer):
    """``GET /schedule/search``: every block of the system, WEEKLY then DATE_RANGE."""

    autoAttendantSid = serializers.CharField()
    schedule = ScheduleBlockSerializer(many=True)
