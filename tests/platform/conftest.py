"""Acme's attendant with every action type, real WAV files behind its ``<Play>``s, and the two
platform doubles pointed at it."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from autoattendant.choices import ActionType as A
from autoattendant.models import Announcement, AutoAttendantSystem, Menu, PhoneNumber
from autoattendant.services.announcements import do_upload_announcement_file
from tests.builders import (
    make_announcement,
    make_extension,
    make_menu,
    make_system,
    make_weekly_block,
    real_wav,
)

from .restcomm import RestcommPlatform
from .twiml import TwimlPlatform

MAIN_NUMBER = "15557770000"
OPERATOR = "15550000001"
SALES_LINE = "15551230000"
ALL_WEEK = [(day, "00:00", "24:00") for day in range(1, 8)]
TWILIO_TOKEN = "12345678901234567890123456789012"


def with_file(announcement: Announcement) -> Announcement:
    content = real_wav(1600)
    return do_upload_announcement_file(announcement, io.BytesIO(content), len(content))


@dataclass
class Flow:
    system: AutoAttendantSystem
    main: Menu
    sales: Menu
    welcome: Announcement
    hours: Announcement
    goodbye: Announcement
    sales_prompt: Announcement
    ring: Announcement
    john: PhoneNumber
    maria: PhoneNumber


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def flow(enterprise_a) -> Flow:
    """Open all week on Main.

    Main (say "Welcome to Acme.", ringback WAV): 1 transfer to sales' line, 2 Sales menu,
    3 dial by extension, 4 dial by name, 5 opening hours then back, 6 goodbye and hang up,
    7 replay, 9 hang up. Sales (a WAV prompt): 1 transfer, 8 back to the previous menu.
    System: 3 timeouts → goodbye and hang up; 3 invalid keys → the operator; 3 invalid
    extensions → hang up (the default). Directory: 101 John Smith, 102 Maria Garcia.
    """
    welcome = make_announcement(enterprise_a, "Welcome", body="Welcome to Acme.")
    hours = make_announcement(enterprise_a, "Hours", body="We are open nine to five.")
    goodbye = make_announcement(enterprise_a, "Goodbye", body="Goodbye from Acme.", voice="man")
    sales_prompt = with_file(make_announcement(enterprise_a, "Sales prompt", type="play"))
    ring = with_file(make_announcement(enterprise_a, "Ring", type="play"))
    system = make_system(
        enterprise_a,
        "Acme main line",
        timeout_action_type=A.ANNOUNCEMENT_HANGUP,
        timeout_action_data=goodbye.sid,
        invalid_input_action_type=A.TRANSFER_TO_PHONE,
        invalid_input_action_data=OPERATOR,
    )
    sales = make_menu(
        system,
        "Sales",
        announcement=sales_prompt,
        keys={"1": (A.TRANSFER_TO_PHONE, "15559990000"), "8": A.RETURN_TO_PREVIOUS_MENU},
    )
    main = make_menu(
        system,
        "Main",
        announcement=welcome,
        ringback_tone=ring,
        keys={
            "1": (A.TRANSFER_TO_PHONE, SALES_LINE),
            "2": (A.GO_TO_MENU, sales.sid),
            "3": A.DIAL_BY_EXTENSION,
            "4": A.DIAL_BY_NAME,
            "5": (A.ANNOUNCEMENT_RETURN, hours.sid),
            "6": (A.ANNOUNCEMENT_HANGUP, goodbye.sid),
            "7": A.REPLAY_MENU,
            "9": A.HANGUP,
        },
    )
    make_weekly_block(main, ALL_WEEK)
    PhoneNumber.objects.create(enterprise=enterprise_a, number=MAIN_NUMBER, auto_attendant=system)
    john = make_extension(enterprise_a, "15550101", "101", "John Smith")
    maria = make_extension(enterprise_a, "15550102", "102", "Maria Garcia")
    system.extensions.add(john, maria)
    return Flow(system, main, sales, welcome, hours, goodbye, sales_prompt, ring, john, maria)


@pytest.fixture
def restcomm(flow) -> RestcommPlatform:
    return RestcommPlatform(to=MAIN_NUMBER)


@pytest.fixture
def twilio(flow, settings) -> TwimlPlatform:
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    return TwimlPlatform(to="+" + MAIN_NUMBER, auth_token=TWILIO_TOKEN)
