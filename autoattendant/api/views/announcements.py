from __future__ import annotations

import django_filters
from django.db.models.functions import Lower
from rest_framework.response import Response

from ...access import resolve_enterprise
from ...errors import Errors
from ...models import Announcement
from ...services.announcements import (
    do_create_announcement,
    do_delete_announcement,
    do_update_announcement,
)
from ..filtering import BaseFilterSet
from ..schema import resource_schema
from ..serializers.announcements import (
    ANNOUNCEMENT_LIST_FIELDS,
    ANNOUNCEMENT_NAMES,
    AnnouncementSerializer,
    AnnouncementWriteSerializer,
    announcement_items,
)
from ..viewsets import ResourceViewSet, body, validated


class AnnouncementFilterSet(BaseFilterSet):
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    enterpriseSid = django_filters.CharFilter(field_name="enterprise__sid")

    class Meta:
        model = Announcement
        fields: list[str] = []


ANNOUNCEMENT_SORT = {"name": Lower("name"), "dateCreated": "date_created"}


@resource_schema(
    tag="Announcements",
    output=AnnouncementSerializer,
    create_request=AnnouncementWriteSerializer,
    update_request=AnnouncementWriteSerializer,
)
class AnnouncementViewSet(ResourceViewSet):
    """Announcements of the caller's enterprise; every enterprise role may manage them."""

    queryset_base = Announcement.objects.select_related("enterprise", "created_by")
    not_found = Errors.ANNOUNCEMENT_NOT_FOUND
    output_serializer = AnnouncementSerializer
    filterset_class = AnnouncementFilterSet
    sort_fields = ANNOUNCEMENT_SORT
    list_fields = ANNOUNCEMENT_LIST_FIELDS

    def list_items(self, rows: list[dict]) -> list[dict]:
        return announcement_items(rows)

    def create(self, request):
        data = validated(AnnouncementWriteSerializer, body(request))
        enterprise = resolve_enterprise(request.user, data.get("enterpriseSid"))
        with ANNOUNCEMENT_NAMES.errors():
            announcement = do_create_announcement(
                request.user, enterprise=enterprise, **ANNOUNCEMENT_NAMES.changes(data)
            )
        return Response(self.serialize(announcement))

    def update(self, request, sid: str):
        announcement = self.get_object(sid)
        data = validated(AnnouncementWriteSerializer, body(request), partial=True)
        if data.get("enterpriseSid") not in (None, ""):
            enterprise = resolve_enterprise(request.user, data["enterpriseSid"])
            if enterprise != announcement.enterprise:  # announcements do not move
                raise Errors.ENTERPRISE_NOT_FOUND({"sid": data["enterpriseSid"]})
        changes = ANNOUNCEMENT_NAMES.changes(data)
        system_sid = changes.pop("system_sid", None)
        with ANNOUNCEMENT_NAMES.errors():
            announcement = do_update_announcement(announcement, changes, system_sid=system_sid)
        return Response(self.serialize(announcement))

    partial_update = update

    def destroy(self, request, sid: str):
        return Response(self.serialize(do_delete_announcement(self.get_object(sid))))
