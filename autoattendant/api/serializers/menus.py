from __future__ import annotations

import operator

from django.db import connection
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...choices import ActionType
from ...models import MenuKey
from ...querying import any_of
from ...services.menus import LIMITS, keypad_order
from ..fields import RecordSerializer, record_item
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


def keys_by_menu(menu_ids: list[int]) -> dict[int, list[tuple[str, str, str]]]:
    """The keys of a page of menus in one query, as ``(key, actionType, actionData)`` by menu
    id: a list page reads them without building a model instance per key. Unordered in SQL
    (the model's ordering would join every menu to sort): each menu's keys are put in keypad
    order here."""
    keys: dict[int, list[tuple[str, str, str]]] = {}
    if not menu_ids:
        return keys
    rows = (
        MenuKey.objects.filter(any_of("menu_id", menu_ids))
        .order_by()
        .values_list("menu_id", "key", "action_type", "action_data")
    )
    for menu_id, key, action_type, action_data in rows:
        keys.setdefault(menu_id, []).append((key, action_type, action_data))
    for menu_keys in keys.values():
        menu_keys.sort(key=lambda k: keypad_order(k[0]))
    return keys


def keys_out(keys: list[tuple[str, str, str]]) -> list[dict]:
    """A menu's keys, in keypad order, as the API shows them."""
    return [
        {"menuKey": key, "menuAction": action_out(action_type, action_data)}
        for key, action_type, action_data in keys
    ]


# One row per menu, its keys joined by RS (0x1E), a key's fields by US (0x1F): a page of 1,000
# menus with 11 keys each decodes 1,000 rows instead of 11,000. A key is one of 0-9 and *, an
# action type a name and action data a sid or a dialable number (the services refuse anything
# else), so neither separator can occur in them; a row that does not split as expected makes
# the page read its keys row by row instead (``keys_by_menu``).
_KEYS_SQL = {
    "postgresql": "STRING_AGG({key} || chr(31) || {type} || chr(31) || {data}, chr(30))",
    "sqlite": "GROUP_CONCAT({key} || char(31) || {type} || char(31) || {data}, char(30))",
}


def page_keys_out(menu_ids: list[int]) -> dict[int, list[dict]]:
    """Every key of a page of menus, as the API shows them, by menu id: one query, one row per
    menu; a key shown the same way on several menus of the page is one shared dict."""
    if not menu_ids:
        return {}
    template = _KEYS_SQL.get(connection.vendor)
    if template is None:
        return _keys_row_by_row(menu_ids)
    meta, quote = MenuKey._meta, connection.ops.quote_name
    key_col, type_col, data_col, menu_col = (
        quote(meta.get_field(name).column) for name in ("key", "action_type", "action_data", "menu")
    )
    ids = [int(menu_id) for menu_id in menu_ids]
    if connection.vendor == "postgresql":
        where, params = f"{menu_col} = ANY(%s)", [ids]
    else:
        where, params = f"{menu_col} IN ({', '.join(['%s'] * len(ids))})", ids
    # Identifiers from the model's metadata and placeholders only; the ids are parameters. The
    # three columns are NOT NULL, so no key drops out of the concatenation.
    joined = template.format(key=key_col, type=type_col, data=data_col)
    sql = (
        f"SELECT {menu_col}, {joined} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {where} GROUP BY {menu_col}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Each distinct key text once: its place on the keypad and its dict, shared by the page.
    shown: dict[str, tuple[int, dict]] = {}
    out: dict[int, list[dict]] = {}
    for menu_id, joined_keys in rows:
        entries = []
        for part in joined_keys.split("\x1e"):
            entry = shown.get(part)
            if entry is None:
                fields = part.split("\x1f")
                if len(fields) != 3:
                    return _keys_row_by_row(menu_ids)
                key, action_type, action_data = fields
                item = {"menuKey": key, "menuAction": action_out(action_type, action_data)}
                entry = shown[part] = (keypad_order(key), item)
            entries.append(entry)
        entries.sort(key=_PLACE)  # a menu's keys are unique: places never tie
        out[menu_id] = [item for _, item in entries]
    return out


_PLACE = operator.itemgetter(0)


def _keys_row_by_row(menu_ids: list[int]) -> dict[int, list[dict]]:
    return {menu_id: keys_out(keys) for menu_id, keys in keys_by_menu(menu_ids).items()}


#: What a list page reads of each menu (``MenuViewSet.list_fields``).
MENU_LIST_FIELDS = (
    "id",
    "sid",
    "created_by__email",
    "name",
    "auto_attendant__sid",
    "enterprise__sid",
    "color_code",
    "timeout_seconds",
    "timeout_max",
    "timeout_action_type",
    "timeout_action_data",
    "announcement__sid",
    "ringback_tone__sid",
)


def menu_items(rows: list[dict]) -> list[dict]:
    """A page of ``MENU_LIST_FIELDS`` rows as :class:`MenuSerializer` answers them (same keys,
    same order, the same fields left out when unset), with every key of the page in one
    query."""
    page_keys = page_keys_out([row["id"] for row in rows])
    items = []
    for row in rows:
        sid = row["sid"]
        item = record_item(row, sid, "menu")
        item["name"] = row["name"]
        item["autoAttendantSid"] = row["auto_attendant__sid"]
        item["enterpriseSid"] = row["enterprise__sid"]
        if row["color_code"]:
            item["colorCode"] = row["color_code"]
        item["keys"] = page_keys.get(row["id"], [])
        if row["timeout_seconds"] is not None:
            item["timeoutSeconds"] = int(row["timeout_seconds"])
        if row["timeout_max"] is not None:
            item["timeoutMaxOccurance"] = int(row["timeout_max"])
        if row["timeout_action_type"]:
            item["timeoutAction"] = action_out(
                row["timeout_action_type"], row["timeout_action_data"]
            )
        if row["announcement__sid"]:
            item["announcementSid"] = row["announcement__sid"]
        if row["ringback_tone__sid"]:
            item["ringbackToneSid"] = row["ringback_tone__sid"]
        items.append(item)
    return items


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
        return keys_out(sorted(keys, key=lambda k: keypad_order(k[0])))

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
