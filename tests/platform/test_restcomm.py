"""Every call-flow path walked through the Restcomm double (``restcomm.py``), which behaves like
Restcomm-Connect's voice interpreter: sticky ``numDigits``, no action request on silence, ``#``
as the default finish key, only 200 + XML executed, Say fall-backs, every ``DialCallStatus``.

Before the fix (the engine as it was), 12 of these cases failed against the double:

- dial by extension after a menu, ``102#`` and ``102`` (the extension prompt sent no
  ``numDigits``, so Restcomm kept the menu's ``1``: ``Digits=1`` arrived, three "invalid
  extensions" followed), and the same call over a real socket;
- typing an extension at the name prompt (``input="speech"`` ignored the keys), and a Spanish
  system's name prompt (no ASR ``language``: recognised as ``en-US``);
- the ``not-found``, ``null``, ``queued`` and ``wait-for-answer`` dial statuses (the caller was
  hung up on instead of returning to the menu);
- ``To`` as ``5557770000``, ``(555) 777-0000`` and ``tel:+15557770000`` (an apology: no number).
"""

from __future__ import annotations

import pytest

from autoattendant.callflow.engine import (
    TEXT_APOLOGY,
    TEXT_EXTENSION_PROMPT,
    TEXT_LINE_UNAVAILABLE,
    TEXT_NAME_PROMPT,
)
from autoattendant.models import PhoneNumber

from .common import LiveTransport
from .conftest import MAIN_NUMBER, OPERATOR, SALES_LINE
from .restcomm import RestcommPlatform

WELCOME = ("say", "Welcome to Acme.", "woman", "en")


def test_a_key_transfers_and_the_call_ends_when_the_transfer_is_over(restcomm, flow):
    call = restcomm.call(["1", "dial:completed"])
    assert call.events[0] == WELCOME
    assert call.dialled == [SALES_LINE]
    assert ("play", call.events[-2][1]) == call.events[-2]  # the menu's ringback before the Dial
    assert call.ended == "transferred"
    assert call.posted("DialCallStatus") == ["completed"]


@pytest.mark.parametrize("typed", ["102#", "102"])
def test_dial_by_extension_after_a_menu(restcomm, flow, typed):
    """The menu's Gather sets numDigits=1; the extension prompt must set its own, or Restcomm
    keeps collecting one digit."""
    call = restcomm.call(["3", typed])
    menu_gather, extension_gather = call.gathers
    assert menu_gather[2] == 1
    assert extension_gather[2] == 3 and extension_gather[3] == "#"
    assert TEXT_EXTENSION_PROMPT in call.said
    assert call.posted("Digits") == ["3", "102"]
    assert call.dialled == [flow.maria.number]
    assert call.ended == "transferred"


def test_a_short_extension_ended_with_hash(restcomm, enterprise_a, flow):
    short = PhoneNumber.objects.create(
        enterprise=enterprise_a, number="15550109", is_extension=True, extension="9"
    )
    flow.system.extensions.add(short)
    call = restcomm.call(["3", "9#"])
    assert call.posted("Digits") == ["3", "9"]
    assert call.dialled == [short.number]


def test_three_unknown_extensions_run_the_invalid_extension_action(restcomm, flow):
    call = restcomm.call(["3", "999#", "#", "", "9"])
    # 999 unknown; '#' alone and silence send no request: the Redirect asks again, counted once.
    assert call.said.count(TEXT_EXTENSION_PROMPT) == 3
    assert call.dialled == []
    assert call.ended == "hangup"  # the system's default invalid-extension action


def test_dial_by_name_by_speech_or_by_typing_the_extension(restcomm, flow):
    call = restcomm.call(["4", "say:maria garcia"])
    assert TEXT_NAME_PROMPT in call.said
    gather = call.gathers[1]
    assert gather[1] == "dtmf speech" and gather[2] == 3 and gather[4] == "en-US"
    assert call.dialled == [flow.maria.number]

    typed = restcomm.call(["4", "101#"])
    assert typed.dialled == [flow.john.number]


def test_the_name_prompt_listens_in_the_systems_language(restcomm, flow):
    flow.system.language = "es"
    flow.system.save()
    call = restcomm.call(["4", "say:John Smith"])
    assert call.gathers[1][4] == "es-ES"
    assert call.dialled == [flow.john.number]


def test_sixty_names_still_parse_and_the_sixtieth_still_matches(restcomm, enterprise_a, flow):
    """Restcomm's parser fails the whole document on more than 50 hints."""
    last = None
    for index in range(60):
        last = PhoneNumber.objects.create(
            enterprise=enterprise_a,
            number=f"1555020{index:04d}",
            is_extension=True,
            extension=f"2{index:02d}",
            extension_spoken_name=f"Person Number{index:02d} Zed{'x' * index}",
        )
        flow.system.extensions.add(last)
    call = restcomm.call(["4", f"say:{last.extension_spoken_name}"])
    assert not call.failed
    assert call.dialled == [last.number]


def test_silence_is_counted_once_per_timeout_and_ends_with_the_timeout_action(restcomm, flow):
    call = restcomm.call(["", "", ""])
    assert call.said.count("Welcome to Acme.") == 3
    assert call.events[-2:] == [("say", "Goodbye from Acme.", "man", "en"), ("hangup",)]
    # Restcomm never calls the Gather's action on silence: every request after the entry is the
    # Redirect that follows the Gather.
    assert call.posted("Digits") == []
    assert len(call.requests) == 1 + 3


def test_the_finish_key_alone_is_silence(restcomm, flow):
    call = restcomm.call(["#", "#", "#"])
    assert call.posted("Digits") == []
    assert call.ended == "hangup" and call.said[-1] == "Goodbye from Acme."


def test_three_invalid_keys_go_to_the_operator(restcomm, flow):
    call = restcomm.call(["8", "0", "*", "dial:completed"])
    assert call.said.count("Welcome to Acme.") == 3
    assert call.dialled == [OPERATOR]


def test_go_to_menu_plays_its_file_and_returns_to_the_previous_menu(restcomm, flow):
    call = restcomm.call(["2", "8", "9"])
    plays = [event for event in call.events if event[0] == "play"]
    assert len(plays) == 1 and plays[0][1].endswith(".wav")
    assert call.said == ["Welcome to Acme.", "Welcome to Acme."]
    assert call.ended == "hangup"


def test_announcements_then_back_replay_and_goodbye(restcomm, flow):
    call = restcomm.call(["5", "7", "6"])
    assert call.said == [
        "Welcome to Acme.",
        "We are open nine to five.",
        "Welcome to Acme.",
        "Welcome to Acme.",  # 7 replays
        "Goodbye from Acme.",
    ]
    assert call.ended == "hangup"


@pytest.mark.parametrize(
    "status",
    ["busy", "no-answer", "failed", "canceled", "not-found", "null", "queued", "wait-for-answer"],
)
def test_an_unanswered_transfer_apologises_and_returns_to_the_menu(restcomm, flow, status):
    call = restcomm.call(["1", f"dial:{status}", "9"])
    assert call.dialled == [SALES_LINE]
    assert call.said == ["Welcome to Acme.", TEXT_LINE_UNAVAILABLE, "Welcome to Acme."]
    assert call.ended == "hangup"


def test_a_caller_who_hangs_up_in_the_menu(restcomm, flow):
    call = restcomm.call([])
    assert call.ended == "caller"
    assert len(call.requests) == 1


def test_the_number_voice_method_may_be_get(flow):
    call = RestcommPlatform(to=MAIN_NUMBER, voice_method="GET").call(["9"])
    assert call.requests[0][0] == "GET"
    assert call.ended == "hangup"


def test_every_answer_is_200_xml_that_restcomm_executes(restcomm, flow):
    call = restcomm.call(["3", "999#", "4", "say:nobody", "2", "8", "1", "dial:busy", "6"])
    assert not call.failed
    assert all(reply.status == 200 for reply in call.replies)
    assert all(reply.content_type == "application/xml" for reply in call.replies)


def test_an_unknown_number_is_apologised_to(flow):
    call = RestcommPlatform(to="15550000000").call()
    assert call.said == [TEXT_APOLOGY]
    assert call.ended == "hangup"


@pytest.mark.parametrize("to", ["+15557770000", "5557770000", "(555) 777-0000", "tel:+15557770000"])
def test_national_and_uri_forms_of_to_reach_the_number(flow, settings, to):
    settings.DEFAULT_PHONE_REGION = "US"
    call = RestcommPlatform(to=to).call(["9"])
    assert call.said == ["Welcome to Acme."]


def test_a_national_form_needs_the_region(flow, settings):
    settings.DEFAULT_PHONE_REGION = ""
    assert RestcommPlatform(to="5557770000").call().said == [TEXT_APOLOGY]


def test_a_play_that_cannot_be_fetched_ends_the_call_on_restcomm(restcomm, flow, media):
    """What ``check_platform`` exists to catch: a missing file outside a Gather hangs up."""
    for path in media.rglob("*.wav"):
        path.unlink()
    call = restcomm.call(["1"])
    assert call.failed and "could not fetch" in call.ended


@pytest.mark.django_db(transaction=True)
def test_a_whole_call_over_a_real_socket(live_server, flow):
    platform = RestcommPlatform(
        LiveTransport(), voice_url=f"{live_server.url}/autoattendant/internal/rcml"
    )
    call = platform.call(["3", "102#"])
    assert call.dialled == [flow.maria.number]
    assert all(url.startswith(live_server.url) for _, url, _ in call.requests)
