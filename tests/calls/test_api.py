"""``/call/search``, ``/call/search/{sid}``, ``/call/stats``, ``/call/export``: filters, paging,
sorting, tenancy, statistics checked against hand-counted data, and the CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from autoattendant.models import Call
from autoattendant.services.calls import close_idle_calls
from tests.builders import make_menu, make_system

from .conftest import record_call

pytestmark = pytest.mark.django_db

WINDOW = {"startTime": "2026-01-01", "endTime": "2026-01-31T23:59:59Z"}


@pytest.fixture
def history(ny_system, enterprise_b):
    """Six calls of the New York system (UTC-5 in January), hand-counted below, and one of
    another enterprise.

    | call | UTC start          | local (NY)      | keys (menu)     | outcome          | length |
    | A    | 2026-01-05 14:00   | Mon 05 09:00    | 1 (Main)        | TRANSFERRED      | 60 s   |
    | B    | 2026-01-05 14:30   | Mon 05 09:30    | 2 (Main), 1 (S) | TRANSFERRED      | 120 s  |
    | C    | 2026-01-06 03:10   | Mon 05 22:10    | —               | CALLER_HUNG_UP   | 0 s    |
    | D    | 2026-01-06 15:00   | Tue 06 10:00    | 9 (Main)        | HUNG_UP_BY_FLOW  | 10 s   |
    | E    | 2026-01-06 15:05   | Tue 06 10:05    | 1 (Main)        | TRANSFERRED      | 30 s   |
    | F    | 2026-01-07 02:00   | Tue 06 21:00    | 7 (Main)        | CALLER_HUNG_UP   | 5 s    |
    """
    system, main, sales = ny_system
    record_call(
        system,
        "CA-A",
        "2026-01-05T14:00:00Z",
        [("2026-01-05T14:00:10Z", "1", "TRANSFER_TO_PHONE")],
        "TRANSFERRED",
        menu=main,
        end="2026-01-05T14:01:00Z",
    )
    record_call(
        system,
        "CA-B",
        "2026-01-05T14:30:00Z",
        [("2026-01-05T14:30:05Z", "2", "GO_TO_MENU")],
        "IN_PROGRESS",
        menu=main,
        caller="15552223333",
    )
    record_call(
        system,
        "CA-B",
        "2026-01-05T14:30:00Z",
        [("2026-01-05T14:30:05Z", "2", "GO_TO_MENU")],
        "IN_PROGRESS",
        menu=main,
        caller="15552223333",
    )  # delivered twice
    from autoattendant.runtime.recording import store_steps

    from .conftest import step

    store_steps(
        [
            step(
                "CA-B",
                system,
                3,
                "2026-01-05T14:30:20Z",
                menu=sales.sid,
                input="1",
                key="1",
                action="TRANSFER_TO_PHONE",
                outcome="TRANSFERRED",
                transferred_to="15559990000",
                caller="15552223333",
            ),
            step(
                "CA-B",
                system,
                4,
                "2026-01-05T14:32:00Z",
                menu=sales.sid,
                input="dial:completed",
                action="HANGUP",
                outcome="TRANSFERRED",
                caller="15552223333",
            ),
        ]
    )
    record_call(system, "CA-C", "2026-01-06T03:10:00Z", [], "CALLER_HUNG_UP", menu=main)
    record_call(
        system,
        "CA-D",
        "2026-01-06T15:00:00Z",
        [("2026-01-06T15:00:10Z", "9", "HANGUP")],
        "HUNG_UP_BY_FLOW",
        menu=main,
    )
    record_call(
        system,
        "CA-E",
        "2026-01-06T15:05:00Z",
        [("2026-01-06T15:05:05Z", "1", "TRANSFER_TO_PHONE")],
        "TRANSFERRED",
        menu=main,
        end="2026-01-06T15:05:30Z",
    )
    record_call(
        system,
        "CA-F",
        "2026-01-07T02:00:00Z",
        [("2026-01-07T02:00:05Z", "7", "INVALID")],
        "IN_PROGRESS",
        menu=main,
    )
    assert close_idle_calls() == 2  # C and F were left waiting: the callers hung up
    other = make_system(enterprise_b, "Bolt line")
    record_call(
        other,
        "CA-Z",
        "2026-01-05T14:00:00Z",
        [("2026-01-05T14:00:03Z", "1", "HANGUP")],
        "HUNG_UP_BY_FLOW",
        menu=make_menu(other, "Bolt"),
    )
    return system, main, sales


def data(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()["data"]


def test_stats_match_the_hand_counted_table(bg_admin, history):
    system, _, _ = history
    stats = data(
        bg_admin.client.get("/autoattendant/call/stats", {"autoAttendantSid": system.sid, **WINDOW})
    )
    assert stats["total"] == 6
    assert stats["byOutcome"] == {
        "TRANSFERRED": 3,
        "VOICEMAIL": 0,
        "HUNG_UP_BY_FLOW": 1,
        "CALLER_HUNG_UP": 2,
        "ERROR": 0,
        "IN_PROGRESS": 0,
    }
    assert stats["abandonedRate"] == pytest.approx(2 / 6, abs=1e-4)
    assert stats["averageDurationSeconds"] == pytest.approx(
        (60 + 120 + 0 + 10 + 30 + 5) / 6, abs=0.05
    )
    expected_hours = [0] * 24
    for hour in (9, 9, 22, 10, 10, 21):
        expected_hours[hour] += 1
    assert stats["byHour"] == expected_hours
    days = {day["date"]: day for day in stats["byDay"] if day["total"]}
    assert {d: v["total"] for d, v in days.items()} == {"2026-01-05": 3, "2026-01-06": 3}
    assert days["2026-01-05"]["byOutcome"]["CALLER_HUNG_UP"] == 1
    assert days["2026-01-06"]["byOutcome"]["TRANSFERRED"] == 1
    # Every local day the window touches, empty ones too: 1 January 00:00 UTC is still 31
    # December in New York.
    assert [d["date"] for d in stats["byDay"]][:2] == ["2025-12-31", "2026-01-01"]
    assert len(stats["byDay"]) == 32
    presses = {(p["menuName"], p["key"]): p["count"] for p in stats["keyPresses"]}
    assert presses == {
        ("Main", "1"): 2,
        ("Main", "2"): 1,
        ("Main", "9"): 1,
        ("Main", "7"): 1,
        ("Sales", "1"): 1,
    }
    assert all(isinstance(p["count"], int) for p in stats["keyPresses"])
    assert stats["timezoneId"] == "America/New_York"


def test_stats_for_the_whole_enterprise_and_a_narrower_window(bg_admin, history):
    stats = data(
        bg_admin.client.get(
            "/autoattendant/call/stats",
            {"startTime": "2026-01-06T12:00:00Z", "endTime": "2026-01-31"},
        )
    )
    assert stats["total"] == 3  # D, E, F; nothing of the other enterprise
    assert sum(stats["byHour"]) == 3


def test_stats_refuse_bad_input_and_foreign_systems(bg_admin, bg_admin_b, history):
    system, _, _ = history
    response = bg_admin.client.get("/autoattendant/call/stats", {"startTime": "yesterday"})
    assert response.status_code == 400 and response.json()["errorCode"] == "612"
    response = bg_admin.client.get(
        "/autoattendant/call/stats", {"startTime": "2026-02-01", "endTime": "2026-01-01"}
    )
    assert response.status_code == 400
    response = bg_admin_b.client.get("/autoattendant/call/stats", {"autoAttendantSid": system.sid})
    assert response.status_code == 409 and response.json()["errorCode"] == "490"


def test_search_filters_pages_and_sorts(bg_admin, history):
    client = bg_admin.client
    page = data(
        client.get("/autoattendant/call/search", {"pageSize": 2, "SortBy": "startTime:desc"})
    )
    assert page["total"] == 6 and page["numPages"] == 3
    assert [row["callSid"] for row in page["result"]] == ["CA-F", "CA-E"]
    assert page["nextPageUri"].startswith("/autoattendant/call/search?SortBy=startTime%3Adesc")
    hung_up = data(client.get("/autoattendant/call/search", {"outcome": "CALLER_HUNG_UP"}))
    assert [row["callSid"] for row in hung_up["result"]] == ["CA-C", "CA-F"]
    by_caller = data(client.get("/autoattendant/call/search", {"from": "2223333"}))
    assert [row["callSid"] for row in by_caller["result"]] == ["CA-B"]
    row = by_caller["result"][0]
    assert row["menuPath"] == [history[1].sid, history[2].sid]
    assert row["durationSeconds"] == 120 and row["transferredTo"] == "15559990000"
    assert row["startTime"] == "2026-01-05T14:30:00+0000"
    window = data(
        client.get(
            "/autoattendant/call/search",
            {"startTime": "2026-01-06", "endTime": "2026-01-06T23:59:59Z"},
        )
    )
    assert [r["callSid"] for r in window["result"]] == ["CA-C", "CA-D", "CA-E"]
    assert client.get("/autoattendant/call/search", {"outcome": "LOST"}).status_code == 400
    assert client.get("/autoattendant/call/search", {"SortBy": "caller"}).status_code == 400


def test_one_call_with_its_steps(bg_admin, history):
    sid = Call.objects.get(call_sid="CA-B").sid
    call = data(bg_admin.client.get(f"/autoattendant/call/search/{sid}"))
    assert [(s["step"], s["input"], s["action"]) for s in call["steps"]] == [
        (1, "", "PROMPT"),
        (2, "2", "GO_TO_MENU"),
        (3, "1", "TRANSFER_TO_PHONE"),
        (4, "dial:completed", "HANGUP"),
    ]  # the step delivered twice is stored once
    assert call["steps"][0]["time"] == "2026-01-05T14:30:00+0000"


def test_enterprise_admins_see_only_their_enterprise(aa_admin, bg_admin_b, operator, history):
    assert data(aa_admin.client.get("/autoattendant/call/search"))["total"] == 6
    assert data(bg_admin_b.client.get("/autoattendant/call/search"))["total"] == 1
    assert data(operator.client.get("/autoattendant/call/search"))["total"] == 7
    foreign = Call.objects.get(call_sid="CA-Z").sid
    response = aa_admin.client.get(f"/autoattendant/call/search/{foreign}")
    assert response.status_code == 409
    assert response.json() == {
        "errorCode": "626",
        "message": "Call not found",
        "data": {"sid": foreign},
    }
    export = b"".join(bg_admin_b.client.get("/autoattendant/call/export").streaming_content)
    assert export.decode().count("\n") == 2  # the header and its one call


def test_the_list_costs_the_same_queries_whatever_the_page_size(bg_admin, history):
    client = bg_admin.client
    with CaptureQueriesContext(connection) as one:
        client.get("/autoattendant/call/search", {"pageSize": 1})
    with CaptureQueriesContext(connection) as many:
        client.get("/autoattendant/call/search", {"pageSize": 100})
    # The user (auth), the count and the page of calls joined with their enterprise; on the
    # embedded default (no beat) the idle-call check too.
    assert len(one) == len(many) == (4 if settings.CELERY_TASK_ALWAYS_EAGER else 3)


def test_the_csv_export_has_a_line_per_call_with_the_filters(bg_admin, history):
    response = bg_admin.client.get(
        "/autoattendant/call/export", {"outcome": "TRANSFERRED", "SortBy": "startTime:asc"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["callSid"] for row in rows] == ["CA-A", "CA-B", "CA-E"]
    assert rows[1]["menuPath"] == f"{history[1].sid} {history[2].sid}"
    assert rows[0]["startTime"] == "2026-01-05T14:00:00+0000"
    assert rows[0]["durationSeconds"] == "60"
    response = bg_admin.client.get("/autoattendant/call/export", {"page": "1"})
    assert response.status_code == 400 and response.json()["errorCode"] == "625"


def test_spreadsheet_formulas_in_cells_are_defused(bg_admin, ny_system):
    system, main, _ = ny_system
    record_call(system, "=HYPERLINK(1)", "2026-01-05T14:00:00Z", [], "IN_PROGRESS", menu=main)
    text = b"".join(bg_admin.client.get("/autoattendant/call/export").streaming_content).decode()
    assert "'=HYPERLINK(1)" in text


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-01-05T14:00:00Z", "2026-01-05T14:30:00Z"),  # an end on the quarter hour, inclusive
        ("2026-01-05T14:00:01Z", "2026-01-06T15:04:59Z"),  # both ends inside a quarter hour
        ("2026-01-05T14:07:00Z", "2026-01-05T14:08:00Z"),  # inside one quarter hour
        ("2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z"),
    ],
)
def test_the_roll_ups_give_what_counting_every_call_gives(bg_admin, history, start, end):
    """Whole quarter hours come from the roll-ups, the ends from the calls: the same figures."""
    system, _, _ = history
    stats = data(
        bg_admin.client.get(
            "/autoattendant/call/stats",
            {"autoAttendantSid": system.sid, "startTime": start, "endTime": end},
        )
    )
    calls = Call.objects.filter(
        system_sid=system.sid,
        start_time__gte=start.replace("Z", "+00:00"),
        start_time__lte=end.replace("Z", "+00:00"),
    )
    assert stats["total"] == calls.count()
    counted = {}
    for outcome in calls.values_list("outcome", flat=True):
        counted[outcome] = counted.get(outcome, 0) + 1
    assert {k: v for k, v in stats["byOutcome"].items() if v} == counted
    presses = sum(p["count"] for p in stats["keyPresses"])
    assert presses == sum(call.steps.exclude(key="").count() for call in calls)


def test_a_deleted_systems_calls_stay_named_by_its_sid(bg_admin, history):
    """The history outlives its AA system: its calls keep the system's sid, in the API and on the
    console (no name left to show), and its statistics still add up."""
    from autoattendant.services.systems import do_delete_system
    from tests.console.conftest import logged_in

    system, _, _ = history
    sid = system.sid
    call = Call.objects.filter(system_sid=sid).order_by("start_time").first()
    console = logged_in(bg_admin.user)
    page = console.get(f"/console/calls/{call.sid}/").content.decode()
    assert f'href="/console/systems/{sid}/"' in page
    assert system.name in console.get("/console/calls/").content.decode()

    do_delete_system(system)

    listed = data(bg_admin.client.get("/autoattendant/call/search", WINDOW))["result"]
    assert [c["autoAttendantSid"] for c in listed] == [sid] * 6
    page = console.get(f"/console/calls/{call.sid}/")
    assert page.status_code == 200
    assert "<dt>AA system</dt><dd>—</dd>" in page.content.decode()
    listing = console.get("/console/calls/")
    assert listing.status_code == 200
    assert system.name not in listing.content.decode()
    assert data(bg_admin.client.get("/autoattendant/call/stats", WINDOW))["total"] == 6
