"""Query parameters: every operation takes exactly the ones its OpenAPI schema documents, and
refuses any other with 625 (HTTP 400) naming it — the spec's own example URLs still work, and
the platforms' webhooks, outside the API, read whatever the platform sends."""

from __future__ import annotations

import pytest

from autoattendant.models import PhoneNumber
from tests.builders import make_menu, make_weekly_block

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get("/autoattendant/schema/?format=json").json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def concrete(path: str) -> str:
    return path.replace("{sid}", "XX0").replace("{phoneNumber}", "15550001000")


def call(client, method: str, path: str, query: str):
    url = f"{concrete(path)}?{query}"
    if method in ("post", "put", "patch"):
        return getattr(client, method)(url, {}, format="json")
    return getattr(client, method)(url)


def valid_value(parameter: dict) -> str:
    """A value of the parameter's documented form."""
    schema = parameter["schema"]
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("type") == "integer":
        return "1"
    if "example" in schema:
        return schema["example"]
    if parameter["name"] in ("startTime", "endTime", "startDate", "endDate", "asOf"):
        return "2020-01-02"
    return "x"


def test_every_operation_refuses_a_query_parameter_it_does_not_document(operator, schema):
    for method, path, _ in operations(schema):
        r = call(operator.client, method, path, "page=0&zzUnknown=1")
        assert r.status_code == 400, (method, path, r.json())
        body = r.json()
        assert body["errorCode"] == "625" and "zzUnknown" in body["data"], (method, path, body)


def test_every_documented_query_parameter_is_taken(operator, schema):
    for method, path, operation in operations(schema):
        query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
        sent = "&".join(f"{p['name']}={valid_value(p)}" for p in query)
        r = call(operator.client, method, path, sent)
        if r["Content-Type"].startswith("text/csv"):  # the call export: taken, and streamed
            assert r.status_code == 200, (method, path)
            continue
        assert r.json().get("errorCode") != "625", (method, path, r.json())


def test_the_refusal_names_each_unknown_parameter_and_what_the_operation_takes(bg_admin):
    r = bg_admin.client.get("/autoattendant/user/search?pagesize=5&emailID=a&page=0")
    assert r.status_code == 400
    body = r.json()
    assert body["errorCode"] == "625"
    assert body["message"] == "Unknown query parameter"
    assert set(body["data"]) == {"pagesize", "emailID"}
    assert "pageSize" in body["data"]["pagesize"] and "emailId" in body["data"]["pagesize"]


def test_an_operation_without_query_parameters_says_so(bg_admin):
    r = bg_admin.client.get(f"/autoattendant/user/search/{bg_admin.user.sid}?expand=1")
    assert r.json() == {
        "errorCode": "625",
        "message": "Unknown query parameter",
        "data": {"expand": "Not a parameter of this operation; it takes no query parameters."},
    }


@pytest.mark.parametrize(
    "url",
    [
        "/autoattendant/phonenumber/usage/records?StartDate=-30days",
        "/autoattendant/schedule/search?autoAttendandSid=AA0",  # the spec's typo
        "/autoattendant/announcement/search?format=json",
    ],
)
def test_a_parameter_that_would_have_been_ignored_is_refused(bg_admin, url):
    r = bg_admin.client.get(url)
    assert (r.status_code, r.json()["errorCode"]) == (400, "625"), r.json()


def test_an_anonymous_caller_is_told_to_authenticate_first(anon):
    r = anon.get("/autoattendant/user/search?zzUnknown=1")
    assert (r.status_code, r.json()["errorCode"]) == (401, "602")


def test_sortby_is_still_an_alias_of_sortby(bg_admin, aa_admin):
    r = bg_admin.client.get("/autoattendant/user/search?sortBy=email:desc")
    assert r.status_code == 200
    emails = [u["emailId"] for u in r.json()["data"]["result"]]
    assert emails == sorted(emails, reverse=True)


def test_the_spec_example_urls_still_work(bg_admin, system_a, greeting):
    enterprise = bg_admin.user.enterprise.sid
    urls = [
        f"/autoattendant/user/search/?enterpriseSid={enterprise}&pageSize=10&page=0",
        f"/autoattendant/announcement/search/?enterpriseSid={enterprise}"
        "&name=Greeting&pageSize=10&page=0",
        f"/autoattendant/menu/search?autoAttendantSid={system_a.sid}",
        f"/autoattendant/system/search/?enterpriseSid={enterprise}&pageSize=10&page=0",
        "/autoattendant/system/search?name=acme",
        f"/autoattendant/phonenumber/search/?enterpriseSid={enterprise}&pageSize=10&page=0",
        f"/autoattendant/schedule/search?autoAttendantSid={system_a.sid}",
        "/autoattendant/phonenumber/usage/records?startDate=2019-07-01&endDate=2019-07-23",
        "/autoattendant/phonenumber/usage/records?startDate=2019-07-01&endDate=2019-07-23"
        "&pageSize=10&page=0",
        "/autoattendant/phonenumber/usage/records/daily?startDate=2019-07-21&endDate=2019-07-23",
        "/autoattendant/phonenumber/usage/records/monthly?startTime=-30days&endTime=%2B30days",
        "/autoattendant/user/search?SortBy=name:desc&startTime=2019-01-01&endTime=2999-01-01",
    ]
    for url in urls:
        r = bg_admin.client.get(url)
        assert r.status_code == 200, (url, r.json())


def test_a_list_page_uri_can_be_followed(bg_admin, aa_admin):
    first = bg_admin.client.get("/autoattendant/user/search?pageSize=1&SortBy=email&role=AA_ADMIN")
    for key in ("uri", "firstPageUri"):
        assert bg_admin.client.get(first.json()["data"][key]).status_code == 200


def test_the_platform_webhook_reads_whatever_the_platform_sends(system_a):
    from django.test import Client

    menu = make_menu(system_a, "Main", keys={"9": "HANGUP"})
    make_weekly_block(menu, [(day, "00:00", "24:00") for day in range(1, 8)])
    PhoneNumber.objects.create(
        enterprise=system_a.enterprise, number="15557770000", auto_attendant=system_a
    )
    query = (
        "CallSid=CA1&AccountSid=AC1&From=%2B15550009999&To=15557770000&CallStatus=ringing"
        "&ApiVersion=2012-04-24&Direction=inbound&CallerName=x&ForwardedFrom=&zzVendorExtra=1"
    )
    for method in ("get", "post"):
        client = Client()
        if method == "get":
            r = client.get(f"/autoattendant/internal/rcml?{query}")
        else:
            r = client.post(
                "/autoattendant/internal/rcml",
                query,
                content_type="application/x-www-form-urlencoded",
            )
        assert r.status_code == 200, r.content
        assert b"<Response>" in r.content and b"errorCode" not in r.content
