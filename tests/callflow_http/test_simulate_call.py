"""``manage.py simulate_call``: a call walked through the engine, step by step."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from autoattendant.models import PhoneNumber
from autoattendant.services.simulation import CallInput, parse_inputs, simulate_call
from tests.builders import make_menu, make_system, make_weekly_block

from .conftest import MAIN_NUMBER

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("simulate_call", *args, stdout=out)
    return out.getvalue()


def test_it_prints_each_prompt_key_and_outcome(world):
    out = run(f"+{MAIN_NUMBER}", "--input", "4,8,1", "--base-url", "https://aa.example.com")
    assert f"Call to {MAIN_NUMBER}" in out
    assert f"System Acme main line ({world.system.sid}, UTC)" in out
    assert f"[1] call starts -> menu Main ({world.main.sid})" in out
    assert "why: weekly day" in out  # the schedule resolution's reason
    assert "say: Welcome to Acme." in out
    assert f"[2] caller presses 4 -> menu Sales ({world.sales.sid})" in out
    assert "say: There is no announcement assigned to this Menu." in out
    assert "[3] caller presses 8 -> menu Main" in out
    assert "[4] caller presses 1 -> menu Main" in out
    assert (
        "play: https://aa.example.com/autoattendant/internal/announcement/file/"
        "AN_ring_1700000000000.wav"
    ) in out
    assert "DIAL 15551230000" in out
    assert out.rstrip().endswith("Call transferred; the attendant's part is over.")


def test_silence_speech_and_dial_statuses(world):
    out = run(MAIN_NUMBER, "--input", "3,say:John Smith,dial:busy,-,,-")
    assert "caller says 'John Smith'" in out
    assert "DIAL 15550101" in out
    assert "transfer ended busy" in out
    assert "say: Sorry, that line is not available." in out
    assert "why: timeout 3 of 3: HANGUP" in out
    assert out.rstrip().endswith("Call ended (hang-up).")


def test_play_urls_default_to_the_public_base_url(world, settings):
    assert "play: http://127.0.0.1:8000/autoattendant/internal/" in run(MAIN_NUMBER, "--input", "1")
    settings.PUBLIC_BASE_URL = "https://aa.example.com"
    assert "play: https://aa.example.com/autoattendant/" in run(MAIN_NUMBER, "--input", "1")


def test_it_stops_when_the_inputs_run_out_or_the_call_ends(world):
    assert run(MAIN_NUMBER).rstrip().endswith("Inputs ran out; the call waits for the caller.")
    out = run(MAIN_NUMBER, "--input", "9,1,2")
    assert "Call ended (hang-up)." in out and "Inputs not used: 1,2" in out


def test_at_picks_the_menu_of_that_moment(enterprise_a):
    system = make_system(enterprise_a, "Office", timezone_id="America/New_York")
    day = make_menu(system, "Day")
    make_weekly_block(day, [(1, "09:00", "17:00")])
    PhoneNumber.objects.create(enterprise=enterprise_a, number="15553330000", auto_attendant=system)
    out = run("15553330000", "--at", "2024-01-01T15:00:00Z")  # Monday 10:00 in New York
    assert "menu Day" in out and "weekly day 1 09:00-17:00 at Mon 2024-01-01 10:00 EST" in out
    with pytest.raises(CommandError, match=r"^498 No Schedule entry found"):
        run("15553330000", "--at", "2024-01-01T23:00:00Z")


def test_bad_numbers_are_command_errors(world):
    with pytest.raises(CommandError, match=r"^491 PhoneNumber not found"):
        run("15550000000")
    with pytest.raises(CommandError, match=r"^490 AutoAttendant System not found"):
        run(world.john.number)


def test_bad_arguments_are_command_errors(world):
    with pytest.raises(CommandError, match="'x'"):
        run(MAIN_NUMBER, "--input", "1,x")
    with pytest.raises(CommandError, match="ISO-8601"):
        run(MAIN_NUMBER, "--at", "tomorrow")


def test_the_service_returns_the_walk(world):
    walk = simulate_call(MAIN_NUMBER, inputs=parse_inputs("2,101#"))
    assert [step.menu_sid for step in walk.steps] == [world.main.sid] * 3
    assert walk.steps[-1].events[-1] == ("dial", "15550101")
    assert walk.outcome == "connected"
    assert parse_inputs("1, -,say:Ann,dial:No-Answer") == [
        CallInput("1", digits="1"),
        CallInput("-"),
        CallInput("say:Ann", speech="Ann"),
        CallInput("dial:No-Answer", dial_status="no-answer"),
    ]


def test_a_simulated_message_is_recorded_but_never_stored(enterprise_a):
    from autoattendant.choices import ActionType
    from autoattendant.models import Mailbox, PhoneNumber, Voicemail
    from autoattendant.services.simulation import parse_inputs, simulate_call
    from tests.builders import make_menu, make_system, make_weekly_block

    mailbox = Mailbox.objects.create(enterprise=enterprise_a, name="Desk")
    system = make_system(enterprise_a, "Line")
    menu = make_menu(system, "Main", keys={"2": (ActionType.VOICEMAIL, mailbox.sid)})
    make_weekly_block(menu, [(day, "00:00", "24:00") for day in range(1, 8)])
    PhoneNumber.objects.create(enterprise=enterprise_a, number="15557001000", auto_attendant=system)
    walk = simulate_call("15557001000", inputs=parse_inputs("2,record"))
    assert walk.outcome == "hangup"
    assert walk.steps[1].events[1][:1] == ("record",)
    assert walk.steps[2].input.label == "caller leaves a message"
    assert walk.steps[2].events[0] == ("say", "Thank you, your message has been recorded. Goodbye.")
    assert not Voicemail.objects.exists()
