from __future__ import annotations

from urllib.parse import urlencode

from rest_framework import serializers

from ..fields import UTCDateTimeField

USAGE_PATH = "/autoattendant/phonenumber/usage/records"
CATEGORY = "phonenumbers"
DESCRIPTION = "Total Numbers created"
UNIT = "numbers"
# Subresources that take dates: a record's uri names its own period there. The others
# (today, yesterday, thismonth, lastmonth) take none, so their records point at the base list.
DATED_SUBRESOURCES = ("daily", "monthly", "yearly")


class UsageRecordSerializer(serializers.Serializer):
    """One enterprise's phone numbers (main and extensions) in one period; `count` and `usage`
    are strings, as in the spec's examples."""

    # Context: ``kind``, the resource asked for (``records`` or a subresource), for ``uri``.

    category = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    enterpriseSid = serializers.CharField(source="enterprise_sid", read_only=True)
    startDate = serializers.DateField(source="period.first", read_only=True)
    endDate = serializers.DateField(source="period.last", read_only=True)
    asOf = UTCDateTimeField(source="as_of")
    count = serializers.SerializerMethodField()
    countUnit = serializers.SerializerMethodField()
    usage = serializers.SerializerMethodField()
    usageUnit = serializers.SerializerMethodField()
    uri = serializers.SerializerMethodField()

    def get_category(self, record) -> str:
        return CATEGORY

    def get_description(self, record) -> str:
        return DESCRIPTION

    def get_count(self, record) -> str:
        return str(record.count)

    def get_countUnit(self, record) -> str:
        return UNIT

    def get_usage(self, record) -> str:
        return str(record.count)

    def get_usageUnit(self, record) -> str:
        return UNIT

    def get_uri(self, record) -> str:
        kind = self.context.get("kind", "records")
        path = f"{USAGE_PATH}/{kind}" if kind in DATED_SUBRESOURCES else USAGE_PATH
        query = urlencode(
            {
                "startDate": record.period.first.isoformat(),
                "endDate": record.period.last.isoformat(),
            }
        )
        return f"{path}?{query}"


class UsageRecordPageSerializer(serializers.Serializer):
    """The records of one page beside the usual paging fields."""

    # Documents the shape for OpenAPI; the view builds it with ``SequencePage``.

    usageRecords = UsageRecordSerializer(many=True)
    pageSize = serializers.IntegerField()
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    numPages = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    uri = serializers.CharField()
    firstPageUri = serializers.CharField()
    previousPageUri = serializers.CharField(allow_null=True)
    nextPageUri = serializers.CharField(allow_null=True)
