"""Users: every example of the spec's "Users" section, the role rules and tenancy."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.choices import Role
from autoattendant.models import User
from tests.conftest import PASSWORD, make_actor, make_client

pytestmark = pytest.mark.django_db

SPEC_CREATE = {
    "status": "ACTIVE",
    "name": "Test BG 2",
    "emailId": "testbgadmin2@yourcompany.com",
    "password": "W31Comet0@@!",
    "role": "BG_ADMIN",
}


def test_it_creates_a_user_as_the_spec_shows(bg_admin, enterprise_a):
    body = {**SPEC_CREATE, "enterpriseSid": enterprise_a.sid}
    r = bg_admin.client.post("/autoattendant/user", body, format="json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["code"] == 200 and doc["message"] == "OK"
    data = doc["data"]
    assert data["sid"].startswith("RCS") and len(data["sid"]) == 35
    assert data["accountSid"].startswith("AC") and len(data["accountSid"]) == 34
    assert data["uri"] == f"/autoattendant/user/search/{data['sid']}"
    assert data["accountEmail"] == bg_admin.user.email
    assert data["emailId"] == "testbgadmin2@yourcompany.com"
    assert (data["status"], data["role"], data["name"]) == ("ACTIVE", "BG_ADMIN", "Test BG 2")
    assert data["enterpriseSid"] == enterprise_a.sid
    assert data["dateCreated"].endswith("+0000") and len(data["dateCreated"]) == 24
    assert "password" not in data
    # The token works at once, with the accountSid or the email; it is stored hashed.
    token = data["authToken"]
    assert len(token) == 32
    user = User.objects.get(sid=data["sid"])
    assert token not in user.auth_token_hash
    for username in (data["accountSid"], data["emailId"]):
        me = make_client(username, token).get("/autoattendant/user/search")
        assert me.status_code == 200
    # ...and the password too.
    assert (
        make_client(data["emailId"], SPEC_CREATE["password"])
        .get("/autoattendant/user/search")
        .status_code
        == 200
    )


def test_enterprise_sid_defaults_to_the_callers(bg_admin, enterprise_a):
    r = bg_admin.client.post("/autoattendant/user/", SPEC_CREATE, format="json")
    assert r.status_code == 200
    assert r.json()["data"]["enterpriseSid"] == enterprise_a.sid


def test_it_rejects_a_duplicate_email_in_the_same_enterprise_with_484(bg_admin):
    bg_admin.client.post("/autoattendant/user", SPEC_CREATE, format="json")
    again = {**SPEC_CREATE, "emailId": SPEC_CREATE["emailId"].upper()}
    r = bg_admin.client.post("/autoattendant/user", again, format="json")
    assert r.status_code == 409
    doc = r.json()
    assert doc["errorCode"] == "484"
    assert doc["message"] == "supportUser not unique"
    assert doc["data"]["emailId"] == again["emailId"]
    assert doc["data"]["password"] == "********"  # echoed, but never the secret itself
    assert User.objects.filter(email__iexact=SPEC_CREATE["emailId"]).count() == 1


def test_it_rejects_an_email_of_another_enterprise_with_505(bg_admin, bg_admin_b):
    bg_admin_b.client.post("/autoattendant/user", SPEC_CREATE, format="json")
    r = bg_admin.client.post("/autoattendant/user", SPEC_CREATE, format="json")
    assert r.status_code == 409
    assert r.json()["errorCode"] == "505"
    assert r.json()["message"] == "CPaaS account belongs to a different Admin account"


def test_it_rejects_another_enterprise_sid_with_467(bg_admin, enterprise_b):
    body = {**SPEC_CREATE, "enterpriseSid": enterprise_b.sid}
    r = bg_admin.client.post("/autoattendant/user", body, format="json")
    assert r.status_code == 409
    assert r.json()["errorCode"] == "467"
    assert not User.objects.filter(email=SPEC_CREATE["emailId"]).exists()


def test_operator_gets_467_for_an_unknown_enterprise(operator):
    body = {**SPEC_CREATE, "enterpriseSid": "EN" + "0" * 32}
    r = operator.client.post("/autoattendant/user", body, format="json")
    assert r.status_code == 409 and r.json()["errorCode"] == "467"


def test_operator_creates_a_user_in_any_enterprise(operator, enterprise_b):
    body = {**SPEC_CREATE, "enterpriseSid": enterprise_b.sid}
    r = operator.client.post("/autoattendant/user", body, format="json")
    assert r.status_code == 200
    assert r.json()["data"]["enterpriseSid"] == enterprise_b.sid


def test_operator_must_name_the_enterprise(operator):
    r = operator.client.post("/autoattendant/user", SPEC_CREATE, format="json")
    assert r.status_code == 400
    assert "enterpriseSid" in r.json()["data"]


@pytest.mark.parametrize("password", ["short", "password123", "12345678901"])
def test_it_rejects_a_weak_password_with_499(bg_admin, password):
    r = bg_admin.client.post(
        "/autoattendant/user", {**SPEC_CREATE, "password": password}, format="json"
    )
    assert r.status_code == 409
    doc = r.json()
    assert doc["errorCode"] == "499"
    assert doc["message"] == "Error in creating an account in CPaaS"
    assert doc["data"]["passwordErrors"]
    assert not User.objects.filter(email=SPEC_CREATE["emailId"]).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("emailId", "not-an-email"), ("role", "ROOT"), ("status", "SLEEPING"), ("emailId", None)],
)
def test_it_names_each_bad_field_with_400(bg_admin, field, value):
    r = bg_admin.client.post("/autoattendant/user", {**SPEC_CREATE, field: value}, format="json")
    assert r.status_code == 400
    doc = r.json()
    assert doc["errorCode"] == "600"
    assert field in doc["data"]


def test_aa_admin_cannot_create_update_or_delete_users(aa_admin, bg_admin):
    assert (
        aa_admin.client.post("/autoattendant/user", SPEC_CREATE, format="json").status_code == 403
    )
    sid = bg_admin.user.sid
    r = aa_admin.client.put(f"/autoattendant/user/{sid}", {"status": "SUSPENDED"}, format="json")
    assert r.status_code == 403 and r.json()["errorCode"] == "603"
    assert aa_admin.client.delete(f"/autoattendant/user/{sid}").status_code == 403
    bg_admin.user.refresh_from_db()
    assert bg_admin.user.status == "ACTIVE"


def test_aa_admin_can_read_users(aa_admin, bg_admin):
    r = aa_admin.client.get("/autoattendant/user/search")
    assert r.status_code == 200
    assert {u["emailId"] for u in r.json()["data"]["result"]} == {
        bg_admin.user.email,
        aa_admin.user.email,
    }


def test_get_single_user(bg_admin, aa_admin, enterprise_a):
    r = bg_admin.client.get(f"/autoattendant/user/search/{aa_admin.user.sid}")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["sid"] == aa_admin.user.sid
    assert data["enterpriseSid"] == enterprise_a.sid
    assert data["role"] == "AA_ADMIN"
    assert data["accountEmail"] == bg_admin.user.email


def test_unknown_and_foreign_users_answer_the_same_487(bg_admin, bg_admin_b):
    missing = "RCS" + "0" * 32
    a = bg_admin.client.get(f"/autoattendant/user/search/{missing}")
    b = bg_admin.client.get(f"/autoattendant/user/search/{bg_admin_b.user.sid}")
    assert a.status_code == b.status_code == 409
    assert a.json()["errorCode"] == b.json()["errorCode"] == "487"
    assert a.json()["message"] == "Auto Attendant user Id not found"
    assert b.json()["data"] == {"sid": bg_admin_b.user.sid}
    for method in ("put", "delete"):
        r = getattr(bg_admin.client, method)(
            f"/autoattendant/user/{bg_admin_b.user.sid}", {"status": "SUSPENDED"}, format="json"
        )
        assert r.status_code == 409 and r.json()["errorCode"] == "487"
    bg_admin_b.user.refresh_from_db()
    assert bg_admin_b.user.status == "ACTIVE"


def test_update_is_partial_as_in_the_spec(bg_admin, aa_admin):
    r = bg_admin.client.put(
        f"/autoattendant/user/{aa_admin.user.sid}", {"status": "SUSPENDED"}, format="json"
    )
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["status"] == "SUSPENDED"
    assert data["name"] == "Max Menus" and data["role"] == "AA_ADMIN"
    # A suspended user can no longer use the API.
    assert aa_admin.client.get("/autoattendant/user/search").status_code == 401


def test_update_changes_email_role_and_password(bg_admin, aa_admin):
    r = bg_admin.client.patch(
        f"/autoattendant/user/{aa_admin.user.sid}",
        {"emailId": "new@acme.example", "role": "BG_ADMIN", "password": "An0ther-Str0ng-One"},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["data"]["emailId"] == "new@acme.example"
    assert r.json()["data"]["role"] == "BG_ADMIN"
    assert (
        make_client("new@acme.example", "An0ther-Str0ng-One")
        .get("/autoattendant/user/search")
        .status_code
        == 200
    )


def test_update_to_a_taken_email_gives_484_or_505(bg_admin, aa_admin, bg_admin_b):
    url = f"/autoattendant/user/{aa_admin.user.sid}"
    r = bg_admin.client.put(url, {"emailId": bg_admin.user.email}, format="json")
    assert r.json()["errorCode"] == "484"
    r = bg_admin.client.put(url, {"emailId": bg_admin_b.user.email}, format="json")
    assert r.json()["errorCode"] == "505"
    r = bg_admin.client.put(url, {"password": "abc"}, format="json")
    assert r.json()["errorCode"] == "499"
    r = bg_admin.client.put(url, {"enterpriseSid": bg_admin_b.user.enterprise.sid}, format="json")
    assert r.json()["errorCode"] == "467"


def test_delete_marks_the_user_deleted_and_disables_login(bg_admin, aa_admin):
    r = bg_admin.client.delete(f"/autoattendant/user/{aa_admin.user.sid}/")
    assert r.status_code == 200
    assert r.json()["data"]["status"] == "DELETED"
    assert User.objects.filter(sid=aa_admin.user.sid).exists()
    assert aa_admin.client.get("/autoattendant/user/search").status_code == 401
    assert (
        make_client(aa_admin.user.email, PASSWORD).get("/autoattendant/user/search").status_code
        == 401
    )


def test_list_has_the_spec_paging_fields(bg_admin, enterprise_a):
    r = bg_admin.client.get(f"/autoattendant/user/search?enterpriseSid={enterprise_a.sid}")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["pageSize"] == 10 and data["page"] == 0 and data["total"] == 1
    assert data["numPages"] == 1 and data["start"] == 0 and data["end"] == 0
    assert data["uri"] == (
        f"/autoattendant/user/search?enterpriseSid={enterprise_a.sid}&pageSize=10&page=0"
    )
    assert data["firstPageUri"] == data["uri"]
    assert data["previousPageUri"] is None and data["nextPageUri"] is None


@pytest.fixture
def crowd(bg_admin, enterprise_a):
    """Five more users of enterprise A with distinct names and emails."""
    users = []
    for i, name in enumerate(["Eve", "carol", "Dave", "bob", "Zed"]):
        users.append(
            make_actor(
                f"{name.lower()}{i}@acme.example",
                enterprise_a,
                Role.AA_ADMIN if i % 2 else Role.BG_ADMIN,
                name=name,
            ).user
        )
    return users


def _emails(r):
    assert r.status_code == 200, r.json()
    return [u["emailId"] for u in r.json()["data"]["result"]]


def test_list_filters(bg_admin, crowd, bg_admin_b):
    c = bg_admin.client
    assert _emails(c.get("/autoattendant/user/search?name=AR")) == ["carol1@acme.example"]
    assert _emails(c.get("/autoattendant/user/search?emailId=DAVE")) == ["dave2@acme.example"]
    assert set(_emails(c.get("/autoattendant/user/search?role=AA_ADMIN"))) == {
        "carol1@acme.example",
        "bob3@acme.example",
    }
    User.objects.filter(email="zed4@acme.example").update(status="SUSPENDED")
    assert _emails(c.get("/autoattendant/user/search?status=SUSPENDED")) == ["zed4@acme.example"]
    # Another enterprise's sid filters to nothing rather than revealing anything.
    assert (
        _emails(c.get(f"/autoattendant/user/search?enterpriseSid={bg_admin_b.user.enterprise.sid}"))
        == []
    )


def test_list_time_filters_are_inclusive_and_date_means_midnight(bg_admin, crowd):
    import datetime as dt

    stamps = [dt.datetime(2020, 1, d, 12, 0, tzinfo=dt.UTC) for d in range(1, 6)]
    for user, stamp in zip(crowd, stamps, strict=True):
        User.objects.filter(pk=user.pk).update(date_created=stamp)
    User.objects.filter(pk=bg_admin.user.pk).update(
        date_created=dt.datetime(2019, 12, 31, tzinfo=dt.UTC)
    )
    c = bg_admin.client
    got = _emails(c.get("/autoattendant/user/search?startTime=2020-01-02&endTime=2020-01-04"))
    assert got == ["carol1@acme.example", "dave2@acme.example"]
    got = _emails(
        c.get(
            "/autoattendant/user/search?startTime=2020-01-02T12:00:00&endTime=2020-01-03T12:00:00"
        )
    )
    assert got == ["carol1@acme.example", "dave2@acme.example"]
    got = _emails(c.get("/autoattendant/user/search?startTime=2020-01-05T12:00:00%2B0000"))
    assert got == ["zed4@acme.example"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alice Boss", "bob", "carol", "Dave", "Eve", "Zed"]),
        ("name:desc", ["Zed", "Eve", "Dave", "carol", "bob", "Alice Boss"]),
        ("email:asc", ["bob", "Alice Boss", "carol", "Dave", "Eve", "Zed"]),
    ],
)
def test_list_sorts(bg_admin, crowd, sort, expected):
    r = bg_admin.client.get(f"/autoattendant/user/search?SortBy={sort}")
    # Case-insensitive, as people read names, whatever the database collation.
    assert [u["name"] for u in r.json()["data"]["result"]] == expected


def test_list_sorts_by_date_created_by_default(bg_admin, crowd):
    r = bg_admin.client.get("/autoattendant/user/search")
    dates = [u["dateCreated"] for u in r.json()["data"]["result"]]
    assert dates == sorted(dates)
    assert r.json()["data"]["result"][0]["emailId"] == bg_admin.user.email


def test_list_pages(bg_admin, crowd):
    r = bg_admin.client.get("/autoattendant/user/search?pageSize=4&page=1&name=")
    data = r.json()["data"]
    assert data["total"] == 6 and data["numPages"] == 2
    assert data["start"] == 4 and data["end"] == 5 and len(data["result"]) == 2
    assert data["previousPageUri"] == "/autoattendant/user/search?name=&pageSize=4&page=0"
    assert data["nextPageUri"] is None
    first = bg_admin.client.get(data["firstPageUri"]).json()["data"]
    assert first["nextPageUri"] == "/autoattendant/user/search?name=&pageSize=4&page=1"
    seen = {u["sid"] for u in first["result"]} | {u["sid"] for u in data["result"]}
    assert len(seen) == 6


def test_a_page_past_the_end_is_empty(bg_admin):
    data = bg_admin.client.get("/autoattendant/user/search?page=5").json()["data"]
    assert data["result"] == [] and data["total"] == 1 and data["end"] == 49


def test_list_query_count_does_not_grow_with_rows(bg_admin, enterprise_a):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            r = bg_admin.client.get("/autoattendant/user/search?pageSize=100")
        assert r.status_code == 200
        return len(ctx.captured_queries), r.json()["data"]["total"]

    one, total = count()
    for i in range(30):
        User.objects.create_user(
            email=f"u{i}@acme.example",
            enterprise=enterprise_a,
            role=Role.AA_ADMIN,
            created_by=bg_admin.user,
        )
    many, total_after = count()
    # auth (user + enterprise) · count · page rows (+ creator and enterprise joined)
    assert one == many == 3
    assert total_after == total + 30


def test_operator_lists_users_of_every_enterprise(operator, bg_admin, bg_admin_b):
    emails = _emails(operator.client.get("/autoattendant/user/search"))
    assert set(emails) == {bg_admin.user.email, bg_admin_b.user.email}
