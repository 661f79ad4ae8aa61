"""Mailboxes: CRUD like menus, the notify list for enterprise admins only, the VOICEMAIL action
wherever an action goes, delete protection, tenancy and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import Mailbox
from tests.builders import make_announcement, make_menu, make_system

pytestmark = pytest.mark.django_db


def post(actor, body):
    return actor.client.post("/autoattendant/mailbox", body, format="json")


def put(actor, sid, body):
    return actor.client.put(f"/autoattendant/mailbox/{sid}", body, format="json")


def test_it_creates_and_shows_a_mailbox(bg_admin, enterprise_a, greeting):
    r = post(
        bg_admin,
        {
            "name": "Front desk",
            "greetingAnnouncementSid": greeting.sid,
            "notifyEmails": ["desk@acme.example", "boss@acme.example"],
            "maxLengthSeconds": "90",
        },
    )
    assert r.status_code == 200, r.json()
    data = r.json()["data"]
    assert data["sid"].startswith("MB") and len(data["sid"]) == 34
    assert data["name"] == "Front desk"
    assert data["greetingAnnouncementSid"] == greeting.sid
    assert data["notifyEmails"] == ["desk@acme.example", "boss@acme.example"]
    assert data["maxLengthSeconds"] == 90
    assert data["enterpriseSid"] == enterprise_a.sid
    assert data["accountEmail"] == bg_admin.user.email
    assert data["uri"] == f"/autoattendant/mailbox/search/{data['sid']}"
    got = bg_admin.client.get(data["uri"]).json()["data"]
    assert got == data


def test_defaults_leave_out_the_greeting_and_take_120_seconds(aa_admin):
    data = post(aa_admin, {"name": "Sales"}).json()["data"]
    assert "greetingAnnouncementSid" not in data
    assert data["maxLengthSeconds"] == 120 and data["notifyEmails"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "maxLengthSeconds": 4}, "maxLengthSeconds"),
        ({"name": "x", "maxLengthSeconds": 601}, "maxLengthSeconds"),
        ({"name": "x", "notifyEmails": ["not an email"]}, "notifyEmails[0]"),
        ({"name": "x", "notifyEmails": "a@b.example"}, "notifyEmails"),
        ({"maxLengthSeconds": 60}, "name"),
    ],
)
def test_bad_fields_are_400_naming_them(bg_admin, body, field):
    r = post(bg_admin, body)
    assert r.status_code == 400
    assert r.json()["errorCode"] == "600"
    assert field in r.json()["data"]
    assert not Mailbox.objects.exists()


def test_only_enterprise_admins_set_the_notify_list(aa_admin, bg_admin):
    r = post(aa_admin, {"name": "Sales", "notifyEmails": ["x@acme.example"]})
    assert r.status_code == 403 and r.json()["errorCode"] == "603"
    sid = post(bg_admin, {"name": "Sales", "notifyEmails": ["x@acme.example"]}).json()["data"][
        "sid"
    ]
    # An AA admin may change the rest, and may send the list unchanged (a whole-object PUT).
    r = put(aa_admin, sid, {"name": "Sales team", "notifyEmails": ["x@acme.example"]})
    assert r.status_code == 200 and r.json()["data"]["name"] == "Sales team"
    r = put(aa_admin, sid, {"notifyEmails": []})
    assert r.status_code == 403
    assert Mailbox.objects.get(sid=sid).notify_emails == ["x@acme.example"]


def test_a_greeting_of_another_enterprise_is_not_found(bg_admin, enterprise_b):
    other = make_announcement(enterprise_b, "Bolt hello")
    r = post(bg_admin, {"name": "x", "greetingAnnouncementSid": other.sid})
    assert r.status_code == 409 and r.json()["errorCode"] == "500"
    assert r.json()["data"]["field"] == "greetingAnnouncementSid"


def test_another_enterprises_mailbox_is_not_found(bg_admin, bg_admin_b):
    sid = post(bg_admin_b, {"name": "Bolt desk"}).json()["data"]["sid"]
    for response in (
        bg_admin.client.get(f"/autoattendant/mailbox/search/{sid}"),
        put(bg_admin, sid, {"name": "mine"}),
        bg_admin.client.delete(f"/autoattendant/mailbox/{sid}"),
    ):
        assert response.status_code == 409
        assert response.json()["errorCode"] == "680"
        assert response.json()["data"] == {"sid": sid}
    listed = bg_admin.client.get("/autoattendant/mailbox/search").json()["data"]
    assert listed["total"] == 0


def test_the_voicemail_action_goes_on_keys_timeouts_and_system_actions(
    bg_admin, system, enterprise_b
):
    mailbox = post(bg_admin, {"name": "Desk"}).json()["data"]["sid"]
    action = {"actionType": "VOICEMAIL", "actionData": mailbox}
    r = bg_admin.client.post(
        "/autoattendant/menu",
        {
            "name": "Closed",
            "autoAttendantSid": system.sid,
            "timeoutAction": action,
            "keys": [{"menuKey": "2", "menuAction": action}],
        },
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["data"]["keys"][0]["menuAction"] == action
    r = bg_admin.client.put(
        f"/autoattendant/system/{system.sid}",
        {"dialFailureAction": action, "invalidInputAction": action, "timeoutAction": action},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["data"]["dialFailureAction"] == action
    # Someone else's mailbox, or none, is refused.
    other = Mailbox.objects.create(enterprise=enterprise_b, name="Bolt")
    r = bg_admin.client.put(
        f"/autoattendant/system/{system.sid}",
        {"dialFailureAction": {"actionType": "VOICEMAIL", "actionData": other.sid}},
        format="json",
    )
    assert r.status_code == 409 and r.json()["errorCode"] == "680"
    r = bg_admin.client.put(
        f"/autoattendant/system/{system.sid}",
        {"dialFailureAction": {"actionType": "VOICEMAIL"}},
        format="json",
    )
    assert r.status_code == 400
    assert "dialFailureAction.actionData" in r.json()["data"]


def test_a_mailbox_an_action_records_into_cannot_be_deleted(bg_admin, system):
    mailbox = post(bg_admin, {"name": "Desk"}).json()["data"]["sid"]
    menu = make_menu(system, "Closed", keys={"2": ("VOICEMAIL", mailbox)})
    r = bg_admin.client.delete(f"/autoattendant/mailbox/{mailbox}")
    assert r.status_code == 409 and r.json()["errorCode"] == "681"
    assert r.json()["data"]["usedBy"] == [menu.sid]
    menu.keys.all().delete()
    r = bg_admin.client.delete(f"/autoattendant/mailbox/{mailbox}")
    assert r.status_code == 200 and r.json()["data"]["sid"] == mailbox
    assert not Mailbox.objects.exists()


def test_the_list_costs_the_same_queries_for_one_or_many(bg_admin, enterprise_a, greeting):
    Mailbox.objects.create(enterprise=enterprise_a, name="m0", greeting=greeting)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = bg_admin.client.get("/autoattendant/mailbox/search?pageSize=100")
        assert r.status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for i in range(1, 8):
        Mailbox.objects.create(enterprise=enterprise_a, name=f"m{i}", greeting=greeting)
    # auth + count + the page (with greeting, enterprise and creator joined)
    assert count() == one


def test_a_change_of_mailbox_reaches_the_compiled_flow(bg_admin, system):
    from autoattendant.runtime.compiler import compile_flow

    mailbox = post(bg_admin, {"name": "Desk"}).json()["data"]["sid"]
    make_menu(system, "Closed", keys={"2": ("VOICEMAIL", mailbox)})
    assert compile_flow(system.pk).mailboxes[mailbox].max_length_seconds == 120
    before = type(system).objects.get(pk=system.pk).flow_version
    put(bg_admin, mailbox, {"maxLengthSeconds": 30})
    assert type(system).objects.get(pk=system.pk).flow_version > before
    assert compile_flow(system.pk).mailboxes[mailbox].max_length_seconds == 30


def test_a_second_system_of_the_enterprise_may_record_into_it(bg_admin, enterprise_a):
    mailbox = post(bg_admin, {"name": "Shared"}).json()["data"]["sid"]
    other = make_system(enterprise_a, "Second line")
    r = bg_admin.client.put(
        f"/autoattendant/system/{other.sid}",
        {"timeoutAction": {"actionType": "VOICEMAIL", "actionData": mailbox}},
        format="json",
    )
    assert r.status_code == 200


def test_eleven_voicemail_keys_cost_no_more_queries_than_one(bg_admin, system, enterprise_a):
    boxes = [Mailbox.objects.create(enterprise=enterprise_a, name=f"b{i}") for i in range(11)]

    def create(n: int) -> int:
        keys = [
            {"menuKey": key, "menuAction": {"actionType": "VOICEMAIL", "actionData": boxes[i].sid}}
            for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0"][:n])
        ]
        with CaptureQueriesContext(connection) as ctx:
            r = bg_admin.client.post(
                "/autoattendant/menu",
                {"name": f"Many {n}", "autoAttendantSid": system.sid, "keys": keys},
                format="json",
            )
        assert r.status_code == 200, r.json()
        return len(ctx.captured_queries)

    assert create(1) == create(11)
