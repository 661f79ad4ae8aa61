from __future__ import annotations

from rest_framework import serializers

from ...choices import EnterpriseStatus
from ..fields import UTCDateTimeField


class EnterpriseSerializer(serializers.Serializer):
    sid = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    dateCreated = UTCDateTimeField(source="date_created")
    dateUpdated = UTCDateTimeField(source="date_updated")
    uri = serializers.SerializerMethodField()

    def get_uri(self, obj) -> str:
        return f"/autoattendant/enterprise/search/{obj.sid}"


class EnterpriseWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    status = serializers.ChoiceField(choices=EnterpriseStatus.choices, required=False)
