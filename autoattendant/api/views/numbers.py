from __future__ import annotations

import re

import django_filters
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from ...access import resolve_enterprise
from ...errors import Errors
from ...models import PhoneNumber
from ...services.numbers import (
    check_may_provision,
    do_create_number,
    do_delete_number,
    do_update_number,
)
from ..filtering import BaseFilterSet
from ..schema import resource_schema
from ..serializers.numbers import (
    NUMBER_LIST_FIELDS,
    NUMBER_NAMES,
    PhoneNumberCreateSerializer,
    PhoneNumberSerializer,
    PhoneNumberUpdateSerializer,
    number_items,
)
from ..viewsets import ResourceViewSet, body, validated


def _filter_digits(queryset, name, value):
    digits = re.sub(r"\D", "", value)
    if not digits:
        raise Errors.INVALID_FILTER({"number": "Expected digits."})
    return queryset.filter(number__contains=digits)


class PhoneNumberFilterSet(BaseFilterSet):
    enterpriseSid = django_filters.CharFilter(field_name="enterprise__sid")
    autoAttendantSid = django_filters.CharFilter(field_name="auto_attendant__sid")
    number = django_filters.CharFilter(method=_filter_digits)
    isExtension = django_filters.TypedChoiceFilter(
        field_name="is_extension",
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
    )

    class Meta:
        model = PhoneNumber
        fields: list[str] = []


PHONE_NUMBER_SORT = {"phoneNumber": "number", "dateCreated": "date_created"}


@resource_schema(
    tag="Phone numbers",
    output=PhoneNumberSerializer,
    create_request=PhoneNumberCreateSerializer,
    update_request=PhoneNumberUpdateSerializer,
    # Provisioning and releasing are the operator's; extension fields the enterprise admin's.
    forbidden=("create", "update", "partial_update", "destroy"),
    list_parameters=[
        OpenApiParameter("autoAttendantSid", str, description="Main numbers of this system."),
        OpenApiParameter("number", str, description="Digits contained in the number."),
    ],
)
class PhoneNumberViewSet(ResourceViewSet):
    """Live numbers (released ones are kept for usage billing but never shown). The operator
    provisions and releases them; the enterprise assigns them."""

    # Who may do what is the service's rule (``services.numbers``). Provisioning and releasing
    # ask it before the body is read or the number looked up, as they always have: a refused
    # caller gets the bare 403, never a 400 or a 491 first.

    queryset_base = PhoneNumber.objects.live().select_related(
        "enterprise", "created_by", "auto_attendant"
    )
    not_found = Errors.NUMBER_NOT_FOUND
    output_serializer = PhoneNumberSerializer
    filterset_class = PhoneNumberFilterSet
    sort_fields = PHONE_NUMBER_SORT
    list_fields = NUMBER_LIST_FIELDS

    def list_items(self, rows: list[dict]) -> list[dict]:
        return number_items(rows)

    def create(self, request):
        check_may_provision(request.user)
        data = validated(PhoneNumberCreateSerializer, body(request))
        enterprise = resolve_enterprise(request.user, data["enterpriseSid"])
        with NUMBER_NAMES.errors():
            phone = do_create_number(
                request.user, enterprise=enterprise, **NUMBER_NAMES.changes(data)
            )
        return Response(self.serialize(phone))

    def update(self, request, sid: str):
        phone = self.get_object(sid)
        data = validated(PhoneNumberUpdateSerializer, body(request), partial=True)
        if data.get("enterpriseSid") not in (None, ""):
            enterprise = resolve_enterprise(request.user, data["enterpriseSid"])
            if enterprise != phone.enterprise:  # numbers move between enterprises by release
                raise Errors.ENTERPRISE_NOT_FOUND({"sid": data["enterpriseSid"]})
        with NUMBER_NAMES.errors():
            phone = do_update_number(request.user, phone, **NUMBER_NAMES.changes(data))
        return Response(self.serialize(phone))

    partial_update = update

    def destroy(self, request, sid: str):
        check_may_provision(request.user)
        return Response(self.serialize(do_delete_number(request.user, self.get_object(sid))))
