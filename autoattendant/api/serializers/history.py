"""The audit trail, flow versions and flow tests as the API shows them (DESIGN §16)."""

from __future__ import annotations

from rest_framework import serializers

from ...timestamps import format_timestamp
from ..fields import UTCDateTimeField

__all__ = [
    "AuditEntrySerializer",
    "FlowTestRunSerializer",
    "FlowTestSerializer",
    "FlowTestWriteSerializer",
    "FlowVersionDiffSerializer",
    "FlowVersionSerializer",
]

ACTIONS = {0: "create", 1: "update", 2: "delete", 3: "access"}


class AuditEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    time = serializers.SerializerMethodField()
    action = serializers.SerializerMethodField(help_text="create, update or delete.")
    model = serializers.SerializerMethodField(help_text="What kind of record: Menu, MenuKey …")
    objectSid = serializers.CharField(source="object_sid", help_text="Empty for rows without one.")
    parentSid = serializers.CharField(
        source="parent_sid", help_text="A key's menu, a schedule row's or a test's AA system."
    )
    objectRepr = serializers.CharField(source="object_repr")
    enterpriseSid = serializers.SerializerMethodField()
    userSid = serializers.SerializerMethodField(help_text="The user who did it, if a user did.")
    actorEmail = serializers.CharField(source="actor_email", allow_null=True)
    command = serializers.CharField(
        source="actor_command", help_text="The command that did it, if a command did."
    )
    actor = serializers.CharField(source="actor_label", help_text="Who did it, in words.")
    changes = serializers.JSONField(
        help_text="Each changed field: `[before, after]` (`null` for none)."
    )

    def get_time(self, entry) -> str:
        return format_timestamp(entry.timestamp)

    def get_action(self, entry) -> str:
        return ACTIONS.get(entry.action, str(entry.action))

    def get_model(self, entry) -> str:
        model = entry.content_type.model_class()
        return model.__name__ if model else entry.content_type.model

    def get_enterpriseSid(self, entry) -> str | None:
        enterprise = getattr(entry, "enterprise", None)
        return enterprise.sid if enterprise is not None and enterprise.pk else None

    def get_userSid(self, entry) -> str | None:
        return entry.actor.sid if entry.actor_id and entry.actor else None


class FlowVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    autoAttendantSid = serializers.CharField(source="system.sid")
    dateCreated = UTCDateTimeField(source="date_created")
    createdBy = serializers.CharField(source="author", help_text="Who made it, in words.")
    userSid = serializers.SerializerMethodField()
    restoredFrom = serializers.IntegerField(source="restored_from", allow_null=True)
    changes = serializers.SerializerMethodField(
        help_text="What changed from the version before, in words."
    )

    def get_userSid(self, version) -> str | None:
        return version.created_by.sid if version.created_by_id else None

    def get_changes(self, version) -> list[str]:
        return list(self.context.get("changes", {}).get(version.number, []))


class FlowVersionDetailSerializer(FlowVersionSerializer):
    document = serializers.JSONField(help_text="The whole flow of this version.")


class FlowVersionDiffSerializer(serializers.Serializer):
    autoAttendantSid = serializers.CharField()
    fromVersion = serializers.IntegerField()
    toVersion = serializers.IntegerField()
    changes = serializers.ListField(child=serializers.CharField())


class FlowTestExpectSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["hangup", "connected", "waiting"])
    transferredTo = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    menuSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    heard = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class FlowTestWriteSerializer(serializers.Serializer):
    """Create (``name``, ``at``, ``expect`` required) or partial update."""

    name = serializers.CharField(required=False, help_text="Required when creating.")
    at = serializers.CharField(
        required=False, help_text="The system's local date and time, `YYYY-MM-DDTHH:MM`."
    )
    inputs = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text='The caller\'s inputs in the simulator\'s notation: keys ("1", "101#"), '
        '"-" for silence, "say:Bob", "dial:busy".',
    )
    expect = FlowTestExpectSerializer(required=False)


class FlowTestSerializer(serializers.Serializer):
    sid = serializers.CharField()
    autoAttendantSid = serializers.CharField(source="system.sid")
    name = serializers.CharField()
    at = serializers.CharField()
    inputs = serializers.ListField(child=serializers.CharField(allow_blank=True))
    expect = serializers.JSONField()
    passing = serializers.BooleanField(allow_null=True, help_text="The last run's verdict.")
    lastRun = UTCDateTimeField(source="last_run", allow_null=True)
    lastResult = serializers.JSONField(source="last_result", allow_null=True)
    dateCreated = UTCDateTimeField(source="date_created")


class FlowTestRunSerializer(serializers.Serializer):
    autoAttendantSid = serializers.CharField()
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = serializers.JSONField(help_text="Each test's verdict, failures and transcript.")
