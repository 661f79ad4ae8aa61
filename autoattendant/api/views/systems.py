from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.db.models.functions import Lower
from rest_framework.response import Response

from ...access import resolve_enterprise
from ...choices import SystemStatus
from ...errors import Errors
from ...models import AutoAttendantSystem, PhoneNumber, SystemHolidayCalendar
from ...services.systems import do_create_system, do_delete_system, do_update_system
from ..filtering import BaseFilterSet
from ..schema import FORCE, resource_schema
from ..serializers.systems import (
    SYSTEM_NAMES,
    AutoAttendantSystemSerializer,
    AutoAttendantSystemWriteSerializer,
    system_changes,
)
from ..viewsets import ResourceViewSet, body, validated
from .history import forced


class AutoAttendantSystemFilterSet(BaseFilterSet):
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    enterpriseSid = django_filters.CharFilter(field_name="enterprise__sid")
    status = django_filters.ChoiceFilter(field_name="status", choices=SystemStatus.choices)

    class Meta:
        model = AutoAttendantSystem
        fields: list[str] = []


SYSTEM_SORT = {"name": Lower("name"), "dateCreated": "date_created"}


def _live_numbers():
    return PhoneNumber.objects.live().order_by("number")


@resource_schema(
    tag="Auto attendant systems",
    output=AutoAttendantSystemSerializer,
    create_request=AutoAttendantSystemWriteSerializer,
    update_request=AutoAttendantSystemWriteSerializer,
    forbidden=("create", "update", "partial_update"),  # extensions: the enterprise admin's
    write_parameters={action: [FORCE] for action in ("update", "partial_update")},
)
class AutoAttendantSystemViewSet(ResourceViewSet):
    """AA systems of the caller's enterprise. Every enterprise role may manage them; only
    enterprise admins edit their extension directory."""

    queryset_base = AutoAttendantSystem.objects.select_related(
        "enterprise", "created_by", "default_menu", "override_menu", "override_set_by"
    ).prefetch_related(
        Prefetch("main_numbers", queryset=_live_numbers(), to_attr="live_main_numbers"),
        Prefetch("extensions", queryset=_live_numbers(), to_attr="live_extensions"),
        Prefetch(
            "holiday_links",
            queryset=SystemHolidayCalendar.objects.select_related("calendar", "menu"),
        ),
    )
    not_found = Errors.SYSTEM_NOT_FOUND
    output_serializer = AutoAttendantSystemSerializer
    filterset_class = AutoAttendantSystemFilterSet
    sort_fields = SYSTEM_SORT
    # Lists go through the serializer: a system carries nested holiday-calendar links, its
    # override and its actions, all prefetched for the page, and an enterprise has few systems.

    def accepted_query_parameters(self):
        if self.action in ("update", "partial_update"):
            return (FORCE.name,)
        return super().accepted_query_parameters()

    def create(self, request):
        data = validated(AutoAttendantSystemWriteSerializer, body(request))
        enterprise = resolve_enterprise(request.user, data.get("enterpriseSid"))
        with SYSTEM_NAMES.errors():
            system = do_create_system(
                request.user, enterprise=enterprise, changes=system_changes(data)
            )
        return Response(self.serialize(self.get_object(system.sid)))

    def update(self, request, sid: str):
        system = self.get_object(sid)
        data = validated(AutoAttendantSystemWriteSerializer, body(request), partial=True)
        if data.get("enterpriseSid") not in (None, ""):
            enterprise = resolve_enterprise(request.user, data["enterpriseSid"])
            if enterprise != system.enterprise:  # systems do not move between enterprises
                raise Errors.ENTERPRISE_NOT_FOUND({"sid": data["enterpriseSid"]})
        with SYSTEM_NAMES.errors(), forced(request):
            do_update_system(request.user, system, system_changes(data))
        return Response(self.serialize(self.get_object(sid)))

    partial_update = update

    def destroy(self, request, sid: str):
        system = self.get_object(sid)
        payload = self.serialize(system)  # as it was: its numbers are released with it
        do_delete_system(system)
        return Response(payload)
