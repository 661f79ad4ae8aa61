"""The API's conventions, whatever the resource: garbage in gets the JSON error envelope with a
4xx status, never HTML and never a 500."""

from __future__ import annotations

import base64

import pytest
from django.urls import path
from rest_framework.test import APIClient

from autoattendant.errors import all_error_codes
from tests.conftest import PASSWORD, make_client

pytestmark = pytest.mark.django_db


def assert_envelope(r, status: int, code: str):
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/json")
    doc = r.json()
    assert set(doc) == {"errorCode", "message", "data"}
    assert doc["errorCode"] == code
    assert isinstance(doc["message"], str) and doc["message"]
    return doc


def test_malformed_json_is_a_400(bg_admin):
    r = bg_admin.client.post(
        "/autoattendant/user", data='{"emailId": ', content_type="application/json"
    )
    assert_envelope(r, 400, "601")


def test_a_json_array_body_is_a_400(bg_admin):
    r = bg_admin.client.post("/autoattendant/user", data="[1, 2]", content_type="application/json")
    doc = assert_envelope(r, 400, "600")
    assert "body" in doc["data"]


def test_wrong_types_name_the_field(bg_admin):
    r = bg_admin.client.post("/autoattendant/user", {"emailId": ["a"], "role": 7}, format="json")
    doc = assert_envelope(r, 400, "600")
    assert {"emailId", "role"} <= set(doc["data"])


def test_unsupported_media_type_is_a_415(bg_admin):
    r = bg_admin.client.post("/autoattendant/user", data="emailId=x", content_type="text/plain")
    assert_envelope(r, 415, "607")


@pytest.mark.parametrize(
    ("query", "param"),
    [("page=-1", "page"), ("pageSize=abc", "pageSize"), ("pageSize=0", "pageSize"),
     ("page=1.5", "page")],
)  # fmt: skip
def test_bad_paging_is_a_400(bg_admin, query, param):
    doc = assert_envelope(bg_admin.client.get(f"/autoattendant/user/search?{query}"), 400, "610")
    assert param in doc["data"]


def test_oversized_page_size_is_capped_at_1000(bg_admin):
    r = bg_admin.client.get("/autoattendant/user/search?pageSize=5000")
    assert r.status_code == 200
    assert r.json()["data"]["pageSize"] == 1000


@pytest.mark.parametrize("sort", [";drop", "password", "name:sideways", "name;drop table"])
def test_bad_sort_is_a_400(bg_admin, sort):
    assert_envelope(bg_admin.client.get(f"/autoattendant/user/search?SortBy={sort}"), 400, "611")


@pytest.mark.parametrize("query", ["startTime=yesterday", "endTime=2020-13-45", "role=ROOT"])
def test_bad_filters_are_a_400(bg_admin, query):
    assert_envelope(bg_admin.client.get(f"/autoattendant/user/search?{query}"), 400, "612")


@pytest.mark.parametrize(
    "url", ["/autoattendant/nothing", "/autoattendant/user/search/a/b", "/autoattendant/"]
)
def test_unknown_routes_are_a_json_404(bg_admin, url):
    assert_envelope(bg_admin.client.get(url), 404, "604")


def test_unknown_route_is_json_even_when_anonymous(anon):
    assert_envelope(anon.get("/autoattendant/no/such/thing"), 404, "604")


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/autoattendant/user"), ("delete", "/autoattendant/user/search"),
     ("post", "/autoattendant/user/search/RCS0"), ("get", "/autoattendant/user/RCS0")],
)  # fmt: skip
def test_wrong_methods_are_a_405(bg_admin, method, url):
    doc = assert_envelope(getattr(bg_admin.client, method)(url), 405, "605")
    assert doc["data"]["method"] == method.upper()


def test_no_auth_is_a_401_with_a_basic_challenge(anon):
    r = anon.get("/autoattendant/user/search")
    assert_envelope(r, 401, "602")
    assert r["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize(
    "header",
    ["Basic !!!notbase64", "Basic", "Bearer abc", "Basic " + base64.b64encode(b"nocolon").decode()],
)
def test_garbage_credentials_are_a_401(header, bg_admin):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    r = client.get("/autoattendant/user/search")
    assert_envelope(r, 401, "602")


def test_wrong_password_is_a_401(bg_admin):
    r = make_client(bg_admin.user.email, "wrong").get("/autoattendant/user/search")
    assert_envelope(r, 401, "602")


def test_both_usernames_and_both_secrets_work(bg_admin):
    for username in (bg_admin.user.email, bg_admin.user.account_sid, bg_admin.user.email.upper()):
        for secret in (bg_admin.token, PASSWORD):
            assert (
                make_client(username, secret).get("/autoattendant/user/search").status_code == 200
            )


def test_failed_logins_are_throttled_per_username(bg_admin, settings):
    settings.AUTH_FAILURE_LIMIT = 10
    bad = make_client(bg_admin.user.email, "wrong")
    statuses = [bad.get("/autoattendant/user/search").status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    r = bad.get("/autoattendant/user/search")
    doc = assert_envelope(r, 429, "608")
    assert int(r["Retry-After"]) > 0
    assert doc["message"] == "Too many requests"
    # Even the right secret is refused for that username until the window ends...
    assert (
        make_client(bg_admin.user.email, bg_admin.token)
        .get("/autoattendant/user/search", REMOTE_ADDR="10.9.9.9")
        .status_code
        == 429
    )


def test_failed_logins_are_throttled_per_address_but_never_lock_out_correct_ones(
    bg_admin, aa_admin, settings
):
    settings.AUTH_ADDRESS_FAILURE_LIMIT = 10
    for i in range(10):
        make_client(f"nobody{i}@x.example", "wrong").get("/autoattendant/user/search")
    # A further wrong attempt from the same address is refused...
    r = make_client(aa_admin.user.email, "wrong").get("/autoattendant/user/search")
    assert_envelope(r, 429, "608")
    # ...but right credentials from the same address (behind a proxy: everyone's) still work.
    ok = make_client(aa_admin.user.account_sid, aa_admin.token).get("/autoattendant/user/search")
    assert ok.status_code == 200


def test_users_of_a_suspended_enterprise_cannot_log_in(bg_admin, enterprise_a):
    enterprise_a.status = "SUSPENDED"
    enterprise_a.save()
    assert_envelope(bg_admin.client.get("/autoattendant/user/search"), 401, "602")


def test_a_crash_is_a_json_500_not_a_traceback(bg_admin, monkeypatch):
    from autoattendant.api.views.users import UserViewSet

    def boom(self, request):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(UserViewSet, "list", boom)
    r = bg_admin.client.get("/autoattendant/user/search")
    doc = assert_envelope(r, 500, "609")
    assert "fire" not in r.content.decode()
    assert doc["data"] == {}


def _crash(request):
    raise RuntimeError("plain Django view crashed")


urlpatterns = [path("autoattendant/crash", _crash)]


@pytest.mark.urls(__name__)
def test_a_crash_outside_the_rest_framework_is_json_too(client):
    client.raise_request_exception = False
    r = client.get("/autoattendant/crash")
    assert_envelope(r, 500, "609")


def test_oversized_body_is_a_413(bg_admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = bg_admin.client.post(
        "/autoattendant/user", {"name": "x" * 5000, "emailId": "a@b.example"}, format="json"
    )
    assert_envelope(r, 413, "606")


def test_accept_header_does_not_matter(bg_admin):
    r = bg_admin.client.get("/autoattendant/user/search", HTTP_ACCEPT="text/html")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")


def test_trailing_slash_is_optional(bg_admin):
    assert bg_admin.client.get("/autoattendant/user/search/").status_code == 200
    assert bg_admin.client.get("/autoattendant/user/search").status_code == 200


def test_numeric_strings_are_accepted_for_page_size(bg_admin):
    assert (
        bg_admin.client.get("/autoattendant/user/search?pageSize=5").json()["data"]["pageSize"] == 5
    )


def test_openapi_schema_documents_the_envelope(anon):
    r = anon.get("/autoattendant/schema/?format=json")
    assert r.status_code == 200
    schema = r.json()
    listing = schema["paths"]["/autoattendant/user/search"]["get"]
    ok = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(ok["properties"]) == {"data", "code", "message"}
    page = ok["properties"]["data"]
    assert {"result", "pageSize", "total", "numPages", "nextPageUri"} <= set(page["properties"])
    assert "400" in listing["responses"]
    assert "409" in schema["paths"]["/autoattendant/user/search/{sid}"]["get"]["responses"]
    error = schema["components"]["schemas"]["ErrorEnvelope"]
    assert set(error["properties"]) == {"errorCode", "message", "data"}
    assert "487" in error["properties"]["errorCode"]["enum"]


def test_swagger_ui_is_served(anon):
    r = anon.get("/autoattendant/docs/")
    assert r.status_code == 200
    assert b"swagger" in r.content.lower()


def test_error_table_in_docs_matches_the_registry():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "errors.md").read_text()
    for error in all_error_codes():
        assert f"| {error.code} | {error.http_status} | {error.message} |" in text, error
