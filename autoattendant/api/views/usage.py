"""``GET /phonenumber/usage/records[/{subresource}]``: phone-number usage per enterprise.

Enterprise users see their own enterprise; superusers one record per enterprise and period
(optionally narrowed with ``enterpriseSid``). The periods and counts come from
``services.usage``; this module only reads parameters and shapes the page.
"""

from __future__ import annotations

from django.urls import re_path
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...access import scope
from ...models import Enterprise
from ...services.usage import SUBRESOURCES, UsageTable, parse_usage_date, usage_series
from ..pagination import SequencePage
from ..serializers.usage import UsageRecordPageSerializer, UsageRecordSerializer

# Subresources whose period is fixed: they ignore dates.
UNDATED = ("today", "yesterday", "thismonth", "lastmonth")

DOCS = {
    "records": (
        "Usage records for a period",
        "One record per enterprise for `startDate`..`endDate` (default: the 1st of the current "
        "month to today).",
    ),
    "daily": ("Daily usage records", "One record per day; default the last 30 days to today."),
    "monthly": (
        "Monthly usage records",
        "One record per calendar month; default 12 months ending with the current one (which "
        "ends today). Months at either end of a given range are clipped to it.",
    ),
    "yearly": (
        "Yearly usage records",
        "One record per calendar year; default last year and this one (to today).",
    ),
    "today": ("Today's usage record", "Today (UTC). Takes no dates."),
    "yesterday": ("Yesterday's usage record", "Yesterday (UTC). Takes no dates."),
    "thismonth": ("This month's usage record", "The 1st of this month to today. No dates."),
    "lastmonth": ("Last month's usage record", "The whole previous month. Takes no dates."),
}

RULE = (
    "\n\nA number (main or extension) counts in a period if it existed at any moment of it. "
    "Dates are UTC, `YYYY-MM-DD` or an offset to today such as `-30days` / `+30days`; "
    "`startTime`/`endTime` are accepted for `startDate`/`endDate`. Closed months are served from "
    "the monthly roll-up, open periods computed live, with the same counts."
)

DATE_PARAMETERS = [
    OpenApiParameter("startDate", str, description="First day included (or -30days)."),
    OpenApiParameter("endDate", str, description="Last day included (or +30days)."),
    OpenApiParameter("startTime", str, description="Alias of startDate."),
    OpenApiParameter("endTime", str, description="Alias of endDate."),
]
COMMON_PARAMETERS = [
    OpenApiParameter("enterpriseSid", str, description="Only this enterprise (superusers)."),
    OpenApiParameter("page", int, description="Page to return, from 0."),
    OpenApiParameter("pageSize", int, description="Records per page (default 10, at most 1000)."),
]


class UsageSchema(AutoSchema):
    """One view class serves every subresource; each path gets its own summary."""

    def get_summary(self):
        return DOCS[self.view.kind][0]

    def get_description(self):
        return DOCS[self.view.kind][1] + RULE

    def get_override_parameters(self):
        dated = self.view.kind not in UNDATED
        return [*(DATE_PARAMETERS if dated else []), *COMMON_PARAMETERS]


def _date_param(request: Request, name: str, alias: str, today):
    for key in (name, alias):
        raw = request.query_params.get(key)
        if raw not in (None, ""):
            return parse_usage_date(key, raw, today)
    return None


@extend_schema(tags=["Usage records"], responses={200: UsageRecordPageSerializer})
class UsageRecordsView(APIView):
    kind = "records"
    schema = UsageSchema()

    def get(self, request: Request) -> Response:
        now = timezone.now()
        today = now.date()
        first = last = None
        if self.kind not in UNDATED:
            first = _date_param(request, "startDate", "startTime", today)
            last = _date_param(request, "endDate", "endTime", today)
        series = usage_series(self.kind, today, first, last)
        enterprises = scope(Enterprise.objects.all(), request.user, "pk")
        enterprise_sid = request.query_params.get("enterpriseSid")
        if enterprise_sid:
            enterprises = enterprises.filter(sid=enterprise_sid)
        page = SequencePage(
            request, UsageTable(enterprises, series, now=now), result_key="usageRecords"
        )
        records = UsageRecordSerializer(page.rows, many=True, context={"kind": self.kind}).data
        return page.response(records)


def usage_routes() -> list:
    """The base resource and each subresource, with or without a trailing slash."""
    base = "phonenumber/usage/records"
    return [
        re_path(rf"^{base}/?$", UsageRecordsView.as_view(kind="records"), name="usage-records"),
        *(
            re_path(
                rf"^{base}/{kind}/?$", UsageRecordsView.as_view(kind=kind), name=f"usage-{kind}"
            )
            for kind in SUBRESOURCES
        ),
    ]
