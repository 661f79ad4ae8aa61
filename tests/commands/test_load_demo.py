"""``manage.py load_demo``: the demo clinic the README's run command serves."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from autoattendant.audio import inspect_wav
from autoattendant.callflow.schedule import resolve
from autoattendant.models import (
    Announcement,
    AutoAttendantSystem,
    Enterprise,
    Mailbox,
    Menu,
    MenuKey,
    PhoneNumber,
    ScheduleBlock,
    ScheduleEntry,
    User,
    Voicemail,
)
from autoattendant.runtime.compiler import compile_flow

pytestmark = pytest.mark.usefixtures("media")

MODELS = (
    Enterprise, User, PhoneNumber, Announcement, AutoAttendantSystem, Menu, MenuKey,
    ScheduleBlock, ScheduleEntry, Mailbox, Voicemail,
)  # fmt: skip
NEW_YORK = ZoneInfo("America/New_York")


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db) -> AutoAttendantSystem:
    load()
    return AutoAttendantSystem.objects.get(name="Main line")


def test_running_it_twice_duplicates_nothing(db):
    first = load()
    after_first = counts()
    second = load()
    assert counts() == after_first
    assert after_first == {
        "Enterprise": 1,
        "User": 3,
        "PhoneNumber": 5,
        "Announcement": 5,
        "AutoAttendantSystem": 1,
        "Menu": 4,
        "MenuKey": 11,
        "ScheduleBlock": 3,
        "ScheduleEntry": 13,
        "Mailbox": 1,
        "Voicemail": 2,
    }
    assert "admin@smiles-dental.example" in first and "admin@smiles-dental.example" in second


def test_the_main_line_has_its_number_extensions_and_default_menu(demo):
    assert demo.timezone_id == "America/New_York"
    assert [n.number for n in demo.main_numbers.all()] == ["15550100100"]
    directory = {n.extension: n.extension_spoken_name for n in demo.extensions.all()}
    assert directory == {
        "101": "Dr. Sarah Lee",
        "102": "Billing",
        "103": "Front desk",
        "104": "Dr. Omar Haddad",
    }
    assert demo.default_menu.name == "After hours"


def keys_of(menu: Menu) -> dict[str, tuple[str, str]]:
    return {k.key: (k.action_type, k.action_data) for k in menu.keys.all()}


def test_the_menus_offer_extension_name_submenu_and_operator(demo):
    business = Menu.objects.get(name="Business hours")
    billing = Menu.objects.get(name="Insurance & billing")
    assert keys_of(business) == {
        "1": ("DIAL_BY_EXTENSION", ""),
        "2": ("DIAL_BY_NAME", ""),
        "3": ("GO_TO_MENU", billing.sid),
        "0": ("TRANSFER_TO_PHONE", "15550100199"),
    }
    assert keys_of(billing)["9"] == ("RETURN_TO_PREVIOUS_MENU", "")
    assert keys_of(billing)["0"] == ("TRANSFER_TO_PHONE", "15550100199")
    assert business.announcement.type == "say"


def test_the_play_announcement_is_a_real_8khz_mono_16bit_wav(demo):
    tone = Announcement.objects.get(type="play")
    with tone.file.open("rb") as stream:
        info = inspect_wav(stream.read())
    assert (info.sample_rate, info.channels, info.bits_per_sample) == (8_000, 1, 16)
    assert 0.5 <= info.duration_seconds <= 2


@pytest.mark.parametrize(
    ("local", "menu"),
    [
        (dt.datetime(2026, 6, 3, 10, 0), "Business hours"),  # a Wednesday morning
        (dt.datetime(2026, 6, 3, 17, 59), "Business hours"),
        (dt.datetime(2026, 6, 3, 18, 0), "After hours"),
        (dt.datetime(2026, 6, 4, 3, 0), "After hours"),  # overnight from Wednesday
        (dt.datetime(2026, 6, 1, 7, 0), "After hours"),  # Monday before opening
        (dt.datetime(2026, 6, 6, 12, 0), "After hours"),  # Saturday
        (dt.datetime(2026, 6, 7, 23, 0), "After hours"),  # Sunday night
        (dt.datetime(2026, 12, 25, 10, 0), "Holiday"),  # a Friday, but Christmas
    ],
)
def test_the_schedule_answers_every_hour_of_the_week(demo, local, menu):
    snapshot = compile_flow(demo.pk)
    resolution = resolve(snapshot, local.replace(tzinfo=NEW_YORK))
    assert Menu.objects.get(sid=resolution.menu_sid).name == menu
    assert resolution.source in ("weekly", "date_range")  # never the fallback


def test_it_prints_the_number_and_the_webhooks_to_try(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    text = load()
    assert "The demo's phone number: 15550100100" in text
    for path in ("internal/rcml", "internal/twiml", "internal/fallback"):
        assert f"http://127.0.0.1:8000/autoattendant/{path}" in text
    assert "manage.py simulate_call 15550100100" in text


def test_after_hours_offers_voicemail_and_the_mailbox_has_messages(demo):
    mailbox = Mailbox.objects.get(enterprise=demo.enterprise)
    after_hours = demo.menus.get(name="After hours")
    assert after_hours.keys.get(key="2").action_data == mailbox.sid
    assert "To leave a message, press 2." in after_hours.announcement.body
    assert demo.dial_failure_action_type == "VOICEMAIL"
    messages = list(Voicemail.objects.filter(mailbox=mailbox).order_by("-time"))
    assert [m.heard for m in messages] == [False, True]
    for message in messages:
        with message.audio.open("rb") as audio:
            assert audio.read(4) == b"RIFF"
