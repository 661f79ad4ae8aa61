"""Call history as the API shows it (DESIGN §13)."""

from __future__ import annotations

from rest_framework import serializers

from ..fields import UTCDateTimeField


class CallStepSerializer(serializers.Serializer):
    step = serializers.IntegerField(source="seq", read_only=True)
    time = UTCDateTimeField()
    menuSid = serializers.CharField(source="menu_sid", read_only=True)
    input = serializers.CharField(read_only=True)
    action = serializers.CharField(read_only=True)
    detail = serializers.CharField(read_only=True)


class CallSerializer(serializers.Serializer):
    sid = serializers.CharField(read_only=True)
    callSid = serializers.CharField(source="call_sid", read_only=True)
    enterpriseSid = serializers.CharField(source="enterprise.sid", read_only=True)
    autoAttendantSid = serializers.CharField(source="system_sid", read_only=True)
    to = serializers.CharField(source="to_number", read_only=True)
    dialect = serializers.CharField(read_only=True)
    startTime = UTCDateTimeField(source="start_time")
    endTime = UTCDateTimeField(source="end_time")
    durationSeconds = serializers.IntegerField(source="duration_seconds", read_only=True)
    outcome = serializers.CharField(read_only=True)
    transferredTo = serializers.CharField(source="transferred_to", read_only=True)
    menuPath = serializers.ListField(
        source="menu_path", child=serializers.CharField(), read_only=True
    )
    uri = serializers.SerializerMethodField()

    def get_fields(self):
        """``from`` (a Python keyword, so not a class attribute) right after ``to``."""
        fields = {}
        for name, field in super().get_fields().items():
            fields[name] = field
            if name == "to":
                fields["from"] = serializers.CharField(source="from_number", read_only=True)
        return fields

    def get_uri(self, obj) -> str:
        return f"/autoattendant/call/search/{obj.sid}"


class CallDetailSerializer(CallSerializer):
    steps = CallStepSerializer(many=True, read_only=True)


class OutcomeCountsSerializer(serializers.Serializer):
    TRANSFERRED = serializers.IntegerField()
    VOICEMAIL = serializers.IntegerField()
    HUNG_UP_BY_FLOW = serializers.IntegerField()
    CALLER_HUNG_UP = serializers.IntegerField()
    ERROR = serializers.IntegerField()
    IN_PROGRESS = serializers.IntegerField()


class DayStatsSerializer(serializers.Serializer):
    date = serializers.DateField()
    total = serializers.IntegerField()
    byOutcome = OutcomeCountsSerializer()


class KeyPressSerializer(serializers.Serializer):
    menuSid = serializers.CharField()
    menuName = serializers.CharField()
    key = serializers.CharField()
    count = serializers.IntegerField()


class CallStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    byOutcome = OutcomeCountsSerializer(source="by_outcome")
    abandonedRate = serializers.FloatField(source="abandoned_rate")
    averageDurationSeconds = serializers.FloatField(source="average_duration_seconds")
    byHour = serializers.ListField(
        source="by_hour", child=serializers.IntegerField(), min_length=24, max_length=24
    )
    byDay = DayStatsSerializer(source="by_day", many=True)
    keyPresses = KeyPressSerializer(source="key_presses", many=True)
    startTime = UTCDateTimeField(source="start")
    endTime = UTCDateTimeField(source="end")
    timezoneId = serializers.CharField(source="timezone")
