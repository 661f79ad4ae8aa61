from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...choices import ActionType
from ...models import MenuKey
from ...services.menus import LIMITS, keypad_order
from ..fields import RecordSerializer
from .names import ACTION_NAMES, FieldNames, action_in, action_out


class MenuActionSerializer(serializers.Serializer):
    """``{actionType, actionData}``; actionData is a sid or a number, per the action type."""

    actionType = serializers.ChoiceField(choices=ActionType.choices)
    actionData = serializers.CharField(required=False)


class MenuKeySerializer(serializers.Serializer):
    menuKey = serializers.CharField(help_text="One of 0-9 and *.")
    menuAction = MenuActionSerializer()


@extend_schema_field(MenuActionSerializer)
class ActionField(serializers.JSONField):
    """Taken as sent; ``services.actions.parse_action`` checks its shape (one place for it),
    after :func:`menu_changes` renamed its fields."""


# --- output ----------------------------------------------------------------------------------

# Left out of a menu's data when unset, as in the spec's examples.
OPTIONAL_OUTPUT = (
    "colorCode",
    "timeoutSeconds",
    "timeoutMaxOccurance",
    "timeoutAction",
    "announcementSid",
    "ringbackToneSid",
)


#: The serializer context entry holding a page's keys (:func:`keys_by_menu`).
MENU_KEYS_CONTEXT = "menu_keys"


def keys_by_menu(menus: list) -> dict[int, list[tuple[str, str, str]]]:
    """The keys of a page of menus in one query, as ``(key, actionType, actionData)`` by menu
    id: a list page reads them without building a model instance per key."""
    keys: dict[int, list[tuple[str, str, str]]] = {}
    if not menus:
        return keys
    rows = MenuKey.objects.filter(menu__in=[menu.pk for menu in menus]).values_list(
        "menu_id", "key", "action_type", "action_data"
    )
    for menu_id, key, action_type, action_data in rows:
        keys.setdefault(menu_id, []).append((key, action_type, action_data))
    return keys


class MenuSerializer(RecordSerializer):
    """A menu as the spec shows it; reads keys from the prefetch cache (no query per menu)."""

    resource_path = "menu"
    omitted_when_empty = OPTIONAL_OUTPUT

    name = serializers.CharField(read_only=True)
    autoAttendantSid = serializers.CharField(source="auto_attendant.sid", read_only=True)
    enterpriseSid = serializers.CharField(source="enterprise.sid", read_only=True)
    colorCode = serializers.CharField(source="color_code", read_only=True, required=False)
    keys = serializers.SerializerMethodField()
    timeoutSeconds = serializers.IntegerField(
        source="timeout_seconds", read_only=True, required=False
    )
    timeoutMaxOccurance = serializers.IntegerField(
        source="timeout_max", read_only=True, required=False
    )
    timeoutAction = serializers.SerializerMethodField(method_name="get_timeout_action")
    announcementSid = serializers.CharField(
        source="announcement.sid", read_only=True, allow_null=True, required=False
    )
    ringbackToneSid = serializers.CharField(
        source="ringback_tone.sid", read_only=True, allow_null=True, required=False
    )

    @extend_schema_field(MenuKeySerializer(many=True))
    def get_keys(self, menu) -> list[dict]:
        page_keys = self.context.get(MENU_KEYS_CONTEXT)
        if page_keys is not None:
            keys = page_keys.get(menu.pk, [])
        else:
            keys = [(k.key, k.action_type, k.action_data) for k in menu.keys.all()]
        return [
            {"menuKey": key, "menuAction": action_out(action_type, action_data)}
            for key, action_type, action_data in sorted(keys, key=lambda k: keypad_order(k[0]))
        ]

    @extend_schema_field(MenuActionSerializer(required=False))
    def get_timeout_action(self, menu) -> dict:
        return action_out(menu.timeout_action_type, menu.timeout_action_data)

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        for name in self.omitted_when_empty:
            if data.get(name) in (None, "", {}):
                data.pop(name, None)
        return data


# --- input -----------------------------------------------------------------------------------


class MenuKeyInputSerializer(serializers.Serializer):
    menuKey = serializers.CharField(help_text="One of 0-9 and *; each key at most once.")
    menuAction = ActionField()


class MenuUpdateSerializer(serializers.Serializer):
    """Every field optional (PUT is partial); ``keys``, when given, replaces all keys."""

    name = serializers.CharField(required=False, max_length=200)
    autoAttendantSid = serializers.CharField(required=False)
    enterpriseSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    colorCode = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="#RGB or #RRGGBB"
    )
    announcementSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    ringbackToneSid = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    timeoutSeconds = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=LIMITS["timeout_seconds"][0],
        max_value=LIMITS["timeout_seconds"][1],
    )
    timeoutMaxOccurance = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=LIMITS["timeout_max"][0],
        max_value=LIMITS["timeout_max"][1],
    )
    timeoutAction = ActionField(required=False, allow_null=True)
    keys = serializers.ListField(child=MenuKeyInputSerializer(), required=False)


class MenuCreateSerializer(MenuUpdateSerializer):
    name = serializers.CharField(max_length=200)
    autoAttendantSid = serializers.CharField()


# The body's names → ``services.menus.MENU_FIELDS``; inside keys and actions, and in errors,
# the key's and action's fields.
MENU_NAMES = FieldNames(
    {
        "name": "name",
        "colorCode": "color_code",
        "announcementSid": "announcement",
        "ringbackToneSid": "ringback_tone",
        "timeoutSeconds": "timeout_seconds",
        "timeoutMaxOccurance": "timeout_max",
        "timeoutAction": "timeout_action",
        "keys": "keys",
    },
    inner={
        "menuKey": "key",
        "menuAction": "action",
        **ACTION_NAMES,
        "referencedBy": "referenced_by",
    },
)


def menu_changes(data: dict) -> dict:
    """The validated body's menu fields as ``do_create_menu`` / ``do_update_menu`` take them
    (only those sent)."""
    changes = MENU_NAMES.changes(data)
    if "timeout_action" in changes:
        changes["timeout_action"] = action_in(changes["timeout_action"])
    if "keys" in changes:
        changes["keys"] = [
            {"key": item["menuKey"], "action": action_in(item["menuAction"])}
            for item in changes["keys"]
        ]
    return changes
