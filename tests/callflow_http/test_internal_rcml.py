"""``/autoattendant/internal/rcml``: whole calls walked the way the platform walks them."""

from __future__ import annotations

import base64
import logging

import pytest
from django.db import DatabaseError
from django.test import Client

from autoattendant.callflow.engine import (
    TEXT_APOLOGY,
    TEXT_EXTENSION_PROMPT,
    TEXT_INVALID_CHOICE,
    TEXT_LINE_UNAVAILABLE,
    TEXT_NAME_PROMPT,
    TEXT_NO_ANNOUNCEMENT,
)
from autoattendant.choices import ActionType as A
from autoattendant.choices import EnterpriseStatus, SystemStatus
from autoattendant.models import PhoneNumber
from tests.builders import make_system

from .conftest import ENTRY, MAIN_NUMBER, Doc, Platform

pytestmark = pytest.mark.django_db

RING_URL = "http://testserver/autoattendant/internal/announcement/file/AN_ring_1700000000000.wav"


def assert_main_menu(doc: Doc) -> None:
    assert doc.status == 200
    assert doc.response["Content-Type"] == "application/xml"
    assert doc.tags == ["Gather", "Redirect"]
    gather = doc.gather
    assert gather.get("input") == "dtmf" and gather.get("numDigits") == "1"
    assert gather.get("actionOnEmptyResult") == "true" and gather.get("method") == "POST"
    assert doc.says == ["Welcome to Acme."]
    # The Redirect repeats the Gather's state so silence lands on the same handling.
    assert doc.redirect_url == gather.get("action")


def test_entry_answers_the_scheduled_menu(world):
    doc = Platform().start()
    assert_main_menu(doc)
    action = doc.gather.get("action")
    assert action.startswith("http://testserver/autoattendant/internal/rcml?")
    state = doc.query(action)
    assert state["MenuSid"] == world.main.sid
    assert state["AutoAttendantSid"] == world.system.sid
    assert state["Organization"] == world.system.enterprise.sid
    assert len(state["Signature"]) == 64


def test_two_level_menu_goes_down_and_back(world):
    call = Platform()
    doc = call.press(call.start(), "4")
    assert doc.says == [TEXT_NO_ANNOUNCEMENT]
    assert doc.query(doc.gather.get("action"))["MenuSid"] == world.sales.sid
    assert doc.query(doc.gather.get("action"))["PreviousMenuSid"] == world.main.sid
    doc = call.press(doc, "8")
    assert_main_menu(doc)
    assert doc.query(doc.gather.get("action"))["PreviousMenuSid"] == ""
    doc = call.press(doc, "9")
    assert doc.tags == ["Hangup"]


@pytest.mark.parametrize("typed", ["101", "101#"])
def test_dial_by_extension(world, typed):
    call = Platform()
    doc = call.press(call.start(), "2")
    gather = doc.gather
    # numDigits is explicit: Restcomm would keep the menu's "1" otherwise.
    assert gather.get("finishOnKey") == "#" and gather.get("numDigits") == "3"
    assert doc.says == [TEXT_EXTENSION_PROMPT]
    doc = call.press(doc, typed)
    assert doc.tags == ["Play", "Dial"]  # the menu's ringback, then the transfer
    assert doc.dialled == "15550101"


def test_dial_by_name_matches_the_speech(world):
    call = Platform()
    doc = call.press(call.start(), "3")
    gather = doc.gather
    assert gather.get("input") == "dtmf speech"
    assert gather.get("language") == "en-US"
    assert gather.get("hints") == "John Smith,Maria Garcia"
    assert doc.says == [TEXT_NAME_PROMPT]
    doc = call.say(doc, "maria garcia")
    assert doc.dialled == "15550102"


def test_transfer_plays_the_ringback_before_dialling(world):
    call = Platform()
    doc = call.press(call.start(), "1")
    assert doc.tags == ["Play", "Dial"]
    assert doc.plays == [RING_URL]
    assert doc.dialled == "15551230000"
    assert doc.find("Dial").get("action").startswith("http://testserver" + ENTRY + "?")


def test_an_unanswered_transfer_returns_to_the_menu(world):
    call = Platform()
    dial = call.press(call.start(), "1")
    doc = call.dial_ended(dial, "busy")
    assert doc.tags == ["Say", "Gather", "Redirect"]
    assert doc.says == [TEXT_LINE_UNAVAILABLE, "Welcome to Acme."]
    assert call.dial_ended(dial, "completed").tags == ["Hangup"]


def test_silence_replays_then_hangs_up_on_the_third_timeout(world):
    call = Platform()
    doc = call.start()
    doc = call.silence(doc)  # Restcomm: falls through to the Redirect
    assert_main_menu(doc)
    assert doc.query(doc.redirect_url)["TimeoutCount"] == "1"
    doc = call.press(doc, "")  # a platform honouring actionOnEmptyResult
    assert_main_menu(doc)
    doc = call.silence(doc)
    assert doc.tags == ["Hangup"]


def test_invalid_input_replays_then_hangs_up(world):
    call = Platform()
    doc = call.press(call.start(), "5")
    # The retry prompt first (DESIGN §15), then the menu again.
    assert doc.says[0] == TEXT_INVALID_CHOICE
    assert doc.tags == ["Say", "Gather", "Redirect"]
    assert doc.query(doc.redirect_url)["InvalidInputCount"] == "1"
    doc = call.press(call.press(doc, "7"), "*")
    assert doc.tags == ["Hangup"]


def test_the_whole_call_works_with_get(world):
    call = Platform(method="GET")
    doc = call.start()
    assert_main_menu(doc)
    doc = call.press(doc, "4")
    assert doc.says == [TEXT_NO_ANNOUNCEMENT]
    doc = call.press(doc, "8")
    assert_main_menu(doc)
    doc = call.press(doc, "2")
    doc = call.press(doc, "102")
    assert doc.dialled == "15550102"


@pytest.mark.parametrize("to", ["+15557770000", "+1 555-777-0000", "1-555-777-0000"])
def test_the_dialled_number_is_normalised(world, to):
    assert_main_menu(Platform(to=to).start())


# --- refusals and apologies -----------------------------------------------------------------


def test_a_forged_signature_is_refused_with_a_hangup(world):
    call = Platform()
    action = call.start().gather.get("action")
    forged = action.replace("Signature=", "Signature=0")
    for url in (forged, action.replace(world.main.sid, world.sales.sid)):
        doc = call.fetch(url, Digits="1")
        assert doc.status == 403
        assert doc.response["Content-Type"] == "application/xml"
        assert doc.text == "<Response><Hangup/></Response>"


def test_state_without_a_signature_is_refused(world):
    call = Platform()
    action = call.start().gather.get("action")
    unsigned = action.split("&Signature=")[0]
    assert call.fetch(unsigned, Digits="1").status == 403
    doc = call.fetch(f"{ENTRY}?MenuSid={world.main.sid}", Digits="9")
    assert doc.status == 403 and doc.text == "<Response><Hangup/></Response>"


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_entry_needs_the_platform_credentials_when_configured(world, settings):
    settings.PLATFORM_WEBHOOK_USER = "restcomm"
    settings.PLATFORM_WEBHOOK_PASSWORD = "s3cret"
    for client in (
        Client(),
        Client(HTTP_AUTHORIZATION=_basic("restcomm", "wrong")),
        Client(HTTP_AUTHORIZATION=_basic("other", "s3cret")),
        Client(HTTP_AUTHORIZATION="Basic !!!"),
    ):
        doc = Platform(client).start()
        assert doc.status == 401
        assert doc.response["WWW-Authenticate"].startswith("Basic")
        assert doc.text == "<Response><Hangup/></Response>"
    call = Platform(Client(HTTP_AUTHORIZATION=_basic("restcomm", "s3cret")))
    doc = call.start()
    assert_main_menu(doc)
    assert "s3cret" not in doc.text and "restcomm" not in doc.text
    # Continuations are authenticated by their signature, not by credentials.
    assert Platform().press(doc, "9").tags == ["Hangup"]


def assert_apology(doc: Doc) -> None:
    assert doc.status == 200
    assert doc.response["Content-Type"] == "application/xml"
    assert doc.tags == ["Say", "Hangup"]
    assert doc.says == [TEXT_APOLOGY]


def test_an_unknown_number_gets_an_apology(world, caplog):
    with caplog.at_level(logging.WARNING):
        assert_apology(Platform(to="15550000000").start())
    assert "15550000000" in caplog.text
    assert_apology(Platform(to="").start())
    assert_apology(Platform(to="anonymous").start())


def test_a_number_without_a_system_gets_an_apology(world):
    world.number.auto_attendant = None
    world.number.save()
    assert_apology(Platform().start())


def test_a_deleted_number_gets_an_apology(world):
    PhoneNumber.objects.filter(pk=world.number.pk).update(date_deleted="2020-01-01T00:00:00Z")
    assert_apology(Platform().start())


def test_a_suspended_system_or_enterprise_gets_an_apology(world):
    call = Platform()
    doc = call.start()
    world.system.status = SystemStatus.SUSPENDED
    world.system.save()
    assert_apology(call.start())
    assert_apology(call.press(doc, "4"))  # mid-call too
    world.system.status = SystemStatus.ACTIVE
    world.system.save()
    assert_main_menu(call.start())
    enterprise = world.system.enterprise
    enterprise.status = EnterpriseStatus.SUSPENDED
    enterprise.save()
    assert_apology(call.start())


def test_no_schedule_entry_gets_an_apology(enterprise_a):
    system = make_system(enterprise_a, "Closed")
    PhoneNumber.objects.create(enterprise=enterprise_a, number="15551110000", auto_attendant=system)
    assert_apology(Platform(to="15551110000").start())


def test_the_default_menu_answers_outside_the_schedule(enterprise_a):
    from tests.builders import make_menu

    system = make_system(enterprise_a, "Default only")
    menu = make_menu(system, "Fallback", keys={"9": A.HANGUP})
    system.default_menu = menu
    system.save()
    PhoneNumber.objects.create(enterprise=enterprise_a, number="15551110000", auto_attendant=system)
    doc = Platform(to="15551110000").start()
    assert doc.query(doc.gather.get("action"))["MenuSid"] == menu.sid


def test_a_crash_is_an_apology_not_a_500(world, monkeypatch, caplog):
    def explode(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr("autoattendant.runtime.answering.lookup_number", explode)
    with caplog.at_level(logging.ERROR):
        assert_apology(Platform().start())
    assert "CA0123456789abcdef" in caplog.text


def test_a_crash_mid_call_is_an_apology(world, monkeypatch):
    call = Platform()
    doc = call.start()
    monkeypatch.setattr(
        "autoattendant.runtime.answering.get_flow",
        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")),
    )
    assert_apology(call.press(doc, "4"))


def test_other_methods_are_refused_with_rcml(world):
    response = Client().put(ENTRY)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/xml"


def test_urls_honour_the_public_base_url(world, settings):
    settings.PUBLIC_BASE_URL = "https://aa.example.com"
    call = Platform()
    doc = call.start()
    assert doc.gather.get("action").startswith(
        "https://aa.example.com/autoattendant/internal/rcml?"
    )
    assert doc.redirect_url.startswith("https://aa.example.com/")
    doc = call.press(doc, "1")
    assert doc.plays == [RING_URL.replace("http://testserver", "https://aa.example.com")]
    assert doc.find("Dial").get("action").startswith("https://aa.example.com/")


def test_the_trailing_slash_is_optional(world):
    assert Client().post(ENTRY + "/", {"To": MAIN_NUMBER}).status_code == 200


def test_dial_by_name_threshold_comes_from_settings(world, settings):
    settings.DIAL_BY_NAME_MIN_SCORE = 101  # nothing can match
    call = Platform()
    doc = call.say(call.press(call.start(), "3"), "Maria Garcia")
    assert doc.dialled is None
    assert doc.gather.get("input") == "dtmf speech"  # asked again


def test_the_platform_needs_no_csrf_token(world):
    call = Platform(Client(enforce_csrf_checks=True))
    assert call.press(call.start(), "9").tags == ["Hangup"]
