"""``GET /phonenumber/usage/records[/{subresource}]``: phone-number usage per enterprise.

Enterprise users see their own enterprise; superusers one record per enterprise and period
(optionally narrowed with ``enterpriseSid``). The periods and counts come from
``services.usage``; this module only reads parameters and shapes the page.
"""

from __future__ import annotations

from django.urls import re_path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...access import scope
from ...models import Enterprise
from ...services.usage import SUBRESOURCES, UsageTable, parse_usage_date, usage_series
from ..pagination import SequencePage
from ..query import QueryParameters
from ..schema import PAGING_PARAMETERS, ApiSchema
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
    "today": ("Today's usage record", "Today (UTC); dates sent are ignored."),
    "yesterday": ("Yesterday's usage record", "Yesterday (UTC); dates sent are ignored."),
    "thismonth": (
        "This month's usage record",
        "The 1st of this month to today; dates sent are ignored.",
    ),
    "lastmonth": ("Last month's usage record", "The whole previous month; dates sent are ignored."),
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
    OpenApiParameter(
        "enterpriseSid", str, description="Only this enterprise (for superusers: any of them)."
    ),
    *PAGING_PARAMETERS,
]


# A fixed period takes the dates as the others do, and ignores them (a client may send every
# subresource the same query).
IGNORED_DATE_PARAMETERS = [
    OpenApiParameter(p.name, str, description="Ignored: the period is fixed.", deprecated=True)
    for p in DATE_PARAMETERS
]


def usage_parameters(kind: str) -> list[OpenApiParameter]:
    """What ``kind`` takes: the dates (ignored where the period is fixed), the enterprise and
    paging — the schema documents these, the view refuses others."""
    dates = IGNORED_DATE_PARAMETERS if kind in UNDATED else DATE_PARAMETERS
    return [*dates, *COMMON_PARAMETERS]


class UsageSchema(ApiSchema):
    """One view class serves every subresource; each path gets its own summary."""

    def get_summary(self):
        return DOCS[self.view.kind][0]

    def get_description(self):
        return DOCS[self.view.kind][1] + RULE

    def get_override_parameters(self):
        return usage_parameters(self.view.kind)


def _date_param(request: Request, name: str, alias: str, today):
    for key in (name, alias):
        raw = request.query_params.get(key)
        if raw not in (None, ""):
            return parse_usage_date(key, raw, today)
    return None


@extend_schema(tags=["Usage records"], responses={200: UsageRecordPageSerializer})
class UsageRecordsView(QueryParameters, APIView):
    kind = "records"
    schema = UsageSchema()

    def accepted_query_parameters(self) -> list[str]:
        return [p.name for p in usage_parameters(self.kind)]

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
    """The base resource and each subresource, with or without a trailing slash.

    The spec heads the resource ``/phonenumbers/usage/records…`` and shows it as
    ``/phonenumber/usage/records…`` in its examples: both are served, the singular documented
    (the plural is left out of the schema)."""
    base = "phonenumber/usage/records"
    plural = "phonenumbers/usage/records"
    routes = []
    for kind in ("records", *SUBRESOURCES):
        tail = "" if kind == "records" else f"/{kind}"
        routes += [
            re_path(
                rf"^{base}{tail}/?$", UsageRecordsView.as_view(kind=kind), name=f"usage-{kind}"
            ),
            re_path(rf"^{plural}{tail}/?$", UsageRecordsView.as_view(kind=kind, schema=None)),
        ]
    return routes
