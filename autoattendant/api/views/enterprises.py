from __future__ import annotations

import django_filters
from django.db.models.functions import Lower
from rest_framework.response import Response

from ...access import require_superuser
from ...choices import EnterpriseStatus
from ...errors import Errors
from ...models import Enterprise
from ...services.enterprises import (
    do_create_enterprise,
    do_delete_enterprise,
    do_update_enterprise,
)
from ..filtering import BaseFilterSet
from ..schema import resource_schema
from ..serializers.enterprises import (
    ENTERPRISE_LIST_FIELDS,
    EnterpriseSerializer,
    EnterpriseWriteSerializer,
    enterprise_items,
)
from ..viewsets import ResourceViewSet, body, validated


class EnterpriseFilterSet(BaseFilterSet):
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(field_name="status", choices=EnterpriseStatus.choices)

    class Meta:
        model = Enterprise
        fields: list[str] = []


ENTERPRISE_SORT = {"name": Lower("name"), "dateCreated": "date_created"}


@resource_schema(
    tag="Enterprises (operator)",
    output=EnterpriseSerializer,
    create_request=EnterpriseWriteSerializer,
    update_request=EnterpriseWriteSerializer,
    forbidden=("list", "retrieve", "create", "update", "partial_update", "destroy"),
    conflict_free=("create",),
)
class EnterpriseViewSet(ResourceViewSet):
    """The operator's customers; superusers only."""

    queryset_base = Enterprise.objects.all()
    not_found = Errors.ENTERPRISE_NOT_FOUND
    output_serializer = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    sort_fields = ENTERPRISE_SORT
    list_fields = ENTERPRISE_LIST_FIELDS

    def list_items(self, rows: list[dict]) -> list[dict]:
        return enterprise_items(rows)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_superuser(request.user)

    def get_queryset(self):
        return self.queryset_base.all()

    def get_object(self, sid=None):
        sid = sid if sid is not None else self.kwargs.get("sid")
        enterprise = Enterprise.objects.filter(sid=sid).first()
        if enterprise is None:
            raise Errors.ENTERPRISE_NOT_FOUND({"sid": sid})
        return enterprise

    def create(self, request):
        data = validated(EnterpriseWriteSerializer, body(request))
        return Response(self.serialize(do_create_enterprise(**data)))

    def update(self, request, sid: str):
        enterprise = self.get_object(sid)
        data = validated(EnterpriseWriteSerializer, body(request), partial=True)
        return Response(self.serialize(do_update_enterprise(enterprise, dict(data))))

    partial_update = update

    def destroy(self, request, sid: str):
        return Response(self.serialize(do_delete_enterprise(self.get_object(sid))))
