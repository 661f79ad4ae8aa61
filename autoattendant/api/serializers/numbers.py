from __future__ import annotations

from rest_framework import serializers

from ..fields import RecordSerializer
from .names import FieldNames


class PhoneNumberSerializer(RecordSerializer):
    """As the spec shows it; ``extension``, ``extensionSpokenName`` and ``autoAttendantSid``
    only when set."""

    resource_path = "phonenumber"
    omitted_when_empty = ("extension", "extensionSpokenName", "autoAttendantSid")

    number = serializers.CharField(read_only=True)
    isExtension = serializers.BooleanField(source="is_extension", read_only=True)
    extension = serializers.CharField(read_only=True, required=False)
    extensionSpokenName = serializers.CharField(
        source="extension_spoken_name", read_only=True, required=False
    )
    enterpriseSid = serializers.CharField(source="enterprise.sid", read_only=True)
    autoAttendantSid = serializers.SerializerMethodField(required=False)

    def get_autoAttendantSid(self, obj) -> str | None:
        return obj.auto_attendant.sid if obj.auto_attendant_id else None

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        for key in self.omitted_when_empty:
            if not data.get(key):
                data.pop(key, None)
        return data


class PhoneNumberCreateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    enterpriseSid = serializers.CharField()
    isExtension = serializers.BooleanField(required=False, default=False)
    extension = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=40
    )
    extensionSpokenName = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=200
    )
    autoAttendantSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class PhoneNumberUpdateSerializer(serializers.Serializer):
    """``autoAttendantSid: null`` (or ``""``) unassigns the number from its AA system."""

    isExtension = serializers.BooleanField(required=False)
    extension = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=40
    )
    extensionSpokenName = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=200
    )
    autoAttendantSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    enterpriseSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)


# The body's names → the arguments of ``do_create_number`` / ``do_update_number``.
NUMBER_NAMES = FieldNames(
    {
        "number": "number",
        "isExtension": "is_extension",
        "extension": "extension",
        "extensionSpokenName": "extension_spoken_name",
        "autoAttendantSid": "auto_attendant",
    }
)
