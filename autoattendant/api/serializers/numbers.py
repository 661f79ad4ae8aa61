from __future__ import annotations

from rest_framework import serializers

from ..fields import RecordSerializer, record_item
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


#: What a list page reads of each number (``PhoneNumberViewSet.list_fields``).
NUMBER_LIST_FIELDS = (
    "sid",
    "created_by__email",
    "number",
    "is_extension",
    "extension",
    "extension_spoken_name",
    "enterprise__sid",
    "auto_attendant__sid",
)


def number_items(rows: list[dict]) -> list[dict]:
    """A page of ``NUMBER_LIST_FIELDS`` rows as :class:`PhoneNumberSerializer` answers them."""
    items = []
    for row in rows:
        item = record_item(row, row["sid"], "phonenumber")
        item["number"] = row["number"]
        item["isExtension"] = bool(row["is_extension"])
        if row["extension"]:
            item["extension"] = row["extension"]
        if row["extension_spoken_name"]:
            item["extensionSpokenName"] = row["extension_spoken_name"]
        item["enterpriseSid"] = row["enterprise__sid"]
        if row["auto_attendant__sid"]:
            item["autoAttendantSid"] = row["auto_attendant__sid"]
        items.append(item)
    return items


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
