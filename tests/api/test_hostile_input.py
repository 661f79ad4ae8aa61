"""Hostile input: whatever the body, path, query or headers of a request under /autoattendant/,
the answer is the error envelope with a 4xx — never a 500. Run on SQLite and on PostgreSQL
(which refuses NUL bytes in text: a NUL reaching a query was a 500 there only).

A NUL byte is malformed input wherever it is (DESIGN §11): 600 naming the part of the path or
the body's field, 612 naming the query parameter — never a lookup that says "not found" on one
database and crashes on the other."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from autoattendant.models import Announcement, AutoAttendantSystem, Menu, PhoneNumber
from autoattendant.services.usage import SUBRESOURCES
from autoattendant.timezones import iana_zones, is_timezone
from tests.builders import make_menu, make_weekly_block, real_wav

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

NUL = "Null characters are not allowed."
SID_HEX = "0" * 32


def assert_envelope(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/json")
    doc = r.json()
    assert set(doc) == {"errorCode", "message", "data"}
    assert doc["errorCode"] == code
    assert isinstance(doc["message"], str) and doc["message"]
    return doc


@pytest.fixture
def menu(system_a) -> Menu:
    return make_menu(system_a, "Main menu")


@pytest.fixture
def main_number(system_a, menu) -> PhoneNumber:
    """A number answered by enterprise A's system, whose menu covers the whole week."""
    make_weekly_block(menu, [(day, "00:00", "24:00") for day in range(1, 8)])
    return PhoneNumber.objects.create(
        enterprise=system_a.enterprise, number="15550001000", auto_attendant=system_a
    )


# --- Too many fields / files (Django's TooManyFieldsSent, TooManyFilesSent) → 413 ------------


def many_fields(n: int = 1001) -> dict:
    return {f"field{i}": "x" for i in range(n)}


def test_an_upload_with_more_than_1000_fields_is_a_413_and_stores_nothing(bg_admin, greeting):
    data = many_fields()
    data["file"] = SimpleUploadedFile("greeting.wav", real_wav(), content_type="audio/wav")
    r = bg_admin.client.post(
        f"/autoattendant/file/announcement/{greeting.sid}", data, format="multipart"
    )
    doc = assert_envelope(r, 413, "606")
    assert doc["data"] == {"maxFields": 1000}
    greeting.refresh_from_db()
    assert not greeting.file


@pytest.mark.parametrize(
    "url",
    ["/autoattendant/announcement", "/autoattendant/menu", "/autoattendant/system",
     "/autoattendant/user", "/autoattendant/schedule", "/autoattendant/phonenumber",
     "/autoattendant/enterprise"],
)  # fmt: skip
def test_a_create_with_more_than_1000_multipart_fields_is_a_413(operator, url):
    r = operator.client.post(url, many_fields(), format="multipart")
    assert_envelope(r, 413, "606")


def test_an_update_with_more_than_1000_multipart_fields_is_a_413(bg_admin, greeting):
    r = bg_admin.client.put(
        f"/autoattendant/announcement/{greeting.sid}", many_fields(), format="multipart"
    )
    assert_envelope(r, 413, "606")


def test_more_than_100_files_is_a_413(bg_admin, greeting):
    files = {
        f"file{i}": SimpleUploadedFile(f"f{i}.wav", b"RIFF", content_type="audio/wav")
        for i in range(101)
    }
    r = bg_admin.client.post(
        f"/autoattendant/file/announcement/{greeting.sid}", files, format="multipart"
    )
    doc = assert_envelope(r, 413, "606")
    assert doc["data"] == {"maxFiles": 100}


def test_more_than_1000_query_parameters_is_a_413(bg_admin):
    query = "&".join(f"p{i}=1" for i in range(1001))
    doc = assert_envelope(bg_admin.client.get(f"/autoattendant/user/search?{query}"), 413, "606")
    assert doc["data"] == {"maxFields": 1000}


# --- Deeply nested JSON (RecursionError in the parser) → 601 ---------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        '{"name": "x", "description": ' + "[" * 50_000 + "]" * 50_000 + "}",
        # Deep enough to pass Python's parser, deeper than any body of this API.
        '{"name": "x", "keys": ' + "[" * 40 + "]" * 40 + "}",
        '{"name": "x", "description": ' + "[" * 32 + "]" * 32 + "}",  # 33 levels
    ],
    ids=["arrays", "objects", "inside-a-field", "past-the-cap", "one-past-the-cap"],
)
def test_deeply_nested_json_is_a_400(bg_admin, body):
    r = bg_admin.client.generic(
        "POST", "/autoattendant/announcement", body, content_type="application/json"
    )
    doc = assert_envelope(r, 400, "601")
    assert "32 levels" in doc["data"]["body"]
    assert not Announcement.objects.exists()


def test_json_nested_up_to_the_cap_is_read(bg_admin):
    """32 levels (the body itself the first) are parsed; the field's type is what is wrong."""
    body = '{"name": "x", "description": ' + "[" * 31 + "]" * 31 + "}"
    r = bg_admin.client.generic(
        "POST", "/autoattendant/announcement", body, content_type="application/json"
    )
    doc = assert_envelope(r, 400, "600")
    assert set(doc["data"]) == {"description"}


# --- NUL bytes: in the path, the query string, the body, the credentials → 400 ---------------


@pytest.mark.parametrize("resource", ["enterprise", "user", "menu", "announcement", "system",
                                      "phonenumber"])  # fmt: skip
@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_a_nul_in_a_sid_of_the_path_is_a_400(operator, bg_admin, resource, method):
    route = f"{resource}/search" if method == "GET" else resource
    url = f"/autoattendant/{route}/MN%00{SID_HEX}"
    for actor in (operator, bg_admin):
        r = actor.client.generic(method, url, '{"name": "x"}', content_type="application/json")
        doc = assert_envelope(r, 400, "600")
        assert doc["data"] == {"sid": NUL}


def test_the_issue_examples_of_a_nul_in_the_path(bg_admin, greeting):
    doc = assert_envelope(bg_admin.client.get("/autoattendant/menu/search/MN%00abc"), 400, "600")
    assert doc["data"] == {"sid": NUL}
    r = bg_admin.client.post(
        "/autoattendant/file/announcement/AN%00abc",
        {"file": SimpleUploadedFile("a.wav", real_wav(), content_type="audio/wav")},
        format="multipart",
    )
    assert assert_envelope(r, 400, "600")["data"] == {"sid": NUL}
    doc = assert_envelope(bg_admin.client.get("/autoattendant/rcml/search/1555%00"), 400, "600")
    assert doc["data"] == {"phoneNumber": NUL}


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("schedule/search", "autoAttendantSid"),  # the issue's example
        ("menu/search", "autoAttendantSid"),
        ("menu/search", "name"),
        ("announcement/search", "enterpriseSid"),
        ("system/search", "enterpriseSid"),
        ("user/search", "emailId"),
        ("user/search", "SortBy"),
        ("user/search", "page"),
        ("phonenumber/search", "number"),
        ("phonenumber/usage/records", "enterpriseSid"),
        ("phonenumber/usage/records/daily", "startDate"),
        ("rcml/search/15550001000", "asOf"),
        ("user/search", "anything"),
    ],
)
def test_a_nul_in_a_query_parameter_is_a_400_naming_it(operator, bg_admin, path, param):
    for actor in (operator, bg_admin):
        r = actor.client.get(f"/autoattendant/{path}?{param}=AA%00{SID_HEX}")
        doc = assert_envelope(r, 400, "612")
        assert doc["data"] == {param: NUL}


def test_a_nul_in_a_query_parameter_name_is_a_400(bg_admin):
    doc = assert_envelope(bg_admin.client.get("/autoattendant/menu/search?na%00me=x"), 400, "612")
    assert doc["data"] == {"na\x00me": NUL}


_MENU = {"name": "m", "autoAttendantSid": "{system}"}
_GO_TO = {"actionType": "GO_TO_MENU", "actionData": "MN\x00x"}

#: ``(method, path, body, the field the error names)``: every kind of reference a body carries,
#: with a NUL in it (the issue's ``"announcementSid": "AN\\u0000x"`` first). ``{system}``,
#: ``{menu}`` and ``{announcement}`` stand for enterprise A's rows.
BODY_CASES = [
    ("POST", "menu", {**_MENU, "announcementSid": "AN\x00x"}, "announcementSid"),
    ("POST", "menu", {**_MENU, "ringbackToneSid": "AN\x00x"}, "ringbackToneSid"),
    ("POST", "menu", {"name": "m", "autoAttendantSid": "AA\x00x"}, "autoAttendantSid"),
    ("POST", "menu", {**_MENU, "keys": [{"menuKey": "1", "menuAction": _GO_TO}]},
     "keys[0].menuAction.actionData"),
    ("POST", "menu", {**_MENU, "keys": [{"menuKey": "1", "menuAction": {
        "actionType": "ANNOUNCEMENT_HANGUP", "actionData": "AN\x00"}}]},
     "keys[0].menuAction.actionData"),
    ("POST", "menu", {**_MENU, "keys": [{"menuKey": "1\x00", "menuAction": {"actionType": "HANGUP"}}]},
     "keys[0].menuKey"),
    ("POST", "menu", {**_MENU, "timeoutAction": {"actionType": "TRANSFER_TO_PHONE",
                                                "actionData": "1555\x00"}},
     "timeoutAction.actionData"),
    ("PUT", "menu/{menu}", {"keys": [{"menuKey": "2", "menuAction": _GO_TO}]},
     "keys[0].menuAction.actionData"),
    ("POST", "announcement", {"name": "a", "autoAttendantSid": "AA\x00"},
     "autoAttendantSid"),
    ("PUT", "announcement/{announcement}", {"enterpriseSid": "EN\x00"},
     "enterpriseSid"),
    ("POST", "system", {"name": "s", "defaultMenuSid": "MN\x00"}, "defaultMenuSid"),
    ("POST", "system", {"name": "s", "aaNumbers": ["1555\x00"]}, "aaNumbers[0]"),
    ("POST", "system", {"name": "s", "extensions": ["10\x001"]}, "extensions[0]"),
    ("PUT", "system/{system}", {"timeoutAction": _GO_TO}, "timeoutAction.actionData"),
    ("PUT", "system/{system}", {"invalidInputAction": _GO_TO},
     "invalidInputAction.actionData"),
    ("POST", "schedule", {"autoAttendantSid": "AA\x00", "scheduleType": "WEEKLY",
                          "schedule": []}, "autoAttendantSid"),
    ("POST", "schedule", {"autoAttendantSid": "{system}", "scheduleType": "WEEKLY",
                          "schedule": [{"menuSid": "MN\x00", "scheduleType": "WEEKLY",
                                        "entries": []}]}, "schedule[0].menuSid"),
    ("POST", "user", {"emailId": "a\x00@x.example", "role": "AA_ADMIN"}, "emailId"),
    ("POST", "menu", {**_MENU, "na\x00me": "x"}, "na\x00me"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "field"), BODY_CASES)
def test_a_nul_in_a_body_is_a_400_naming_the_field(
    bg_admin, system_a, menu, greeting, method, path, body, field
):
    rows = {"{system}": system_a.sid, "{menu}": menu.sid, "{announcement}": greeting.sid}
    text = json.dumps(body)
    for placeholder, sid in rows.items():
        text, path = text.replace(placeholder, sid), path.replace(placeholder, sid)
    before = (Menu.objects.count(), AutoAttendantSystem.objects.count())
    r = bg_admin.client.generic(
        method, f"/autoattendant/{path}", text, content_type="application/json"
    )
    doc = assert_envelope(r, 400, "600")
    assert doc["data"] == {field: NUL}
    assert (Menu.objects.count(), AutoAttendantSystem.objects.count()) == before


def test_every_nul_of_a_body_is_named(bg_admin, system_a):
    body = {"name": "a\x00", "autoAttendantSid": system_a.sid, "colorCode": "#fff\x00"}
    r = bg_admin.client.post("/autoattendant/menu", body, format="json")
    assert assert_envelope(r, 400, "600")["data"] == {"name": NUL, "colorCode": NUL}


def test_a_nul_in_a_number_update_is_a_400(operator, main_number):
    r = operator.client.put(
        f"/autoattendant/phonenumber/{main_number.sid}",
        {"autoAttendantSid": "AA\x00"},
        format="json",
    )
    assert assert_envelope(r, 400, "600")["data"] == {"autoAttendantSid": NUL}


def test_a_nul_in_a_multipart_field_is_a_400(bg_admin):
    r = bg_admin.client.post("/autoattendant/announcement", {"name": "a\x00b"}, format="multipart")
    assert assert_envelope(r, 400, "600")["data"] == {"name": NUL}


@pytest.mark.parametrize("username", ["a\x00b@acme.example", "AC\x00" + "0" * 31, "\x00"])
def test_a_nul_in_the_credentials_is_a_401(anon, bg_admin, username):
    raw = base64.b64encode(f"{username}:{bg_admin.token}".encode()).decode()
    r = anon.get("/autoattendant/user/search", HTTP_AUTHORIZATION=f"Basic {raw}")
    assert_envelope(r, 401, "602")


@pytest.mark.parametrize("host", ["evil.example", "test\x00server"])
def test_a_host_the_server_does_not_answer_to_is_a_json_400(bg_admin, host):
    r = bg_admin.client.get("/autoattendant/user/search", HTTP_HOST=host)
    assert assert_envelope(r, 400, "600")["data"] == {
        "Host": "Not a host name this server answers to."
    }


def test_other_headers_with_a_nul_are_ignored(bg_admin):
    r = bg_admin.client.get(
        "/autoattendant/user/search", HTTP_ACCEPT="application/json\x00", HTTP_X_NOTE="a\x00b"
    )
    assert r.status_code == 200


# --- Dates past Python's range (OverflowError) → 400 -----------------------------------------

DATED = ("records", "daily", "monthly", "yearly")
UNDATED = tuple(kind for kind in SUBRESOURCES if kind not in DATED)


def usage_url(kind: str) -> str:
    base = "/autoattendant/phonenumber/usage/records"
    return base if kind == "records" else f"{base}/{kind}"


@pytest.mark.parametrize("kind", DATED)
@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("startDate=0001-01-01&endDate=9999-12-31", "startDate"),  # the issue's example
        ("endDate=9999-12-31", "endDate"),
        ("startDate=0001-01-01", "startDate"),
        ("startTime=0001-01-01T00:00:00%2B01:00", "startTime"),
        ("endDate=%2B400000days", "endDate"),
        ("endDate=%2B9999999days", "endDate"),
    ],
)
def test_usage_dates_out_of_range_are_a_400(operator, bg_admin, kind, query, param):
    for actor in (operator, bg_admin):
        r = actor.client.get(f"{usage_url(kind)}?{query}")
        doc = assert_envelope(r, 400, "612")
        assert "out of range" in doc["data"][param], doc


@pytest.mark.parametrize("kind", UNDATED)
def test_usage_subresources_without_dates_ignore_them(bg_admin, kind):
    r = bg_admin.client.get(f"{usage_url(kind)}?startDate=0001-01-01&endDate=9999-12-31")
    assert r.status_code == 200, r.content


def test_usage_dates_at_the_edges_of_the_range_are_answered(bg_admin):
    r = bg_admin.client.get(f"{usage_url('daily')}?startDate=1900-01-01&endDate=2999-12-31")
    assert r.status_code == 200, r.content
    assert r.json()["data"]["total"] == 401_767  # days, for the one enterprise


@pytest.mark.parametrize(
    "as_of", ["0001-01-01", "9999-12-31", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+01:00"]
)
def test_rcml_as_of_out_of_range_is_a_400(bg_admin, main_number, as_of):
    r = bg_admin.client.get(f"/autoattendant/rcml/search/{main_number.number}", {"asOf": as_of})
    doc = assert_envelope(r, 400, "600")
    assert "out of range" in doc["data"]["asOf"]


def test_rcml_as_of_within_the_range_is_answered(bg_admin, main_number):
    r = bg_admin.client.get(
        f"/autoattendant/rcml/search/{main_number.number}", {"asOf": "2999-12-31T23:59:59Z"}
    )
    assert r.status_code == 200, r.content
    assert r.json()["data"]["asOf"] == "2999-12-31T23:59:59+0000"


@pytest.mark.parametrize(
    "query", ["startTime=0001-01-01T00:00:00%2B01:00", "endTime=9999-12-31T23:59:59-05:00",
              "startTime=0001-01-01", "endTime=9999-12-31"]
)  # fmt: skip
def test_list_filters_out_of_range_are_a_400(bg_admin, query):
    doc = assert_envelope(bg_admin.client.get(f"/autoattendant/user/search?{query}"), 400, "612")
    assert "out of range" in next(iter(doc["data"].values()))


# --- Time zones: IANA names only --------------------------------------------------------------


@pytest.mark.parametrize("zone", ["localtime", "posixrules", "posix/Europe/Paris", "Mars/Olympus"])
def test_a_time_zone_that_is_not_iana_is_refused(bg_admin, system_a, zone):
    r = bg_admin.client.post(
        "/autoattendant/system", {"name": "s", "timezoneId": zone}, format="json"
    )
    assert set(assert_envelope(r, 400, "600")["data"]) == {"timezoneId"}
    r = bg_admin.client.put(
        f"/autoattendant/system/{system_a.sid}", {"timezoneId": zone}, format="json"
    )
    assert set(assert_envelope(r, 400, "600")["data"]) == {"timezoneId"}
    system_a.refresh_from_db()
    assert system_a.timezone_id == "UTC"


@pytest.mark.parametrize("zone", ["Europe/Paris", "UTC", "America/Argentina/Buenos_Aires",
                                  "Etc/GMT+5", "US/Eastern"])  # fmt: skip
def test_iana_time_zones_and_links_are_accepted(bg_admin, zone):
    r = bg_admin.client.post(
        "/autoattendant/system", {"name": "s", "timezoneId": zone}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["data"]["timezoneId"] == zone


def test_the_time_zone_list_is_read_once():
    assert iana_zones() is iana_zones()
    assert "localtime" not in iana_zones() and len(iana_zones()) > 400
    assert is_timezone("Asia/Kolkata") and not is_timezone(None) and not is_timezone("utc")


# --- Uploaded file names ----------------------------------------------------------------------


def multipart_upload(filename: str, content: bytes) -> bytes:
    """A multipart body by hand: the test client's uploaded files cut names to 255 characters."""
    head = (
        f'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: audio/wav\r\n\r\n"
    )
    return head.encode() + content + b"\r\n--BOUNDARY--\r\n"


def upload_named(actor, sid: str, filename: str):
    return actor.client.generic(
        "POST",
        f"/autoattendant/file/announcement/{sid}",
        multipart_upload(filename, real_wav()),
        content_type="multipart/form-data; boundary=BOUNDARY",
    )


def test_a_file_name_of_5000_characters_is_refused_in_words_not_as_json(bg_admin, greeting):
    r = upload_named(bg_admin, greeting.sid, "a" * 5000 + ".wav")
    doc = assert_envelope(r, 400, "624")
    assert "shorter name" in doc["data"]["body"]
    assert "JSON" not in doc["message"]
    greeting.refresh_from_db()
    assert not greeting.file


def test_a_long_file_name_that_fits_is_stored_under_a_generated_name(bg_admin, greeting):
    r = upload_named(bg_admin, greeting.sid, "b" * 800 + ".wav")
    assert r.status_code == 200, r.content
    assert r.json()["data"]["fileUri"].endswith(".wav")
    assert "bbbb" not in r.json()["data"]["fileUri"]


def test_an_unreadable_multipart_body_is_a_400_saying_why(bg_admin):
    r = bg_admin.client.generic(
        "POST", "/autoattendant/announcement", "--x\r\n", content_type="multipart/form-data"
    )
    doc = assert_envelope(r, 400, "624")
    assert "boundary" in doc["data"]["body"]
