from __future__ import annotations

import django_filters
from django.db.models.functions import Lower
from rest_framework.response import Response

from ...access import resolve_enterprise, scope
from ...errors import Errors
from ...models import Menu
from ...services.menus import do_create_menu, do_delete_menu, do_update_menu, get_system_for
from ..filtering import BaseFilterSet
from ..schema import FORCE, resource_schema
from ..serializers.menus import (
    MENU_LIST_FIELDS,
    MENU_NAMES,
    MenuCreateSerializer,
    MenuSerializer,
    MenuUpdateSerializer,
    menu_changes,
    menu_items,
)
from ..viewsets import ResourceViewSet, body, validated
from .history import FORCED_ACTIONS, forced


class MenuFilterSet(BaseFilterSet):
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    enterpriseSid = django_filters.CharFilter(field_name="enterprise__sid")
    autoAttendantSid = django_filters.CharFilter(field_name="auto_attendant__sid")

    class Meta:
        model = Menu
        fields: list[str] = []


MENU_SORT = {"name": Lower("name"), "dateCreated": "date_created"}


@resource_schema(
    tag="Menus",
    output=MenuSerializer,
    create_request=MenuCreateSerializer,
    update_request=MenuUpdateSerializer,
    write_parameters={action: [FORCE] for action in FORCED_ACTIONS},
)
class MenuViewSet(ResourceViewSet):
    """Menus of the caller's AA systems; BG_ADMIN and AA_ADMIN alike."""

    # Constant query count per page: the joined rows as plain values and one query for every
    # key of the page (``menu_items``).
    queryset_base = Menu.objects.select_related(
        "enterprise", "auto_attendant", "announcement", "ringback_tone", "created_by"
    )
    not_found = Errors.MENU_NOT_FOUND
    output_serializer = MenuSerializer
    filterset_class = MenuFilterSet
    sort_fields = MENU_SORT
    list_fields = MENU_LIST_FIELDS

    def list_items(self, rows: list[dict]) -> list[dict]:
        return menu_items(rows)

    def accepted_query_parameters(self):
        if self.action in FORCED_ACTIONS:
            return (FORCE.name,)
        return super().accepted_query_parameters()

    def get_object(self, sid: str | None = None) -> Menu:
        """The visible menu, else 502 with the spec's error data (``sid`` and no ``keys``)."""
        sid = sid if sid is not None else self.kwargs.get("sid")
        menus = scope(self.queryset_base.prefetch_related("keys"), self.request.user)
        menu = menus.filter(sid=sid).first()
        if menu is None:
            raise Errors.MENU_NOT_FOUND({"sid": sid, "keys": []})
        return menu

    def create(self, request):
        data = validated(MenuCreateSerializer, body(request))
        enterprise = resolve_enterprise(
            request.user, data.get("enterpriseSid"), required_for_superuser=False
        )
        system = get_system_for(request.user, data["autoAttendantSid"], enterprise)
        with MENU_NAMES.errors(), forced(request):
            menu = do_create_menu(
                request.user, enterprise=system.enterprise, system=system, **menu_changes(data)
            )
        return Response(self.serialize(self.get_object(menu.sid)))

    def update(self, request, sid: str):
        menu = self.get_object(sid)
        data = validated(MenuUpdateSerializer, body(request))
        if data.get("enterpriseSid"):
            enterprise = resolve_enterprise(request.user, data["enterpriseSid"])
            if enterprise.pk != menu.enterprise_id:
                raise Errors.ENTERPRISE_NOT_FOUND({"sid": data["enterpriseSid"]})
        if "autoAttendantSid" in data:
            system = get_system_for(request.user, data["autoAttendantSid"], menu.enterprise)
            if system.pk != menu.auto_attendant_id:
                raise Errors.VALIDATION(
                    {"autoAttendantSid": "A menu stays in its AA system; create one there."}
                )
        with MENU_NAMES.errors(), forced(request):
            do_update_menu(request.user, menu, menu_changes(data))
        return Response(self.serialize(self.get_object(sid)))

    partial_update = update

    def destroy(self, request, sid: str):
        menu = self.get_object(sid)
        payload = self.serialize(menu)
        with MENU_NAMES.errors(), forced(request):
            do_delete_menu(request.user, menu)
        return Response(payload)
