"""Golden RCML for every action and every counter path of the engine.

Documents are compared after C14N canonicalisation, so the assertions are exact (verbs, order,
attributes, text) without depending on attribute quoting details.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from autoattendant.callflow import engine
from autoattendant.callflow.engine import CallResult
from autoattendant.callflow.model import Action, Announcement, Mailbox, Menu, System
from autoattendant.callflow.state import CallState, Mode

from .helpers import U, assert_xml, demo_system, state, url_for

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
MAIN_SAY = '<Say voice="woman" language="en">Welcome to Acme. Press 1 for sales.</Say>'
NO_ANN = "<Say>There is no announcement assigned to this Menu.</Say>"
FILE = "<Play>https://aa.test/files/AN_FILE.wav</Play>"
RING = "<Play>https://aa.test/files/ring.wav</Play>"
SORRY = f"<Say>{engine.TEXT_APOLOGY}</Say><Hangup/>"


def menu_xml(url: str, inner: str = MAIN_SAY, timeout: int = 5) -> str:
    return (
        f'<Gather action="{url}" method="POST" input="dtmf" numDigits="1" timeout="{timeout}"'
        f' actionOnEmptyResult="true">{inner}</Gather><Redirect method="POST">{url}</Redirect>'
    )


def ext_xml(url: str, inner: str = "<Say>Please press the extension number</Say>") -> str:
    return (
        f'<Gather action="{url}" method="POST" input="dtmf" numDigits="8" finishOnKey="#"'
        f' timeout="5" actionOnEmptyResult="true">{inner}</Gather>'
        f'<Redirect method="POST">{url}</Redirect>'
    )


def name_xml(url: str, hints: str = "John Smith,Maria Garcia,Wei Chen") -> str:
    return (
        f'<Gather action="{url}" method="POST" input="dtmf speech" numDigits="8" finishOnKey="#"'
        f' timeout="5" actionOnEmptyResult="true" language="en-US" hints="{hints}">'
        "<Say>Please say the name</Say></Gather>"
        f'<Redirect method="POST">{url}</Redirect>'
    )


def dial_xml(url: str, number: str, ringback: str = RING) -> str:
    return f'{ringback}<Dial action="{url}" method="POST"><Number>{number}</Number></Dial>'


def doc(body: str) -> str:
    return f"<Response>{body}</Response>"


def press(system: System, st: CallState, digits: str | None = None, **kw: Any) -> CallResult:
    """Shorthand: the caller presses ``digits`` at ``st``."""
    return engine.step(system, st, url_builder=url_for, digits=digits, **kw)


# --------------------------------------------------------------------------- entry


def test_start_plays_the_resolved_menu_inside_a_one_key_gather_then_redirects() -> None:
    result = engine.start(demo_system(), NOW, url_builder=url_for)
    assert result.rcml == (
        '<Response><Gather action="https://aa.test/menu/MN_MAIN/t0i0x0/s1" method="POST"'
        ' input="dtmf" numDigits="1" timeout="5" actionOnEmptyResult="true">'
        '<Say voice="woman" language="en">Welcome to Acme. Press 1 for sales.</Say></Gather>'
        '<Redirect method="POST">https://aa.test/menu/MN_MAIN/t0i0x0/s1</Redirect></Response>'
    )
    assert result.state == state(step=1)
    assert result.menu_sid == "MN_MAIN"
    assert result.error_code is None
    assert result.resolution is not None and result.resolution.source == "weekly"
    assert result.events == (
        ("gather", "dtmf", U("MN_MAIN")),
        ("say", "Welcome to Acme. Press 1 for sales."),
        ("redirect", U("MN_MAIN")),
    )


def test_start_with_no_menu_apologises_hangs_up_and_reports_498() -> None:
    result = engine.start(demo_system(weekly=()), NOW, url_builder=url_for)
    assert_xml(result.rcml, doc(SORRY))
    assert result.error_code == engine.NO_SCHEDULE_ERROR == 498
    assert result.ended and result.menu_sid is None


def test_start_with_no_entry_uses_the_default_menu() -> None:
    system = demo_system(weekly=(), default_menu_sid="MN_SUB")
    result = engine.start(system, NOW, url_builder=url_for)
    assert_xml(result.rcml, doc(menu_xml(U("MN_SUB"), NO_ANN, timeout=7)))
    assert result.resolution is not None and result.resolution.source == "default"


def test_start_with_a_menu_missing_from_the_snapshot_apologises() -> None:
    result = engine.start(
        demo_system(default_menu_sid="MN_GONE", weekly=()), NOW, url_builder=url_for
    )
    assert_xml(result.rcml, doc(SORRY))
    assert result.error_code is None and result.ended


def test_play_announcement_and_missing_announcements_in_the_menu_prompt() -> None:
    base = demo_system()
    menus = dict(base.menus)
    menus["MN_MAIN"] = replace(menus["MN_MAIN"], announcement_sid="AN_FILE")
    result = engine.start(replace(base, menus=menus), NOW, url_builder=url_for)
    assert_xml(result.rcml, doc(menu_xml(U("MN_MAIN"), FILE)))
    for unusable in ("AN_DELETED", "AN_NOFILE"):
        menus["MN_MAIN"] = replace(menus["MN_MAIN"], announcement_sid=unusable)
        result = engine.start(replace(base, menus=menus), NOW, url_builder=url_for)
        assert_xml(result.rcml, doc(menu_xml(U("MN_MAIN"), NO_ANN)))


def test_say_text_is_escaped_and_control_characters_are_stripped() -> None:
    base = demo_system()
    announcements = dict(base.announcements)
    announcements["AN_WELCOME"] = Announcement(
        "AN_WELCOME", "say", 'R&D <lab>\x00\x07 "1"', "en", "man"
    )
    result = engine.start(replace(base, announcements=announcements), NOW, url_builder=url_for)
    assert 'R&amp;D &lt;lab&gt; "1"</Say>' in result.rcml
    assert_xml(
        result.rcml,
        doc(menu_xml(U("MN_MAIN"), '<Say voice="man" language="en">R&amp;D &lt;lab&gt; "1"</Say>')),
    )


# --------------------------------------------------------------------------- the nine actions


def test_transfer_to_phone_plays_the_ringback_then_dials_with_an_action() -> None:
    result = press(demo_system(), state(), "1")
    assert_xml(result.rcml, doc(dial_xml(U("MN_MAIN", "dial"), "15551230000")))
    assert result.state == state(mode="dial", step=1)
    assert result.events[-1] == ("dial", "15551230000")


def test_transfer_without_ringback_dials_directly() -> None:
    result = press(demo_system(), state("MN_SUB"), "1")
    assert_xml(result.rcml, doc(dial_xml(U("MN_SUB", "dial"), "15559990000", ringback="")))


def test_transfer_with_no_number_apologises() -> None:
    base = demo_system()
    menus = dict(base.menus)
    menus["MN_MAIN"] = replace(menus["MN_MAIN"], keys={"1": Action("TRANSFER_TO_PHONE", " ")})
    assert_xml(press(replace(base, menus=menus), state(), "1").rcml, doc(SORRY))


def test_dial_by_extension_prompts_with_the_default_text() -> None:
    result = press(demo_system(), state(), "2")
    assert_xml(result.rcml, doc(ext_xml(U("MN_MAIN", "extension"))))
    assert result.state == state(mode="extension", step=1)


def test_dial_by_extension_prompts_with_the_actions_announcement() -> None:
    result = press(demo_system(), state(), "*")
    url = U("MN_MAIN", "extension", prompt="AN_EXT")
    assert_xml(
        result.rcml,
        doc(ext_xml(url, '<Say voice="woman" language="en">Enter the extension, then hash.</Say>')),
    )


@pytest.mark.parametrize(
    ("digits", "number"), [("101", "15550101"), ("15550102", "15550102"), ("102#", "15550102")]
)
def test_dial_by_extension_dials_by_code_or_full_number(digits: str, number: str) -> None:
    result = press(demo_system(), state(mode="extension"), digits)
    assert_xml(result.rcml, doc(dial_xml(U("MN_MAIN", "dial"), number)))


@pytest.mark.parametrize("digits", ["", None, "#", "999", "1010"])
def test_invalid_extension_reprompts_with_the_same_prompt(digits: str | None) -> None:
    result = press(
        demo_system(), state(mode="extension", prompt_sid="AN_EXT", invalid_extensions=1), digits
    )
    url = U("MN_MAIN", "extension", x=2, prompt="AN_EXT")
    assert_xml(
        result.rcml,
        doc(ext_xml(url, '<Say voice="woman" language="en">Enter the extension, then hash.</Say>')),
    )


def test_third_invalid_extension_runs_the_default_hangup() -> None:
    result = press(demo_system(), state(mode="extension", invalid_extensions=2), "999")
    assert_xml(result.rcml, "<Response><Hangup/></Response>")
    assert result.ended


def test_invalid_extension_limit_and_action_come_from_the_system() -> None:
    system = demo_system(
        invalid_extension_max=1, invalid_extension_action=Action("ANNOUNCEMENT_HANGUP", "AN_BYE")
    )
    result = press(system, state(mode="extension"), "")
    assert_xml(
        result.rcml, doc('<Say voice="man" language="en-gb">Goodbye from Acme.</Say><Hangup/>')
    )


def test_dial_by_name_prompts_with_speech_hints() -> None:
    result = press(demo_system(), state(), "3")
    assert_xml(result.rcml, doc(name_xml(U("MN_MAIN", "name"))))


@pytest.mark.parametrize(
    ("speech", "number"),
    [("John Smith", "15550101"), ("maria garsia", "15550102"), ("Wei Chen.", "15550103")],
)
def test_dial_by_name_dials_the_best_match(speech: str, number: str) -> None:
    result = engine.step(demo_system(), state(mode="name"), url_builder=url_for, speech=speech)
    assert_xml(result.rcml, doc(dial_xml(U("MN_MAIN", "dial"), number)))


@pytest.mark.parametrize("speech", ["", None, "Bartholomew Quisling"])
def test_dial_by_name_without_a_confident_match_reprompts(speech: str | None) -> None:
    result = engine.step(demo_system(), state(mode="name"), url_builder=url_for, speech=speech)
    assert_xml(result.rcml, doc(name_xml(U("MN_MAIN", "name", x=1))))


def test_dial_by_name_counts_invalid_names_to_the_action() -> None:
    system = demo_system(invalid_extension_action=Action("GO_TO_MENU", "MN_SUB"))
    result = engine.step(
        system,
        state(mode="name", invalid_extensions=2),
        url_builder=url_for,
        speech="nobody at all",
    )
    assert_xml(result.rcml, doc(menu_xml(U("MN_SUB", path=("MN_MAIN",)), NO_ANN, timeout=7)))


def test_go_to_menu_pushes_the_current_menu() -> None:
    result = press(demo_system(), state(timeouts=2, invalid_inputs=1), "4")
    assert_xml(result.rcml, doc(menu_xml(U("MN_SUB", path=("MN_MAIN",)), NO_ANN, timeout=7)))
    assert result.state is not None and result.state.path == ("MN_MAIN",)


def test_go_to_a_missing_menu_apologises_and_hangs_up() -> None:
    assert_xml(press(demo_system(), state(), "0").rcml, doc(SORRY))


def test_announcement_hangup() -> None:
    result = press(demo_system(), state(), "5")
    assert_xml(
        result.rcml, doc('<Say voice="man" language="en-gb">Goodbye from Acme.</Say><Hangup/>')
    )
    assert result.events == (("say", "Goodbye from Acme."), ("hangup",))


def test_announcement_hangup_with_a_deleted_announcement_just_hangs_up() -> None:
    base = demo_system()
    announcements = {k: v for k, v in base.announcements.items() if k != "AN_BYE"}
    assert_xml(
        press(replace(base, announcements=announcements), state(), "5").rcml,
        "<Response><Hangup/></Response>",
    )


def test_announcement_return_plays_then_returns_to_the_menu() -> None:
    result = press(demo_system(), state(), "6")
    assert_xml(result.rcml, doc(FILE + menu_xml(U("MN_MAIN"))))


def test_replay_menu_resets_the_counters() -> None:
    result = press(demo_system(), state(timeouts=2, invalid_inputs=2), "7")
    assert_xml(result.rcml, doc(menu_xml(U("MN_MAIN"))))


def test_return_to_previous_menu_pops_through_several_levels() -> None:
    system = demo_system()
    first = press(system, state("MN_SUB2", path=("MN_MAIN", "MN_SUB")), "8")
    assert_xml(first.rcml, doc(menu_xml(U("MN_SUB", path=("MN_MAIN",)), NO_ANN, timeout=7)))
    assert first.state is not None
    second = press(system, first.state, "8")
    assert_xml(second.rcml, doc(menu_xml(U("MN_MAIN", s=2))))


def test_return_to_previous_menu_without_history_replays_the_current_menu() -> None:
    assert_xml(press(demo_system(), state(), "8").rcml, doc(menu_xml(U("MN_MAIN"))))


def test_return_to_previous_menu_skips_menus_deleted_since() -> None:
    result = press(demo_system(), state("MN_SUB2", path=("MN_MAIN", "MN_GONE")), "8")
    assert_xml(result.rcml, doc(menu_xml(U("MN_MAIN"))))


def test_hangup() -> None:
    result = press(demo_system(), state(), "9")
    assert_xml(result.rcml, "<Response><Hangup/></Response>")
    assert result.state is None and result.events == (("hangup",),)


def test_walk_main_sub_sub2_and_back() -> None:
    system = demo_system()
    r1 = engine.start(system, NOW, url_builder=url_for)
    r2 = press(system, r1.state, "4")
    r3 = press(system, r2.state, "4")
    assert r3.state is not None and r3.state.path == ("MN_MAIN", "MN_SUB")
    assert_xml(r3.rcml, doc(menu_xml(U("MN_SUB2", s=3, path=("MN_MAIN", "MN_SUB")), FILE)))
    r4 = press(system, r3.state, "8")
    r5 = press(system, r4.state, "8")
    assert r5.menu_sid == "MN_MAIN" and r5.state is not None and r5.state.path == ()


def test_unknown_action_type_apologises() -> None:
    base = demo_system()
    menus = dict(base.menus)
    menus["MN_MAIN"] = replace(menus["MN_MAIN"], keys={"1": Action("SING_A_SONG")})
    assert_xml(press(replace(base, menus=menus), state(), "1").rcml, doc(SORRY))


# --------------------------------------------------------------------------- timeouts


@pytest.mark.parametrize("digits", ["", None, "  "])
def test_first_timeout_replays_the_menu_with_the_count(digits: str | None) -> None:
    result = press(demo_system(), state(), digits)
    assert_xml(result.rcml, doc(menu_xml(U("MN_MAIN", t=1))))


def test_gather_callback_and_redirect_count_silence_once() -> None:
    """Both URLs carry the same state, and the platform follows only one of them."""
    system = demo_system()
    prompt = engine.start(system, NOW, url_builder=url_for)
    gather_url, redirect_url = prompt.events[0][2], prompt.events[-1][1]
    assert gather_url == redirect_url
    via_gather = press(system, prompt.state, "")  # actionOnEmptyResult: Digits=""
    via_redirect = press(system, prompt.state, None)  # Restcomm falls through: no Digits
    assert via_gather == via_redirect
    assert via_gather.state is not None and via_gather.state.timeouts == 1


def test_third_timeout_runs_the_default_hangup() -> None:
    result = press(demo_system(), state(timeouts=2), "")
    assert_xml(result.rcml, "<Response><Hangup/></Response>")


def test_silence_alone_ends_the_call_after_three_prompts() -> None:
    system = demo_system()
    result = engine.start(system, NOW, url_builder=url_for)
    prompts = 1
    while not result.ended:
        result = press(system, result.state, "")
        prompts += 1
    assert prompts == 4  # the prompt, two replays, then the hang-up


def test_timeout_settings_menu_beats_system_beats_default() -> None:
    base = demo_system(
        timeout_seconds=9,
        timeout_max=2,
        timeout_action=Action("ANNOUNCEMENT_HANGUP", "AN_BYE"),
    )
    # system settings apply to a menu with none of its own
    assert_xml(press(base, state(), "").rcml, doc(menu_xml(U("MN_MAIN", t=1), timeout=9)))
    assert_xml(
        press(base, state(timeouts=1), "").rcml,
        doc('<Say voice="man" language="en-gb">Goodbye from Acme.</Say><Hangup/>'),
    )
    # the menu's own settings win
    menus = dict(base.menus)
    menus["MN_MAIN"] = replace(
        menus["MN_MAIN"],
        timeout_seconds=3,
        timeout_max=4,
        timeout_action=Action("GO_TO_MENU", "MN_SUB"),
    )
    own = replace(base, menus=menus)
    assert_xml(press(own, state(timeouts=2), "").rcml, doc(menu_xml(U("MN_MAIN", t=3), timeout=3)))
    assert_xml(
        press(own, state(timeouts=3), "").rcml,
        doc(menu_xml(U("MN_SUB", path=("MN_MAIN",)), NO_ANN, timeout=7)),
    )


def test_timeout_seconds_of_zero_is_sent_as_one() -> None:
    result = engine.start(demo_system(timeout_seconds=0), NOW, url_builder=url_for)
    assert 'timeout="1"' in result.rcml


# --------------------------------------------------------------------------- invalid input


def test_unmapped_key_counts_and_replays() -> None:
    base = demo_system()
    menus = dict(base.menus)
    menus["MN_MAIN"] = replace(menus["MN_MAIN"], keys={"1": Action("HANGUP")})
    system = replace(base, menus=menus)
    assert_xml(
        press(system, state(timeouts=1), "5").rcml,
        doc(f"<Say>{engine.TEXT_INVALID_CHOICE}</Say>" + menu_xml(U("MN_MAIN", t=1, i=1))),
    )
    assert_xml(press(system, state(invalid_inputs=2), "5").rcml, "<Response><Hangup/></Response>")


def test_invalid_input_limit_and_action_come_from_the_system() -> None:
    base = demo_system(
        invalid_input_max=1, invalid_input_action=Action("ANNOUNCEMENT_RETURN", "AN_FILE")
    )
    result = press(base, state("MN_SUB", invalid_inputs=0, timeouts=1), "9")
    assert_xml(result.rcml, doc(FILE + menu_xml(U("MN_SUB"), NO_ANN, timeout=7)))


def test_counters_are_independent() -> None:
    base = demo_system()
    result = press(base, state("MN_SUB", timeouts=1, invalid_inputs=1), "")
    assert result.state is not None
    assert (result.state.timeouts, result.state.invalid_inputs) == (2, 1)
    result = press(base, state("MN_SUB", timeouts=2, invalid_inputs=1), "5")
    assert result.state is not None
    assert (result.state.timeouts, result.state.invalid_inputs) == (2, 2)


# --------------------------------------------------------------------------- after a dial


@pytest.mark.parametrize(
    "status",
    [
        "busy",
        "no-answer",
        "failed",
        "canceled",
        "NO_ANSWER",
        "not-found",
        "null",
        "queued",
        "ringing",
        "wait-for-answer",
        "",
        None,
    ],
)
def test_unanswered_dial_apologises_and_returns_to_the_menu(status: str | None) -> None:
    """Every status but an answered one — Restcomm's ``not-found`` and literal ``null`` too, and
    none at all — is an unanswered transfer: the caller is never cut off."""
    result = engine.step(
        demo_system(), state(mode="dial", path=("MN_SUB",)), url_builder=url_for, dial_status=status
    )
    assert_xml(
        result.rcml,
        doc(
            "<Say>Sorry, that line is not available.</Say>"
            + menu_xml(U("MN_MAIN", path=("MN_SUB",)))
        ),
    )


@pytest.mark.parametrize("status", ["completed", "answered", "in-progress", "COMPLETED"])
def test_answered_dial_ends_the_call(status: str) -> None:
    result = engine.step(demo_system(), state(mode="dial"), url_builder=url_for, dial_status=status)
    assert_xml(result.rcml, "<Response><Hangup/></Response>")
    assert result.ended


# --------------------------------------------------------------------------- safety nets


def test_a_state_whose_menu_is_gone_apologises() -> None:
    assert_xml(press(demo_system(), state("MN_GONE"), "1").rcml, doc(SORRY))


def test_a_state_of_another_system_or_enterprise_is_refused_politely() -> None:
    system = demo_system()
    assert_xml(press(system, replace(state(), system_sid="AA2"), "1").rcml, doc(SORRY))
    assert_xml(press(system, replace(state(), organization="EN2"), "1").rcml, doc(SORRY))


def test_the_step_cap_ends_any_call() -> None:
    system = demo_system()
    assert press(system, state(step=engine.MAX_STEPS - 1), "7").state is not None
    assert_xml(press(system, state(step=engine.MAX_STEPS), "7").rcml, doc(SORRY))
    assert_xml(press(system, state(step=3), "7", max_steps=3).rcml, doc(SORRY))


def test_fallback_documents() -> None:
    assert (
        engine.apology_rcml() == f"<Response><Say>{engine.TEXT_APOLOGY}</Say><Hangup/></Response>"
    )
    assert "sorry" in engine.apology_rcml().lower()
    assert engine.hangup_rcml() == "<Response><Hangup/></Response>"


def test_results_are_deterministic() -> None:
    system = demo_system()
    assert engine.start(system, NOW, url_builder=url_for) == engine.start(
        system, NOW, url_builder=url_for
    )


def test_menu_missing_keys_mapping_is_fine() -> None:
    system = System(sid="AA1", enterprise_sid="EN1", menus={"M": Menu("M")}, default_menu_sid="M")
    result = engine.start(system, NOW, url_builder=url_for)
    assert_xml(result.rcml, doc(menu_xml(U("M"), NO_ANN)))
    assert press(system, state("M"), "1").state == state("M", invalid_inputs=1, step=1)
    assert result.state is not None and result.state.mode == Mode.MENU


# --------------------------------------------------------------------------- DESIGN §15


def test_retry_prompts_play_before_the_menu_again() -> None:
    system = demo_system(
        invalid_input_announcement_sid="AN_FILE", timeout_announcement_sid="AN_FILE"
    )
    wrong = press(system, state(), "#")
    assert_xml(wrong.rcml, doc(FILE + menu_xml(U("MN_MAIN", i=1))))
    silent = press(system, state(), "")
    assert_xml(silent.rcml, doc(FILE + menu_xml(U("MN_MAIN", t=1))))
    # A retry prompt that cannot be voiced: the built-in sentence after a wrong key, nothing
    # after silence.
    system = demo_system(
        invalid_input_announcement_sid="AN_NOFILE", timeout_announcement_sid="AN_NOFILE"
    )
    assert_xml(
        press(system, state(), "#").rcml,
        doc(f"<Say>{engine.TEXT_INVALID_CHOICE}</Say>" + menu_xml(U("MN_MAIN", i=1))),
    )
    assert_xml(press(system, state(), "").rcml, doc(menu_xml(U("MN_MAIN", t=1))))


def test_an_unanswered_dial_runs_the_dial_failure_action() -> None:
    system = demo_system(
        dial_failure_action=Action("VOICEMAIL", "MB1"),
        mailboxes={"MB1": Mailbox("MB1", greeting_sid="AN_FILE", max_length_seconds=30)},
    )
    result = engine.step(system, state(mode="dial"), url_builder=url_for, dial_status="busy")
    url = U("MN_MAIN", "record", prompt="MB1")
    assert_xml(
        result.rcml,
        doc(
            f'{FILE}<Record action="{url}" method="POST" maxLength="30" playBeep="true"'
            f' finishOnKey="#"/><Redirect method="POST">{url}</Redirect>'
        ),
    )
    assert result.state is not None and result.state.mode == Mode.RECORD
    answered = engine.step(system, state(mode="dial"), url_builder=url_for, dial_status="completed")
    assert_xml(answered.rcml, "<Response><Hangup/></Response>")


def test_a_voicemail_into_a_missing_mailbox_apologises() -> None:
    base = demo_system()
    menus = dict(base.menus)
    menus["MN_MAIN"] = replace(menus["MN_MAIN"], keys={"2": Action("VOICEMAIL", "MB_GONE")})
    assert_xml(press(replace(base, menus=menus), state(), "2").rcml, doc(SORRY))
