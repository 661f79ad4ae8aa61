"""Auto attendant systems: the spec's "Auto Attendant System" examples, numbers and extensions,
actions, role rules, tenancy, the all-or-nothing delete and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import (
    AutoAttendantSystem,
    Menu,
    MenuKey,
    PhoneNumber,
    ScheduleBlock,
    ScheduleEntry,
)
from tests.builders import make_announcement, make_menu, make_system, make_weekly_block

pytestmark = pytest.mark.django_db

URL = "/autoattendant/system"


def number(enterprise, digits, **fields):
    return PhoneNumber.objects.create(enterprise=enterprise, number=digits, **fields)


@pytest.fixture
def numbers(enterprise_a):
    """Main numbers 15719916943/4 and extensions 15717716943 (code 101), 917381101400 (102)."""
    return {
        "main1": number(enterprise_a, "15719916943"),
        "main2": number(enterprise_a, "15719916944"),
        "ext1": number(enterprise_a, "15717716943", is_extension=True, extension="101"),
        "ext2": number(enterprise_a, "917381101400", is_extension=True, extension="102"),
    }


def create(actor, payload):
    r = actor.client.post(URL, payload, format="json")
    assert r.status_code == 200, r.json()
    return r.json()["data"]


def spec_body(greeting):
    """The spec's first list example, as a create body."""
    return {
        "name": "Ent1 AA1",
        "description": "Test AA for Ent1 for Nuso",
        "status": "ACTIVE",
        "aaNumbers": ["15719916943", "15719916944"],
        "extensions": ["15717716943", "917381101400"],
        "timeoutSeconds": 3,
        "timeoutMaxOccurance": 2,
        "timeoutAction": {"actionType": "TRANSFER_TO_PHONE", "actionData": "919960639901"},
        "invalidExtensionMaxOccurance": 2,
        "invalidExtensionAction": {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": greeting.sid},
        "invalidInputMaxOccurance": 2,
        "invalidInputAction": {"actionType": "HANGUP"},
        "timezoneId": "US/Hawaii",
    }


def test_it_creates_a_system_shown_as_in_the_spec(bg_admin, enterprise_a, numbers, greeting):
    data = create(bg_admin, {**spec_body(greeting), "enterpriseSid": enterprise_a.sid})
    sid = data["sid"]
    assert sid.startswith("AA") and len(sid) == 34
    assert list(data) == [
        "sid", "dateUpdated", "dateCreated", "accountEmail", "uri", "name", "description",
        "status", "aaNumbers", "extensions", "enterpriseSid", "timeoutSeconds",
        "timeoutMaxOccurance", "timeoutAction", "invalidExtensionMaxOccurance",
        "invalidExtensionAction", "invalidInputMaxOccurance", "invalidInputAction", "timezoneId",
        "language", "holidayCalendars", "override", "dialFailureAction",
    ]  # fmt: skip
    assert data == {
        "sid": sid,
        "dateUpdated": data["dateUpdated"],
        "dateCreated": data["dateCreated"],
        "accountEmail": bg_admin.user.email,
        "uri": f"/autoattendant/system/search/{sid}",
        "name": "Ent1 AA1",
        "description": "Test AA for Ent1 for Nuso",
        "status": "ACTIVE",
        "aaNumbers": ["15719916943", "15719916944"],
        "extensions": ["15717716943", "917381101400"],
        "enterpriseSid": enterprise_a.sid,
        "timeoutSeconds": 3,
        "timeoutMaxOccurance": 2,
        "timeoutAction": {"actionType": "TRANSFER_TO_PHONE", "actionData": "919960639901"},
        "invalidExtensionMaxOccurance": 2,
        "invalidExtensionAction": {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": greeting.sid},
        "invalidInputMaxOccurance": 2,
        "invalidInputAction": {"actionType": "HANGUP"},
        "timezoneId": "US/Hawaii",
        "language": "en",
        "holidayCalendars": [],
        "override": None,
        "dialFailureAction": {},
    }
    assert data["dateCreated"].endswith("+0000")
    # The numbers know their system too.
    assert numbers["main1"].__class__.objects.get(pk=numbers["main1"].pk).auto_attendant.sid == sid


def test_a_bare_system_shows_defaults_as_the_spec_does(aa_admin, enterprise_a):
    data = create(aa_admin, {"name": "AA 3"})
    assert data["aaNumbers"] == [] and data["extensions"] == []
    assert data["timeoutAction"] == {}
    assert data["invalidExtensionAction"] == {} and data["invalidInputAction"] == {}
    assert data["timezoneId"] == "UTC" and data["status"] == "ACTIVE"
    assert data["language"] == "en"
    for absent in ("description", "timeoutSeconds", "timeoutMaxOccurance", "defaultMenuSid"):
        assert absent not in data
    assert data["enterpriseSid"] == enterprise_a.sid


def test_the_spec_update_example_with_numbers_alias_and_extension_codes(bg_admin, numbers):
    sid = create(bg_admin, {"name": "Marketing"})["sid"]
    body = {
        "name": "Marketing",
        "description": "this is marketing",
        "numbers": ["1-571-991-6943", "+1 (571) 991 6944"],
        "extensions": ["101", "102"],
    }
    r = bg_admin.client.put(f"{URL}/{sid}", body, format="json")
    assert r.status_code == 200, r.json()
    data = r.json()["data"]
    assert data["aaNumbers"] == ["15719916943", "15719916944"]
    assert data["extensions"] == ["15717716943", "917381101400"]
    assert data["description"] == "this is marketing"
    # Partial: only the name changes.
    r = bg_admin.client.put(f"{URL}/{sid}", {"name": "Sales"}, format="json")
    data = r.json()["data"]
    assert data["name"] == "Sales" and data["aaNumbers"] == ["15719916943", "15719916944"]


def test_update_replaces_the_lists_sent(bg_admin, numbers):
    sid = create(bg_admin, {"name": "A", "aaNumbers": ["15719916943"], "extensions": ["101"]})[
        "sid"
    ]
    r = bg_admin.client.put(
        f"{URL}/{sid}", {"aaNumbers": ["15719916944"], "extensions": []}, format="json"
    )
    data = r.json()["data"]
    assert data["aaNumbers"] == ["15719916944"] and data["extensions"] == []
    numbers["main1"].refresh_from_db()
    assert numbers["main1"].auto_attendant is None


def test_update_settings_and_reset_them_with_null(bg_admin, greeting):
    sid = create(bg_admin, {"name": "A", "timeoutSeconds": "4", "description": "d"})["sid"]
    r = bg_admin.client.put(
        f"{URL}/{sid}",
        {
            "timeoutSeconds": None,
            "description": None,
            "status": "SUSPENDED",
            "timezoneId": "Asia/Calcutta",
            "invalidInputAction": {"actionType": "ANNOUNCEMENT_RETURN", "actionData": greeting.sid},
        },
        format="json",
    )
    data = r.json()["data"]
    assert "timeoutSeconds" not in data and "description" not in data
    assert (data["status"], data["timezoneId"]) == ("SUSPENDED", "Asia/Calcutta")
    assert data["invalidInputAction"]["actionData"] == greeting.sid
    r = bg_admin.client.put(f"{URL}/{sid}", {"invalidInputAction": {}}, format="json")
    assert r.json()["data"]["invalidInputAction"] == {}


def test_the_language_is_stored_on_create_and_update_and_read_back(bg_admin):
    sid = create(bg_admin, {"name": "A", "language": "es"})["sid"]
    assert AutoAttendantSystem.objects.get(sid=sid).language == "es"
    r = bg_admin.client.put(f"{URL}/{sid}", {"language": "nl"}, format="json")
    assert r.status_code == 200 and r.json()["data"]["language"] == "nl"
    # Left out of an update, it is kept.
    r = bg_admin.client.put(f"{URL}/{sid}", {"name": "B"}, format="json")
    assert r.json()["data"]["language"] == "nl"
    assert bg_admin.client.get(f"{URL}/search/{sid}").json()["data"]["language"] == "nl"


def test_an_unsupported_language_is_refused_and_the_stored_one_kept(bg_admin):
    sid = create(bg_admin, {"name": "A", "language": "fr"})["sid"]
    for language in ("klingon", "EN", "en-US", "", None):
        r = bg_admin.client.put(f"{URL}/{sid}", {"language": language}, format="json")
        assert r.status_code == 400, (language, r.json())
        assert r.json()["errorCode"] == "600" and "language" in r.json()["data"]
    assert AutoAttendantSystem.objects.get(sid=sid).language == "fr"


def test_update_bumps_the_flow_version(bg_admin):
    sid = create(bg_admin, {"name": "A"})["sid"]
    before = AutoAttendantSystem.objects.get(sid=sid).flow_version
    bg_admin.client.put(f"{URL}/{sid}", {"timeoutSeconds": 7}, format="json")
    assert AutoAttendantSystem.objects.get(sid=sid).flow_version > before


def test_a_system_action_may_go_to_one_of_its_own_menus_and_default_menu(bg_admin, enterprise_a):
    sid = create(bg_admin, {"name": "A"})["sid"]
    system = AutoAttendantSystem.objects.get(sid=sid)
    own = make_menu(system, "Night")
    other = make_menu(make_system(enterprise_a, "B"), "Elsewhere")
    r = bg_admin.client.put(
        f"{URL}/{sid}",
        {
            "timeoutAction": {"actionType": "GO_TO_MENU", "actionData": own.sid},
            "defaultMenuSid": own.sid,
        },
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["data"]["defaultMenuSid"] == own.sid
    for change in (
        {"timeoutAction": {"actionType": "GO_TO_MENU", "actionData": other.sid}},
        {"defaultMenuSid": other.sid},
        {"defaultMenuSid": "MN" + "0" * 32},
    ):
        r = bg_admin.client.put(f"{URL}/{sid}", change, format="json")
        assert r.status_code == 409 and r.json()["errorCode"] == "502", change
    r = bg_admin.client.put(f"{URL}/{sid}", {"defaultMenuSid": None}, format="json")
    assert "defaultMenuSid" not in r.json()["data"]


def test_a_new_system_cannot_name_a_menu(bg_admin, enterprise_a):
    menu = make_menu(make_system(enterprise_a, "B"))
    for body in (
        {"name": "A", "defaultMenuSid": menu.sid},
        {"name": "A", "timeoutAction": {"actionType": "GO_TO_MENU", "actionData": menu.sid}},
    ):
        r = bg_admin.client.post(URL, body, format="json")
        assert r.status_code == 409 and r.json()["errorCode"] == "502"
    assert AutoAttendantSystem.objects.count() == 1


def test_unknown_or_foreign_numbers_are_491(bg_admin, enterprise_b, numbers):
    number(enterprise_b, "15550001")
    number(enterprise_b, "15550002", is_extension=True, extension="555")
    for body in (
        {"aaNumbers": ["15559999"]},
        {"aaNumbers": ["15550001"]},
        {"extensions": ["999"]},
        {"extensions": ["555"]},
        {"extensions": ["15550002"]},
    ):
        r = bg_admin.client.post(URL, {"name": "A", **body}, format="json")
        assert r.status_code == 409, body
        assert r.json()["errorCode"] == "491"
        assert r.json()["message"] == "PhoneNumber not found"
    assert not AutoAttendantSystem.objects.exists()


def test_released_numbers_are_491(bg_admin, numbers):
    PhoneNumber.objects.filter(pk=numbers["main1"].pk).update(date_deleted=dt.datetime.now(dt.UTC))
    r = bg_admin.client.post(URL, {"name": "A", "aaNumbers": ["15719916943"]}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "491"


def test_an_extension_must_be_flagged_as_one_493(bg_admin, numbers):
    r = bg_admin.client.post(URL, {"name": "A", "extensions": ["15719916943"]}, format="json")
    assert r.status_code == 409
    assert r.json()["errorCode"] == "493"
    assert r.json()["message"] == "PhoneNumber is not an Extension number"


def test_an_extension_cannot_be_a_main_number_623(bg_admin, numbers):
    r = bg_admin.client.post(URL, {"name": "A", "aaNumbers": ["15717716943"]}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "623"


def test_a_main_number_of_another_system_is_619_and_never_moved(bg_admin, numbers):
    first = create(bg_admin, {"name": "A", "aaNumbers": ["15719916943"]})
    r = bg_admin.client.post(
        URL, {"name": "B", "aaNumbers": ["15719916944", "15719916943"]}, format="json"
    )
    assert r.status_code == 409
    doc = r.json()
    assert doc["errorCode"] == "619"
    assert doc["data"]["autoAttendantSid"] == first["sid"]
    numbers["main1"].refresh_from_db()
    numbers["main2"].refresh_from_db()
    assert numbers["main1"].auto_attendant.sid == first["sid"]
    assert numbers["main2"].auto_attendant is None  # nothing half-done
    assert AutoAttendantSystem.objects.count() == 1
    # Listing a system's own numbers again is fine; an extension may serve many systems.
    r = bg_admin.client.put(f"{URL}/{first['sid']}", {"aaNumbers": ["15719916943"]}, "json")
    assert r.status_code == 200
    create(bg_admin, {"name": "C", "extensions": ["101"]})
    create(bg_admin, {"name": "D", "extensions": ["101"]})


def test_aa_admin_manages_systems_but_not_extensions_403(aa_admin, numbers):
    data = create(aa_admin, {"name": "A", "aaNumbers": ["15719916943"]})
    for payload in ({"name": "B", "extensions": ["101"]}, {"name": "B", "extensions": []}):
        r = aa_admin.client.post(URL, payload, format="json")
        assert r.status_code == 403 and r.json()["errorCode"] == "603"
    r = aa_admin.client.put(f"{URL}/{data['sid']}", {"extensions": ["101"]}, format="json")
    assert r.status_code == 403
    assert AutoAttendantSystem.objects.count() == 1
    r = aa_admin.client.put(f"{URL}/{data['sid']}", {"name": "Renamed"}, format="json")
    assert r.status_code == 200
    assert aa_admin.client.delete(f"{URL}/{data['sid']}").status_code == 200


def test_another_enterprise_is_467(bg_admin, enterprise_b):
    r = bg_admin.client.post(URL, {"name": "A", "enterpriseSid": enterprise_b.sid}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "467"
    sid = create(bg_admin, {"name": "A"})["sid"]
    r = bg_admin.client.put(f"{URL}/{sid}", {"enterpriseSid": enterprise_b.sid}, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "467"


def test_operator_creates_in_a_named_enterprise(operator, enterprise_b):
    assert create(operator, {"name": "A", "enterpriseSid": enterprise_b.sid})["enterpriseSid"] == (
        enterprise_b.sid
    )
    r = operator.client.post(URL, {"name": "A"}, format="json")
    assert r.status_code == 400 and "enterpriseSid" in r.json()["data"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "A", "timezoneId": "Mars/Olympus"}, "timezoneId"),
        ({"name": "A", "timezoneId": None}, "timezoneId"),
        ({"name": "A", "language": "tlh"}, "language"),
        ({"name": "A", "status": "DELETED"}, "status"),
        ({"name": "A", "timeoutSeconds": "soon"}, "timeoutSeconds"),
        ({"name": "A", "timeoutSeconds": 0}, "timeoutSeconds"),
        ({"name": "A", "timeoutMaxOccurance": -1}, "timeoutMaxOccurance"),
        ({"name": "A", "aaNumbers": "15719916943"}, "aaNumbers"),
        ({"name": "A", "aaNumbers": ["CALL-ME"]}, "aaNumbers"),
        ({"name": "A", "extensions": [["101"]]}, "extensions"),
        ({"name": "A", "extensions": ["ext-101"]}, "extensions"),
        ({"name": "A", "aaNumbers": [], "numbers": []}, "numbers"),
        ({"name": "A", "timeoutAction": "HANGUP"}, "timeoutAction"),
        ({"name": "A", "timeoutAction": {"actionType": "DANCE"}}, "timeoutAction.actionType"),
        (
            {"name": "A", "invalidInputAction": {"actionType": "TRANSFER_TO_PHONE"}},
            "invalidInputAction.actionData",
        ),
        (
            {"name": "A", "invalidInputAction": {"actionType": "ANNOUNCEMENT_HANGUP"}},
            "invalidInputAction.actionData",
        ),
    ],
)
def test_garbage_is_a_400_naming_the_field(bg_admin, numbers, payload, field):
    r = bg_admin.client.post(URL, payload, format="json")
    assert r.status_code == 400, r.json()
    assert r.json()["errorCode"] == "600"
    assert field in r.json()["data"]
    assert not AutoAttendantSystem.objects.exists()


def test_an_unknown_or_foreign_announcement_in_an_action_is_500(bg_admin, enterprise_b):
    foreign = make_announcement(enterprise_b)
    for sid in (foreign.sid, "AN" + "0" * 32):
        action = {"actionType": "ANNOUNCEMENT_HANGUP", "actionData": sid}
        r = bg_admin.client.post(URL, {"name": "A", "timeoutAction": action}, format="json")
        assert r.status_code == 409 and r.json()["errorCode"] == "500"


def test_get_single_and_the_unknown_or_foreign_490(bg_admin, bg_admin_b):
    mine = create(bg_admin, {"name": "A"})
    r = bg_admin.client.get(f"{URL}/search/{mine['sid']}")
    assert r.status_code == 200 and r.json()["data"] == mine
    foreign = create(bg_admin_b, {"name": "Theirs"})["sid"]
    for sid in ("AA" + "0" * 32, foreign):
        r = bg_admin.client.get(f"{URL}/search/{sid}")
        assert r.status_code == 409
        assert r.json() == {
            "errorCode": "490",
            "message": "AutoAttendant System not found",
            "data": {"sid": sid},
        }
        r = bg_admin.client.put(f"{URL}/{sid}", {"name": "Mine"}, format="json")
        assert r.status_code == 409 and r.json()["errorCode"] == "490"
        r = bg_admin.client.delete(f"{URL}/{sid}")
        assert r.status_code == 409 and r.json()["errorCode"] == "490"
    assert AutoAttendantSystem.objects.get(sid=foreign).name == "Theirs"


def test_delete_removes_menus_and_schedule_and_releases_numbers(bg_admin, numbers, greeting):
    data = create(bg_admin, {"name": "A", "aaNumbers": ["15719916943"], "extensions": ["101"]})
    system = AutoAttendantSystem.objects.get(sid=data["sid"])
    day = make_menu(system, "Day", announcement=greeting, keys={"1": "HANGUP"})
    night = make_menu(system, "Night", keys={"1": ("GO_TO_MENU", day.sid)})
    make_weekly_block(day, [(1, "09:00", "17:00")])
    make_weekly_block(night, [(1, "17:00", "09:00")], position=1)
    system.default_menu = night
    system.save()
    other = make_system(system.enterprise, "Other")
    kept_menu = make_menu(other, "Kept")

    r = bg_admin.client.delete(f"{URL}/{data['sid']}")
    assert r.status_code == 200
    assert r.json()["data"]["sid"] == data["sid"]
    assert not AutoAttendantSystem.objects.filter(sid=data["sid"]).exists()
    assert list(Menu.objects.all()) == [kept_menu]
    assert not MenuKey.objects.exists()
    assert not ScheduleBlock.objects.exists() and not ScheduleEntry.objects.exists()
    for key in ("main1", "ext1"):
        numbers[key].refresh_from_db()
        assert numbers[key].date_deleted is None
    assert numbers["main1"].auto_attendant is None
    assert not numbers["ext1"].extension_of_systems.exists()
    greeting.refresh_from_db()  # announcements belong to the enterprise: they stay
    r = bg_admin.client.get(f"{URL}/search/{data['sid']}")
    assert r.json()["errorCode"] == "490"


def test_a_failing_delete_leaves_everything_as_it_was(bg_admin, enterprise_a, numbers):
    """A menu of the system that another system (wrongly) uses as its default menu blocks the
    delete: nothing is removed and the numbers stay assigned."""
    data = create(bg_admin, {"name": "A", "aaNumbers": ["15719916943"]})
    system = AutoAttendantSystem.objects.get(sid=data["sid"])
    menu = make_menu(system, "Day")
    make_weekly_block(menu, [(1, "09:00", "17:00")])
    make_system(enterprise_a, "Odd one", default_menu=menu)
    r = bg_admin.client.delete(f"{URL}/{data['sid']}")
    assert r.status_code == 409 and r.json()["errorCode"] == "614"
    assert AutoAttendantSystem.objects.filter(sid=data["sid"]).exists()
    assert ScheduleBlock.objects.count() == 1
    numbers["main1"].refresh_from_db()
    assert numbers["main1"].auto_attendant_id == system.pk


@pytest.fixture
def crowd(bg_admin, bg_admin_b, numbers):
    names = ["Marketing", "after hours", "Sales", "marketing EMEA"]
    sids = [create(bg_admin, {"name": n})["sid"] for n in names]
    create(bg_admin_b, {"name": "Bolt marketing"})
    for day, sid in enumerate(sids, start=1):
        AutoAttendantSystem.objects.filter(sid=sid).update(
            date_created=dt.datetime(2020, 1, day, 12, tzinfo=dt.UTC)
        )
    AutoAttendantSystem.objects.filter(sid=sids[2]).update(status="SUSPENDED")


def _names(r):
    assert r.status_code == 200, r.json()
    return [s["name"] for s in r.json()["data"]["result"]]


def test_list_as_in_the_spec(bg_admin, enterprise_a, crowd):
    r = bg_admin.client.get(f"{URL}/search?enterpriseSid={enterprise_a.sid}")
    data = r.json()["data"]
    assert [s["name"] for s in data["result"]] == [
        "Marketing",
        "after hours",
        "Sales",
        "marketing EMEA",
    ]
    assert (data["pageSize"], data["total"], data["page"], data["numPages"]) == (10, 4, 0, 1)
    assert (data["start"], data["end"]) == (0, 3)
    assert data["firstPageUri"] == (
        f"/autoattendant/system/search?enterpriseSid={enterprise_a.sid}&pageSize=10&page=0"
    )


def test_list_filters(bg_admin, crowd, enterprise_b):
    c = bg_admin.client
    assert _names(c.get(f"{URL}/search?name=market")) == ["Marketing", "marketing EMEA"]
    assert _names(c.get(f"{URL}/search?status=SUSPENDED")) == ["Sales"]
    assert _names(c.get(f"{URL}/search?startTime=2020-01-02&endTime=2020-01-03T12:00:00")) == [
        "after hours",
        "Sales",
    ]
    assert _names(c.get(f"{URL}/search?enterpriseSid={enterprise_b.sid}")) == []
    r = c.get(f"{URL}/search?startTime=soon")
    assert r.status_code == 400 and r.json()["errorCode"] == "612"
    r = c.get(f"{URL}/search?pageSize=-1")
    assert r.status_code == 400 and r.json()["errorCode"] == "610"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["after hours", "Marketing", "marketing EMEA", "Sales"]),
        ("name:desc", ["Sales", "marketing EMEA", "Marketing", "after hours"]),
        ("dateCreated:desc", ["marketing EMEA", "Sales", "after hours", "Marketing"]),
    ],
)
def test_list_sorts(bg_admin, crowd, sort, expected):
    assert _names(bg_admin.client.get(f"{URL}/search?SortBy={sort}")) == expected


def test_an_unknown_sort_is_400(bg_admin):
    r = bg_admin.client.get(f"{URL}/search?SortBy=phoneNumber")
    assert r.status_code == 400 and r.json()["errorCode"] == "611"


def test_operator_lists_every_enterprise(operator, crowd):
    assert "Bolt marketing" in _names(operator.client.get(f"{URL}/search"))


def test_list_query_count_does_not_grow_with_rows(bg_admin, enterprise_a, numbers, greeting):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            r = bg_admin.client.get(f"{URL}/search?pageSize=100")
        assert r.status_code == 200
        return len(ctx.captured_queries), r.json()["data"]["total"]

    create(bg_admin, {**spec_body(greeting), "extensions": ["101"]})
    one, _ = count()
    for i in range(30):
        system = make_system(enterprise_a, f"S{i}", created_by=bg_admin.user)
        system.default_menu = make_menu(system)
        system.save()
        PhoneNumber.objects.create(enterprise=enterprise_a, number=f"1777000{i:04d}",
                                   auto_attendant=system)  # fmt: skip
        system.extensions.add(numbers["ext1"], numbers["ext2"])
    many, total = count()
    # auth (user + enterprise) · count · page rows (+ enterprise, creator, default menu joined)
    # · main numbers · extensions · holiday calendar links (calendar and menu joined)
    assert one == many == 6
    assert total == 31
