"""Enterprises: the operator's customers, managed by superusers only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import Enterprise, PhoneNumber

pytestmark = pytest.mark.django_db


def test_operator_creates_lists_gets_updates_and_deletes(operator):
    c = operator.client
    r = c.post("/autoattendant/enterprise", {"name": "Nuso Dental"}, format="json")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["sid"].startswith("EN") and data["status"] == "ACTIVE"
    assert data["uri"] == f"/autoattendant/enterprise/search/{data['sid']}"
    sid = data["sid"]
    assert c.get(f"/autoattendant/enterprise/search/{sid}").json()["data"]["name"] == "Nuso Dental"
    listed = c.get("/autoattendant/enterprise/search?name=dental").json()["data"]["result"]
    assert [e["sid"] for e in listed] == [sid]
    r = c.put(f"/autoattendant/enterprise/{sid}", {"status": "SUSPENDED"}, format="json")
    assert r.json()["data"]["status"] == "SUSPENDED"
    assert r.json()["data"]["name"] == "Nuso Dental"
    r = c.delete(f"/autoattendant/enterprise/{sid}")
    assert r.status_code == 200 and r.json()["data"]["status"] == "DELETED"
    assert Enterprise.objects.filter(sid=sid).exists()


def test_a_deleted_enterprise_gets_no_new_users(operator, enterprise_b):
    operator.client.delete(f"/autoattendant/enterprise/{enterprise_b.sid}")
    r = operator.client.post(
        "/autoattendant/user",
        {"emailId": "x@y.example", "role": "BG_ADMIN", "enterpriseSid": enterprise_b.sid},
        format="json",
    )
    assert r.status_code == 409 and r.json()["errorCode"] == "467"


def test_deleting_an_enterprise_with_live_numbers_is_refused(operator, enterprise_a):
    PhoneNumber.objects.create(enterprise=enterprise_a, number="15551230000")
    r = operator.client.delete(f"/autoattendant/enterprise/{enterprise_a.sid}")
    assert r.status_code == 409 and r.json()["errorCode"] == "620"
    enterprise_a.refresh_from_db()
    assert enterprise_a.status == "ACTIVE"


def test_deleting_an_enterprise_locks_its_users_out(operator, bg_admin, enterprise_a):
    operator.client.delete(f"/autoattendant/enterprise/{enterprise_a.sid}")
    assert bg_admin.client.get("/autoattendant/user/search").status_code == 401


@pytest.mark.parametrize("actor", ["bg_admin", "aa_admin"])
def test_enterprise_users_cannot_touch_enterprises(request, actor, enterprise_a):
    client = request.getfixturevalue(actor).client
    for r in (
        client.get("/autoattendant/enterprise/search"),
        client.get(f"/autoattendant/enterprise/search/{enterprise_a.sid}"),
        client.post("/autoattendant/enterprise", {"name": "Mine"}, format="json"),
        client.put(f"/autoattendant/enterprise/{enterprise_a.sid}", {"name": "X"}, format="json"),
        client.delete(f"/autoattendant/enterprise/{enterprise_a.sid}"),
    ):
        assert r.status_code == 403 and r.json()["errorCode"] == "603"
    enterprise_a.refresh_from_db()
    assert enterprise_a.name == "Acme Plumbing" and enterprise_a.status == "ACTIVE"


def test_unknown_enterprise_is_467(operator):
    r = operator.client.get("/autoattendant/enterprise/search/EN" + "f" * 32)
    assert r.status_code == 409 and r.json()["errorCode"] == "467"


def test_validation(operator):
    r = operator.client.post("/autoattendant/enterprise", {"status": "WEIRD"}, format="json")
    assert r.status_code == 400
    assert {"name", "status"} <= set(r.json()["data"])


def test_list_query_count_is_constant(operator):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            r = operator.client.get("/autoattendant/enterprise/search?pageSize=100")
        assert r.status_code == 200
        return len(ctx.captured_queries)

    Enterprise.objects.create(name="one")
    one = count()
    Enterprise.objects.bulk_create([Enterprise(name=f"e{i}") for i in range(40)])
    # auth · count · rows
    assert count() == one == 3
