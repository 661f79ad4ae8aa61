"""``manage.py export_enterprise EN… [-o FILE]`` and ``import_enterprise FILE [--dry-run]``."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from autoattendant.audio import inspect_wav
from autoattendant.choices import ActionType, ScheduleType
from autoattendant.models import (
    Announcement,
    AutoAttendantSystem,
    Enterprise,
    HolidayCalendar,
    HolidayEntry,
    Mailbox,
    Menu,
    MenuKey,
    PhoneNumber,
    ScheduleBlock,
    ScheduleEntry,
    SystemHolidayCalendar,
    User,
    Voicemail,
)
from autoattendant.services.demo_flow import build_demo_flow, tone_wav
from autoattendant.services.portability import export_enterprise
from tests.builders import make_date_range_block, make_menu, make_system

pytestmark = pytest.mark.usefixtures("media")

SID = re.compile(r"^(EN|RCS|AC|AN|MN|AA|PH|FT|HC|MB)[0-9a-f]{32}$")
DATES = {"dateCreated", "dateUpdated", "exportedAt"}
ALL_MODELS = (
    Enterprise, User, PhoneNumber, Announcement, AutoAttendantSystem, Menu, MenuKey,
    ScheduleBlock, ScheduleEntry, HolidayCalendar, HolidayEntry, SystemHolidayCalendar,
)  # fmt: skip


def canonical(document: dict) -> dict:
    """The document with dates dropped and every sid replaced by its order of first
    appearance, so references still have to match one to one."""
    names: dict[str, str] = {}

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items() if k not in DATES}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and SID.match(value):
            return names.setdefault(value, f"{value[:2]}#{len(names)}")
        return value

    return walk(document)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def export_to(path: Path, enterprise: Enterprise) -> dict:
    err = StringIO()
    call_command("export_enterprise", enterprise.sid, "-o", str(path), stderr=err)
    assert f"to {path}" in err.getvalue()
    return json.loads(path.read_text(encoding="utf-8"))


def import_file(path: Path, *args) -> str:
    out = StringIO()
    call_command("import_enterprise", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def import_failing(path: Path, *args) -> tuple[str, list[str]]:
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_enterprise", str(path), *args, stdout=StringIO(), stderr=err)
    reports = [line.split(": ", 1)[1] for line in err.getvalue().splitlines() if ": line " in
               line or line.startswith(str(path))]  # fmt: skip
    return str(failure.value), reports


def release(enterprise: Enterprise) -> None:
    """What moving an enterprise away looks like: its numbers released, its logins renamed,
    so that a file of it can be imported into the same installation."""
    PhoneNumber.objects.filter(enterprise=enterprise).update(date_deleted=timezone.now())
    User.objects.filter(enterprise=enterprise).update(email=Concat(Value("old-"), F("email")))


@pytest.fixture
def world(operator, bg_admin, aa_admin, enterprise_a):
    """The demo clinic's whole flow in enterprise A, plus a second system with a special day
    that has times, and a menu whose timeout plays an announcement."""
    bg_admin.user.created_by = operator.user
    bg_admin.user.save()
    build_demo_flow(enterprise_a, bg_admin.user)
    spare = make_system(
        enterprise_a,
        "Spare line",
        created_by=aa_admin.user,
        timezone_id="Europe/Paris",
        language="fr",
        invalid_input_announcement_sid=Announcement.objects.get(
            enterprise=enterprise_a, name="Holiday"
        ).sid,
    )
    notice = Announcement.objects.get(enterprise=enterprise_a, name="Holiday")
    closed = make_menu(
        spare,
        "Closed",
        keys={"5": (ActionType.ANNOUNCEMENT_RETURN, notice.sid), "*": ActionType.REPLAY_MENU},
        timeout_action_type=ActionType.ANNOUNCEMENT_HANGUP,
        timeout_action_data=notice.sid,
        created_by=aa_admin.user,
    )
    make_date_range_block(
        closed, dt.date(2026, 8, 1), dt.date(2026, 8, 15), [("09:00", "12:00"), ("22:00", "02:00")]
    )
    return enterprise_a


def test_export_import_export_gives_the_same_document_but_for_sids_and_dates(world, tmp_path):
    first = export_to(tmp_path / "first.json", world)
    release(world)

    out = import_file(tmp_path / "first.json")

    copy = Enterprise.objects.exclude(pk=world.pk).get(name=world.name)  # a new one, same name
    assert f"Imported Acme Plumbing as {copy.sid}" in out
    assert (
        "2 users, 5 numbers, 5 announcements, 1 mailboxes, 2 systems, 5 menus, 4 schedules" in out
    )
    second = export_to(tmp_path / "second.json", copy)
    assert canonical(second) == canonical(first)
    assert second["enterprise"]["sid"] != first["enterprise"]["sid"]
    # Audio included: the same WAV bytes, now stored under the copy's own name.
    audio = [a["audio"] for a in second["announcements"] if a["audio"]]
    assert audio == [base64.b64encode(tone_wav()).decode()]
    assert [s["language"] for s in second["systems"]] == ["en", "fr"]  # read back from the copy
    # The mailbox and what names it: the after-hours key, the system's dial-failure action and
    # its retry prompt, each pointing at the copy's own records.
    (mailbox,) = second["mailboxes"]
    assert mailbox["name"] == "Front desk voicemail"
    assert mailbox["notifyEmails"] == ["frontdesk@smiles-dental.example"]
    assert mailbox["sid"] == Mailbox.objects.get(enterprise=copy).sid
    main = second["systems"][0]
    assert main["dialFailureAction"] == {"actionType": "VOICEMAIL", "actionData": mailbox["sid"]}
    after_hours = next(m for m in second["menus"] if m["name"] == "After hours")
    assert {"menuKey": "2", "menuAction": main["dialFailureAction"]} in after_hours["keys"]
    assert second["systems"][1]["invalidInputAnnouncementSid"] == next(
        a["sid"] for a in second["announcements"] if a["name"] == "Holiday"
    )
    # Messages stay where callers left them.
    assert "voicemails" not in second and Voicemail.objects.filter(enterprise=copy).count() == 0
    stored = Announcement.objects.get(enterprise=copy, type="play")
    assert stored.file.name.startswith(f"announcements/{stored.sid}_")
    assert inspect_wav(stored.file.open("rb").read()).sample_rate == 8_000


def test_the_document_holds_every_record_and_no_secret(world, tmp_path, bg_admin):
    document = export_to(tmp_path / "doc.json", world)
    text = (tmp_path / "doc.json").read_text()
    assert bg_admin.token not in text
    assert bg_admin.user.password not in text
    assert bg_admin.user.auth_token_hash not in text
    assert set(document["users"][0]) == {
        "sid", "accountSid", "name", "emailId", "role", "status", "accountEmail",
        "dateCreated", "dateUpdated",
    }  # fmt: skip
    main = document["systems"][0]
    assert main["timezoneId"] == "America/New_York"
    assert main["extensions"] == ["15550100101", "15550100102", "15550100103", "15550100104"]
    menus = {m["name"]: m for m in document["menus"]}
    assert menus["Business hours"]["keys"][2] == {
        "menuKey": "3",
        "menuAction": {
            "actionType": "GO_TO_MENU",
            "actionData": menus["Insurance & billing"]["sid"],
        },
    }
    assert main["defaultMenuSid"] == menus["After hours"]["sid"]
    weekly = [s for s in document["schedules"] if s["scheduleType"] == ScheduleType.WEEKLY]
    assert {s["menuSid"] for s in weekly} == {
        menus["Business hours"]["sid"],
        menus["After hours"]["sid"],
    }


def test_export_writes_to_stdout_without_o(world):
    out = StringIO()
    call_command("export_enterprise", world.sid, stdout=out)
    assert json.loads(out.getvalue())["enterprise"]["sid"] == world.sid


def test_export_costs_the_same_queries_whatever_the_enterprise_size(enterprise_a):
    system = make_system(enterprise_a)
    one = make_menu(system, "One", keys={"1": ActionType.HANGUP})
    make_date_range_block(one, dt.date(2026, 12, 25), dt.date(2026, 12, 25))
    with CaptureQueriesContext(connection) as small:
        export_enterprise(enterprise_a)
    for i in range(5):
        menu = make_menu(system, f"Menu {i}", keys={"1": ActionType.HANGUP, "2": "REPLAY_MENU"})
        make_date_range_block(menu, dt.date(2027, 1, i + 1), dt.date(2027, 1, i + 1))
    with CaptureQueriesContext(connection) as big:
        export_enterprise(enterprise_a)
    # users, numbers, announcements, mailboxes, systems (+ extensions, + holiday calendar
    # links), menus (+ keys), blocks (+ entries), calendars (their entries only where there are
    # calendars), flow tests
    assert len(big) == len(small) == 13


def test_dry_run_checks_and_keeps_nothing(world, tmp_path):
    export_to(tmp_path / "doc.json", world)
    release(world)
    before = counts()
    files_before = sorted((tmp_path / "media").rglob("*"))

    out = import_file(tmp_path / "doc.json", "--dry-run")

    assert "Would import 2 users, 5 numbers, 5 announcements" in out
    assert counts() == before
    assert sorted((tmp_path / "media").rglob("*")) == files_before


def test_it_refuses_numbers_and_emails_still_in_use_and_keeps_nothing(world, tmp_path):
    export_to(tmp_path / "doc.json", world)
    before = counts()
    files_before = sorted((tmp_path / "media").rglob("*"))

    message, reports = import_failing(tmp_path / "doc.json")

    assert message.endswith("nothing was imported.")
    assert any("users[0]: emailId: boss@acme.example is already a user" in r for r in reports)
    assert any("numbers[0]: number 15550100100 already exists" in r for r in reports)
    assert counts() == before
    assert sorted((tmp_path / "media").rglob("*")) == files_before


def line_of(text: str, needle: str) -> int:
    """The line of the object holding ``needle`` (the ``{`` just above it)."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if needle in line)
    while lines[at].strip() != "{":
        at -= 1
    return at + 1


def test_each_bad_record_is_reported_with_its_line_and_reason(world, tmp_path):
    document = export_to(tmp_path / "doc.json", world)
    release(world)
    document["users"][1]["emailId"] = "not an email"
    document["announcements"][4]["audio"] = base64.b64encode(b"RIFF....WAVEjunk").decode()
    menu = next(m for m in document["menus"] if m["name"] == "After hours")
    menu["keys"].append({"menuKey": "#", "menuAction": {"actionType": "HANGUP"}})
    document["systems"][1]["timezoneId"] = "Mars/Olympus"
    path = tmp_path / "bad.json"
    text = json.dumps(document, indent=2)
    path.write_text(text)
    before = counts()

    message, reports = import_failing(path)

    assert message == "4 problem(s); nothing was imported."
    assert reports == sorted(reports, key=lambda r: int(r.split()[1].rstrip(":")))
    user_line = line_of(text, '"emailId": "not an email"')
    audio_line = line_of(text, f'"sid": "{document["announcements"][4]["sid"]}"')
    menu_line = line_of(text, f'"sid": "{menu["sid"]}"')
    system_line = line_of(text, '"timezoneId": "Mars/Olympus"')
    assert f"line {user_line}: users[1]: emailId: 'not an email' is not an email address" in (
        reports
    )
    assert any(r.startswith(f"line {audio_line}: announcements[4]: audio: not a usable WAV")
               for r in reports)  # fmt: skip
    assert any(r.startswith(f"line {menu_line}: menus[") and "menuKey" in r for r in reports)
    assert (
        f"line {system_line}: systems[1]: timezoneId: 'Mars/Olympus' is not an IANA time zone"
        in reports
    )
    assert counts() == before


def test_a_system_without_a_language_speaks_english_and_an_unknown_one_is_refused(world, tmp_path):
    document = export_to(tmp_path / "doc.json", world)
    release(world)
    del document["systems"][1]["language"]  # a file from before systems had a language
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document, indent=2))
    import_file(path, "--dry-run")
    document["systems"][1]["language"] = "tlh"
    text = json.dumps(document, indent=2)
    path.write_text(text)

    _message, reports = import_failing(path)

    system_line = line_of(text, f'"sid": "{document["systems"][1]["sid"]}"')
    assert reports == [
        f"line {system_line}: systems[1]: language: expected one of en, es, fr, de, it, pt, nl"
    ]

    del document["systems"][1]["language"]
    path.write_text(json.dumps(document, indent=2))
    import_file(path)
    copy = Enterprise.objects.exclude(pk=world.pk).get(name=world.name)
    assert AutoAttendantSystem.objects.get(enterprise=copy, name="Spare line").language == "en"


def test_a_schedule_problem_points_at_the_block(world, tmp_path):
    document = export_to(tmp_path / "doc.json", world)
    release(world)
    weekly = [s for s in document["schedules"] if s["scheduleType"] == "WEEKLY"]
    weekly[1]["entries"].append({"day": 3, "startTime": "12:00", "endTime": "13:00"})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document, indent=2))

    _message, reports = import_failing(path)

    assert len(reports) == 1
    assert "schedules[" in reports[0] and "Schedule entries overlap (615)" in reports[0]


def test_it_reports_broken_json_with_its_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "autoattendant-enterprise",\n  "version": 1,\n  oops\n}\n')
    _message, reports = import_failing(path)
    assert reports == ["line 4: not valid JSON: Expecting property name enclosed in double quotes "
                       "(column 3)"]  # fmt: skip


def test_it_refuses_another_format(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "something-else", "version": 1}))
    message, reports = import_failing(path)
    assert reports == ["line 1: format: expected 'autoattendant-enterprise'"]
    assert message == "1 problem(s); nothing was imported."


def test_an_unknown_enterprise_is_an_error(db):
    with pytest.raises(CommandError, match="No enterprise"):
        call_command("export_enterprise", "EN" + "0" * 32, stdout=StringIO())
