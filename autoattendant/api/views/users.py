from __future__ import annotations

import django_filters
from django.db.models.functions import Lower
from rest_framework.response import Response

from ...access import resolve_enterprise
from ...choices import Role, UserStatus
from ...errors import Errors
from ...models import User
from ...services.users import (
    check_may_manage_users,
    do_create_user,
    do_delete_user,
    do_update_user,
)
from ..filtering import BaseFilterSet
from ..schema import resource_schema
from ..serializers.users import (
    USER_LIST_FIELDS,
    USER_NAMES,
    CreatedUserSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserUpdateSerializer,
    user_items,
)
from ..viewsets import ResourceViewSet, body, validated


class UserFilterSet(BaseFilterSet):
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    emailId = django_filters.CharFilter(field_name="email", lookup_expr="icontains")
    role = django_filters.ChoiceFilter(field_name="role", choices=Role.choices)
    status = django_filters.ChoiceFilter(field_name="status", choices=UserStatus.choices)
    enterpriseSid = django_filters.CharFilter(field_name="enterprise__sid")

    class Meta:
        model = User
        fields: list[str] = []


USER_SORT = {"name": Lower("name"), "email": Lower("email"), "dateCreated": "date_created"}


@resource_schema(
    tag="Users",
    output=UserSerializer,
    create_request=UserCreateSerializer,
    create_output=CreatedUserSerializer,
    update_request=UserUpdateSerializer,
    forbidden=("create", "update", "partial_update", "destroy"),
)
class UserViewSet(ResourceViewSet):
    """Enterprise users. BG_ADMIN manages its own enterprise's users; AA_ADMIN only reads."""

    # Who may manage users is the service's rule (``services.users``). Writes ask it before the
    # body is read or the user looked up, as they always have: a refused caller gets the bare
    # 403, never a 400 or a 487 first.

    # Operator staff are managed in the admin, not through the enterprise API.
    queryset_base = User.objects.filter(is_superuser=False).select_related(
        "enterprise", "created_by"
    )
    not_found = Errors.USER_NOT_FOUND
    output_serializer = UserSerializer
    filterset_class = UserFilterSet
    sort_fields = USER_SORT
    list_fields = USER_LIST_FIELDS

    def list_items(self, rows: list[dict]) -> list[dict]:
        return user_items(rows)

    def create(self, request):
        check_may_manage_users(request.user)
        data = validated(UserCreateSerializer, body(request))
        enterprise = resolve_enterprise(request.user, data.get("enterpriseSid"))
        fields = USER_NAMES.changes(data)
        fields["password"] = fields.get("password") or None
        fields["status"] = fields.get("status") or UserStatus.ACTIVE
        with USER_NAMES.errors():
            created = do_create_user(request.user, enterprise=enterprise, **fields)
        payload = CreatedUserSerializer(created.user).data
        payload["authToken"] = created.auth_token
        return Response(payload)

    def update(self, request, sid: str):
        check_may_manage_users(request.user)
        user = self.get_object(sid)
        data = validated(UserUpdateSerializer, body(request))
        changes = USER_NAMES.changes(data)
        if "enterpriseSid" in data:
            changes["enterprise"] = resolve_enterprise(request.user, data["enterpriseSid"])
        with USER_NAMES.errors():
            user = do_update_user(request.user, user, changes)
        return Response(self.serialize(user))

    partial_update = update

    def destroy(self, request, sid: str):
        check_may_manage_users(request.user)
        return Response(self.serialize(do_delete_user(request.user, self.get_object(sid))))
