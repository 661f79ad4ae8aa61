"""The demo enterprise's auto attendant: numbers, announcements, menus and schedule.

A dental clinic in New York: one AA system ("Main line") on a main number with four extensions;
business hours Monday to Friday 08:00-18:00 answer with the main menu (1 dial by extension, 2 dial
by name, 3 the "Insurance & billing" submenu, 0 the front desk), every other hour with the
after-hours menu (2 leaves a message in the front desk's mailbox), and Christmas Day with the
holiday menu; a transfer nobody answers goes to voicemail too, and the mailbox holds a couple of
messages. Built through the same services as the API, so the demo obeys every rule a real
enterprise does. Idempotent: once the enterprise has its "Main line", nothing is created again.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import struct
import wave

from django.core.files.base import ContentFile
from django.utils import timezone

from ..choices import ActionType, ScheduleType
from ..models import AutoAttendantSystem, Enterprise, Mailbox, PhoneNumber, User, Voicemail
from ..models.voicemail import CopyStatus
from .actions import Action
from .announcements import do_create_announcement, do_upload_announcement_file
from .calendars import do_create_calendar
from .mailboxes import do_create_mailbox
from .menus import do_create_menu
from .numbers import do_create_number
from .schedules import BlockInput, EntryInput, do_replace_schedule
from .systems import do_create_system, do_update_system

SYSTEM_NAME = "Main line"
TIMEZONE = "America/New_York"
MAIN_NUMBER = "15550100100"
FRONT_DESK = "15550100199"
EXTENSIONS = (
    ("15550100101", "101", "Dr. Sarah Lee"),
    ("15550100102", "102", "Billing"),
    ("15550100103", "103", "Front desk"),
    ("15550100104", "104", "Dr. Omar Haddad"),
)
HOLIDAY = dt.date(2026, 12, 25)

SAY = {
    "welcome": (
        "Welcome",
        "Thank you for calling Smiles Dental Clinic. To reach a person by extension, press 1. "
        "To say the name of the person you want, press 2. For insurance and billing, press 3. "
        "For the front desk, press 0.",
    ),
    "after_hours": (
        "After hours",
        "Thank you for calling Smiles Dental Clinic. We are closed right now; our hours are "
        "Monday to Friday, 8 AM to 6 PM. If you know your party's extension, press 1. To leave "
        "a message, press 2. For dental emergencies, press 0.",
    ),
    "holiday": (
        "Holiday",
        "Smiles Dental Clinic is closed today for the holiday. For dental emergencies, press 0. "
        "Happy holidays!",
    ),
    "billing": (
        "Insurance and billing",
        "For questions about your bill, press 1. To speak with our insurance coordinator, "
        "press 0. To return to the main menu, press 9.",
    ),
}


def tone_wav(seconds: float = 1.0, frequency: float = 440.0, rate: int = 8_000) -> bytes:
    """A short sine tone as an 8 kHz mono 16-bit PCM WAV: what the media server plays best."""
    frames = int(seconds * rate)
    fade = rate // 50  # 20 ms in and out, so the tone starts and stops without a click
    samples = []
    for n in range(frames):
        envelope = min(1.0, n / fade, (frames - n) / fade)
        value = 0.4 * envelope * math.sin(2 * math.pi * frequency * n / rate)
        samples.append(int(value * 32_767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{frames}h", *samples))
    return buffer.getvalue()


def _operator(admin: User) -> User:
    """Numbers are provisioned by the operator's staff: the user who created the demo admin."""
    if admin.created_by_id and admin.created_by.is_superuser:
        return admin.created_by
    return User.objects.filter(is_superuser=True).order_by("date_created").first() or admin


def _weekly_blocks(business_sid: str, after_hours_sid: str) -> list[BlockInput]:
    weekdays = range(1, 6)
    return [
        BlockInput(
            menu=business_sid,
            entries=[EntryInput(day=d, start_time="08:00", end_time="18:00") for d in weekdays],
        ),
        BlockInput(
            menu=after_hours_sid,
            entries=[
                # Monday to Thursday evenings run overnight into the next morning.
                *(EntryInput(day=d, start_time="18:00", end_time="08:00") for d in range(1, 5)),
                EntryInput(day=1, start_time="00:00", end_time="08:00"),
                EntryInput(day=5, start_time="18:00", end_time="24:00"),
                EntryInput(day=6, start_time="00:00", end_time="24:00"),
                EntryInput(day=7, start_time="00:00", end_time="24:00"),
            ],
        ),
    ]


def build_demo_flow(enterprise: Enterprise, admin: User) -> None:
    """Create the demo's auto attendant unless the enterprise already has it (call inside the
    demo loader's transaction)."""
    if AutoAttendantSystem.objects.filter(enterprise=enterprise, name=SYSTEM_NAME).exists():
        return
    operator = _operator(admin)
    live = PhoneNumber.objects.live()
    if not live.filter(number=MAIN_NUMBER).exists():
        do_create_number(operator, enterprise=enterprise, number=MAIN_NUMBER)
    for number, code, name in EXTENSIONS:
        if not live.filter(number=number).exists():
            do_create_number(
                operator,
                enterprise=enterprise,
                number=number,
                is_extension=True,
                extension=code,
                extension_spoken_name=name,
            )

    said = {
        key: do_create_announcement(
            admin,
            enterprise=enterprise,
            name=name,
            type="say",
            body=body,
            language="en",
            voice="woman",
        )
        for key, (name, body) in SAY.items()
    }
    ringback = do_create_announcement(
        admin,
        enterprise=enterprise,
        name="Connecting tone",
        description="Played while a call is put through.",
        type="play",
    )
    wav = tone_wav()
    do_upload_announcement_file(ringback, io.BytesIO(wav), len(wav))

    system = do_create_system(
        admin,
        enterprise=enterprise,
        changes={
            "name": SYSTEM_NAME,
            "description": "The clinic's public number.",
            "timezone_id": TIMEZONE,
            "language": "en",
            "timeout_seconds": 6,
            "main_numbers": [MAIN_NUMBER],
            "extensions": [code for _number, code, _name in EXTENSIONS],
        },
    )
    transfer = Action(ActionType.TRANSFER_TO_PHONE, FRONT_DESK)
    mailbox = do_create_mailbox(
        admin,
        enterprise=enterprise,
        changes={
            "name": "Front desk voicemail",
            "notify_emails": ["frontdesk@smiles-dental.example"],
            "max_length_seconds": 120,
        },
    )
    voicemail = Action(ActionType.VOICEMAIL, mailbox.sid)

    def key(menu_key: str, action_type: str, data: str = "") -> dict:
        return {"key": menu_key, "action": Action(action_type, data)}

    billing = do_create_menu(
        admin,
        enterprise=enterprise,
        system=system,
        name="Insurance & billing",
        color_code="#8e6bbf",
        announcement=said["billing"].sid,
        ringback_tone=ringback.sid,
        keys=[
            key("1", ActionType.TRANSFER_TO_PHONE, EXTENSIONS[1][0]),
            key("9", ActionType.RETURN_TO_PREVIOUS_MENU),
            key("0", ActionType.TRANSFER_TO_PHONE, FRONT_DESK),
        ],
    )
    business = do_create_menu(
        admin,
        enterprise=enterprise,
        system=system,
        name="Business hours",
        color_code="#3a9d5d",
        announcement=said["welcome"].sid,
        ringback_tone=ringback.sid,
        timeout_action=transfer,
        keys=[
            key("1", ActionType.DIAL_BY_EXTENSION),
            key("2", ActionType.DIAL_BY_NAME),
            key("3", ActionType.GO_TO_MENU, billing.sid),
            key("0", ActionType.TRANSFER_TO_PHONE, FRONT_DESK),
        ],
    )
    after_hours = do_create_menu(
        admin,
        enterprise=enterprise,
        system=system,
        name="After hours",
        color_code="#4a6fa5",
        announcement=said["after_hours"].sid,
        keys=[
            key("1", ActionType.DIAL_BY_EXTENSION),
            key("2", ActionType.VOICEMAIL, mailbox.sid),
            key("0", ActionType.TRANSFER_TO_PHONE, FRONT_DESK),
        ],
    )
    holiday = do_create_menu(
        admin,
        enterprise=enterprise,
        system=system,
        name="Holiday",
        color_code="#e56052",
        announcement=said["holiday"].sid,
        keys=[key("0", ActionType.TRANSFER_TO_PHONE, FRONT_DESK)],
    )
    do_replace_schedule(
        admin, system, ScheduleType.WEEKLY, _weekly_blocks(business.sid, after_hours.sid)
    )
    do_replace_schedule(
        admin,
        system,
        ScheduleType.DATE_RANGE,
        [BlockInput(menu=holiday.sid, start_date=HOLIDAY, end_date=HOLIDAY)],
    )
    # Public holidays of New York State and the clinic's own days, shared by the enterprise
    # (DESIGN §14); the special day above hides this calendar's Christmas (the year view marks it).
    holidays = do_create_calendar(
        admin,
        enterprise=enterprise,
        changes={
            "name": "Clinic holidays",
            "country": "US",
            "subdivision": "NY",
            "entries": [
                {"name": "Christmas Eve (afternoon)", "month": 12, "day": 24,
                 "start_time": "13:00", "end_time": "24:00"},
                {"name": "Staff training afternoon", "month": 10, "weekday": 5, "nth": -1,
                 "start_time": "13:00", "end_time": "24:00"},
            ],
        },
    )  # fmt: skip
    do_update_system(
        admin,
        system,
        {
            "holiday_calendars": [{"calendar": holidays.sid, "menu": holiday.sid}],
            "default_menu": after_hours.sid,
            "invalid_input_action": transfer,
            "invalid_extension_action": transfer,
            "dial_failure_action": voicemail,
        },
    )
    _demo_flow_tests(admin, system)
    _demo_messages(mailbox)


#: The demo's flow tests (DESIGN §16): what must stay true whatever is changed.
DEMO_FLOW_TESTS = (
    {
        "name": "Weekday morning: 3 then 1 reaches billing",
        "at": "2026-12-01T10:00",
        "inputs": ["3", "1"],
        "expect": {"outcome": "connected", "transferredTo": EXTENSIONS[1][0]},
    },
    {
        "name": "Saturday: callers hear that the clinic is closed",
        "at": "2026-12-05T12:00",
        "inputs": [],
        "expect": {"outcome": "waiting", "heard": "We are closed right now"},
    },
    {
        "name": "Christmas Day: 0 reaches the front desk",
        "at": "2026-12-25T10:00",
        "inputs": ["0"],
        "expect": {"outcome": "connected", "transferredTo": FRONT_DESK},
    },
)


def _demo_flow_tests(admin: User, system: AutoAttendantSystem) -> None:
    from .flowtests import do_create_flow_test

    for fields in DEMO_FLOW_TESTS:
        do_create_flow_test(admin, system, dict(fields))


#: The demo mailbox's messages: (caller, hours ago, seconds, heard).
DEMO_MESSAGES = (
    ("15550123456", 3, 14, False),
    ("15550198765", 27, 8, True),
)


def _demo_messages(mailbox: Mailbox) -> None:
    """A couple of messages, as if left overnight and already copied (a short tone stands in
    for each recording)."""
    now = timezone.now()
    for index, (caller, hours_ago, seconds, heard) in enumerate(DEMO_MESSAGES):
        message = Voicemail.objects.create(
            enterprise_id=mailbox.enterprise_id,
            mailbox=mailbox,
            call_sid=f"CAdemo{index:026d}",
            caller=caller,
            time=now - dt.timedelta(hours=hours_ago),
            duration_seconds=seconds,
            heard=heard,
            copy_status=CopyStatus.COPIED,
            notified=True,
        )
        message.audio.save(
            f"{message.sid}.wav", ContentFile(tone_wav(1.0, 330.0 + 110 * index)), save=True
        )
