"""Business-hours control over the API (DESIGN §14): holiday calendars, their dates and links,
the override, the timeline — and that calls, ``rcml/search`` and every linked system see a change
at once, without a query more per warm call."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.choices import ActionType
from autoattendant.models import PhoneNumber
from tests.builders import make_menu, make_system, make_weekly_block
from tests.callflow_http.conftest import Platform

BASE = "/autoattendant"
NY = ZoneInfo("America/New_York")
WEEKDAYS = [(d, "09:00", "17:00") for d in range(1, 6)]


def ok(response) -> dict | list:
    assert response.status_code == 200, response.content
    return response.json()["data"]


def error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["errorCode"] == code, body
    return body["data"]


def shop(enterprise, name="Shop", number="15550001000"):
    """A New York system: Open on weekdays 09–17, Closed (default) otherwise, a Holiday menu."""
    system = make_system(enterprise, name, timezone_id="America/New_York")
    open_menu = make_menu(system, "Open", keys={"0": ActionType.HANGUP})
    closed = make_menu(system, "Closed", keys={"0": ActionType.HANGUP})
    holiday = make_menu(system, "Holiday", keys={"0": ActionType.HANGUP})
    make_weekly_block(open_menu, WEEKDAYS)
    system.default_menu = closed
    system.save()
    PhoneNumber.objects.create(enterprise=enterprise, number=number, auto_attendant=system)
    return system, open_menu, closed, holiday


def hears(client, number: str, when: dt.datetime) -> str | None:
    r = client.get(f"{BASE}/rcml/search/{number}?asOf={when.isoformat()}")
    return ok(r)["menuSid"]


CALENDAR = {
    "name": "Shop holidays",
    "entries": [
        {"name": "Memorial Day", "month": 5, "weekday": 1, "nth": -1},
        {"name": "Thanksgiving", "month": 11, "weekday": 4, "nth": 4},
        {"name": "Christmas Eve", "month": 12, "day": 24, "startTime": "13:00", "endTime": "24:00"},
        {"name": "Stocktaking", "date": "2027-02-03"},
    ],
}


def test_a_calendar_is_created_read_and_resolved_to_dates(bg_admin):
    created = ok(bg_admin.client.post(f"{BASE}/calendar", CALENDAR, format="json"))
    assert created["sid"].startswith("HC") and len(created["sid"]) == 34
    assert created["entries"] == [
        {"name": "Memorial Day", "month": 5, "weekday": 1, "nth": -1},
        {"name": "Thanksgiving", "month": 11, "weekday": 4, "nth": 4},
        {"name": "Christmas Eve", "month": 12, "day": 24, "startTime": "13:00", "endTime": "24:00"},
        {"name": "Stocktaking", "date": "2027-02-03"},
    ]
    assert ok(bg_admin.client.get(f"{BASE}/calendar/search/{created['sid']}")) == created
    dates = ok(bg_admin.client.get(f"{BASE}/calendar/{created['sid']}/dates?year=2027"))
    assert dates == {
        "calendarSid": created["sid"],
        "year": 2027,
        "dates": [
            {"date": "2027-02-03", "name": "Stocktaking"},
            {"date": "2027-05-31", "name": "Memorial Day"},
            {"date": "2027-11-25", "name": "Thanksgiving"},
            {
                "date": "2027-12-24",
                "name": "Christmas Eve",
                "startTime": "13:00",
                "endTime": "24:00",
            },
        ],
    }


def test_a_country_and_region_add_their_public_holidays(aa_admin):
    created = ok(
        aa_admin.client.post(
            f"{BASE}/calendar",
            {"name": "Bavaria", "country": "de", "subdivision": "BY"},
            format="json",
        )
    )
    assert created["country"] == "DE"
    dates = ok(aa_admin.client.get(f"{BASE}/calendar/{created['sid']}/dates?year=2026"))["dates"]
    assert {"date": "2026-01-06", "name": "Epiphany"} in dates  # Bavarian, not Berlin's
    assert any(d["date"] == "2026-12-25" for d in dates)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "country": "XX"}, "country"),
        ({"name": "X", "country": "US", "subdivision": "ZZ"}, "subdivision"),
        ({"name": "X", "entries": [{"name": "A", "month": 4, "day": 31}]}, "entries[0].day"),
        ({"name": "X", "entries": [{"name": "A", "month": 5, "weekday": 1, "nth": 0}]},
         "entries[0].nth"),
        ({"name": "X", "entries": [{"name": "A", "date": "2026-01-01", "startTime": "12:00",
                                    "endTime": "09:00"}]}, "entries[0].endTime"),
        ({"name": "X", "entries": [{"name": "A"}]}, "entries[0].date"),
    ],
)  # fmt: skip
def test_bad_calendars_are_refused_naming_the_field(bg_admin, body, field):
    data = error(bg_admin.client.post(f"{BASE}/calendar", body, format="json"), 400, "600")
    assert isinstance(data[field], str) and data[field]
    assert not any(key.startswith("entries[") for key in set(data) - {field})


def test_calendars_are_the_enterprises_own(bg_admin, bg_admin_b, enterprise_a):
    created = ok(bg_admin.client.post(f"{BASE}/calendar", CALENDAR, format="json"))
    sid = created["sid"]
    error(bg_admin_b.client.get(f"{BASE}/calendar/search/{sid}"), 409, "660")
    error(bg_admin_b.client.get(f"{BASE}/calendar/{sid}/dates"), 409, "660")
    error(bg_admin_b.client.put(f"{BASE}/calendar/{sid}", {"name": "x"}, format="json"), 409, "660")
    assert ok(bg_admin_b.client.get(f"{BASE}/calendar/search"))["total"] == 0
    # B's system may not link A's calendar
    system_b, _, _, holiday_b = shop(bg_admin_b.user.enterprise, "B shop", "15550009999")
    links = {"holidayCalendars": [{"calendarSid": sid, "menuSid": holiday_b.sid}]}
    data = error(
        bg_admin_b.client.put(f"{BASE}/system/{system_b.sid}", links, format="json"), 409, "660"
    )
    assert data["field"] == "holidayCalendars[0]"


def test_calendar_list_costs_the_same_queries_whatever_its_size(bg_admin):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            ok(bg_admin.client.get(f"{BASE}/calendar/search?pageSize=100"))
        return len(ctx.captured_queries)

    bg_admin.client.post(f"{BASE}/calendar", CALENDAR, format="json")
    one = count()
    for i in range(5):
        bg_admin.client.post(f"{BASE}/calendar", {**CALENDAR, "name": f"C{i}"}, format="json")
    # auth (user + enterprise) · count · rows (+ enterprise, creator) · their entries
    assert one == count() == 4


def test_links_are_shown_in_order_and_a_used_calendar_cannot_be_deleted(bg_admin, enterprise_a):
    system, _, closed, holiday = shop(enterprise_a)
    first = ok(bg_admin.client.post(f"{BASE}/calendar", CALENDAR, format="json"))["sid"]
    second = ok(bg_admin.client.post(f"{BASE}/calendar", {"name": "Two"}, format="json"))["sid"]
    links = [
        {"calendarSid": second, "menuSid": closed.sid},
        {"calendarSid": first, "menuSid": holiday.sid},
    ]
    data = ok(
        bg_admin.client.put(
            f"{BASE}/system/{system.sid}", {"holidayCalendars": links}, format="json"
        )
    )
    assert data["holidayCalendars"] == links
    data = error(bg_admin.client.delete(f"{BASE}/calendar/{first}"), 409, "661")
    assert data["auto_attendants"] == [system.sid]
    # a menu of another system is refused, a calendar twice too
    other, *_ = shop(enterprise_a, "Other", "15550002000")
    foreign = make_menu(other, "Foreign")
    bad = [{"calendarSid": first, "menuSid": foreign.sid}]
    error(
        bg_admin.client.put(
            f"{BASE}/system/{system.sid}", {"holidayCalendars": bad}, format="json"
        ),
        409,
        "502",
    )
    twice = [links[1], links[1]]
    error(
        bg_admin.client.put(
            f"{BASE}/system/{system.sid}", {"holidayCalendars": twice}, format="json"
        ),
        400,
        "600",
    )
    # unlinked, it can go; the menu of a link cannot (506, as for a schedule)
    error(bg_admin.client.delete(f"{BASE}/menu/{holiday.sid}"), 409, "506")
    ok(bg_admin.client.put(f"{BASE}/system/{system.sid}", {"holidayCalendars": []}, format="json"))
    ok(bg_admin.client.delete(f"{BASE}/calendar/{first}"))


def test_a_calendar_change_reaches_every_system_linking_it(bg_admin, enterprise_a):
    one, _, _closed1, holiday1 = shop(enterprise_a, "One", "15550001001")
    two, open2, _, holiday2 = shop(enterprise_a, "Two", "15550001002")
    sid = ok(bg_admin.client.post(f"{BASE}/calendar", {"name": "Shared"}, format="json"))["sid"]
    for system, menu in ((one, holiday1), (two, holiday2)):
        links = {"holidayCalendars": [{"calendarSid": sid, "menuSid": menu.sid}]}
        ok(bg_admin.client.put(f"{BASE}/system/{system.sid}", links, format="json"))
    tuesday = dt.datetime(2027, 3, 2, 10, 0, tzinfo=NY)
    assert hears(bg_admin.client, "15550001002", tuesday) == open2.sid  # flows now cached
    entries = {"entries": [{"name": "Closed for training", "date": "2027-03-02"}]}
    ok(bg_admin.client.put(f"{BASE}/calendar/{sid}", entries, format="json"))
    assert hears(bg_admin.client, "15550001001", tuesday) == holiday1.sid
    assert hears(bg_admin.client, "15550001002", tuesday) == holiday2.sid


def test_an_override_wins_until_it_expires_and_is_shown_on_the_system(
    bg_admin, aa_admin, enterprise_a
):
    system, open_menu, closed, _ = shop(enterprise_a)
    until = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    body = {"menuSid": closed.sid, "until": until.isoformat(), "reason": "Snow day"}
    data = ok(aa_admin.client.post(f"{BASE}/system/{system.sid}/override", body, format="json"))
    override = data["override"]
    assert override["menuSid"] == closed.sid and override["reason"] == "Snow day"
    assert override["until"] == until.strftime("%Y-%m-%dT%H:%M:%S+0000")
    assert override["setBy"] == aa_admin.user.email
    shown = ok(bg_admin.client.get(f"{BASE}/system/search/{system.sid}"))["override"]
    assert shown == override
    # rcml/search resolves at asOf: before the end the override, after it the schedule
    assert hears(bg_admin.client, "15550001000", until - dt.timedelta(minutes=1)) == closed.sid
    local = until.astimezone(NY)  # next Monday 10:00 in the system's timezone (open)
    after = local.replace(hour=10) + dt.timedelta(days=7 - local.weekday())
    assert hears(bg_admin.client, "15550001000", after) == open_menu.sid
    ok(aa_admin.client.delete(f"{BASE}/system/{system.sid}/override"))
    assert ok(bg_admin.client.get(f"{BASE}/system/search/{system.sid}"))["override"] is None


def test_until_next_change_is_resolved_when_set(bg_admin, enterprise_a):
    system, _, closed, _ = shop(enterprise_a)
    body = {"menuSid": closed.sid, "untilNextChange": True}
    override = ok(
        bg_admin.client.post(f"{BASE}/system/{system.sid}/override", body, format="json")
    )["override"]
    until = dt.datetime.strptime(override["until"], "%Y-%m-%dT%H:%M:%S%z").astimezone(NY)
    # the schedule changes at 09:00 or 17:00 local on a weekday
    assert (until.hour, until.minute) in ((9, 0), (17, 0)) and until.isoweekday() <= 5
    assert until > dt.datetime.now(dt.UTC)


def test_bad_overrides_are_refused(bg_admin, bg_admin_b, enterprise_a):
    system, _, closed, _ = shop(enterprise_a)
    url = f"{BASE}/system/{system.sid}/override"
    error(bg_admin.client.post(url, {"menuSid": "MN" + "0" * 32}, format="json"), 409, "502")
    past = {"menuSid": closed.sid, "until": "2020-01-01T00:00:00Z"}
    assert "future" in error(bg_admin.client.post(url, past, format="json"), 400, "600")["until"]
    both = {"menuSid": closed.sid, "until": "2099-01-01T00:00:00Z", "untilNextChange": True}
    error(bg_admin.client.post(url, both, format="json"), 400, "600")
    error(bg_admin_b.client.post(url, {"menuSid": closed.sid}, format="json"), 409, "490")
    error(bg_admin_b.client.delete(url), 409, "490")


def test_an_override_reaches_calls_at_once_and_warm_calls_stay_at_one_query(bg_admin, enterprise_a):
    system, open_menu, closed, holiday = shop(enterprise_a, number="15557770000")
    make_weekly_block(open_menu, [(d, "00:00", "24:00") for d in range(1, 8)], position=1)
    past = {"name": "Past", "country": "US", "entries": [{"name": "Old", "date": "2020-01-02"}]}
    sid = ok(bg_admin.client.post(f"{BASE}/calendar", past, format="json"))["sid"]
    links = {"holidayCalendars": [{"calendarSid": sid, "menuSid": holiday.sid}]}
    ok(bg_admin.client.put(f"{BASE}/system/{system.sid}", links, format="json"))
    call = Platform()
    call.start()  # cold: compiles the flow, calendars resolved into it
    with CaptureQueriesContext(connection) as warm:
        call.start()
    assert len(warm.captured_queries) == 1  # the number → system lookup only
    body = {"menuSid": closed.sid, "reason": "Fire drill"}
    ok(bg_admin.client.post(f"{BASE}/system/{system.sid}/override", body, format="json"))
    doc = call.start()
    assert f"MenuSid={closed.sid}" in doc.text
    ok(bg_admin.client.delete(f"{BASE}/system/{system.sid}/override"))
    # the schedule again: Open around the clock, or a US public holiday's menu today
    assert f"MenuSid={closed.sid}" not in call.start().text


def test_the_timeline_covers_the_span_with_local_offsets_across_dst(bg_admin, enterprise_a):
    system, _open_menu, _closed, holiday = shop(enterprise_a)
    sid = ok(bg_admin.client.post(f"{BASE}/calendar", CALENDAR, format="json"))["sid"]
    links = {"holidayCalendars": [{"calendarSid": sid, "menuSid": holiday.sid}]}
    ok(bg_admin.client.put(f"{BASE}/system/{system.sid}", links, format="json"))
    url = f"{BASE}/system/{system.sid}/timeline"
    segments = ok(
        bg_admin.client.get(f"{url}?startTime=2027-01-01T05:00:00Z&endTime=2027-12-31T05:00:00Z")
    )
    assert segments[0]["start"] == "2027-01-01T00:00:00-05:00"
    assert segments[-1]["end"] == "2027-12-31T00:00:00-05:00"
    assert all(a["end"] == b["start"] for a, b in itertools.pairwise(segments))
    memorial = [s for s in segments if s["detail"] == "Memorial Day"]
    assert memorial == [
        {
            "start": "2027-05-31T00:00:00-04:00",
            "end": "2027-06-01T00:00:00-04:00",
            "menuSid": holiday.sid,
            "menuName": "Holiday",
            "reason": "HOLIDAY",
            "detail": "Memorial Day",
            "conflict": None,
        }
    ]
    eve = next(s for s in segments if s["detail"] == "Christmas Eve")
    assert (eve["start"], eve["end"]) == ("2027-12-24T13:00:00-05:00", "2027-12-25T00:00:00-05:00")
    # Stocktaking falls on a Wednesday, Thanksgiving on a Thursday: holidays over WEEKLY
    assert {s["reason"] for s in segments} == {"WEEKLY", "DEFAULT", "HOLIDAY"}
    # the default is the next 12 months; more than 400 days is refused
    assert ok(bg_admin.client.get(url))
    error(bg_admin.client.get(f"{url}?startTime=2027-01-01&endTime=2028-03-01"), 400, "600")
    error(bg_admin.client.get(f"{url}?startTime=nonsense"), 400, "600")


def test_a_gap_is_a_none_segment(bg_admin, enterprise_a):
    system = make_system(enterprise_a, "Gappy", timezone_id="Europe/Berlin")
    make_weekly_block(make_menu(system, "Open"), WEEKDAYS)
    segments = ok(
        bg_admin.client.get(
            f"{BASE}/system/{system.sid}/timeline?startTime=2026-10-26&endTime=2026-10-27"
        )
    )
    assert [(s["start"], s["reason"], s["menuName"]) for s in segments] == [
        ("2026-10-26T01:00:00+01:00", "NONE", None),
        ("2026-10-26T09:00:00+01:00", "WEEKLY", "Open"),
        ("2026-10-26T17:00:00+01:00", "NONE", None),
    ]
