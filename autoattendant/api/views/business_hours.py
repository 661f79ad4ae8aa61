"""Business-hours control (DESIGN §14): holiday calendars, a system's override and timeline."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.urls import re_path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ...access import resolve_enterprise
from ...errors import Errors
from ...models import HolidayCalendar, HolidayEntry
from ...services.business_hours import (
    do_clear_override,
    do_set_override,
    segment_payload,
    timeline,
)
from ...services.calendars import (
    calendar_dates,
    do_create_calendar,
    do_delete_calendar,
    do_update_calendar,
    get_calendar_for,
)
from ...services.menus import get_system_for
from ...timestamps import parse_instant
from ..filtering import BaseFilterSet
from ..query import QueryParameters
from ..schema import refusals, resource_schema
from ..serializers.business_hours import (
    CALENDAR_NAMES,
    OVERRIDE_NAMES,
    TIMELINE_SCHEMA,
    CalendarDatesSerializer,
    HolidayCalendarSerializer,
    HolidayCalendarWriteSerializer,
    OverrideWriteSerializer,
    calendar_changes,
    override_out,
)
from ..viewsets import ResourceViewSet, body, validated

__all__ = ["business_hours_routes"]


class CalendarFilterSet(BaseFilterSet):
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    enterpriseSid = django_filters.CharFilter(field_name="enterprise__sid")

    class Meta:
        model = HolidayCalendar
        fields: list[str] = []


@resource_schema(
    tag="Holiday calendars",
    output=HolidayCalendarSerializer,
    create_request=HolidayCalendarWriteSerializer,
    update_request=HolidayCalendarWriteSerializer,
)
class HolidayCalendarViewSet(ResourceViewSet):
    """The enterprise's holiday calendars; BG_ADMIN and AA_ADMIN alike. A page costs three
    queries (count, rows, their entries) whatever its size."""

    queryset_base = HolidayCalendar.objects.select_related(
        "enterprise", "created_by"
    ).prefetch_related(
        Prefetch("entries", queryset=HolidayEntry.objects.order_by("position", "id"))
    )
    not_found = Errors.CALENDAR_NOT_FOUND
    output_serializer = HolidayCalendarSerializer
    filterset_class = CalendarFilterSet
    sort_fields = {"name": Lower("name"), "dateCreated": "date_created"}

    def create(self, request):
        data = validated(HolidayCalendarWriteSerializer, body(request))
        enterprise = resolve_enterprise(request.user, data.get("enterpriseSid"))
        with CALENDAR_NAMES.errors():
            calendar = do_create_calendar(
                request.user, enterprise=enterprise, changes=calendar_changes(data)
            )
        return Response(self.serialize(self.get_object(calendar.sid)))

    def update(self, request, sid: str):
        calendar = self.get_object(sid)
        data = validated(HolidayCalendarWriteSerializer, body(request), partial=True)
        other = data.get("enterpriseSid")
        if (
            other not in (None, "")
            and resolve_enterprise(request.user, other) != calendar.enterprise
        ):
            raise Errors.ENTERPRISE_NOT_FOUND({"sid": data["enterpriseSid"]})
        with CALENDAR_NAMES.errors():
            do_update_calendar(request.user, calendar, calendar_changes(data))
        return Response(self.serialize(self.get_object(sid)))

    partial_update = update

    def destroy(self, request, sid: str):
        calendar = self.get_object(sid)
        payload = self.serialize(calendar)
        do_delete_calendar(calendar)
        return Response(payload)


YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="The year (default this year).")


class CalendarDatesView(QueryParameters, APIView):
    """The dates a calendar covers in a year, resolved (public holidays and entries)."""

    def accepted_query_parameters(self) -> list[str]:
        return ["year"]

    @extend_schema(
        tags=["Holiday calendars"],
        parameters=[YEAR],
        responses={200: CalendarDatesSerializer, **refusals(409)},
    )
    def get(self, request: Request, sid: str) -> Response:
        calendar = get_calendar_for(request.user, sid)
        raw = request.query_params.get("year")
        year = timezone.now().year
        if raw not in (None, ""):
            if not raw.isdigit() or not 1900 <= int(raw) <= 2999:
                raise Errors.VALIDATION({"year": "Expected a year from 1900 to 2999."})
            year = int(raw)
        dates = []
        for item in calendar_dates(calendar, year):
            entry = {"date": item.day.isoformat(), "name": item.name}
            if not item.whole_day:
                entry.update(startTime=item.start, endTime=item.end)
            dates.append(entry)
        return Response({"calendarSid": calendar.sid, "year": year, "dates": dates})


class OverrideView(QueryParameters, APIView):
    """``POST`` sets the system's override, ``DELETE`` clears it; BG_ADMIN and AA_ADMIN."""

    @extend_schema(
        tags=["Auto attendant systems"],
        request={"application/json": OverrideWriteSerializer},
        responses={200: OpenApiTypes.OBJECT, **refusals(409)},
        description="Sets the override: `menuSid` answers every call until `until`, until the "
        "schedule's next change (`untilNextChange`, resolved now), or until cleared.",
    )
    def post(self, request: Request, sid: str) -> Response:
        system = get_system_for(request.user, sid)
        data = validated(OverrideWriteSerializer, body(request))
        with OVERRIDE_NAMES.errors():
            system = do_set_override(
                request.user,
                system,
                menu=data["menuSid"],
                until=data.get("until"),
                until_next_change=data.get("untilNextChange", False),
                reason=data.get("reason", ""),
            )
        return Response({"autoAttendantSid": system.sid, "override": override_out(system)})

    @extend_schema(
        tags=["Auto attendant systems"],
        responses={200: OpenApiTypes.OBJECT, **refusals(409)},
        description="Clears the override; the schedule answers again.",
    )
    def delete(self, request: Request, sid: str) -> Response:
        system = do_clear_override(request.user, get_system_for(request.user, sid))
        return Response({"autoAttendantSid": system.sid, "override": None})


TIME_PARAMETERS = [
    OpenApiParameter("startTime", OpenApiTypes.STR, description="ISO-8601; default now."),
    OpenApiParameter(
        "endTime", OpenApiTypes.STR, description="ISO-8601; default 12 months after startTime."
    ),
]


class TimelineView(QueryParameters, APIView):
    """What callers hear from ``startTime`` to ``endTime`` (at most 400 days)."""

    def accepted_query_parameters(self) -> list[str]:
        return [p.name for p in TIME_PARAMETERS]

    @extend_schema(
        tags=["Auto attendant systems"],
        parameters=TIME_PARAMETERS,
        responses={200: TIMELINE_SCHEMA, **refusals(409)},
        description="Consecutive segments covering the span, each with the menu callers hear "
        "and why: OVERRIDE, SPECIAL_DAY, HOLIDAY, WEEKLY, DEFAULT or NONE (error 498). Times "
        "are local to the system with their UTC offset, DST-correct.",
    )
    def get(self, request: Request, sid: str) -> Response:
        system = get_system_for(request.user, sid)
        bounds = {}
        for name in ("startTime", "endTime"):
            raw = request.query_params.get(name)
            if raw:
                try:
                    bounds[name] = parse_instant(raw)
                except ValueError as exc:
                    raise Errors.VALIDATION({name: str(exc)}) from None
        line = timeline(system, bounds.get("startTime"), bounds.get("endTime"))
        return Response([segment_payload(line, segment) for segment in line.segments])


SID = r"(?P<sid>[^/]+)"


def business_hours_routes() -> list:
    from ..routes import resource_routes

    return [
        re_path(rf"^calendar/{SID}/dates/?$", CalendarDatesView.as_view(), name="calendar-dates"),
        *resource_routes("calendar", HolidayCalendarViewSet),
        re_path(rf"^system/{SID}/override/?$", OverrideView.as_view(), name="system-override"),
        re_path(rf"^system/{SID}/timeline/?$", TimelineView.as_view(), name="system-timeline"),
    ]
