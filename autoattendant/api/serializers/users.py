from __future__ import annotations

from rest_framework import serializers

from ...choices import Role, UserStatus
from ..fields import RecordSerializer, record_item
from .names import FieldNames


class UserSerializer(RecordSerializer):
    resource_path = "user"

    accountSid = serializers.CharField(source="account_sid", read_only=True)
    name = serializers.CharField(read_only=True)
    emailId = serializers.EmailField(source="email", read_only=True)
    role = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    enterpriseSid = serializers.CharField(source="enterprise.sid", read_only=True, allow_null=True)


#: What a list page reads of each user (``UserViewSet.list_fields``).
USER_LIST_FIELDS = (
    "sid",
    "created_by__email",
    "account_sid",
    "name",
    "email",
    "role",
    "status",
    "enterprise__sid",
)


def user_items(rows: list[dict]) -> list[dict]:
    """A page of ``USER_LIST_FIELDS`` rows as :class:`UserSerializer` answers them."""
    items = []
    for row in rows:
        item = record_item(row, row["sid"], "user")
        item["accountSid"] = row["account_sid"]
        item["name"] = row["name"]
        item["emailId"] = row["email"]
        item["role"] = row["role"]
        item["status"] = row["status"]
        item["enterpriseSid"] = row["enterprise__sid"]
        items.append(item)
    return items


class CreatedUserSerializer(UserSerializer):
    authToken = serializers.CharField(read_only=True, help_text="Shown in this response only.")


class UserCreateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    emailId = serializers.EmailField(max_length=254)
    password = serializers.CharField(required=False, allow_blank=True, write_only=True)
    role = serializers.ChoiceField(choices=Role.choices)
    status = serializers.ChoiceField(choices=UserStatus.choices, required=False)
    enterpriseSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class UserUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    emailId = serializers.EmailField(required=False, max_length=254)
    password = serializers.CharField(required=False, allow_blank=True, write_only=True)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    status = serializers.ChoiceField(choices=UserStatus.choices, required=False)
    enterpriseSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)


# The body's names → the arguments of ``do_create_user`` / ``do_update_user``; in errors, the
# password policy's messages.
USER_NAMES = FieldNames(
    {
        "name": "name",
        "emailId": "email",
        "password": "password",
        "role": "role",
        "status": "status",
    },
    inner={"passwordErrors": "password_errors"},
)
