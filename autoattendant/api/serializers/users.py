from __future__ import annotations

from rest_framework import serializers

from ...choices import Role, UserStatus
from ..fields import RecordSerializer
from .names import FieldNames


class UserSerializer(RecordSerializer):
    resource_path = "user"

    accountSid = serializers.CharField(source="account_sid", read_only=True)
    name = serializers.CharField(read_only=True)
    emailId = serializers.EmailField(source="email", read_only=True)
    role = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    enterpriseSid = serializers.CharField(source="enterprise.sid", read_only=True, allow_null=True)


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
