"""Mailboxes and voicemail messages as the API shows and takes them (DESIGN §15)."""

from __future__ import annotations

from rest_framework import serializers

from ...models.voicemail import MAX_LENGTH_RANGE
from ..fields import RecordSerializer, UTCDateTimeField
from .names import FieldNames


class MailboxSerializer(RecordSerializer):
    resource_path = "mailbox"
    omitted_when_empty = ("greetingAnnouncementSid",)

    name = serializers.CharField(read_only=True)
    enterpriseSid = serializers.CharField(source="enterprise.sid", read_only=True)
    greetingAnnouncementSid = serializers.SerializerMethodField()
    notifyEmails = serializers.ListField(
        source="notify_emails", child=serializers.CharField(), read_only=True
    )
    maxLengthSeconds = serializers.IntegerField(source="max_length_seconds", read_only=True)

    def get_greetingAnnouncementSid(self, mailbox) -> str | None:
        return mailbox.greeting.sid if mailbox.greeting_id else None

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        if data["greetingAnnouncementSid"] is None:
            data.pop("greetingAnnouncementSid")
        return data


class MailboxWriteSerializer(serializers.Serializer):
    """A create or (partial) update body; ``null`` greeting = the built-in phrase, ``null``
    length = 120 seconds."""

    name = serializers.CharField(max_length=200)
    enterpriseSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    greetingAnnouncementSid = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=40
    )
    notifyEmails = serializers.ListField(
        child=serializers.CharField(max_length=254), required=False, max_length=20
    )
    maxLengthSeconds = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=MAX_LENGTH_RANGE[0],
        max_value=MAX_LENGTH_RANGE[1],
    )


MAILBOX_NAMES = FieldNames(
    {
        "name": "name",
        "greetingAnnouncementSid": "greeting",
        "notifyEmails": "notify_emails",
        "maxLengthSeconds": "max_length_seconds",
    }
)


class VoicemailSerializer(serializers.Serializer):
    """A message. ``audioUri`` is where the copied recording is served (authenticated) — absent
    until it is copied; ``copyStatus`` says where the copy stands and ``copyError`` why it failed
    (``recordingUrl`` is then the platform's copy)."""

    sid = serializers.CharField(read_only=True)
    mailboxSid = serializers.CharField(source="mailbox.sid", read_only=True)
    enterpriseSid = serializers.CharField(source="enterprise.sid", read_only=True)
    callSid = serializers.CharField(source="call_sid", read_only=True)
    # ``from`` is a Python keyword: declared below.
    time = UTCDateTimeField()
    durationSeconds = serializers.IntegerField(source="duration_seconds", read_only=True)
    heard = serializers.BooleanField(read_only=True)
    copyStatus = serializers.CharField(source="copy_status", read_only=True)
    copyError = serializers.CharField(source="copy_error", read_only=True)
    recordingUrl = serializers.CharField(source="recording_url", read_only=True)
    audioUri = serializers.SerializerMethodField()
    dateCreated = UTCDateTimeField(source="date_created")
    dateUpdated = UTCDateTimeField(source="date_updated")
    uri = serializers.SerializerMethodField()

    def get_audioUri(self, voicemail) -> str | None:
        return f"/autoattendant/voicemail/{voicemail.sid}/audio" if voicemail.audio else None

    def get_uri(self, voicemail) -> str:
        return f"/autoattendant/voicemail/search/{voicemail.sid}"


VoicemailSerializer._declared_fields["from"] = serializers.CharField(
    source="caller", read_only=True
)


class VoicemailUpdateSerializer(serializers.Serializer):
    heard = serializers.BooleanField()
