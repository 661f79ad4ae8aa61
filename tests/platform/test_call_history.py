"""Calls walked through the platform doubles land in the call history with the right outcome and
steps, read back through the API (DESIGN §13). The console's view of the same calls is checked
in ``tests/browser/test_calls_pages.py``."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from autoattendant.runtime import recording
from autoattendant.services.calls import close_idle_calls

from .conftest import MAIN_NUMBER, OPERATOR, SALES_LINE


def _history(client, call_sid: str) -> dict:
    recording.settle()
    listed = client.get("/autoattendant/call/search", {"pageSize": 100}).json()["data"]
    matches = [row for row in listed["result"] if row["callSid"] == call_sid]
    assert len(matches) == 1, listed
    detail = client.get(matches[0]["uri"]).json()["data"]
    return detail


def _steps(detail: dict) -> list[tuple[str, str]]:
    return [(step["input"], step["action"]) for step in detail["steps"]]


def test_a_transfer(restcomm, flow, bg_admin):
    restcomm.call(["1", "dial:completed"])
    call = _history(bg_admin.client, restcomm.call_sid)
    assert call["outcome"] == "TRANSFERRED"
    assert call["transferredTo"] == SALES_LINE
    assert call["to"] == MAIN_NUMBER and call["from"] == restcomm.from_
    assert call["dialect"] == "rcml"
    assert call["autoAttendantSid"] == flow.system.sid
    assert call["menuPath"] == [flow.main.sid]
    assert _steps(call) == [
        ("", "PROMPT"),
        ("1", "TRANSFER_TO_PHONE"),
        ("dial:completed", "HANGUP"),
    ]
    assert [step["step"] for step in call["steps"]] == [1, 2, 3]
    assert all(step["menuSid"] == flow.main.sid for step in call["steps"])


def test_a_timeout(restcomm, flow, bg_admin):
    restcomm.call(["", "", ""])
    call = _history(bg_admin.client, restcomm.call_sid)
    assert call["outcome"] == "HUNG_UP_BY_FLOW"
    assert _steps(call) == [
        ("", "PROMPT"),
        ("timeout", "TIMEOUT"),
        ("timeout", "TIMEOUT"),
        ("timeout", "ANNOUNCEMENT_HANGUP"),
    ]
    assert "timeout 3 of 3" in call["steps"][-1]["detail"]


def test_invalid_keys(restcomm, flow, bg_admin):
    restcomm.call(["8", "0", "8", "dial:busy", "9"])
    call = _history(bg_admin.client, restcomm.call_sid)
    assert _steps(call) == [
        ("", "PROMPT"),
        ("8", "INVALID"),
        ("0", "INVALID"),
        ("8", "TRANSFER_TO_PHONE"),  # the third invalid key: the system's invalid-input action
        ("dial:busy", "REPLAY"),
        ("9", "HANGUP"),
    ]
    assert call["outcome"] == "HUNG_UP_BY_FLOW"
    assert call["transferredTo"] == OPERATOR  # the last number dialled, even unanswered


def test_an_abandoned_call_is_closed_as_the_caller_hanging_up(restcomm, flow, bg_admin, settings):
    restcomm.call(["2"])  # to Sales, then the caller hangs up while it plays
    call = _history(bg_admin.client, restcomm.call_sid)
    assert call["outcome"] == "IN_PROGRESS"
    assert call["menuPath"] == [flow.main.sid, flow.sales.sid]
    assert _steps(call) == [("", "PROMPT"), ("2", "GO_TO_MENU")]

    assert close_idle_calls() == 0  # not idle long enough yet
    later = timezone.now() + timedelta(seconds=settings.CALL_IDLE_SECONDS + 1)
    assert close_idle_calls(later) == 1
    call = _history(bg_admin.client, restcomm.call_sid)
    assert call["outcome"] == "CALLER_HUNG_UP"


def test_twiml_calls_are_recorded_in_their_dialect(twilio, flow, bg_admin):
    twilio.call(["4", "say:Maria Garcia", "dial:completed"])
    call = _history(bg_admin.client, twilio.call_sid)
    assert call["dialect"] == "twiml"
    assert call["outcome"] == "TRANSFERRED"
    assert call["transferredTo"] == flow.maria.number
    assert _steps(call) == [
        ("", "PROMPT"),
        ("4", "DIAL_BY_NAME"),
        ("speech:Maria Garcia", "DIAL_BY_NAME"),
        ("dial:completed", "HANGUP"),
    ]


def test_a_step_delivered_twice_is_stored_once(restcomm, flow, bg_admin, client):
    call = restcomm.call(["9"])
    _method, url, params = call.requests[-1]
    client.post(url, params)  # the platform retries the last request
    detail = _history(bg_admin.client, restcomm.call_sid)
    assert _steps(detail) == [("", "PROMPT"), ("9", "HANGUP")]


def test_another_enterprise_sees_none_of_them(restcomm, flow, bg_admin, bg_admin_b):
    restcomm.call(["9"])
    sid = _history(bg_admin.client, restcomm.call_sid)["sid"]
    listed = bg_admin_b.client.get("/autoattendant/call/search").json()["data"]
    assert listed["total"] == 0
    response = bg_admin_b.client.get(f"/autoattendant/call/search/{sid}")
    assert response.status_code == 409
    assert response.json()["errorCode"] == "626"
