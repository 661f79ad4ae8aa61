from __future__ import annotations

from rest_framework import serializers

from ...choices import EnterpriseStatus
from ..fields import UTCDateTimeField, timestamp_text


class EnterpriseSerializer(serializers.Serializer):
    sid = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    dateCreated = UTCDateTimeField(source="date_created")
    dateUpdated = UTCDateTimeField(source="date_updated")
    uri = serializers.SerializerMethodField()

    def get_uri(self, obj) -> str:
        return f"/autoattendant/enterprise/search/{obj.sid}"


#: What a list page reads of each enterprise (``EnterpriseViewSet.list_fields``).
ENTERPRISE_LIST_FIELDS = ("sid", "name", "status")


def enterprise_items(rows: list[dict]) -> list[dict]:
    """A page of ``ENTERPRISE_LIST_FIELDS`` rows as :class:`EnterpriseSerializer` answers them."""
    return [
        {
            "sid": row["sid"],
            "name": row["name"],
            "status": row["status"],
            "dateCreated": timestamp_text(row["created_text"]),
            "dateUpdated": timestamp_text(row["updated_text"]),
            "uri": f"/autoattendant/enterprise/search/{row['sid']}",
        }
        for row in rows
    ]


class EnterpriseWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    status = serializers.ChoiceField(choices=EnterpriseStatus.choices, required=False)
