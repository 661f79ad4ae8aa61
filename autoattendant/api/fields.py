"""Serializer fields that speak the API's formats."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..querying import UTCTimestampText
from ..timestamps import TIMESTAMP_FORMAT, TIMESTAMP_PATTERN, format_timestamp

#: Every timestamp of a response, in the OpenAPI schema: a pattern, not ``format: date-time``
#: (RFC 3339 wants ``+00:00``; the API writes ``+0000``, as the original product did).
TIMESTAMP_SCHEMA = {
    "type": "string",
    "pattern": TIMESTAMP_PATTERN,
    "example": "2019-07-23T10:01:07+0000",
    "description": "UTC, `YYYY-MM-DDTHH:MM:SS+0000`.",
}


@extend_schema_field(TIMESTAMP_SCHEMA)
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
    """The fields every stored record answers with.

    ``omitted_when_empty`` names the fields a subclass leaves out of its data when they are
    unset (as the spec's examples do): the OpenAPI schema marks them not required
    (``schema.ApiSchema``).
    """

    omitted_when_empty: tuple[str, ...] = ()

    sid = serializers.CharField(read_only=True)
    dateUpdated = UTCDateTimeField(source="date_updated")
    dateCreated = UTCDateTimeField(source="date_created")
    accountEmail = serializers.CharField(source="account_email", read_only=True, allow_null=True)
    uri = serializers.SerializerMethodField()

    resource_path: str = ""

    def get_uri(self, obj) -> str:
        return f"/autoattendant/{self.resource_path}/search/{obj.sid}"


#: A list page's two timestamps, formatted by the database (``values(**TIMESTAMPS_TEXT)``).
TIMESTAMPS_TEXT = {
    "updated_text": UTCTimestampText("date_updated"),
    "created_text": UTCTimestampText("date_created"),
}


def timestamp_text(value) -> str | None:
    """A ``TIMESTAMPS_TEXT`` value: the database's text, or (on a database that does not format
    it) the datetime, formatted here the same way."""
    return value if value is None or isinstance(value, str) else format_timestamp(value)


def record_item(row: dict, sid: str, resource_path: str) -> dict:
    """The fields every record answers with (:class:`RecordSerializer`'s, in its order), from a
    list page's plain values (``TIMESTAMPS_TEXT`` and ``created_by__email``)."""
    return {
        "sid": sid,
        "dateUpdated": timestamp_text(row["updated_text"]),
        "dateCreated": timestamp_text(row["created_text"]),
        "accountEmail": row["created_by__email"],
        "uri": f"/autoattendant/{resource_path}/search/{sid}",
    }
