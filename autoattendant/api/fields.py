"""Serializer fields that speak the API's formats."""

from __future__ import annotations

from rest_framework import serializers

from ..timestamps import TIMESTAMP_FORMAT, format_timestamp


class UTCDateTimeField(serializers.DateTimeField):
    """``YYYY-MM-DDTHH:MM:SS+0000``, always UTC."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("format", TIMESTAMP_FORMAT)
        kwargs.setdefault("default_timezone", None)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return format_timestamp(value)


class RecordSerializer(serializers.Serializer):
    """The fields every stored record answers with."""

    sid = serializers.CharField(read_only=True)
    dateUpdated = UTCDateTimeField(source="date_updated")
    dateCreated = UTCDateTimeField(source="date_created")
    accountEmail = serializers.CharField(source="account_email", read_only=True, allow_null=True)
    uri = serializers.SerializerMethodField()

    resource_path: str = ""

    def get_uri(self, obj) -> str:
        return f"/autoattendant/{self.resource_path}/search/{obj.sid}"
