"""Call history (DESIGN §13): ``GET /call/search[/{sid}]``, ``GET /call/stats``,
``GET /call/export`` (CSV, streamed). An enterprise's admins see their enterprise's calls,
superusers every call; the reads and statistics live in ``services.calls``."""

from __future__ import annotations

import django_filters
from django.http import StreamingHttpResponse
from django.urls import re_path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...access import get_visible
from ...choices import CallOutcome
from ...errors import Errors
from ...models import AutoAttendantSystem, Call
from ...services.calls import call_stats, csv_lines, default_window, get_call, visible_calls
from ..filtering import BaseFilterSet, InstantField, InstantFilter, apply_filters, apply_sort
from ..query import QueryParameters, list_parameter_names
from ..schema import ApiSchema, list_query_parameters, refusals
from ..serializers.calls import CallDetailSerializer, CallSerializer, CallStatsSerializer
from ..viewsets import ResourceViewSet


class CallFilterSet(BaseFilterSet):
    startTime = InstantFilter(field_name="start_time", lookup_expr="gte")
    endTime = InstantFilter(field_name="start_time", lookup_expr="lte")
    autoAttendantSid = django_filters.CharFilter(field_name="system_sid")
    outcome = django_filters.ChoiceFilter(field_name="outcome", choices=CallOutcome.choices)

    class Meta:
        model = Call
        fields: list[str] = []


# ``from`` and ``to`` are Python keywords or close to it: added by name.
CallFilterSet.base_filters["from"] = django_filters.CharFilter(
    field_name="from_number", lookup_expr="icontains"
)
CallFilterSet.base_filters["to"] = django_filters.CharFilter(
    field_name="to_number", lookup_expr="icontains"
)

CALL_SORT = {
    "startTime": "start_time",
    "dateCreated": "start_time",
    "endTime": "end_time",
    "durationSeconds": "duration_seconds",
    "outcome": "outcome",
}

FILTER_DOCS = [
    OpenApiParameter(
        "startTime", str, description="Only calls that started at or after this instant."
    ),
    OpenApiParameter("endTime", str, description="Only calls that started at or before this."),
    OpenApiParameter("from", str, description="Part of the caller's number."),
    OpenApiParameter("to", str, description="Part of the dialled number."),
]


def _list_parameters(names=None) -> list[OpenApiParameter]:
    """The list's parameters (paging, SortBy, filters), the time filters described as what
    they are here: the call's start."""
    overrides = {p.name: p for p in FILTER_DOCS}
    parameters = list_query_parameters(CallFilterSet, CALL_SORT, overrides)
    parameters = [overrides.get(p.name, p) for p in parameters]
    return [p for p in parameters if names is None or p.name in names]


@extend_schema_view(
    list=extend_schema(
        tags=["Call history"],
        summary="List recorded calls",
        parameters=_list_parameters(),
        responses={200: CallSerializer(many=True)},
    ),
    retrieve=extend_schema(
        tags=["Call history"],
        summary="One call with its steps",
        responses={200: CallDetailSerializer, **refusals(409)},
    ),
)
class CallViewSet(ResourceViewSet):
    """Recorded calls, newest last by default (``SortBy=startTime:desc`` for the latest first)."""

    queryset_base = Call.objects.select_related("enterprise")
    not_found = Errors.CALL_NOT_FOUND
    output_serializer = CallSerializer
    filterset_class = CallFilterSet
    sort_fields = CALL_SORT

    def get_queryset(self):
        return visible_calls(self.request.user).select_related("enterprise")

    def filter_queryset(self, queryset):
        queryset = apply_filters(self.filterset_class, self.request, queryset)
        return apply_sort(self.request, queryset, self.sort_fields, default="startTime")

    def retrieve(self, request: Request, sid: str) -> Response:
        call = get_call(request.user, sid)
        return Response(CallDetailSerializer(call, context={"request": request}).data)


STATS_PARAMETERS = [
    OpenApiParameter("autoAttendantSid", str, description="Only this AA system's calls."),
    OpenApiParameter(
        "startTime",
        str,
        description="Calls that started at or after this instant (ISO-8601 date or date-time); "
        "default 30 days before endTime or now.",
    ),
    OpenApiParameter(
        "endTime", str, description="Calls that started at or before this instant; default now."
    ),
]


def _instant(request: Request, name: str):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return InstantField().clean(raw)
    except Exception as exc:  # a django ValidationError: its messages
        raise Errors.INVALID_FILTER(
            {name: " ".join(getattr(exc, "messages", [str(exc)]))}
        ) from None


def _system(request: Request) -> AutoAttendantSystem | None:
    sid = request.query_params.get("autoAttendantSid")
    if sid in (None, ""):
        return None
    return get_visible(
        AutoAttendantSystem.objects.all(), request.user, sid, Errors.SYSTEM_NOT_FOUND
    )


@extend_schema(
    tags=["Call history"],
    summary="Call statistics",
    description="Counts by outcome, abandonment (CALLER_HUNG_UP / total), average duration, "
    "calls by local hour (24 numbers, in the system's timezone) and by local day with their "
    "outcomes, and key presses per menu — of the calls that started in the window (default the "
    "last 30 days). Computed in the database.",
    parameters=STATS_PARAMETERS,
    responses={200: CallStatsSerializer, **refusals(409)},
)
class CallStatsView(QueryParameters, APIView):
    schema = ApiSchema()

    def accepted_query_parameters(self) -> list[str]:
        return [p.name for p in STATS_PARAMETERS]

    def get(self, request: Request) -> Response:
        start, end = _instant(request, "startTime"), _instant(request, "endTime")
        if end is None:
            end = default_window()[1] if start is None else max(start, default_window()[1])
        if start is None:
            start = default_window(end)[0]
        if start > end:
            raise Errors.INVALID_FILTER({"startTime": "startTime must not be after endTime."})
        system = _system(request)
        user = request.user
        stats = call_stats(None if user.is_superuser else user.enterprise_id, start, end, system)
        return Response(CallStatsSerializer(stats).data)


EXPORT_NAMES = tuple(
    name for name in list_parameter_names(CallFilterSet) if name not in ("page", "pageSize")
)


@extend_schema(
    tags=["Call history"],
    summary="Export calls as CSV",
    description="One CSV line per call (header first), with the list's filters and SortBy; "
    "streamed from a server-side cursor, so any number of calls exports in constant memory.",
    parameters=_list_parameters(EXPORT_NAMES),
    responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV")},
)
class CallExportView(QueryParameters, APIView):
    schema = ApiSchema()

    def accepted_query_parameters(self) -> tuple[str, ...]:
        return EXPORT_NAMES

    def get(self, request: Request) -> StreamingHttpResponse:
        calls = apply_filters(CallFilterSet, request, visible_calls(request.user))
        calls = apply_sort(request, calls, CALL_SORT, default="startTime")
        response = StreamingHttpResponse(csv_lines(calls), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="calls.csv"'
        return response


def call_routes() -> list:
    return [
        re_path(r"^call/stats/?$", CallStatsView.as_view(), name="call-stats"),
        re_path(r"^call/export/?$", CallExportView.as_view(), name="call-export"),
        re_path(r"^call/search/?$", CallViewSet.as_view({"get": "list"}), name="call-list"),
        re_path(
            r"^call/search/(?P<sid>[^/]+)/?$",
            CallViewSet.as_view({"get": "retrieve"}),
            name="call-detail",
        ),
    ]
