"""Menus: every example of the spec's "Menu" section, the key and action rules, the delete
protections, tenancy, roles, atomicity and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from autoattendant.models import AutoAttendantSystem, Menu, MenuKey
from tests.builders import (
    make_announcement,
    make_menu,
    make_system,
    make_weekly_block,
)

pytestmark = pytest.mark.django_db

MISSING_MENU = "MN" + "0" * 32


@pytest.fixture
def other_system(enterprise_a):
    """A second system of the same enterprise: its menus are not reachable from ``system``."""
    return make_system(enterprise_a, "Acme support line")


@pytest.fixture
def goodbye(enterprise_a):
    return make_announcement(enterprise_a, "Goodbye")


@pytest.fixture
def announcement_b(enterprise_b):
    return make_announcement(enterprise_b, "Bolt greeting")


def spec_create_body(system, greeting, goodbye, enterprise) -> dict:
    """The spec's "Create Menu" example with this world's sids."""
    return {
        "autoAttendantSid": system.sid,
        "announcementSid": greeting.sid,
        "enterpriseSid": enterprise.sid,
        "timeoutSeconds": "1",
        "timeoutAction": {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": greeting.sid},
        "name": "weekendmenu",
        "keys": [
            {
                "menuKey": "1",
                "menuAction": {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": goodbye.sid},
            }
        ],
    }


def post(actor, body):
    return actor.client.post("/autoattendant/menu", body, format="json")


def put(actor, sid, body):
    return actor.client.put(f"/autoattendant/menu/{sid}", body, format="json")


def error_of(response) -> str:
    return response.json()["errorCode"]


# --- create ------------------------------------------------------------------------------------


def test_it_creates_a_menu_as_the_spec_shows(bg_admin, system, greeting, goodbye, enterprise_a):
    r = post(bg_admin, spec_create_body(system, greeting, goodbye, enterprise_a))
    assert r.status_code == 200
    doc = r.json()
    assert doc["code"] == 200 and doc["message"] == "OK"
    data = doc["data"]
    sid = data["sid"]
    assert sid.startswith("MN") and len(sid) == 34
    assert data["dateCreated"].endswith("+0000") and len(data["dateUpdated"]) == 24
    # Exactly the spec's fields, in the spec's order (unset ones left out).
    assert list(data) == [
        "sid",
        "dateUpdated",
        "dateCreated",
        "accountEmail",
        "uri",
        "name",
        "autoAttendantSid",
        "enterpriseSid",
        "keys",
        "timeoutSeconds",
        "timeoutAction",
        "announcementSid",
    ]
    assert data == {
        "sid": sid,
        "dateUpdated": data["dateUpdated"],
        "dateCreated": data["dateCreated"],
        "accountEmail": bg_admin.user.email,
        "uri": f"/autoattendant/menu/search/{sid}",
        "name": "weekendmenu",
        "autoAttendantSid": system.sid,
        "enterpriseSid": enterprise_a.sid,
        "keys": [
            {
                "menuKey": "1",
                "menuAction": {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": goodbye.sid},
            }
        ],
        "timeoutSeconds": 1,  # "1" accepted, a number answered
        "timeoutAction": {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": greeting.sid},
        "announcementSid": greeting.sid,
    }
    menu = Menu.objects.get(sid=sid)
    assert menu.created_by == bg_admin.user and menu.keys.count() == 1


def test_optional_fields_are_answered_when_set(aa_admin, system, greeting, goodbye):
    body = {
        "name": "Full",
        "autoAttendantSid": system.sid,
        "colorCode": "#e56052",
        "ringbackToneSid": goodbye.sid,
        "timeoutMaxOccurance": "4",
        "timeoutSeconds": 60,
    }
    data = post(aa_admin, body).json()["data"]
    assert data["colorCode"] == "#e56052"
    assert data["ringbackToneSid"] == goodbye.sid
    assert data["timeoutMaxOccurance"] == 4 and data["timeoutSeconds"] == 60
    assert data["keys"] == []
    assert "timeoutAction" not in data and "announcementSid" not in data
    assert list(data)[-1] == "ringbackToneSid"


def test_enterprise_sid_defaults_to_the_callers(bg_admin, system, enterprise_a):
    r = post(bg_admin, {"name": "Day", "autoAttendantSid": system.sid})
    assert r.status_code == 200
    assert r.json()["data"]["enterpriseSid"] == enterprise_a.sid


def test_it_rejects_another_enterprise_sid_with_467(bg_admin, system, enterprise_b):
    body = {"name": "Day", "autoAttendantSid": system.sid, "enterpriseSid": enterprise_b.sid}
    r = post(bg_admin, body)
    assert r.status_code == 409 and error_of(r) == "467"
    assert r.json()["message"] == "Enterprise not found"
    assert not Menu.objects.exists()


def test_unknown_and_foreign_systems_answer_490(bg_admin, system_b):
    for sid in ("AA" + "0" * 32, system_b.sid, "nonsense"):
        r = post(bg_admin, {"name": "Day", "autoAttendantSid": sid})
        assert r.status_code == 409
        doc = r.json()
        assert doc["errorCode"] == "490"
        assert doc["message"] == "AutoAttendant System not found"
        assert doc["data"]["sid"] == sid
    assert not Menu.objects.exists()


def test_operator_creates_in_any_enterprise(operator, system_b, enterprise_a, enterprise_b):
    r = post(operator, {"name": "Night", "autoAttendantSid": system_b.sid})
    assert r.status_code == 200
    assert r.json()["data"]["enterpriseSid"] == enterprise_b.sid
    # Naming an enterprise the system does not belong to: that system is not found there.
    body = {"name": "Night", "autoAttendantSid": system_b.sid, "enterpriseSid": enterprise_a.sid}
    assert error_of(post(operator, body)) == "490"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", None),
        ("name", ""),
        ("autoAttendantSid", None),
        ("colorCode", "red"),
        ("colorCode", "#e5605"),
        ("colorCode", "#gggggg"),
        ("timeoutSeconds", 0),
        ("timeoutSeconds", 61),
        ("timeoutSeconds", "soon"),
        ("timeoutSeconds", 1.5),
        ("timeoutMaxOccurance", 0),
        ("timeoutMaxOccurance", 11),
        ("timeoutAction", {"actionType": "EXPLODE"}),
        ("timeoutAction", "HANGUP"),
        ("keys", "1"),
        ("keys", [{"menuKey": "1"}]),
    ],
)
def test_it_names_each_bad_field_with_400(bg_admin, system, field, value):
    body = {"name": "Day", "autoAttendantSid": system.sid, field: value}
    r = post(bg_admin, body)
    assert r.status_code == 400, r.json()
    doc = r.json()
    assert doc["errorCode"] == "600"
    assert any(key.startswith(field) for key in doc["data"]), doc["data"]
    assert not Menu.objects.exists()


@pytest.mark.parametrize("key", ["#", "10", "a", "", " "])
def test_menu_keys_are_only_digits_and_star(bg_admin, system, key):
    body = {
        "name": "Day",
        "autoAttendantSid": system.sid,
        "keys": [{"menuKey": key, "menuAction": {"actionType": "HANGUP"}}],
    }
    r = post(bg_admin, body)
    assert r.status_code == 400
    assert "keys" in str(r.json()["data"])
    assert not Menu.objects.exists()


@pytest.mark.parametrize(
    ("action", "bad_field"),
    [
        ({"actionType": "ANNOUNCEMENT_HANGUP"}, "keys[0].menuAction.actionData"),
        ({"actionType": "GO_TO_MENU", "actionData": "menu two"}, "keys[0].menuAction.actionData"),
        ({"actionType": "TRANSFER_TO_PHONE", "actionData": "call me"}, "keys[0].menuAction.actionData"),
        ({"actionType": "TRANSFER_TO_PHONE", "actionData": "12"}, "keys[0].menuAction.actionData"),
        ({"actionType": "WHATEVER"}, "keys[0].menuAction.actionType"),
        ({}, "keys[0].menuAction"),
    ],
)  # fmt: skip
def test_it_rejects_malformed_actions_with_400(bg_admin, system, action, bad_field):
    body = {
        "name": "Day",
        "autoAttendantSid": system.sid,
        "keys": [{"menuKey": "1", "menuAction": action}],
    }
    r = post(bg_admin, body)
    assert r.status_code == 400
    assert bad_field in r.json()["data"]


def test_it_accepts_short_colour_codes_and_integer_keys(bg_admin, system):
    body = {
        "name": "Day",
        "autoAttendantSid": system.sid,
        "colorCode": "#E56",
        "keys": [{"menuKey": 5, "menuAction": {"actionType": "REPLAY_MENU"}}],
    }
    data = post(bg_admin, body).json()["data"]
    assert data["colorCode"] == "#E56"
    assert data["keys"] == [{"menuKey": "5", "menuAction": {"actionType": "REPLAY_MENU"}}]


def test_it_rejects_a_duplicate_key_with_613(bg_admin, system):
    body = {
        "name": "Day",
        "autoAttendantSid": system.sid,
        "keys": [
            {"menuKey": "1", "menuAction": {"actionType": "HANGUP"}},
            {"menuKey": "1", "menuAction": {"actionType": "REPLAY_MENU"}},
        ],
    }
    r = post(bg_admin, body)
    assert r.status_code == 409
    doc = r.json()
    assert doc["errorCode"] == "613"
    assert doc["data"]["menuKey"] == "1" and doc["data"]["field"] == "keys[1]"
    assert not Menu.objects.exists()


def test_the_database_refuses_a_duplicate_key_too(system):
    menu = make_menu(system, keys={"1": "HANGUP"})
    with pytest.raises(IntegrityError), transaction.atomic():
        MenuKey.objects.create(menu=menu, key="1", action_type="REPLAY_MENU")


def test_keys_are_listed_in_keypad_order_and_actions_normalised(bg_admin, system, greeting):
    posted = [
        ("0", {"actionType": "TRANSFER_TO_PHONE", "actionData": "+1 (555) 123-4567"}),
        ("*", {"actionType": "DIAL_BY_EXTENSION"}),
        ("3", {"actionType": "DIAL_BY_NAME", "actionData": greeting.sid}),
        ("1", {"actionType": "HANGUP", "actionData": "ignored"}),
        ("9", {"actionType": "RETURN_TO_PREVIOUS_MENU"}),
    ]
    body = {
        "name": "Day",
        "autoAttendantSid": system.sid,
        "keys": [{"menuKey": k, "menuAction": a} for k, a in posted],
    }
    data = post(bg_admin, body).json()["data"]
    assert data["keys"] == [
        {"menuKey": "1", "menuAction": {"actionType": "HANGUP"}},
        {"menuKey": "3", "menuAction": {"actionType": "DIAL_BY_NAME", "actionData": greeting.sid}},
        {"menuKey": "9", "menuAction": {"actionType": "RETURN_TO_PREVIOUS_MENU"}},
        {"menuKey": "*", "menuAction": {"actionType": "DIAL_BY_EXTENSION"}},
        {
            "menuKey": "0",
            "menuAction": {"actionType": "TRANSFER_TO_PHONE", "actionData": "15551234567"},
        },
    ]


# --- cross references --------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["announcementSid", "ringbackToneSid"])
def test_another_enterprises_announcement_is_500(bg_admin, system, announcement_b, field):
    for sid in (announcement_b.sid, "AN" + "0" * 32):
        r = post(bg_admin, {"name": "Day", "autoAttendantSid": system.sid, field: sid})
        assert r.status_code == 409
        doc = r.json()
        assert doc["errorCode"] == "500" and doc["message"] == "Announcement not found"
        assert doc["data"]["sid"] == sid and doc["data"]["field"] == field
    assert not Menu.objects.exists()


def test_another_enterprises_announcement_in_a_key_or_timeout_is_500(
    bg_admin, system, greeting, announcement_b
):
    key = {
        "menuKey": "2",
        "menuAction": {"actionType": "ANNOUNCEMENT_RETURN", "actionData": announcement_b.sid},
    }
    fine = {
        "menuKey": "1",
        "menuAction": {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": greeting.sid},
    }
    r = post(bg_admin, {"name": "Day", "autoAttendantSid": system.sid, "keys": [fine, key]})
    assert r.status_code == 409 and error_of(r) == "500"
    assert r.json()["data"]["field"] == "keys[1].menuAction"
    timeout = {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": announcement_b.sid}
    r = post(bg_admin, {"name": "Day", "autoAttendantSid": system.sid, "timeoutAction": timeout})
    assert error_of(r) == "500" and r.json()["data"]["field"] == "timeoutAction"
    assert not Menu.objects.exists()


def test_go_to_menu_must_name_a_menu_of_the_same_system(bg_admin, system, other_system, system_b):
    target = make_menu(system, "Sales")
    elsewhere = make_menu(other_system, "Support")
    foreign = make_menu(system_b, "Bolt")

    def body(sid):
        action = {"actionType": "GO_TO_MENU", "actionData": sid}
        return {
            "name": "Main",
            "autoAttendantSid": system.sid,
            "keys": [{"menuKey": "1", "menuAction": action}],
        }

    for sid in (elsewhere.sid, foreign.sid, MISSING_MENU):
        r = post(bg_admin, body(sid))
        assert r.status_code == 409
        assert error_of(r) == "502" and r.json()["message"] == "Menu not found"
        assert r.json()["data"]["sid"] == sid
    r = post(bg_admin, body(target.sid))
    assert r.status_code == 200
    assert r.json()["data"]["keys"][0]["menuAction"]["actionData"] == target.sid


def test_a_menu_may_not_go_to_itself(bg_admin, system):
    menu = make_menu(system, "Main")
    action = {"actionType": "GO_TO_MENU", "actionData": menu.sid}
    r = put(bg_admin, menu.sid, {"keys": [{"menuKey": "1", "menuAction": action}]})
    assert r.status_code == 400
    assert "keys[0].menuAction.actionData" in r.json()["data"]
    r = put(bg_admin, menu.sid, {"timeoutAction": action})
    assert r.status_code == 400 and "timeoutAction.actionData" in r.json()["data"]


def test_eleven_keys_cost_no_more_queries_than_one(bg_admin, system, enterprise_a):
    prompts = [make_announcement(enterprise_a, f"Prompt {i}") for i in range(11)]
    targets = [make_menu(system, f"Target {i}") for i in range(11)]

    def create(n, kind):
        keys = []
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0"][:n]):
            data = prompts[i].sid if kind == "ANNOUNCEMENT_RETURN" else targets[i].sid
            keys.append({"menuKey": key, "menuAction": {"actionType": kind, "actionData": data}})
        with CaptureQueriesContext(connection) as ctx:
            r = post(bg_admin, {"name": "Many", "autoAttendantSid": system.sid, "keys": keys})
        assert r.status_code == 200
        return len(ctx.captured_queries)

    for kind in ("ANNOUNCEMENT_RETURN", "GO_TO_MENU"):
        assert create(1, kind) == create(11, kind)


# --- list and get ------------------------------------------------------------------------------


def test_list_as_the_spec_shows(bg_admin, system, greeting, other_system, enterprise_a):
    menu = make_menu(
        system,
        "weekdays",
        keys={"1": "HANGUP"},
        color_code="#e56052",
        announcement=greeting,
        created_by=bg_admin.user,
    )
    make_menu(other_system, "support")
    r = bg_admin.client.get(f"/autoattendant/menu/search?autoAttendantSid={system.sid}")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["result"] == [
        {
            "sid": menu.sid,
            "dateUpdated": data["result"][0]["dateUpdated"],
            "dateCreated": data["result"][0]["dateCreated"],
            "accountEmail": bg_admin.user.email,
            "uri": f"/autoattendant/menu/search/{menu.sid}",
            "name": "weekdays",
            "autoAttendantSid": system.sid,
            "enterpriseSid": enterprise_a.sid,
            "colorCode": "#e56052",
            "keys": [{"menuKey": "1", "menuAction": {"actionType": "HANGUP"}}],
            "announcementSid": greeting.sid,
        }
    ]
    assert (data["pageSize"], data["total"], data["page"], data["numPages"]) == (10, 1, 0, 1)
    assert (data["start"], data["end"]) == (0, 0)
    assert data["uri"] == (
        f"/autoattendant/menu/search?autoAttendantSid={system.sid}&pageSize=10&page=0"
    )
    assert data["firstPageUri"] == data["uri"] and data["nextPageUri"] is None


def _names(r):
    assert r.status_code == 200, r.json()
    return [m["name"] for m in r.json()["data"]["result"]]


def test_list_filters_and_sorts(bg_admin, system, other_system, system_b):
    stamps = {}
    for day, (sys, name) in enumerate(
        [(system, "Sunday"), (system, "weekdays"), (other_system, "Holidays"), (system, "night")],
        start=1,
    ):
        menu = make_menu(sys, name)
        stamps[name] = dt.datetime(2020, 1, day, 12, tzinfo=dt.UTC)
        Menu.objects.filter(pk=menu.pk).update(date_created=stamps[name])
    make_menu(system_b, "Sunday at Bolt")
    c = bg_admin.client
    assert _names(c.get("/autoattendant/menu/search?name=SUN")) == ["Sunday"]
    assert _names(c.get(f"/autoattendant/menu/search?autoAttendantSid={other_system.sid}")) == [
        "Holidays"
    ]
    assert _names(c.get("/autoattendant/menu/search?startTime=2020-01-02&endTime=2020-01-03")) == [
        "weekdays"
    ]
    assert _names(c.get("/autoattendant/menu/search?SortBy=name")) == [
        "Holidays",
        "night",
        "Sunday",
        "weekdays",
    ]
    assert _names(c.get("/autoattendant/menu/search?SortBy=dateCreated:desc")) == [
        "night",
        "Holidays",
        "weekdays",
        "Sunday",
    ]
    enterprise_b_sid = system_b.enterprise.sid
    assert _names(c.get(f"/autoattendant/menu/search?enterpriseSid={enterprise_b_sid}")) == []
    assert _names(c.get(f"/autoattendant/menu/search?autoAttendantSid={system_b.sid}")) == []
    for bad in ("SortBy=color", "startTime=yesterday", "pageSize=0"):
        assert c.get(f"/autoattendant/menu/search?{bad}").status_code == 400


def test_each_enterprise_lists_only_its_menus(bg_admin, bg_admin_b, operator, system, system_b):
    make_menu(system, "Acme")
    make_menu(system_b, "Bolt")
    assert _names(bg_admin.client.get("/autoattendant/menu/search")) == ["Acme"]
    assert _names(bg_admin_b.client.get("/autoattendant/menu/search/")) == ["Bolt"]
    assert sorted(_names(operator.client.get("/autoattendant/menu/search"))) == ["Acme", "Bolt"]


def test_get_single_menu(aa_admin, system, greeting):
    menu = make_menu(system, "weekdays", keys={"1": "HANGUP"}, announcement=greeting)
    r = aa_admin.client.get(f"/autoattendant/menu/search/{menu.sid}")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["sid"] == menu.sid and data["name"] == "weekdays"
    assert data["keys"] == [{"menuKey": "1", "menuAction": {"actionType": "HANGUP"}}]
    assert data["accountEmail"] is None  # built without a creator
    assert aa_admin.client.get(f"/autoattendant/menu/search/{menu.sid}/").status_code == 200


def test_unknown_and_foreign_menus_answer_the_same_502(bg_admin, bg_admin_b, system_b):
    foreign = make_menu(system_b, "Bolt", keys={"1": "HANGUP"})
    for sid in (MISSING_MENU, foreign.sid):
        r = bg_admin.client.get(f"/autoattendant/menu/search/{sid}")
        assert r.status_code == 409
        # The spec's error body: the sid asked for, and no keys.
        assert r.json() == {
            "errorCode": "502",
            "message": "Menu not found",
            "data": {"sid": sid, "keys": []},
        }
        r = put(bg_admin, sid, {"name": "stolen"})
        assert r.status_code == 409 and error_of(r) == "502"
        assert r.json()["data"]["sid"] == sid
        r = bg_admin.client.delete(f"/autoattendant/menu/{sid}")
        assert r.status_code == 409 and error_of(r) == "502"
    foreign.refresh_from_db()
    assert foreign.name == "Bolt" and foreign.keys.count() == 1
    assert bg_admin_b.client.get(f"/autoattendant/menu/search/{foreign.sid}").status_code == 200


def test_list_query_count_does_not_grow_with_menus_or_keys(bg_admin, system, greeting, goodbye):
    all_keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0"]

    def add_menu(i):
        make_menu(
            system,
            f"Menu {i}",
            keys={k: ("ANNOUNCEMENT_RETURN", greeting.sid) for k in all_keys},
            announcement=greeting,
            ringback_tone=goodbye,
            created_by=bg_admin.user,
        )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            r = bg_admin.client.get("/autoattendant/menu/search?pageSize=100")
        assert r.status_code == 200
        return len(ctx.captured_queries), r.json()["data"]["total"]

    add_menu(0)
    one, total = count()
    for i in range(1, 30):
        add_menu(i)
    many, total_after = count()
    # auth (the user, its enterprise joined) · count · page rows (enterprise, system,
    # announcement, ringback tone and creator joined) · every key of the page
    assert one == many == 4
    assert (total, total_after) == (1, 30)


def test_get_query_count(bg_admin, system):
    menu = make_menu(system, "Day", keys={"1": "HANGUP", "2": "REPLAY_MENU"})
    with CaptureQueriesContext(connection) as ctx:
        assert bg_admin.client.get(f"/autoattendant/menu/search/{menu.sid}").status_code == 200
    # auth (the user, its enterprise joined) · the menu with its joins · its keys
    assert len(ctx.captured_queries) == 3


# --- update ------------------------------------------------------------------------------------


def test_update_as_the_spec_shows(bg_admin, system, greeting, goodbye, enterprise_a):
    menu = make_menu(
        system,
        "weekdaysmenu",
        keys={"1": "HANGUP", "2": "REPLAY_MENU"},
        created_by=bg_admin.user,
    )
    Menu.objects.filter(pk=menu.pk).update(date_created=dt.datetime(2020, 1, 27, tzinfo=dt.UTC))
    body = {
        "name": "weekendmenu",
        "autoAttendantSid": system.sid,
        "enterpriseSid": enterprise_a.sid,
        "keys": [
            {
                "menuKey": "1",
                "menuAction": {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": goodbye.sid},
            }
        ],
        "timeoutSeconds": 1,
        "timeoutAction": {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": greeting.sid},
        "announcementSid": greeting.sid,
        "colorCode": "#e56052",
    }
    r = put(bg_admin, menu.sid, body)
    assert r.status_code == 200
    data = r.json()["data"]
    assert data == {
        "sid": menu.sid,
        "dateUpdated": data["dateUpdated"],
        "dateCreated": "2020-01-27T00:00:00+0000",
        "accountEmail": bg_admin.user.email,
        "uri": f"/autoattendant/menu/search/{menu.sid}",
        "name": "weekendmenu",
        "autoAttendantSid": system.sid,
        "enterpriseSid": enterprise_a.sid,
        "colorCode": "#e56052",
        "keys": body["keys"],  # every old key replaced
        "timeoutSeconds": 1,
        "timeoutAction": body["timeoutAction"],
        "announcementSid": greeting.sid,
    }
    assert data["dateUpdated"] > data["dateCreated"]
    assert list(MenuKey.objects.filter(menu=menu).values_list("key", flat=True)) == ["1"]


def test_update_is_partial(aa_admin, system, greeting):
    menu = make_menu(system, "Day", keys={"1": "HANGUP"}, announcement=greeting, color_code="#fff")
    r = aa_admin.client.patch(f"/autoattendant/menu/{menu.sid}/", {"name": "Days"}, format="json")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["name"] == "Days" and data["colorCode"] == "#fff"
    assert data["announcementSid"] == greeting.sid
    assert data["keys"] == [{"menuKey": "1", "menuAction": {"actionType": "HANGUP"}}]


def test_update_clears_optional_fields(bg_admin, system, greeting):
    menu = make_menu(
        system,
        "Day",
        keys={"1": "HANGUP"},
        announcement=greeting,
        ringback_tone=greeting,
        color_code="#fff",
        timeout_seconds=5,
        timeout_action_type="HANGUP",
    )
    body = {
        "announcementSid": None,
        "ringbackToneSid": "",
        "colorCode": "",
        "timeoutSeconds": None,
        "timeoutAction": {},
        "keys": [],
    }
    data = put(bg_admin, menu.sid, body).json()["data"]
    for gone in ("announcementSid", "ringbackToneSid", "colorCode", "timeoutSeconds"):
        assert gone not in data
    assert "timeoutAction" not in data and data["keys"] == []


def test_update_rejects_moving_or_foreign_references(
    bg_admin, system, other_system, system_b, enterprise_b, announcement_b
):
    menu = make_menu(system, "Day")
    r = put(bg_admin, menu.sid, {"autoAttendantSid": other_system.sid})
    assert r.status_code == 400 and "autoAttendantSid" in r.json()["data"]
    assert error_of(put(bg_admin, menu.sid, {"autoAttendantSid": system_b.sid})) == "490"
    assert error_of(put(bg_admin, menu.sid, {"enterpriseSid": enterprise_b.sid})) == "467"
    assert error_of(put(bg_admin, menu.sid, {"announcementSid": announcement_b.sid})) == "500"
    assert put(bg_admin, menu.sid, {"autoAttendantSid": system.sid}).status_code == 200
    menu.refresh_from_db()
    assert menu.auto_attendant == system and menu.announcement is None


def test_a_put_with_one_bad_key_leaves_the_menu_as_it_was(bg_admin, system, greeting):
    menu = make_menu(
        system, "Day", keys={"1": "HANGUP", "2": ("ANNOUNCEMENT_RETURN", greeting.sid)}
    )
    version = AutoAttendantSystem.objects.get(pk=system.pk).flow_version
    body = {
        "name": "Renamed",
        "keys": [
            {"menuKey": "1", "menuAction": {"actionType": "REPLAY_MENU"}},
            {
                "menuKey": "3",
                "menuAction": {"actionType": "GO_TO_MENU", "actionData": MISSING_MENU},
            },
        ],
    }
    r = put(bg_admin, menu.sid, body)
    assert r.status_code == 409 and error_of(r) == "502"
    menu.refresh_from_db()
    assert menu.name == "Day"
    assert sorted(menu.keys.values_list("key", "action_type")) == [
        ("1", "HANGUP"),
        ("2", "ANNOUNCEMENT_RETURN"),
    ]
    assert AutoAttendantSystem.objects.get(pk=system.pk).flow_version == version


# --- delete ------------------------------------------------------------------------------------


def test_delete_as_the_spec_shows(bg_admin, system, greeting, enterprise_a):
    menu = make_menu(
        system,
        "weekdaysmenu",
        keys={"1": ("ANNOUNCEMENT_HANGUP", greeting.sid)},
        timeout_seconds=6,
        timeout_action_type="HANGUP",
        created_by=bg_admin.user,
    )
    r = bg_admin.client.delete(f"/autoattendant/menu/{menu.sid}")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data == {
        "sid": menu.sid,
        "dateUpdated": data["dateUpdated"],
        "dateCreated": data["dateCreated"],
        "accountEmail": bg_admin.user.email,
        "uri": f"/autoattendant/menu/search/{menu.sid}",
        "name": "weekdaysmenu",
        "autoAttendantSid": system.sid,
        "enterpriseSid": enterprise_a.sid,
        "keys": [
            {
                "menuKey": "1",
                "menuAction": {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": greeting.sid},
            }
        ],
        "timeoutSeconds": 6,
        "timeoutAction": {"actionType": "HANGUP"},
    }
    assert not Menu.objects.filter(sid=menu.sid).exists()
    assert not MenuKey.objects.exists()
    assert bg_admin.client.delete(f"/autoattendant/menu/{menu.sid}/").json()["errorCode"] == "502"


def test_a_menu_in_a_schedule_cannot_be_deleted_506_first(bg_admin, system, greeting):
    menu = make_menu(system, "Day", announcement=greeting)
    make_menu(system, "Main", keys={"1": ("GO_TO_MENU", menu.sid)})
    make_weekly_block(menu, [(1, "09:00", "17:00")])
    r = bg_admin.client.delete(f"/autoattendant/menu/{menu.sid}")
    assert r.status_code == 409
    assert r.json() == {
        "errorCode": "506",
        "message": "This menu cannot be deleted as it is being used in a schedule.",
        "data": {"sid": menu.sid},
    }
    assert Menu.objects.filter(pk=menu.pk).exists()


@pytest.mark.parametrize(
    "refer",
    [
        lambda menu: make_menu(menu.auto_attendant, "Main", keys={"4": ("GO_TO_MENU", menu.sid)}),
        lambda menu: make_menu(
            menu.auto_attendant,
            "Main",
            timeout_action_type="GO_TO_MENU",
            timeout_action_data=menu.sid,
        ),
        lambda menu: AutoAttendantSystem.objects.filter(pk=menu.auto_attendant_id).update(
            default_menu=menu
        ),
        lambda menu: AutoAttendantSystem.objects.filter(pk=menu.auto_attendant_id).update(
            invalid_input_action_type="GO_TO_MENU", invalid_input_action_data=menu.sid
        ),
        lambda menu: AutoAttendantSystem.objects.filter(pk=menu.auto_attendant_id).update(
            timeout_action_type="GO_TO_MENU", timeout_action_data=menu.sid
        ),
    ],
    ids=["key", "menu-timeout", "default-menu", "system-invalid-input", "system-timeout"],
)
def test_a_target_menu_cannot_be_deleted_614(bg_admin, system, greeting, refer):
    menu = make_menu(system, "Sales", announcement=greeting)  # 614 comes before 509
    referrer = refer(menu)
    r = bg_admin.client.delete(f"/autoattendant/menu/{menu.sid}")
    assert r.status_code == 409
    doc = r.json()
    assert doc["errorCode"] == "614"
    assert doc["data"]["sid"] == menu.sid
    expected = referrer.sid if isinstance(referrer, Menu) else system.sid
    assert doc["data"]["referencedBy"] == [expected]
    assert Menu.objects.filter(pk=menu.pk).exists()


def test_a_menu_with_an_announcement_cannot_be_deleted_509(bg_admin, system, greeting):
    menu = make_menu(system, "Day", announcement=greeting)
    r = bg_admin.client.delete(f"/autoattendant/menu/{menu.sid}")
    assert r.status_code == 409
    assert r.json()["errorCode"] == "509"
    assert r.json()["message"] == (
        "This menu cannot be deleted as it has announcements assigned to it."
    )
    # Unassign it, and the delete goes through.
    assert put(bg_admin, menu.sid, {"announcementSid": None}).status_code == 200
    assert bg_admin.client.delete(f"/autoattendant/menu/{menu.sid}").status_code == 200


def test_a_menu_going_to_itself_does_not_block_its_own_delete(bg_admin, system):
    menu = make_menu(system, "Loop")
    MenuKey.objects.create(menu=menu, key="1", action_type="GO_TO_MENU", action_data=menu.sid)
    assert bg_admin.client.delete(f"/autoattendant/menu/{menu.sid}").status_code == 200


# --- roles, flow version, routes ---------------------------------------------------------------


def test_aa_admin_manages_menus(aa_admin, system, greeting, goodbye, enterprise_a):
    r = post(aa_admin, spec_create_body(system, greeting, goodbye, enterprise_a))
    assert r.status_code == 200
    sid = r.json()["data"]["sid"]
    assert r.json()["data"]["accountEmail"] == aa_admin.user.email
    assert put(aa_admin, sid, {"name": "renamed", "announcementSid": None}).status_code == 200
    assert aa_admin.client.delete(f"/autoattendant/menu/{sid}").status_code == 200


def test_another_enterprise_cannot_touch_the_menus(bg_admin_b, system, greeting):
    menu = make_menu(system, "Day", keys={"1": "HANGUP"})
    assert error_of(bg_admin_b.client.get(f"/autoattendant/menu/search/{menu.sid}")) == "502"
    assert error_of(put(bg_admin_b, menu.sid, {"keys": []})) == "502"
    assert error_of(bg_admin_b.client.delete(f"/autoattendant/menu/{menu.sid}")) == "502"
    assert error_of(post(bg_admin_b, {"name": "x", "autoAttendantSid": system.sid})) == "490"
    assert menu.keys.count() == 1


def test_every_write_bumps_the_systems_flow_version(bg_admin, system, other_system):
    def version(s=system):
        return AutoAttendantSystem.objects.get(pk=s.pk).flow_version

    seen = [version()]
    sid = post(bg_admin, {"name": "Day", "autoAttendantSid": system.sid}).json()["data"]["sid"]
    seen.append(version())
    put(bg_admin, sid, {"keys": [{"menuKey": "1", "menuAction": {"actionType": "HANGUP"}}]})
    seen.append(version())
    put(bg_admin, sid, {"keys": [{"menuKey": "2", "menuAction": {"actionType": "HANGUP"}}]})
    seen.append(version())
    bg_admin.client.delete(f"/autoattendant/menu/{sid}")
    seen.append(version())
    assert seen == sorted(set(seen)), seen  # strictly increasing
    # A refused write changes nothing; other systems are never touched.
    post(bg_admin, {"name": "Day", "autoAttendantSid": system.sid, "colorCode": "#zzz"})
    assert version() == seen[-1] and version(other_system) == 0


def test_routes_answer_405_and_401_in_the_envelope(bg_admin, anon, system):
    menu = make_menu(system, "Day")
    r = bg_admin.client.delete("/autoattendant/menu/search")
    assert r.status_code == 405 and r.json()["errorCode"] == "605"
    r = bg_admin.client.post(f"/autoattendant/menu/search/{menu.sid}", {}, format="json")
    assert r.status_code == 405
    assert post(bg_admin, ["not", "an", "object"]).status_code == 400
    r = anon.get("/autoattendant/menu/search")
    assert r.status_code == 401 and r.json()["errorCode"] == "602"
    assert anon.delete(f"/autoattendant/menu/{menu.sid}").status_code == 401
    assert Menu.objects.filter(pk=menu.pk).exists()
