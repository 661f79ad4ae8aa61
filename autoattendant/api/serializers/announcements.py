from __future__ import annotations

from rest_framework import serializers

from ...choices import AnnouncementType
from ..fields import RecordSerializer, record_item
from .names import FieldNames


class AnnouncementSerializer(RecordSerializer):
    """As the spec shows it: ``fileUri`` once a file is uploaded, the text-to-speech fields for a
    ``say`` announcement."""

    resource_path = "announcement"
    omitted_when_empty = ("fileUri", "body", "language", "voice")

    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    fileUri = serializers.CharField(source="file_uri", read_only=True, required=False)
    enterpriseSid = serializers.CharField(source="enterprise.sid", read_only=True)
    type = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True, required=False)
    language = serializers.CharField(read_only=True, required=False)
    voice = serializers.CharField(read_only=True, required=False)

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        if not instance.file:
            data.pop("fileUri")
        if instance.type != AnnouncementType.SAY:
            for key in ("body", "language", "voice"):
                data.pop(key)
        return data


#: What a list page reads of each announcement (``AnnouncementViewSet.list_fields``).
ANNOUNCEMENT_LIST_FIELDS = (
    "sid",
    "created_by__email",
    "name",
    "description",
    "file",
    "enterprise__sid",
    "type",
    "body",
    "language",
    "voice",
)


def announcement_items(rows: list[dict]) -> list[dict]:
    """A page of ``ANNOUNCEMENT_LIST_FIELDS`` rows as :class:`AnnouncementSerializer` answers
    them (``file`` is the stored name, as ``Announcement.file_uri`` reads it)."""
    items = []
    for row in rows:
        item = record_item(row, row["sid"], "announcement")
        item["name"] = row["name"]
        item["description"] = row["description"]
        if row["file"]:
            item["fileUri"] = (
                f"/autoattendant/internal/announcement/file/{row['file'].rsplit('/', 1)[-1]}"
            )
        item["enterpriseSid"] = row["enterprise__sid"]
        item["type"] = row["type"]
        if row["type"] == AnnouncementType.SAY:
            item["body"] = row["body"]
            item["language"] = row["language"]
            item["voice"] = row["voice"]
        items.append(item)
    return items


class AnnouncementWriteSerializer(serializers.Serializer):
    """The shape of a create or (partial) update body. ``type``, ``language`` and ``voice`` are
    checked by the service, which answers the spec's own codes (519-522) for them."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=2000
    )
    enterpriseSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    autoAttendantSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    type = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    body = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=4000, trim_whitespace=True
    )
    language = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    voice = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class AnnouncementUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A PCM WAV file (8 kHz mono 16-bit is best).")


# The body's names → the arguments of ``do_create_announcement`` / ``do_update_announcement``;
# in errors, the upload's size limit.
ANNOUNCEMENT_NAMES = FieldNames(
    {
        "name": "name",
        "description": "description",
        "type": "type",
        "body": "body",
        "language": "language",
        "voice": "voice",
        "autoAttendantSid": "system_sid",
    },
    inner={"maxBytes": "max_bytes"},
)
