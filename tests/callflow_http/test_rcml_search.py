"""``GET /autoattendant/rcml/search/{phoneNumber}``: the spec's "RCML API"."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import PhoneNumber
from tests.builders import make_menu, make_system, make_weekly_block

from .conftest import MAIN_NUMBER

pytestmark = pytest.mark.django_db


def search(actor, number: str, as_of: str | None = None):
    url = f"/autoattendant/rcml/search/{number}"
    return actor.client.get(url, {"asOf": as_of} if as_of else {})


@pytest.fixture
def office(enterprise_a):
    """Asia/Kolkata: the Day menu on Mondays 09:00-17:00, the Night menu as the default."""
    system = make_system(enterprise_a, "Office", timezone_id="Asia/Kolkata")
    day = make_menu(system, "Day")
    night = make_menu(system, "Night")
    make_weekly_block(day, [(1, "09:00", "17:00")])
    system.default_menu = night
    system.save()
    PhoneNumber.objects.create(
        enterprise=enterprise_a, number="919960639901", auto_attendant=system
    )
    return system, day, night


def test_it_answers_as_the_spec_shows(bg_admin, world):
    r = search(bg_admin, MAIN_NUMBER)
    assert r.status_code == 200
    doc = r.json()
    assert doc["code"] == 200 and doc["message"] == "OK"
    data = doc["data"]
    assert set(data) == {
        "rcml",
        "enterpriseSid",
        "autoAttendantSid",
        "menuSid",
        "asOf",
        "timezoneId",
        "uri",
    }
    assert data["enterpriseSid"] == world.system.enterprise.sid
    assert data["autoAttendantSid"] == world.system.sid
    assert data["menuSid"] == world.main.sid
    assert data["timezoneId"] == "UTC"
    assert data["uri"] == f"/autoattendant/rcml/search/{MAIN_NUMBER}"
    assert data["asOf"].endswith("+0000") and len(data["asOf"]) == 24
    root = ET.fromstring(data["rcml"])
    assert root.tag == "Response"
    gather = root.find("Gather")
    assert gather.get("action").startswith("http://testserver/autoattendant/internal/rcml?")
    assert f"MenuSid={world.main.sid}" in gather.get("action")
    assert root.find("Gather/Say").text == "Welcome to Acme."


def test_as_of_picks_the_menu_of_that_moment_in_the_systems_zone(bg_admin, office):
    _, day, night = office
    r = search(bg_admin, "+919960639901", "2024-01-01T04:00:00Z")  # Monday 09:30 in Kolkata
    data = r.json()["data"]
    assert (data["menuSid"], data["timezoneId"]) == (day.sid, "Asia/Kolkata")
    assert data["asOf"] == "2024-01-01T04:00:00+0000"
    assert data["uri"] == "/autoattendant/rcml/search/919960639901"
    r = search(bg_admin, "919960639901", "2024-01-01T17:30:00+05:30")
    assert r.json()["data"]["menuSid"] == night.sid
    assert r.json()["data"]["asOf"] == "2024-01-01T12:00:00+0000"
    assert search(bg_admin, "919960639901", "2024-01-02").json()["data"]["menuSid"] == night.sid


def test_no_menu_at_that_moment_is_498(bg_admin, office):
    system = office[0]
    system.default_menu = None
    system.save()
    assert search(bg_admin, "919960639901", "2024-01-01T04:00:00Z").status_code == 200
    r = search(bg_admin, "919960639901", "2024-01-01T12:00:00Z")
    assert r.status_code == 409
    assert r.json() == {
        "errorCode": "498",
        "message": "No Schedule entry found for Auto Attendant system",
        "data": {"phoneNumber": "919960639901", "asOf": "2024-01-01T12:00:00+0000"},
    }


def test_an_unknown_number_is_491(bg_admin, world):
    for number in ("15550000000", "not-a-number"):
        r = search(bg_admin, number)
        assert r.status_code == 409
        assert r.json()["errorCode"] == "491"
        assert r.json()["message"] == "PhoneNumber not found"


def test_a_number_without_a_system_is_490(bg_admin, world):
    r = search(bg_admin, world.john.number)
    assert r.status_code == 409
    assert r.json()["errorCode"] == "490"
    assert r.json()["data"] == {"phoneNumber": world.john.number}


def test_another_enterprises_number_is_491_like_a_missing_one(bg_admin_b, world):
    r = search(bg_admin_b, MAIN_NUMBER)
    assert r.status_code == 409
    assert r.json()["errorCode"] == "491"


def test_the_operator_sees_every_enterprise(operator, world):
    assert search(operator, MAIN_NUMBER).json()["data"]["menuSid"] == world.main.sid


def test_aa_admin_may_not_use_it(aa_admin, world):
    r = search(aa_admin, MAIN_NUMBER)
    assert r.status_code == 403
    assert r.json()["errorCode"] == "603"


def test_it_needs_authentication(anon, world):
    r = anon.get(f"/autoattendant/rcml/search/{MAIN_NUMBER}")
    assert r.status_code == 401
    assert r.json()["errorCode"] == "602"


def test_a_malformed_as_of_is_400(bg_admin, world):
    r = search(bg_admin, MAIN_NUMBER, "yesterday-ish")
    assert r.status_code == 400
    assert "asOf" in r.json()["data"]


def test_a_suspended_system_shows_the_apology(bg_admin, world):
    world.system.status = "SUSPENDED"
    world.system.save()
    data = search(bg_admin, MAIN_NUMBER).json()["data"]
    assert data["menuSid"] is None
    assert ET.fromstring(data["rcml"]).find("Hangup") is not None


def test_the_trailing_slash_is_optional(bg_admin, world):
    r = bg_admin.client.get(f"/autoattendant/rcml/search/{MAIN_NUMBER}/")
    assert r.status_code == 200


def test_it_is_documented(anon):
    schema = anon.get("/autoattendant/schema/?format=json").json()
    operation = schema["paths"]["/autoattendant/rcml/search/{phoneNumber}"]["get"]
    data = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert "data" in data["properties"]
    assert {p["name"] for p in operation["parameters"]} >= {"phoneNumber", "asOf"}


def test_query_count_on_a_warm_cache(bg_admin, world):
    search(bg_admin, MAIN_NUMBER)
    with CaptureQueriesContext(connection) as ctx:
        assert search(bg_admin, MAIN_NUMBER).status_code == 200
    # 1 the caller (Basic auth), 2 the number with its system and enterprise; the compiled
    # flow comes from the cache.
    assert len(ctx.captured_queries) == 2, [q["sql"] for q in ctx.captured_queries]
