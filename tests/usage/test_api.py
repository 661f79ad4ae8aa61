"""GET /autoattendant/phonenumber/usage/records[/{subresource}]: the spec's "Usage Records"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import Enterprise

from .conftest import add_number

pytestmark = pytest.mark.django_db

BASE = "/autoattendant/phonenumber/usage/records"
SUBRESOURCES = ["daily", "monthly", "yearly", "today", "yesterday", "thismonth", "lastmonth"]


def records(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["data"]["usageRecords"]


def spans(response) -> list[tuple[str, str, str]]:
    return [(r["startDate"], r["endDate"], r["count"]) for r in records(response)]


def test_it_answers_the_spec_example(bg_admin, enterprise_a, freeze_now):
    freeze_now("2019-08-10T08:30:05")
    for day in ("2019-06-03", "2019-07-05", "2019-07-22"):
        add_number(enterprise_a, day)
    add_number(enterprise_a, "2019-07-10", extension=True)
    add_number(enterprise_a, "2019-06-01", "2019-06-30")  # gone before July

    r = bg_admin.client.get(f"{BASE}?startDate=2019-07-01&endDate=2019-07-23")

    doc = r.json()
    assert (r.status_code, doc["code"], doc["message"]) == (200, 200, "OK")
    assert doc["data"] == {
        "usageRecords": [
            {
                "category": "phonenumbers",
                "description": "Total Numbers created",
                "enterpriseSid": enterprise_a.sid,
                "startDate": "2019-07-01",
                "endDate": "2019-07-23",
                "asOf": "2019-08-10T08:30:05+0000",
                "count": "4",
                "countUnit": "numbers",
                "usage": "4",
                "usageUnit": "numbers",
                "uri": f"{BASE}?startDate=2019-07-01&endDate=2019-07-23",
            }
        ],
        "pageSize": 10,
        "total": 1,
        "page": 0,
        "numPages": 1,
        "start": 0,
        "end": 0,
        "uri": f"{BASE}?startDate=2019-07-01&endDate=2019-07-23&pageSize=10&page=0",
        "firstPageUri": f"{BASE}?startDate=2019-07-01&endDate=2019-07-23&pageSize=10&page=0",
        "previousPageUri": None,
        "nextPageUri": None,
    }


def test_daily_answers_the_spec_example(bg_admin, enterprise_a, freeze_now):
    freeze_now("2019-08-10T08:30")
    add_number(enterprise_a, "2019-07-01")
    add_number(enterprise_a, "2019-07-22T10:00")
    r = bg_admin.client.get(f"{BASE}/daily?startDate=2019-07-21&endDate=2019-07-23")
    assert spans(r) == [
        ("2019-07-21", "2019-07-21", "1"),
        ("2019-07-22", "2019-07-22", "2"),
        ("2019-07-23", "2019-07-23", "2"),
    ]
    assert records(r)[0]["uri"] == f"{BASE}/daily?startDate=2019-07-21&endDate=2019-07-21"


@pytest.mark.parametrize("kind", ["", *SUBRESOURCES])
def test_every_route_answers_with_and_without_a_trailing_slash(bg_admin, kind):
    path = f"{BASE}/{kind}" if kind else BASE
    for url in (path, f"{path}/"):
        r = bg_admin.client.get(url)
        assert r.status_code == 200, url
        assert r.json()["data"]["total"] >= 1


def test_the_default_periods_of_each_subresource(bg_admin, enterprise_a, freeze_now):
    freeze_now("2024-03-15T12:00")
    add_number(enterprise_a, "2023-02-10")

    def get(kind):
        return spans(bg_admin.client.get(f"{BASE}/{kind}?pageSize=100"))

    daily = get("daily")
    assert len(daily) == 30
    assert daily[0] == ("2024-02-15", "2024-02-15", "1")
    assert daily[-1] == ("2024-03-15", "2024-03-15", "1")
    monthly = get("monthly")
    assert len(monthly) == 12
    assert monthly[0] == ("2023-04-01", "2023-04-30", "1")
    assert monthly[-1] == ("2024-03-01", "2024-03-15", "1")
    assert get("yearly") == [("2023-01-01", "2023-12-31", "1"), ("2024-01-01", "2024-03-15", "1")]
    assert get("today") == [("2024-03-15", "2024-03-15", "1")]
    assert get("yesterday") == [("2024-03-14", "2024-03-14", "1")]
    assert get("thismonth") == [("2024-03-01", "2024-03-15", "1")]
    assert get("lastmonth") == [("2024-02-01", "2024-02-29", "1")]
    assert spans(bg_admin.client.get(BASE)) == [("2024-03-01", "2024-03-15", "1")]


def test_a_period_with_nothing_still_has_its_record_with_count_0(bg_admin, enterprise_a):
    (record,) = records(bg_admin.client.get(f"{BASE}/today"))
    assert (record["count"], record["usage"]) == ("0", "0")
    assert record["enterpriseSid"] == enterprise_a.sid


def test_start_and_end_time_are_accepted_for_the_dates(bg_admin, enterprise_a, freeze_now):
    freeze_now("2024-03-15T12:00")
    add_number(enterprise_a, "2024-03-01", "2024-03-02")
    r = bg_admin.client.get(f"{BASE}/daily?startTime=2024-03-01&endTime=2024-03-03")
    assert spans(r) == [
        ("2024-03-01", "2024-03-01", "1"),
        ("2024-03-02", "2024-03-02", "1"),
        ("2024-03-03", "2024-03-03", "0"),
    ]


def test_dates_relative_to_today(bg_admin, freeze_now):
    freeze_now("2024-03-15T12:00")
    r = bg_admin.client.get(f"{BASE}?startDate=-30days&endDate=%2B30days")
    assert spans(r) == [("2024-02-14", "2024-04-14", "0")]
    r = bg_admin.client.get(f"{BASE}/daily?startDate=-2days")
    assert [s[0] for s in spans(r)] == ["2024-03-13", "2024-03-14", "2024-03-15"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("startDate=2024-02-30", "startDate"),
        ("endTime=soon", "endTime"),
        ("startDate=2024-03-10&endDate=2024-03-01", "startDate"),
    ],
)
def test_bad_dates_are_a_400_envelope(bg_admin, query, field):
    r = bg_admin.client.get(f"{BASE}/daily?{query}")
    assert r.status_code == 400
    doc = r.json()
    assert doc["errorCode"] == "612"
    assert doc["message"] == "Invalid filter parameter"
    assert field in doc["data"]


def test_bad_paging_is_a_400(bg_admin):
    r = bg_admin.client.get(f"{BASE}/daily?pageSize=0")
    assert (r.status_code, r.json()["errorCode"]) == (400, "610")


def test_it_needs_credentials(anon):
    r = anon.get(f"{BASE}/daily")
    assert (r.status_code, r.json()["errorCode"]) == (401, "602")


def test_an_aa_admin_reads_usage_too(aa_admin, enterprise_a):
    (record,) = records(aa_admin.client.get(f"{BASE}/today"))
    assert record["enterpriseSid"] == enterprise_a.sid


# --- Tenancy ---------------------------------------------------------------------------------
def test_an_enterprise_user_sees_only_its_own_enterprise(
    bg_admin, bg_admin_b, enterprise_a, enterprise_b
):
    add_number(enterprise_a, "2020-01-01")
    for _ in range(3):
        add_number(enterprise_b, "2020-01-01")
    (mine,) = records(bg_admin.client.get(f"{BASE}/today"))
    assert (mine["enterpriseSid"], mine["count"]) == (enterprise_a.sid, "1")
    (theirs,) = records(bg_admin_b.client.get(f"{BASE}/today"))
    assert (theirs["enterpriseSid"], theirs["count"]) == (enterprise_b.sid, "3")


def test_naming_another_enterprise_shows_nothing_of_it(bg_admin, enterprise_b):
    add_number(enterprise_b, "2020-01-01")
    r = bg_admin.client.get(f"{BASE}/today?enterpriseSid={enterprise_b.sid}")
    assert records(r) == []
    assert r.json()["data"]["total"] == 0


def test_the_operator_gets_one_record_per_enterprise_and_period(
    operator, enterprise_a, enterprise_b, freeze_now
):
    freeze_now("2024-03-15T12:00")
    add_number(enterprise_a, "2024-03-14T09:00")
    add_number(enterprise_b, "2024-03-01", "2024-03-14T08:00")
    r = operator.client.get(f"{BASE}/daily?startDate=2024-03-13&endDate=2024-03-15")
    assert [(rec["startDate"], rec["enterpriseSid"], rec["count"]) for rec in records(r)] == [
        ("2024-03-13", enterprise_a.sid, "0"),
        ("2024-03-13", enterprise_b.sid, "1"),
        ("2024-03-14", enterprise_a.sid, "1"),
        ("2024-03-14", enterprise_b.sid, "1"),
        ("2024-03-15", enterprise_a.sid, "1"),
        ("2024-03-15", enterprise_b.sid, "0"),
    ]
    narrowed = operator.client.get(f"{BASE}/today?enterpriseSid={enterprise_b.sid}")
    assert [rec["enterpriseSid"] for rec in records(narrowed)] == [enterprise_b.sid]


# --- Paging ----------------------------------------------------------------------------------
def test_pages_walk_the_period_by_enterprise_table(operator, freeze_now):
    enterprises = [Enterprise.objects.create(name=f"E{i}") for i in range(3)]  # in this order
    freeze_now("2024-03-15T12:00")
    for i, enterprise in enumerate(enterprises):
        for _ in range(i):
            add_number(enterprise, "2024-01-01")
    url = f"{BASE}/daily?startDate=2024-03-01&endDate=2024-03-05"

    everything = records(operator.client.get(f"{url}&pageSize=100"))
    assert len(everything) == 15
    assert [r["count"] for r in everything] == ["0", "1", "2"] * 5

    seen, page, uri = [], 0, f"{url}&pageSize=4"
    while uri:
        data = operator.client.get(uri).json()["data"]
        assert (data["page"], data["total"], data["numPages"]) == (page, 15, 4)
        assert data["start"] == page * 4
        assert data["end"] == data["start"] + len(data["usageRecords"]) - 1
        seen += data["usageRecords"]
        uri, page = data["nextPageUri"], page + 1
    assert seen == everything
    assert "startDate=2024-03-01" in data["firstPageUri"]
    assert data["previousPageUri"].endswith("pageSize=4&page=2")

    beyond = operator.client.get(f"{url}&pageSize=4&page=9").json()["data"]
    assert (beyond["usageRecords"], beyond["total"]) == ([], 15)


def test_the_query_count_does_not_grow_with_enterprises_or_numbers(operator, freeze_now):
    freeze_now("2024-03-15T12:00")

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            r = operator.client.get(path)
        assert r.status_code == 200
        return len(ctx.captured_queries)

    paths = [f"{BASE}/daily?pageSize=1000", f"{BASE}/monthly?pageSize=1000", f"{BASE}?pageSize=3"]
    Enterprise.objects.create(name="Only one")
    before = [count(p) for p in paths]
    for i in range(12):
        enterprise = Enterprise.objects.create(name=f"Busy {i}")
        for month in range(1, 4):
            add_number(enterprise, f"2023-{month:02d}-0{1 + i % 9}")
            add_number(enterprise, f"2024-{month:02d}-01", "2024-03-02", extension=True)
    after = [count(p) for p in paths]
    # daily: auth · enterprise count · the page's enterprises · one live count (30 periods)
    # monthly: the same + roll-up rows of the 11 closed months + which of them are rolled up
    # base, a page of 3 of 13 enterprises: auth · count · enterprises · live count
    assert before == after == [4, 6, 4]


def test_the_openapi_schema_documents_the_envelope(operator):
    schema = operator.client.get("/autoattendant/schema/?format=json").json()
    for path in [BASE, *(f"{BASE}/{kind}" for kind in SUBRESOURCES)]:
        operation = schema["paths"][path]["get"]
        data = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert data["properties"]["code"]["example"] == 200
        assert "400" in operation["responses"]
    daily = schema["paths"][f"{BASE}/daily"]["get"]
    assert daily["summary"] == "Daily usage records"
    assert {p["name"] for p in daily["parameters"]} >= {"startDate", "endTime", "pageSize"}
    page = schema["components"]["schemas"]["UsageRecordPage"]
    assert "usageRecords" in page["properties"]
