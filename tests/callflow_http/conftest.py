"""A call-flow world built through the ORM, and a fake telephony platform that walks a call the
way Restcomm does: fetch the entry RCML, then follow ``<Gather action>`` with the caller's input,
``<Redirect>`` on silence and ``<Dial action>`` with ``DialCallStatus``."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from autoattendant.choices import ActionType as A
from autoattendant.models import AutoAttendantSystem, Menu, PhoneNumber
from tests.builders import (
    make_announcement,
    make_extension,
    make_menu,
    make_system,
    make_weekly_block,
)

# Remembered routes need PostgreSQL's notifications: collected on PostgreSQL only, never skipped.
collect_ignore = []
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    collect_ignore.append("test_routes_postgres.py")
else:  # the embedded default's own route check, with its triggers (migration 0006)
    collect_ignore.append("test_routes_sqlite.py")

MAIN_NUMBER = "15557770000"
ENTRY = "/autoattendant/internal/rcml"
ALL_WEEK = [(day, "00:00", "24:00") for day in range(1, 8)]


@dataclass
class World:
    system: AutoAttendantSystem
    main: Menu
    sales: Menu
    welcome: object
    ring: object
    number: PhoneNumber
    john: PhoneNumber
    maria: PhoneNumber


@pytest.fixture
def world(enterprise_a) -> World:
    """Acme's attendant, open all week on the main menu.

    Main menu (a say announcement, a WAV ringback): 1 transfer to 15551230000, 2 dial by
    extension, 3 dial by name, 4 go to Sales, 9 hang up. Sales (no announcement): 8 back,
    1 transfer. Directory: 101 John Smith, 102 Maria Garcia.
    """
    system = make_system(enterprise_a, "Acme main line")
    welcome = make_announcement(enterprise_a, "Welcome", body="Welcome to Acme.")
    ring = make_announcement(
        enterprise_a, "Ring", type="play", file="announcements/AN_ring_1700000000000.wav"
    )
    sales = make_menu(
        system,
        "Sales",
        keys={"8": A.RETURN_TO_PREVIOUS_MENU, "1": (A.TRANSFER_TO_PHONE, "15559990000")},
    )
    main = make_menu(
        system,
        "Main",
        announcement=welcome,
        ringback_tone=ring,
        keys={
            "1": (A.TRANSFER_TO_PHONE, "15551230000"),
            "2": A.DIAL_BY_EXTENSION,
            "3": A.DIAL_BY_NAME,
            "4": (A.GO_TO_MENU, sales.sid),
            "9": A.HANGUP,
        },
    )
    make_weekly_block(main, ALL_WEEK)
    number = PhoneNumber.objects.create(
        enterprise=enterprise_a, number=MAIN_NUMBER, auto_attendant=system
    )
    john = make_extension(enterprise_a, "15550101", "101", "John Smith")
    maria = make_extension(enterprise_a, "15550102", "102", "Maria Garcia")
    system.extensions.add(john, maria)
    return World(system, main, sales, welcome, ring, number, john, maria)


class Doc:
    """A parsed RCML response."""

    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.text = response.content.decode()
        self.root = ET.fromstring(self.text)
        assert self.root.tag == "Response"

    def find(self, tag: str):
        return self.root.find(f".//{tag}")

    @property
    def tags(self) -> list[str]:
        return [child.tag for child in self.root]

    @property
    def says(self) -> list[str]:
        return [e.text or "" for e in self.root.iter("Say")]

    @property
    def plays(self) -> list[str]:
        return [e.text or "" for e in self.root.iter("Play")]

    @property
    def gather(self):
        return self.find("Gather")

    @property
    def redirect_url(self) -> str:
        return self.find("Redirect").text

    @property
    def dialled(self) -> str | None:
        number = self.find("Dial/Number")
        return None if number is None else number.text

    @property
    def hung_up(self) -> bool:
        return self.find("Hangup") is not None

    def query(self, url: str) -> dict[str, str]:
        from urllib.parse import parse_qsl

        return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


class Platform:
    """Walks one call like the platform: every request carries its own parameters (form body on
    POST, query string on GET) beside the engine's signed state (query string of the URL)."""

    def __init__(self, client: Client | None = None, *, method: str = "POST", to=MAIN_NUMBER):
        self.client = client or Client()
        self.method = method
        self.to = to
        self.call_params = {
            "CallSid": "CA0123456789abcdef",
            "AccountSid": "AC0123",
            "From": "+15550009999",
            "To": to,
            "CallStatus": "in-progress",
            "Direction": "inbound",
        }

    def fetch(self, url: str, **extra: str) -> Doc:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        params = {**self.call_params, **extra}
        if self.method == "GET":
            joiner = "&" if parts.query else "?"
            return Doc(self.client.get(path + joiner + urlencode(params)))
        return Doc(self.client.post(path, params))

    def start(self) -> Doc:
        return self.fetch(ENTRY)

    def press(self, doc: Doc, digits: str) -> Doc:
        return self.fetch(doc.gather.get("action"), Digits=digits)

    def say(self, doc: Doc, speech: str) -> Doc:
        return self.fetch(doc.gather.get("action"), SpeechResult=speech)

    def silence(self, doc: Doc) -> Doc:
        """Restcomm: the Gather times out and the interpreter falls through to the Redirect."""
        return self.fetch(doc.redirect_url)

    def dial_ended(self, doc: Doc, status: str) -> Doc:
        return self.fetch(doc.find("Dial").get("action"), DialCallStatus=status)
