from __future__ import annotations

from django.urls import re_path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from ...errors import Errors
from ...models import AutoAttendantSystem
from ...services.menus import get_system_for
from ...services.schedules import do_replace_schedule, read_schedule
from ..query import QueryParameters
from ..schema import FORCE, refusals
from ..serializers.schedules import (
    SCHEDULE_NAMES,
    FullScheduleSerializer,
    ScheduleBlockSerializer,
    ScheduleSerializer,
    ScheduleWriteSerializer,
    block_inputs,
)
from ..viewsets import body, validated
from .history import forced

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "autoAttendantSid", str, required=True, description="The AA system whose schedule to read."
    )
]


def _blocks(system: AutoAttendantSystem, schedule_type: str | None = None) -> list[dict]:
    return ScheduleBlockSerializer(read_schedule(system, schedule_type), many=True).data


class ScheduleViewSet(QueryParameters, viewsets.ViewSet):
    """An AA system's schedule; BG_ADMIN and AA_ADMIN alike (and the operator)."""

    def accepted_query_parameters(self) -> list[str]:
        if self.action == "search":
            return [p.name for p in SEARCH_PARAMETERS]
        return [FORCE.name] if self.action == "create" else []

    @extend_schema(
        tags=["Schedules"],
        request={"application/json": ScheduleWriteSerializer},
        parameters=[FORCE],
        responses={200: ScheduleSerializer, **refusals(409)},
        description="Replaces every block of `scheduleType` of the AA system, atomically; "
        "the other type is kept.",
    )
    def create(self, request: Request) -> Response:
        data = validated(ScheduleWriteSerializer, body(request))
        system = get_system_for(request.user, data["autoAttendantSid"])
        schedule_type = data["scheduleType"]
        with SCHEDULE_NAMES.errors(), forced(request):
            do_replace_schedule(request.user, system, schedule_type, block_inputs(data))
        return Response(
            {
                "autoAttendantSid": system.sid,
                "scheduleType": schedule_type,
                "schedule": _blocks(system, schedule_type),
            }
        )

    @extend_schema(
        tags=["Schedules"],
        parameters=SEARCH_PARAMETERS,
        responses={200: FullScheduleSerializer, **refusals(409)},
    )
    def search(self, request: Request) -> Response:
        sid = request.query_params.get("autoAttendantSid")
        if not sid:
            raise Errors.VALIDATION({"autoAttendantSid": "This query parameter is required."})
        system = get_system_for(request.user, sid)
        return Response({"autoAttendantSid": system.sid, "schedule": _blocks(system)})


def schedule_routes() -> list:
    """``POST /schedule`` and ``GET /schedule/search`` (no per-sid routes: a system has one
    schedule), each with or without a trailing slash; other methods answer 405."""
    return [
        re_path(
            r"^schedule/?$", ScheduleViewSet.as_view({"post": "create"}), name="schedule-create"
        ),
        re_path(
            r"^schedule/search/?$",
            ScheduleViewSet.as_view({"get": "search"}),
            name="schedule-search",
        ),
    ]
